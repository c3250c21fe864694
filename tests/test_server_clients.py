"""Real clients against a live server: OWSLib, GDAL through pyogrio (OAPIF), ogrinfo, plain HTTP."""

import shutil
import subprocess

import geopandas as gpd
import pyogrio
import pytest
import requests
import shapely
from owslib.ogcapi.features import Features

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
COLLECTIONS = ["gemeentegebied", "pand", "verblijfsobject", "natura2000_gebied", "stikstofbron", "wnb_besluit",
               "bodemverontreiniging", "omgevingsplan_functie"]


def stored(store, name) -> gpd.GeoDataFrame:
    return gpd.read_file(store, layer=name, engine="pyogrio")


@pytest.mark.parametrize("path", ["", "/collections"] + [f"/collections/{c}/items" for c in COLLECTIONS])
def test_pages_answer_in_json_and_html(server, path):
    as_json = requests.get(f"{server}{path}", params={"f": "json"}, timeout=30)
    assert as_json.status_code == 200
    assert as_json.json()
    as_html = requests.get(f"{server}{path}", params={"f": "html"}, timeout=30)
    assert as_html.status_code == 200
    assert as_html.headers["Content-Type"].startswith("text/html")
    assert "<html" in as_html.text.lower()


def test_owslib_lists_collections_and_pages_through_every_item(server, store):
    api = Features(server)
    ids = {c["id"] for c in api.collections()["collections"]}
    assert set(COLLECTIONS) <= ids
    for name in ("gemeentegebied", "natura2000_gebied", "verblijfsobject"):
        seen, offset = [], 0
        while True:
            page = api.collection_items(name, limit=5000, offset=offset)
            seen += [f["id"] for f in page["features"]]
            if page["numberReturned"] < 5000:
                break
            offset += 5000
        assert len(seen) == len(set(seen)) == len(stored(store, name))
        assert page["numberMatched"] == len(seen)


@pytest.mark.parametrize("name", COLLECTIONS)
def test_gdal_oapif_reads_as_many_features_as_the_store(server, store, name):
    gdf = pyogrio.read_dataframe(f"OAPIF:{server}", layer=name)
    assert len(gdf) == len(stored(store, name))


def test_gdal_oapif_in_rd_gives_stored_coordinates_to_the_centimetre(server, store):
    ours = pyogrio.read_dataframe(f"OAPIF:{server}", layer="natura2000_gebied", CRS=RD)
    assert ours.crs.to_epsg() == 28992
    truth = stored(store, "natura2000_gebied").set_index("nr")
    for _, row in ours.iterrows():
        assert shapely.equals_exact(row.geometry, truth.loc[row["nr"]].geometry, tolerance=0.01)


def test_items_in_rd_have_stored_coordinates(server, store):
    truth = stored(store, "pand").set_index("identificatie")
    r = requests.get(f"{server}/collections/pand/items", params={"crs": RD, "limit": 50, "offset": 1000}, timeout=30)
    assert r.headers["Content-Crs"] == f"<{RD}>"
    for f in r.json()["features"]:
        assert shapely.equals_exact(shapely.geometry.shape(f["geometry"]), truth.loc[f["id"]].geometry,
                                    tolerance=0.01)


def test_single_item_in_rd_and_crs84(server, store):
    first = stored(store, "verblijfsobject").iloc[0]
    rd = requests.get(f"{server}/collections/verblijfsobject/items/{first.identificatie}", params={"crs": RD}).json()
    assert shapely.geometry.shape(rd["geometry"]).distance(first.geometry) < 0.01
    wgs = requests.get(f"{server}/collections/verblijfsobject/items/{first.identificatie}").json()
    lon, lat = wgs["geometry"]["coordinates"]
    assert 4.5 < lon < 5.1 and 52.6 < lat < 53.0  # CRS84 is longitude first


def test_storage_crs_is_advertised(server):
    c = requests.get(f"{server}/collections/pand", params={"f": "json"}).json()
    assert c["storageCrs"] == RD
    assert RD in c["crs"]


@pytest.mark.parametrize("bbox", [(114000, 533000, 115000, 534000), (113950.5, 533210.25, 114020.75, 533290.0)])
def test_bbox_returns_exactly_the_intersecting_features(server, store, bbox):
    truth = stored(store, "pand")
    expected = set(truth[truth.intersects(shapely.box(*bbox))]["identificatie"])
    r = requests.get(f"{server}/collections/pand/items",
                     params={"bbox": ",".join(map(str, bbox)), "bbox-crs": RD, "limit": 10000}, timeout=30).json()
    assert {f["id"] for f in r["features"]} == expected
    assert r["numberMatched"] == len(expected)


def test_following_next_links_visits_every_feature_once(server, store):
    url, seen = f"{server}/collections/verblijfsobject/items?limit=2500&skipGeometry=true&f=json", []
    while url:
        page = requests.get(url, timeout=30).json()
        seen += [f["id"] for f in page["features"]]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    assert len(seen) == len(set(seen)) == len(stored(store, "verblijfsobject"))


def test_property_filter_sortby_and_properties(server, store):
    r = requests.get(f"{server}/collections/verblijfsobject/items",
                     params={"gebruiksdoel": "onderwijsfunctie", "sortby": "-oppervlakte",
                             "properties": "identificatie,oppervlakte", "limit": 1000}).json()
    truth = stored(store, "verblijfsobject")
    assert r["numberMatched"] == int((truth.gebruiksdoel == "onderwijsfunctie").sum())
    areas = [f["properties"]["oppervlakte"] for f in r["features"]]
    assert areas == sorted(areas, reverse=True)
    assert set(r["features"][0]["properties"]) == {"identificatie", "oppervlakte"}


def test_cql2_filter(server, store):
    r = requests.get(f"{server}/collections/pand/items",
                     params={"filter": "bouwjaar < 1900 AND status = 'Pand in gebruik'", "limit": 1}).json()
    truth = stored(store, "pand")
    assert r["numberMatched"] == int(((truth.bouwjaar < 1900) & (truth.status == "Pand in gebruik")).sum())


def test_queryables_list_public_fields(server):
    q = requests.get(f"{server}/collections/pand/queryables", params={"f": "json"}).json()
    assert {"identificatie", "bouwjaar", "status"} <= set(q["properties"])


@pytest.mark.parametrize("params", [
    {"bbox": "1,2,3"}, {"bbox": "a,b,c,d"}, {"onbekend": "x"}, {"properties": "onbekend"},
    {"sortby": "onbekend"}, {"limit": "-1"}, {"crs": "http://www.opengis.net/def/crs/EPSG/0/1234"},
    {"filter": "bouwjaar <<< 3"}, {"filter": "onbekend = 3"}, {"bouwjaar": "negentien"}, {"offset": "x"},
])
def test_bad_requests_answer_400_with_a_message(server, params):
    r = requests.get(f"{server}/collections/pand/items", params={**params, "f": "json"}, timeout=30)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["description"] and "Traceback" not in r.text and "/work" not in r.text


def test_unknown_item_is_404(server):
    assert requests.get(f"{server}/collections/pand/items/0000000000000000?f=json").status_code == 404


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin not installed")
def test_ogrinfo_reads_the_collections(server, store):
    out = subprocess.run(["ogrinfo", "-ro", "-so", f"OAPIF:{server}", "natura2000_gebied"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert f"Feature Count: {len(stored(store, 'natura2000_gebied'))}" in out
