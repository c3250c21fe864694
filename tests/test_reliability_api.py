"""Reliability of the public API: fuzzing (schemathesis), injection and traversal over HTTP, concurrent load.

None of it may give a 5xx, show internals, or change the store (its checksum is the same afterwards).
Longer runs: benchmarks/fuzz.py and benchmarks/load.py.
"""

import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
import requests

from helpers.reliability_helpers import LEAKS, fuzz, sha256

INJECTED_FILTERS = [
    "status = 'x' OR 1=1 --", "status = 'x'; DROP TABLE pand; --", '"status" OR 1=1 --" = \'x\'',
    "bouwjaar = (SELECT 1)", "status = 'x'' OR ''1''=''1'", "bouwjaar = 1 UNION SELECT * FROM sqlite_master",
    "aanvrager_naam = 'x'",
]
REJECTED = [  # (query parameters, status)
    *[({"filter": f}, 400) for f in INJECTED_FILTERS],
    ({"sortby": "identificatie;DROP TABLE pand"}, 400), ({"sortby": "-bouwjaar,(SELECT 1)"}, 400),
    ({"sortby": "fid"}, 400), ({"properties": "identificatie,sqlite_master"}, 400), ({"properties": "*"}, 400),
    ({"properties": "fid"}, 400), ({"status' OR '1'='1": "x"}, 400), ({"f": "../../etc/passwd"}, 400),
    ({"f": "/etc/passwd"}, 400), ({"offset": "99999999999999999999999"}, 400),
    ({"bouwjaar": "99999999999999999999999"}, 400), ({"filter": "bouwjaar = 99999999999999999999999"}, 400),
    ({"bbox": "1,2,3,4'); DROP TABLE pand; --"}, 400), ({"crs": "file:///etc/passwd"}, 400),
    ({"bbox-crs": "../../etc/passwd", "bbox": "1,2,3,4"}, 400),
]
MATCH_NOTHING = [{"status": "x' OR '1'='1"}, {"q": "%' OR 1=1 --"}, {"status": "x\"; DROP TABLE pand; --"}]
RAW_PATHS = [  # sent as they are (requests would normalise the dot segments)
    "/collections/../../x", "/collections/pand/items/..%2F..%2Fetc%2Fpasswd",
    "/collections/..%2F..%2Fetc%2Fpasswd/items", "/collections/pand/items/1'%20OR%20'1'='1",
    "/static/../../../etc/passwd", "/static/..%2F..%2F..%2Fetc%2Fpasswd", "/collections/pand/items/%00",
    "/collections/pand/../../../../etc/passwd", "/collections/%2e%2e/items", "/collections/geo_quarantine/items",
    "/collections/pand/items/0441100000000001%27%3B%20DROP%20TABLE%20pand%3B--",
]
CQL_JSON_BODIES = ["[]", "3", '"x"', '{"op":"=","args":[{"property":"status\\" OR 1=1 --"},"x"]}',
                   '{"op":"=","args":[{"property":"aanvrager_naam"},"x"]}', "not json", '{"op":"drop"}']


VECTOR_TILE = "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"


@pytest.fixture(scope="module")
def checksum(store):
    return sha256(store)


def clean(r) -> bool:
    return r.status_code < 500 and not LEAKS.search(r.text) and "root:x:" not in r.text


def test_fuzzing_every_operation_gives_no_server_error_and_no_internals(server, checksum):
    report = fuzz(server, examples=4)
    assert {"GET /collections/pand/items", "POST /collections/wnb_besluit/items",
            "GET /collections/pand/items/{featureId}", "GET /tileMatrixSets/{tileMatrixSetId}",
            f"GET {VECTOR_TILE}"} <= report["labels"]
    assert report["cases"] >= 150
    assert not report["failures"], json.dumps(report["failures"][:5], indent=1)


@pytest.mark.parametrize("params,status", REJECTED)
def test_injection_and_traversal_in_parameters_is_rejected(server, checksum, params, status):
    r = requests.get(f"{server}/collections/pand/items", params=params, timeout=30)
    assert r.status_code == status, r.text
    assert clean(r) and r.json()["description"]


@pytest.mark.parametrize("params", MATCH_NOTHING)
def test_injection_in_values_is_a_value_and_matches_nothing(server, checksum, params):
    r = requests.get(f"{server}/collections/pand/items", params={**params, "f": "json"}, timeout=30)
    assert r.status_code == 200 and r.json()["numberMatched"] == 0


@pytest.mark.parametrize("path", RAW_PATHS)
def test_traversal_in_paths_and_ids_is_not_found(server, checksum, path):
    url = urlparse(server)
    con = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    con.request("GET", path)
    r = con.getresponse()
    body = r.read().decode("utf-8", "replace")
    assert r.status == 404, body
    assert "root:x:" not in body and not LEAKS.search(body)


@pytest.mark.parametrize("body", CQL_JSON_BODIES)
def test_crafted_cql2_json_bodies_are_400(server, checksum, body):
    r = requests.post(f"{server}/collections/wnb_besluit/items", data=body,
                      headers={"Content-Type": "application/query-cql-json"}, timeout=30)
    assert r.status_code == 400 and clean(r), r.text


def test_concurrent_mixed_queries_all_succeed(server, store, checksum):
    """A short run of the load benchmark: 32 connections at once, mixed queries, no error."""
    paths = ["/collections/pand/items?f=json&limit=100&bbox=4.70,52.75,4.72,52.77",
             "/collections/verblijfsobject/items?f=json&limit=50&offset=20000",
             "/collections/pand/items/0441100000000001?f=json", "/collections/stikstofbron/items?f=json&limit=20",
             "/collections/natura2000_gebied/items?f=json&crs=http://www.opengis.net/def/crs/EPSG/0/28992",
             "/collections/pand/items?f=json&filter=bouwjaar%20%3C%201900&limit=10"] * 32

    def get(path):
        start = time.perf_counter()
        with requests.Session() as s:
            r = s.get(server + path, timeout=60)
        return r.status_code, time.perf_counter() - start

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(get, paths))
    assert [s for s, _ in results if s != 200] == []


def test_the_store_is_unchanged_by_all_of_the_above(store, checksum):
    assert sha256(store) == checksum
