"""geo.serve.postgis_provider.PostGISProvider: the same answers as pygeoapi's PostgreSQL provider, from fewer
statements.

In a throwaway cluster (geo.store.testing_pg) with the Schagen layers built into it: the provider against its parent
on the same provider definitions (the same GeoJSON, ours with coordinates rounded to the output CRS's decimals:
within half a unit of the last decimal of the parent's doubles), which requests take the fast path, and `geo serve`
on the committed PostGIS config over HTTP (single item, bbox, paging, properties, crs, CQL2, 404).
"""

import io
import json
import os

import pytest
import requests
import shapely
from shapely.geometry import box, shape

from omgevingsgeo.registry import build_registry

from helpers.paths import ROOT
from helpers.postgis import pg_sql

REGISTRY = build_registry()

pytest.importorskip("geoalchemy2", reason="pip install -e .[postgis]")
pytest.importorskip("psycopg2", reason="pip install -e .[postgis]")

# the parity tests call pygeoapi's own provider, which uses the deprecated shapely.ops.transform
pytestmark = pytest.mark.filterwarnings("ignore:The 'shapely.ops.transform:DeprecationWarning")

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
PAND = 24018  # buildings in the seeded sample BAG of Schagen


@pytest.fixture(scope="module")
def provider_defs(pg_store, pg_url, pg_rasters) -> dict:
    """The provider definitions of the committed PostGIS config, with this cluster's connection settings."""
    from pygeoapi.util import yaml_load

    from geo.serve.postgis_config import connection_env

    env = {**connection_env(pg_url), "GEO_RASTERS": str(pg_rasters), "GEO_SERVER_URL": "http://127.0.0.1:1",
           "GEO_STORE": pg_url, "GEO_CATALOGUE": str(pg_rasters / "catalogus.json")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        config = yaml_load(io.StringIO((ROOT / "pygeoapi-config-postgis.yml").read_text()))
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    return {name: p for name, r in config["resources"].items() for p in r.get("providers", [])
            if p.get("type") == "feature"}


def _providers(provider_defs, name):
    from pygeoapi.provider.sql import PostgreSQLProvider

    from geo.serve.postgis_provider import PostGISProvider

    return PostgreSQLProvider(provider_defs[name]), PostGISProvider(provider_defs[name])


def _spec(provider_def, crs=None):
    from pygeoapi.crs import create_crs_transform_spec

    return create_crs_transform_spec(provider_def, crs)


DECIMALS = {None: 7, RD: 3, WGS84: 7}  # CRS84 is the default output


def _same(parent: dict, ours: dict, decimals: int = 7) -> None:
    """The same answer, except that our coordinates are the parent's rounded to ``decimals``."""
    _close(json.loads(json.dumps(parent, default=str)), json.loads(json.dumps(ours, default=str)),
           0.5 * 10.0 ** -decimals * (1 + 1e-6), decimals)


def _close(expected, found, tolerance: float, decimals: int, in_coordinates: bool = False) -> None:
    if isinstance(expected, dict):
        assert isinstance(found, dict) and list(expected) == list(found), (expected, found)
        for key in expected:
            _close(expected[key], found[key], tolerance, decimals, in_coordinates or key == "coordinates")
    elif isinstance(expected, list):
        assert isinstance(found, list) and len(expected) == len(found), (expected, found)
        for a, b in zip(expected, found):
            _close(a, b, tolerance, decimals, in_coordinates)
    elif in_coordinates:
        assert abs(expected - found) <= tolerance * max(1.0, abs(expected) * 1e-9), (expected, found)
        assert len(repr(float(found)).split(".")[1]) <= max(decimals, 1), found
    else:
        assert expected == found


def test_committed_config_serves_every_vector_layer_with_our_provider(provider_defs):
    vectors = {n for n, m in REGISTRY.layers.items() if not m.is_raster}
    assert vectors <= set(provider_defs)
    assert {provider_defs[n]["name"] for n in vectors} == {"geo.serve.postgis_provider.PostGISProvider"}


@pytest.mark.parametrize("name", ["pand", "wnb_besluit", "stikstofbron"])
@pytest.mark.parametrize("crs", [None, RD, WGS84])
def test_same_answers_as_pygeoapis_postgresql_provider(provider_defs, pg_store, name, crs):
    parent, fast = _providers(provider_defs, name)
    spec = _spec(provider_defs[name], crs)
    ids = sorted(str(f["id"]) for f in parent.query(limit=100000, skip_geometry=True)["features"])
    xmin, ymin, xmax, ymax = map(float, pg_store.read(name).total_bounds)
    quarter = [xmin, ymin, (xmin + xmax) / 2, (ymin + ymax) / 2]
    some = provider_defs[name]["properties"]
    for identifier in (ids[0], ids[len(ids) // 2], ids[-1]):  # first and last: prev/next fall back to the id
        _same(parent.get(identifier, crs_transform_spec=spec), fast.get(identifier, crs_transform_spec=spec),
              DECIMALS[crs])
    for kwargs in ({}, {"limit": 100, "bbox": quarter}, {"limit": 7, "offset": len(ids) - 3},
                   {"limit": 7, "offset": len(ids) + 5}, {"limit": 10, "bbox": [0, 0, 1, 1]},
                   {"limit": 10, "select_properties": [some[-1], some[0]]},
                   {"limit": 10, "select_properties": [some[0]], "skip_geometry": True}):
        _same(parent.query(crs_transform_spec=spec, **kwargs), fast.query(crs_transform_spec=spec, **kwargs),
              DECIMALS[crs])


def test_bbox_matches_st_intersects_exactly_at_every_scale(provider_defs, pg_store):
    """The bbox shortcut (bounding box inside a shrunk envelope) must not add or drop a building at the edges."""
    import random

    _, fast = _providers(provider_defs, "pand")
    centres = pg_sql(pg_store, "SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) "
                             "FROM geo_public.pand ORDER BY identificatie")
    rng = random.Random(7)
    for half in (0.01, 0.5, 3, 40, 300, 2500):
        x, y = centres[rng.randrange(len(centres))]
        bbox = [x - half, y - half * 0.7, x + half, y + half * 0.7]
        expected = [r[0] for r in pg_sql(pg_store, "SELECT identificatie FROM geo_public.pand WHERE ST_Intersects("
                                                 "ST_MakeEnvelope(:a, :b, :c, :d, 28992), geom) ORDER BY 1",
                                       a=bbox[0], b=bbox[1], c=bbox[2], d=bbox[3])]
        answer = fast.query(bbox=bbox, limit=10000, skip_geometry=True)
        assert [f["id"] for f in answer["features"]] == expected and answer["numberMatched"] == len(expected), half


def test_hot_paths_skip_the_parent_and_the_rest_goes_through_it(provider_defs, monkeypatch):
    from pygeoapi.provider.sql import PostgreSQLProvider

    parent, fast = _providers(provider_defs, "pand")
    spec = _spec(provider_defs["pand"])
    cql = "bouwjaar < 1900"
    expected = parent.query(limit=50, filterq=_cql(cql), crs_transform_spec=spec)
    calls = []
    real_query = PostgreSQLProvider.query
    monkeypatch.setattr(PostgreSQLProvider, "get", lambda *a, **k: pytest.fail("get went to the parent"))
    monkeypatch.setattr(PostgreSQLProvider, "query", lambda self, **k: calls.append(k) or real_query(self, **k))
    fast.get(expected["features"][0]["id"], crs_transform_spec=spec)
    fast.query(limit=10, offset=20, bbox=[110000, 530000, 120000, 540000], select_properties=["bouwjaar"],
               crs_transform_spec=spec)
    assert calls == []
    answer = fast.query(limit=50, filterq=_cql(cql), crs_transform_spec=spec)
    assert len(calls) == 1
    _same(expected, answer)  # the parent's answer, its coordinates rounded to 7 decimals (CRS84)
    assert expected["numberMatched"] > 50 and all(f["properties"]["bouwjaar"] < 1900 for f in answer["features"])


def _cql(text: str):
    from pygeofilter.parsers.cql2_text import parse

    return parse(text)


def test_unknown_or_mistyped_id_is_not_found(provider_defs, pg_store, pg_url):
    """A text id against an integer key is an SQL error in PostgreSQL: the parent answers not found, so do we.
    Missing, empty and 3D geometries come out as the parent gives them."""
    from pygeoapi.provider.base import ProviderItemNotFoundError
    from pygeoapi.provider.sql import PostgreSQLProvider

    from geo.serve.postgis_provider import PostGISProvider

    pg_sql(pg_store, "CREATE SCHEMA IF NOT EXISTS provider_test")
    pg_sql(pg_store, "CREATE TABLE IF NOT EXISTS provider_test.punt (nr integer PRIMARY KEY, naam text, "
                   "geom geometry(Point, 28992))")
    pg_sql(pg_store, "INSERT INTO provider_test.punt VALUES (1, 'a', ST_SetSRID(ST_MakePoint(115000, 535000), 28992)), "
                   "(2, 'b', NULL), (3, 'c', 'SRID=28992;POINT EMPTY') ON CONFLICT DO NOTHING")
    punt = {**provider_defs["pand"], "table": "punt", "id_field": "nr", "title_field": "naam", "properties": ["naam"],
            "data": {**provider_defs["pand"]["data"], "search_path": ["provider_test"]}}
    pg_sql(pg_store, "CREATE TABLE IF NOT EXISTS provider_test.hoogte (nr integer PRIMARY KEY, naam text, "
                   "geom geometry)")  # no typmod: 2D and 3D rows
    pg_sql(pg_store, "INSERT INTO provider_test.hoogte VALUES (1, 'z', 'SRID=28992;POINT Z (115000 535000 2.5)'), "
                   "(2, 'xy', 'SRID=28992;LINESTRING (115000 535000, 115100 535100)') ON CONFLICT DO NOTHING")
    hoogte = {**punt, "table": "hoogte"}
    assert PostGISProvider(hoogte).get("1", crs_transform_spec=_spec(hoogte))["geometry"]["coordinates"][2] == 2.5
    provider, parent = PostGISProvider(punt), PostgreSQLProvider(punt)
    for crs in (None, RD):  # a missing and an empty geometry, transformed or not, as the parent gives them
        spec = _spec(punt, crs)
        _same(parent.query(crs_transform_spec=spec), provider.query(crs_transform_spec=spec), DECIMALS[crs])
        _same(PostgreSQLProvider(hoogte).query(crs_transform_spec=spec),
              PostGISProvider(hoogte).query(crs_transform_spec=spec), DECIMALS[crs])
        for identifier in ("1", "2", "3"):
            _same(parent.get(identifier, crs_transform_spec=spec), provider.get(identifier, crs_transform_spec=spec),
                  DECIMALS[crs])
    for missing in ("abc", "4", "0441100000000001"):
        with pytest.raises(ProviderItemNotFoundError):
            provider.get(missing)
    assert provider.get("2") == {"type": "Feature", "properties": {"naam": "b"}, "id": 2, "geometry": None,
                                 "prev": 1, "next": 3}
    assert provider.get("1", crs_transform_spec=_spec(punt, RD))["geometry"] == {"type": "Point",
                                                                                  "coordinates": [115000.0, 535000.0]}


def _get(url: str, **params) -> requests.Response:
    return requests.get(url, params={"f": "json", **params}, timeout=60)


def test_single_item(pg_server, pg_store, provider_defs):
    first, second, third = (r[0] for r in pg_sql(pg_store, "SELECT identificatie FROM geo_public.pand "
                                                         "ORDER BY identificatie LIMIT 3"))
    r = _get(f"{pg_server}/collections/pand/items/{second}")
    assert r.status_code == 200
    item = r.json()
    assert item["id"] == second and item["geometry"]["type"] == "Polygon"
    assert set(item["properties"]) == set(provider_defs["pand"]["properties"])  # the public fields
    links = {link["rel"]: link["href"] for link in item["links"]}
    assert f"/items/{first}?" in links["prev"] and f"/items/{third}?" in links["next"]
    lon, lat = item["geometry"]["coordinates"][0][0]
    assert 4.5 < lon < 5.2 and 52.6 < lat < 53.0  # CRS84 by default: longitude first, in Schagen


def test_bbox_returns_the_intersecting_buildings(pg_server, pg_store):
    x, y = pg_sql(pg_store, "SELECT ST_X(ST_Centroid(geom)), ST_Y(ST_Centroid(geom)) FROM geo_public.pand "
                          "ORDER BY identificatie OFFSET 12000 LIMIT 1")[0]
    rd = (x - 100, y - 100, x + 100, y + 100)
    expected = sorted(r[0] for r in pg_sql(pg_store, "SELECT identificatie FROM geo_public.pand WHERE ST_Intersects("
                                                   "ST_MakeEnvelope(:a, :b, :c, :d, 28992), geom)",
                                         a=rd[0], b=rd[1], c=rd[2], d=rd[3]))
    body = _get(f"{pg_server}/collections/pand/items", bbox=",".join(map(str, rd)), **{"bbox-crs": RD},
                limit=1000, crs=RD).json()
    assert 0 < len(expected) < 1000
    assert [f["id"] for f in body["features"]] == expected
    assert body["numberMatched"] == body["numberReturned"] == len(expected)
    assert all(shape(f["geometry"]).intersects(box(*rd)) for f in body["features"])


def test_paging_next_links_and_number_matched(pg_server, pg_store):
    ids = [r[0] for r in pg_sql(pg_store, "SELECT identificatie FROM geo_public.pand ORDER BY identificatie")]
    first = _get(f"{pg_server}/collections/pand/items", limit=100).json()
    following = requests.get(next(link["href"] for link in first["links"] if link["rel"] == "next"), timeout=60).json()
    assert [f["id"] for f in first["features"] + following["features"]] == ids[:200]
    assert first["numberMatched"] == following["numberMatched"] == len(ids) == PAND
    last = _get(f"{pg_server}/collections/pand/items", limit=100, offset=PAND - 18).json()
    assert (last["numberReturned"], last["numberMatched"]) == (18, PAND)
    assert [f["id"] for f in last["features"]] == ids[-18:]
    assert not [link for link in last["links"] if link["rel"] == "next"]
    beyond = _get(f"{pg_server}/collections/pand/items", limit=100, offset=PAND + 10).json()
    assert (beyond["numberReturned"], beyond["numberMatched"]) == (0, PAND)


def test_properties_and_skip_geometry(pg_server):
    body = _get(f"{pg_server}/collections/pand/items", limit=20, properties="bouwjaar,status",
                skipGeometry="true").json()
    assert len(body["features"]) == 20
    assert all(set(f["properties"]) == {"bouwjaar", "status"} and f["geometry"] is None for f in body["features"])


def test_rd_new_output_is_the_stored_geometry_to_the_millimetre(pg_server, pg_store):
    identifier, wkb = pg_sql(pg_store, "SELECT identificatie, ST_AsBinary(geom) FROM geo_public.pand "
                                     "ORDER BY identificatie OFFSET 500 LIMIT 1")[0]
    r = _get(f"{pg_server}/collections/pand/items/{identifier}", crs=RD)
    assert r.status_code == 200 and r.headers["Content-Crs"] == f"<{RD}>"
    assert shapely.equals_exact(shape(r.json()["geometry"]), shapely.from_wkb(bytes(wkb)), tolerance=0.0005)
    page = _get(f"{pg_server}/collections/pand/items", crs=RD, limit=1, offset=500).json()
    assert page["features"][0]["id"] == identifier
    assert page["features"][0]["geometry"] == r.json()["geometry"]


def test_cql2_filter_through_the_parent(pg_server, pg_store):
    expected = pg_sql(pg_store, "SELECT count(*) FROM geo_public.pand WHERE bouwjaar < 1900 AND status = :s",
                    s="Pand in gebruik")[0][0]
    body = _get(f"{pg_server}/collections/pand/items", limit=1000, **{"filter-lang": "cql2-text"},
                filter="bouwjaar < 1900 AND status = 'Pand in gebruik'").json()
    assert 0 < expected == body["numberMatched"]
    assert all(f["properties"]["bouwjaar"] < 1900 and f["properties"]["status"] == "Pand in gebruik"
               for f in body["features"])


def test_unknown_id_answers_404(pg_server):
    r = _get(f"{pg_server}/collections/pand/items/0441109999999999")
    assert r.status_code == 404
    assert _get(f"{pg_server}/collections/wnb_besluit/items/geen-zaak").status_code == 404



def test_parent_paths_reuse_one_transform_per_crs_pair(provider_defs):
    """A CQL2 request goes through pygeoapi's own code; it must not rebuild the CRS transform each time."""
    from geo.serve.pygeoapi_patches import _transform_function

    _, fast = _providers(provider_defs, "pand")
    spec = _spec(provider_defs["pand"])
    first = fast.query(limit=5, filterq=_cql("bouwjaar < 1900"), crs_transform_spec=spec)
    hits = _transform_function.cache_info().hits
    again = fast.query(limit=5, filterq=_cql("bouwjaar < 1900"), crs_transform_spec=spec)
    assert _transform_function.cache_info().hits == hits + 1
    assert first["features"] == again["features"] and first["features"]


@pytest.fixture(scope="module")
def count_store(pg_url):
    """A database of its own in the session's cluster (publishing here leaves the Schagen store alone)."""
    from geo.store import testing_pg
    from geo.store.postgis import PostGISStore

    testing_pg.psql(pg_url.replace("///geo?", "///postgres?"), "CREATE DATABASE provider_count")
    url = pg_url.replace("///geo?", "///provider_count?")
    testing_pg.psql(url, "CREATE EXTENSION postgis")
    return PostGISStore(url)


def _publish_points(store, n: int) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"nr": [f"p{i:05d}" for i in range(n)], "naam": ["x"] * n},
                           geometry=[Point(110000 + i, 530000) for i in range(n)], crs=28992)
    meta = {"title": "telling", "gemeente": "GM0441", "public_fields": ["naam"], "key": "nr", "quarantined": 0,
            "repaired": 0}
    store.publish({"telling": gdf}, {"telling": meta}, [],
                  pd.DataFrame(columns=["layer", "source", "reason", "record", "wkt"]))


def test_number_matched_of_a_whole_table_is_counted_once_per_publish(provider_defs, count_store):
    """An unfiltered full page needs the table's count; at national size count(*) takes a second, so it is kept
    until the next publish, and after one (here with more rows) numberMatched is the new exact count."""
    from sqlalchemy import event

    from geo.serve.postgis_provider import PostGISProvider

    telling = {**provider_defs["pand"], "table": "telling", "id_field": "nr", "title_field": "naam",
               "properties": ["naam"], "data": {**provider_defs["pand"]["data"], "dbname": "provider_count"}}
    _publish_points(count_store, 150)
    provider = PostGISProvider(telling)
    counts = []
    listen = lambda conn, cursor, sql, *a: counts.append(sql) if "count(*)" in sql else None  # noqa: E731
    event.listen(provider._reader, "before_cursor_execute", listen)
    try:
        matched = [provider.query(limit=100, offset=o)["numberMatched"] for o in (0, 10, 20)]
        assert matched == [150, 150, 150] and len(counts) == 1  # the first full page counts, the next ones not
        assert provider.query(limit=100, bbox=[109990, 529990, 110120, 530010])["numberMatched"] == 121
        _publish_points(count_store, 230)
        oracle = pg_sql(count_store, "SELECT count(*) FROM geo_public.telling")[0][0]
        assert oracle == 230 and provider.query(limit=100, offset=5)["numberMatched"] == 230
    finally:
        event.remove(provider._reader, "before_cursor_execute", listen)
