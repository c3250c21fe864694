"""Served coordinates rounded to the CRS's decimals and geometry JSON written once (geo.serve.geometry_json, issue 20).

Oracles that share no code with the server: decimals counted in the raw response text; geometries compared with
shapely against the stored geometries read by GDAL (pyogrio) and reprojected with pyproj here; the GeoPackage and
PostGIS servers answer the same; the other formats (HTML, JSON-LD, CSV) and ``skipGeometry``/``properties`` checked
by what a client sees.
"""

import csv
import io
import json
import re

import numpy as np
import pyogrio
import pyproj
import pytest
import requests
import shapely
from shapely.geometry import shape

from geo.serve import geometry_json

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
MERCATOR = "http://www.opengis.net/def/crs/EPSG/0/3857"
DECIMALS = {CRS84: 7, WGS84: 7, RD: 3, MERCATOR: 2}  # the defaults the README promises
COLLECTIONS = {"natura2000_gebied": "nr", "pand": "identificatie"}  # big polygons, small polygons: their keys
COORDINATES = re.compile(r'"coordinates":(\[[-0-9.eE+,\[\]]*\])')


def _decimals_in(text: str) -> list[int]:
    """The decimals of every number in the "coordinates" of a raw JSON text (as written: no trailing zeros
    are stripped, except the one of a whole number)."""
    numbers = [n for c in COORDINATES.findall(text) for n in re.findall(r"-?[0-9.]+(?:[eE][-+]?\d+)?", c)]
    assert numbers, "no coordinates in the answer"
    assert not any("e" in n.lower() for n in numbers), "exponent notation in coordinates"
    fractions = [n.split(".")[1] if "." in n else "" for n in numbers]
    return [0 if f == "0" else len(f) for f in fractions]  # 52.0 is how a whole number prints


def _items(url: str, collection: str, **params) -> requests.Response:
    r = requests.get(f"{url}/collections/{collection}/items", params={"f": "json", **params}, timeout=120)
    assert r.status_code == 200, r.text[:300]
    return r


def _source(store, collection: str, crs: str) -> dict:
    """id -> the stored geometry (GDAL), reprojected with pyproj into ``crs`` in its axis order."""
    frame = pyogrio.read_dataframe(store, layer=collection, columns=[COLLECTIONS[collection]])
    target = pyproj.CRS.from_user_input("OGC:CRS84" if crs == CRS84 else crs)
    tr = pyproj.Transformer.from_crs(pyproj.CRS.from_epsg(28992), target, always_xy=True)
    lat_lon = crs == WGS84  # EPSG:4326 is latitude, longitude

    def project(c):
        x, y = tr.transform(c[:, 0], c[:, 1])
        return np.column_stack([y, x] if lat_lon else [x, y])

    geoms = shapely.transform(np.asarray(frame.geometry.values, dtype=object), project)
    return {str(k): g for k, g in zip(frame[COLLECTIONS[collection]], geoms)}


# --- the encoder alone ----------------------------------------------------------------------------------------

GEOMETRIES = [
    shapely.Point(5.123456789123, 52.987654321987),
    shapely.MultiPoint([(5.11111111111, 52.1), (5.2, 52.22222222222)]),
    shapely.LineString([(5.0, 52.0), (5.000000049, 52.000000051), (5.3333333333, 52.6666666666)]),
    shapely.MultiLineString([[(5, 52), (5.1234567891, 52.1)], [(6, 53), (6.9876543219, 53.5)]]),
    shapely.box(5.00000001, 52.00000001, 5.123456789, 52.987654321).difference(shapely.box(5.01, 52.01, 5.02, 52.02)),
    shapely.MultiPolygon([shapely.box(5, 52, 5.11111111111, 52.1), shapely.box(6, 53, 6.1, 53.19999999999)]),
    shapely.Polygon([(5, 52, 1.23456789), (5.1, 52, 2), (5.1, 52.1, 3), (5, 52, 1.23456789)]),
]


