"""Issue 14: exact answers for clients we did not write (requests, GDAL's OAPIF driver) against `geo serve`.

Limits are clamped, /conformance says what is supported, items are GeoJSON with honest paging links, every
collection declares the extent of its data, the coverage is not a feature collection, and writes or a POST
without a body are 4xx, never 500.
"""

import re
import shutil
import subprocess

import geopandas as gpd
import pytest
import requests

FEATURES_3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
PART_4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"
needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin not installed")


def items(server, cid, **params):
    return requests.get(f"{server}/collections/{cid}/items", params=params, timeout=60)


def links(body: dict, rel: str) -> list[str]:
    return [link["href"] for link in body["links"] if link["rel"] == rel]


def stored_crs84(store, name: str) -> gpd.GeoDataFrame:
    """The oracle: the layer as GDAL reads it from the store, reprojected by geopandas."""
    return gpd.read_file(store, layer=name, engine="pyogrio").to_crs("OGC:CRS84")


# --- limits ---------------------------------------------------------------------------------------

def test_limit_above_the_maximum_is_clamped_not_refused(server, store):
    r = items(server, "verblijfsobject", limit=10_001, skipGeometry="true", f="json")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["numberReturned"] == 10_000 < body["numberMatched"] == len(stored_crs84(store, "verblijfsobject"))
    assert links(body, "next"), "a clamped page still leads to the rest"


# --- conformance and writes -----------------------------------------------------------------------

def test_conformance_lists_filtering_and_no_writes(server):
    classes = requests.get(f"{server}/conformance", params={"f": "json"}, timeout=30).json()["conformsTo"]
    assert {FEATURES_3 + "filter", FEATURES_3 + "features-filter"} <= set(classes)
    assert PART_4 not in classes


@pytest.mark.parametrize("method, path, headers", [
    ("PUT", "/collections/pand/items/0441100000000001", {"Content-Type": "application/geo+json"}),
    ("DELETE", "/collections/pand/items/0441100000000001", {}),
    ("PATCH", "/collections/pand/items/0441100000000001", {"Content-Type": "application/json"}),
    ("POST", "/collections/pand/items", {"Content-Type": "application/geo+json"}),
])
def test_writes_answer_405_with_allow(server, method, path, headers):
    body = '{"type": "Feature", "geometry": null, "properties": {}}'
    r = requests.request(method, server + path, data=body, headers=headers, timeout=30)
    assert r.status_code == 405, r.text
    assert {"GET", "HEAD"} <= {m.strip() for m in r.headers["Allow"].split(",")}
    assert method == "POST" or method not in r.headers["Allow"]  # POST on /items is a CQL2 JSON query


@pytest.mark.parametrize("headers", [{}, {"Content-Type": "application/query-cql-json"}])
def test_post_items_without_a_body_is_400_naming_the_filter(server, headers):
    r = requests.post(f"{server}/collections/pand/items", headers=headers, timeout=30)
    assert r.status_code == 400, r.text
    assert "filter" in r.text and "Traceback" not in r.text


