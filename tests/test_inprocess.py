"""The fast tier: the server's Flask app in the test process (``app_client``, tests/conftest.py), no gunicorn.

The same app ``geo serve`` runs (geo.serve.server.create_app, minus the ASGI front that bounds bodies and slow
clients) on the session store; run alone with ``pytest -m inprocess``. The live-server tests stay the reference
for what a client over HTTP sees.
"""

import pytest
import shapely

pytestmark = pytest.mark.inprocess

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def test_landing_page_links_the_api(app_client):
    page = app_client.get("/", query_string={"f": "json"})
    assert page.status_code == 200
    rels = {link["rel"] for link in page.get_json()["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels


def test_collections_lists_the_public_layers(app_client):
    from geo.serve.internal import internal_only_collections
    from omgevingsgeo.registry import build_registry

    answer = app_client.get("/collections", query_string={"f": "json"})
    assert answer.status_code == 200
    ids = {c["id"] for c in answer.get_json()["collections"]}
    assert {"pand", "gemeentegebied", "catalogus"} <= ids
    assert not ids & internal_only_collections(build_registry().collections(include_internal=True).values())


def test_a_bbox_query_returns_only_features_in_the_box(app_client):
    extent = app_client.get("/collections/pand", query_string={"f": "json"}).get_json()["extent"]["spatial"]["bbox"][0]
    minx, miny, maxx, maxy = extent
    dx, dy = (maxx - minx) / 20, (maxy - miny) / 20
    box = (minx + 9 * dx, miny + 9 * dy, minx + 11 * dx, miny + 11 * dy)  # a tenth of the extent, in the middle
    answer = app_client.get("/collections/pand/items", query_string={
        "f": "json", "bbox": ",".join(map(str, box)), "bbox-crs": CRS84, "limit": 1000})
    assert answer.status_code == 200
    features = answer.get_json()["features"]
    assert features, "no pand in the middle of the municipality"
    area = shapely.box(*box)
    assert all(shapely.geometry.shape(f["geometry"]).intersects(area) for f in features)


def test_a_bad_bbox_is_a_400_saying_what_is_wrong(app_client):
    answer = app_client.get("/collections/pand/items", query_string={"f": "json", "bbox": "5,53,4,52"})
    assert answer.status_code == 400
    body = answer.get_json()
    assert body["code"] == "InvalidParameterValue"
    assert "minx 5 > maxx 4" in body["description"]


def test_an_unknown_parameter_is_a_400_naming_it(app_client):
    answer = app_client.get("/collections/pand/items", query_string={"f": "json", "colour": "red"})
    assert answer.status_code == 400
    assert "unknown query parameter 'colour'" in answer.get_json()["description"]