def _one_by_one(geoms, decimals):
    """The path of a single item and a small page: every geometry written on its own."""
    return [t for g in geoms for t in geometry_json.geometry_texts(np.array([g], dtype=object), decimals)]


WRITERS = {"batched": geometry_json.batched_texts, "one by one": _one_by_one}


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("decimals", [7, 3, 2, 0])
def test_every_geometry_type_is_written_rounded_and_parses_back_to_the_source(decimals, writer):
    texts = WRITERS[writer](np.array(GEOMETRIES + [None], dtype=object), decimals)
    assert texts[-1] is None
    for source, text in zip(GEOMETRIES, texts):
        parsed = json.loads(text)  # the standard library, not orjson
        assert parsed["type"] == source.geom_type
        assert max(_decimals_in(text.decode())) <= decimals
        # each coordinate within half a unit of the last decimal (diagonal for x, y and z together)
        assert shapely.equals_exact(shape(parsed), source, tolerance=0.5 * 10.0 ** -decimals * 3 ** 0.5 * 1.000001)


@pytest.mark.parametrize("writer", WRITERS)
def test_singles_among_multis_keep_their_type_and_empty_ones_their_form(writer):
    geoms = [shapely.box(0, 0, 1, 1), shapely.MultiPolygon([shapely.box(2, 2, 3, 3)]), shapely.Polygon(),
             shapely.Point(1, 2), shapely.MultiPoint([(3, 4)]), shapely.GeometryCollection([shapely.Point(1, 1)])]
    parsed = [json.loads(t) for t in WRITERS[writer](np.array(geoms, dtype=object), 7)]
    assert [p["type"] for p in parsed] == [g.geom_type for g in geoms]
    assert parsed[2] == {"type": "Polygon", "coordinates": []}
    assert parsed[3]["coordinates"] == [1.0, 2.0] and parsed[4]["coordinates"] == [[3.0, 4.0]]
    assert shape(parsed[5]).equals(geoms[5])


def test_decimals_per_crs_and_a_bad_setting_named():
    assert [geometry_json.decimals_for(uri) for uri in DECIMALS] == list(DECIMALS.values())
    assert geometry_json.decimals_for("http://www.opengis.net/def/crs/EPSG/0/4258") == 7  # degrees
    assert geometry_json.decimals_for("http://www.opengis.net/def/crs/EPSG/0/3035") == 3  # metres
    assert geometry_json.parse_decimals("EPSG:28992=2, ogc:crs84=6")["OGC:CRS84"] == 6
    for bad in ("EPSG:28992", "RD=3", "EPSG:28992=x", "EPSG:4326=16"):
        with pytest.raises(ValueError, match="GEO_COORDINATE_DECIMALS: .* e.g."):
            geometry_json.parse_decimals(bad)


# --- GeoPackage server -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
@pytest.mark.parametrize("crs", sorted(DECIMALS))
def test_served_coordinates_have_the_crs_decimals_and_are_the_source_rounded(server, store, collection, crs):
    r = _items(server, collection, crs=crs, limit=40)
    assert max(_decimals_in(r.text)) <= DECIMALS[crs]
    assert sum(d == DECIMALS[crs] for d in _decimals_in(r.text)) > 0  # rounded, not truncated further
    source = _source(store, collection, crs)
    tolerance = 0.5 * 10.0 ** -DECIMALS[crs] * 2 ** 0.5 * 1.0001  # each of x and y within half a unit
    features = r.json()["features"]
    assert len(features) >= min(40, len(source))
    for feature in features:
        expected = source[str(feature["id"])]
        assert shapely.equals_exact(shape(feature["geometry"]), expected, tolerance=tolerance), feature["id"]


def test_single_item_is_rounded_too(server, store):
    identifier = _items(server, "natura2000_gebied", limit=1).json()["features"][0]["id"]
    r = requests.get(f"{server}/collections/natura2000_gebied/items/{identifier}", params={"f": "json"}, timeout=60)
    assert r.status_code == 200 and max(_decimals_in(r.text)) <= 7
    expected = _source(store, "natura2000_gebied", CRS84)[str(identifier)]
    assert shapely.equals_exact(shape(r.json()["geometry"]), expected, tolerance=0.5e-7 * 2 ** 0.5 * 1.0001)