def test_cql2_json_post_still_filters(server, store):
    body = '{"op": "<", "args": [{"property": "bouwjaar"}, 1900]}'
    r = requests.post(f"{server}/collections/pand/items", data=body, params={"limit": 1},
                      headers={"Content-Type": "application/query-cql-json"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["numberMatched"] == int((stored_crs84(store, "pand").bouwjaar < 1900).sum())


# --- GeoJSON and paging links ---------------------------------------------------------------------

@pytest.mark.parametrize("params, headers", [
    ({"f": "json"}, {}), ({}, {"Accept": "application/geo+json"}), ({}, {}),
    ({}, {"Accept": "application/geo+json, application/json;q=0.9"}),
])
def test_items_are_served_as_geojson(server, params, headers):
    r = requests.get(f"{server}/collections/natura2000_gebied/items", params=params, headers=headers, timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0] == "application/geo+json"
    self_link = [link for link in r.json()["links"] if link["rel"] == "self"][0]
    assert self_link["type"] == "application/geo+json"


def test_a_later_page_links_to_itself_with_its_offset(server):
    body = items(server, "natura2000_gebied", limit=2, offset=2, f="json").json()
    for rel in ("self", "alternate"):
        for href in links(body, rel):
            assert re.search(r"[?&]offset=2(&|$)", href), href
    page_again = requests.get(links(body, "self")[0], timeout=30).json()
    assert [f["id"] for f in page_again["features"]] == [f["id"] for f in body["features"]]


@pytest.mark.parametrize("cid, limit", [("gemeentegebied", 1), ("natura2000_gebied", 5), ("natura2000_gebied", 2)])
def test_the_last_page_has_no_next_link(server, store, cid, limit):
    """Following ``next`` visits every feature once and ends exactly on the last page, also a full one."""
    url, seen, pages = f"{server}/collections/{cid}/items?f=json&limit={limit}", [], 0
    while url:
        body = requests.get(url, timeout=30).json()
        seen += [f["id"] for f in body["features"]]
        pages += 1
        url = (links(body, "next") or [None])[0]
        assert body["features"] or pages == 1, "a next link led to an empty page"
    expected = len(stored_crs84(store, cid))
    assert len(seen) == len(set(seen)) == expected
    assert pages == -(-expected // limit)


# --- extents from the data ------------------------------------------------------------------------

FEATURE_COLLECTIONS = ["gemeentegebied", "pand", "natura2000_gebied", "stikstofbron", "stikstof_hexagon",
                       "omgevingsplan_functie"]


@pytest.fixture(scope="module")
def collections(server) -> dict:
    body = requests.get(f"{server}/collections", params={"f": "json"}, timeout=60).json()
    return {c["id"]: c for c in body["collections"]}


@pytest.mark.parametrize("cid", FEATURE_COLLECTIONS)
def test_declared_extent_holds_the_data_and_no_more(collections, store, cid):
    declared = collections[cid]["extent"]["spatial"]["bbox"][0]
    minx, miny, maxx, maxy = stored_crs84(store, cid).total_bounds
    assert declared[0] <= minx and declared[1] <= miny and declared[2] >= maxx and declared[3] >= maxy, declared
    slack = 0.01  # degrees (< 1 km: an RD box is a little rotated in lon/lat): the data's box, not a municipality's
    assert minx - declared[0] < slack and miny - declared[1] < slack
    assert declared[2] - maxx < slack and declared[3] - maxy < slack


@needs_gdal
def test_gdal_zooms_to_the_hexagons_not_to_the_municipality(server, store):
    """GDAL's OAPIF layer extent is the declared one (what QGIS 'zoom to layer' uses)."""
    out = subprocess.run(["ogrinfo", "-ro", "-so", f"OAPIF:{server}", "stikstof_hexagon"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    extent = [float(v) for v in re.search(r"Extent: \(([^,]+), ([^)]+)\) - \(([^,]+), ([^)]+)\)", out).groups()]
    hexagons = stored_crs84(store, "stikstof_hexagon").total_bounds
    gemeente = stored_crs84(store, "gemeentegebied").total_bounds
    assert extent[1] <= hexagons[1] and extent[3] >= hexagons[3]
    assert extent[1] < gemeente[1] - 0.1, "most hexagons lie south of the municipality"


# --- the coverage is not a feature collection -----------------------------------------------------

@needs_gdal
def test_gdal_opens_the_service_without_error_and_without_the_coverage(server):
    run = subprocess.run(["ogrinfo", "-ro", "-so", f"OAPIF:{server}"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "ERROR" not in run.stderr + run.stdout, run.stderr
    layers = re.findall(r"^\d+: (\S+)", run.stdout, re.M)
    assert "pand" in layers and "stikstof_hexagon" in layers and "nh3_concentratie" not in layers


def test_the_coverage_has_no_items_but_keeps_its_coverage(server, collections):
    assert collections["nh3_concentratie"]["dataType"] == "coverage"
    assert "itemType" not in collections["nh3_concentratie"]
    r = items(server, "nh3_concentratie", f="json")
    assert r.status_code == 404 and "/coverage" in r.json()["description"]
    cov = requests.get(f"{server}/collections/nh3_concentratie/coverage", params={"f": "json"}, timeout=60)
    assert cov.status_code == 200


# --- the same answers on PostGIS ------------------------------------------------------------------

@pytest.mark.parametrize("datetime_", ["2024-01-01T00:00:00Z", "2020-01-01T00:00:00Z/..", "../2030-12-31T00:00:00Z"])
def test_postgis_datetime_on_a_collection_without_time_is_ignored_as_on_a_geopackage(pg_server, server, datetime_):
    on_pg = items(pg_server, "natura2000_gebied", datetime=datetime_, f="json")
    on_gpkg = items(server, "natura2000_gebied", datetime=datetime_, f="json")
    assert on_pg.status_code == on_gpkg.status_code == 200, on_pg.text
    assert on_pg.json()["numberMatched"] == on_gpkg.json()["numberMatched"] == 5


@pytest.mark.parametrize("filter_", ["nosuchproperty = 1", "bouwjaar < 1900 AND nosuchproperty = 'x'"])
def test_postgis_filter_on_an_unknown_property_is_400(pg_server, filter_):
    r = items(pg_server, "pand", filter=filter_, f="json")
    assert r.status_code == 400, r.text
    assert "nosuchproperty" in r.json()["description"] and "Traceback" not in r.text


def test_postgis_cql2_json_on_an_unknown_property_is_400(pg_server):
    r = requests.post(f"{pg_server}/collections/pand/items", data='{"op": "=", "args": [{"property": "nosuch"}, 1]}',
                      headers={"Content-Type": "application/query-cql-json"}, timeout=60)
    assert r.status_code == 400, r.text


def test_postgis_limit_is_clamped_and_pages_end_without_next(pg_server):
    body = items(pg_server, "verblijfsobject", limit=10_001, skipGeometry="true", f="json").json()
    assert body["numberReturned"] == 10_000
    last = items(pg_server, "natura2000_gebied", limit=5, f="json").json()
    assert last["numberReturned"] == 5 and not links(last, "next")


# --- no 5xx on what schemathesis found ------------------------------------------------------------

@pytest.mark.parametrize("path, body", [("/collections/pand/items", b"\xff[]Z\xe9"),
                                        ("/processes/gebiedsanalyse/execution", b"\xe9o\xff")])
def test_a_body_that_is_not_utf8_is_400(server, path, body):
    r = requests.post(server + path, data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400, r.text


@pytest.mark.parametrize("cid", ["catalogus", "pand"])
def test_empty_datetime_is_400(server, cid):
    r = items(server, cid, datetime="", f="json")
    assert r.status_code == 400 and "datetime" in r.json()["description"], r.text


# --- the OpenAPI document is self-contained -------------------------------------------------------

def openapi_30_schema() -> dict:
    """The OpenAPI 3.0 JSON Schema as pygeoapi ships it (the OpenAPI Initiative's)."""
    import json
    from pathlib import Path

    import pygeoapi

    return json.loads((Path(pygeoapi.__file__).parent / "resources/schemas/openapi/openapi-3.0.x.json").read_text())


def all_refs(node) -> list[str]:
    if isinstance(node, dict):
        return ([node["$ref"]] if isinstance(node.get("$ref"), str) else []) + \
            [r for v in node.values() for r in all_refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in all_refs(v)]
    return []


def resolve(doc: dict, ref: str):
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.mark.parametrize("path, params", [("/openapi", {"f": "json"}), ("/openapi.json", {})])
def test_openapi_document_resolves_without_network_and_is_valid(server, path, params):
    import jsonschema

    r = requests.get(server + path, params=params, timeout=60)
    assert r.status_code == 200 and "openapi" in r.headers["Content-Type"], r.headers
    doc = r.json()
    refs = set(all_refs(doc))
    assert refs and all(ref.startswith("#/") for ref in refs), sorted(r for r in refs if not r.startswith("#"))
    for ref in refs:
        resolve(doc, ref)  # KeyError when a reference points nowhere
    assert not list(jsonschema.Draft4Validator(openapi_30_schema()).iter_errors(doc))
    assert "Open Geospatial Consortium" in doc["info"]["description"]


def test_openapi_describes_conformance_collections_datetime_and_crs_defaults(server):
    doc = requests.get(f"{server}/openapi.json", timeout=60).json()
    conformance = resolve(doc, doc["paths"]["/conformance"]["get"]["responses"]["200"]["$ref"])
    collections = resolve(doc, doc["paths"]["/collections"]["get"]["responses"]["200"]["$ref"])
    landing = resolve(doc, doc["paths"]["/"]["get"]["responses"]["200"]["$ref"])
    assert conformance != landing and collections != landing
    assert "conformsTo" in str(conformance) or "confClasses" in str(conformance)
    get = doc["paths"]["/collections/pand/items"]["get"]
    params = [resolve(doc, p["$ref"]) if "$ref" in p else p for p in get["parameters"]]
    by_name = {p["name"]: p for p in params}
    assert by_name["datetime"]["in"] == "query" and by_name["datetime"]["schema"]["type"] == "string"
    for name in ("crs", "bbox-crs"):
        assert by_name[name]["schema"]["default"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    features = resolve(doc, get["responses"]["200"]["$ref"])
    assert "Content-Crs" in features["headers"]


# --- found by a try-out with clients we did not write ---------------------------------------------------

def test_a_single_item_is_geojson_and_an_unknown_accept_gets_no_false_label(server):
    item = requests.get(f"{server}/collections/stikstofbron/items", params={"f": "json", "limit": 1}, timeout=30)
    fid = item.json()["features"][0]["id"]
    one = requests.get(f"{server}/collections/stikstofbron/items/{fid}", timeout=30,
                       headers={"Accept": "application/geo+json"})
    assert one.status_code == 200 and one.headers["Content-Type"].startswith("application/geo+json")
    odd = requests.get(f"{server}/collections/stikstofbron/items", params={"limit": 1}, timeout=30,
                       headers={"Accept": "image/png"})
    assert not odd.headers["Content-Type"].startswith("image/png")


@pytest.mark.parametrize("method, path", [("PUT", "/collections/pand/items"), ("DELETE", "/collections/pand/items"),
                                          ("POST", "/collections/pand/items/1")])
def test_every_405_is_problem_json_and_allows_only_what_works(server, method, path):
    response = requests.request(method, server + path, timeout=30)
    assert response.status_code == 405 and "json" in response.headers["Content-Type"]
    assert not {"PUT", "PATCH", "DELETE"} & {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("path, params, word", [
    ("/collections/pand/items", {"filter": "bouwjaar >>> 3"}, "filter"),
    ("/collections/nh3_concentratie/coverage", {"subset": "foo"}, "subset"),
])
def test_error_messages_name_the_parameter_without_python_text(server, path, params, word):
    response = requests.get(server + path, params={**params, "f": "json"}, timeout=30)
    description = response.json()["description"]
    assert response.status_code == 400 and description.startswith(word)
    assert "object has no attribute" not in description and "NoneType" not in description


def test_a_filter_on_the_catalogue_is_refused_not_ignored(server):
    """pygeoapi's TinyDB records provider ignored `filter` and answered every record (found by a try-out)."""
    response = requests.get(f"{server}/collections/catalogus/items", params={"filter": "bogus = 1", "f": "json"},
                            timeout=30)
    assert response.status_code == 400 and response.json()["description"].startswith("filter")
    assert requests.get(f"{server}/collections/catalogus/items", params={"f": "json"}, timeout=30).status_code == 200