def test_skip_geometry_and_properties(server):
    bare = _items(server, "pand", limit=5, skipGeometry="true").json()["features"]
    assert len(bare) == 5 and all(f["geometry"] is None for f in bare)
    some = _items(server, "pand", limit=5, properties="bouwjaar").json()["features"]
    assert all(set(f["properties"]) == {"bouwjaar"} and f["geometry"]["type"] == "Polygon" for f in some)


def test_default_json_answer_is_the_same_with_accept_geojson(server):
    url = f"{server}/collections/natura2000_gebied/items?limit=3"
    by_f = requests.get(url + "&f=json", timeout=60).json()
    by_accept = requests.get(url, headers={"Accept": "application/geo+json"}, timeout=60).json()
    assert [f["geometry"] for f in by_f["features"]] == [f["geometry"] for f in by_accept["features"]]


def test_html_jsonld_and_csv_still_answer(server):
    ours = _items(server, "natura2000_gebied", limit=3).json()["features"]
    html = requests.get(f"{server}/collections/natura2000_gebied/items", params={"f": "html", "limit": 3}, timeout=60)
    assert html.status_code == 200 and html.headers["Content-Type"].startswith("text/html")
    first = ours[0]["geometry"]["coordinates"][0][0]
    first = first[0] if isinstance(first[0], list) else first  # MultiPolygon: the first ring's first point
    assert json.dumps(first[0]) in html.text  # the map's GeoJSON, rounded like the JSON answer
    item = requests.get(f"{server}/collections/natura2000_gebied/items/{ours[0]['id']}", params={"f": "html"},
                        timeout=60)
    assert item.status_code == 200 and json.dumps(first[0]) in item.text
    ld = requests.get(f"{server}/collections/natura2000_gebied/items", params={"f": "jsonld", "limit": 3}, timeout=60)
    assert ld.status_code == 200 and len(json.loads(ld.text)) > 0
    table = requests.get(f"{server}/collections/natura2000_gebied/items", params={"f": "csv", "limit": 3}, timeout=60)
    assert table.status_code == 200
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [row["nr"] for row in rows] == [str(f["id"]) for f in ours]  # pygeoapi's CSV: properties, no geometry


# --- PostGIS server, and the two backends side by side ----------------------------------------------------------

@pytest.mark.parametrize("crs", sorted(DECIMALS))
def test_postgis_answers_what_the_geopackage_answers(server, pg_server, crs):
    for collection in sorted(COLLECTIONS):
        ours = _items(server, collection, crs=crs, limit=25)
        theirs = _items(pg_server, collection, crs=crs, limit=25)
        assert max(_decimals_in(theirs.text)) <= DECIMALS[crs]
        by_id = {f["id"]: f["geometry"] for f in theirs.json()["features"]}
        assert {f["id"]: f["geometry"] for f in ours.json()["features"]} == by_id
        assert COORDINATES.findall(ours.text) == COORDINATES.findall(theirs.text)  # the same text
    identifier = next(iter(by_id))
    single = [requests.get(f"{url}/collections/{collection}/items/{identifier}", params={"crs": crs, "f": "json"},
                           timeout=60) for url in (server, pg_server)]
    assert COORDINATES.findall(single[0].text) == COORDINATES.findall(single[1].text)


def test_postgis_skip_geometry_and_a_filter_through_the_parent_are_rounded(pg_server):
    bare = _items(pg_server, "pand", limit=5, skipGeometry="true").json()["features"]
    assert all(f["geometry"] is None for f in bare)
    filtered = _items(pg_server, "pand", limit=20, filter="bouwjaar < 1900")  # pygeoapi's own provider code
    assert filtered.json()["features"] and max(_decimals_in(filtered.text)) <= 7
