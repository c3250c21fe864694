"""Answers of pygeoapi 0.24 that OGC API clients read wrongly, corrected in one place (issue 14).

- ``/conformance`` claims OGC API Features Part 4 (create/replace/delete) for every feature provider, also
  read-only ones (pygeoapi ``api/itemtypes.py`` ``CONFORMANCE_CLASSES_FEATURES``; conformance by configuration
  came with geopython/pygeoapi#888 but does not look at ``editable``), and leaves out Part 3 ``filter`` and
  ``features-filter`` although CQL2 works, and our vector tiles (OGC API Tiles, ``geo/serve/tiles.py``).
  Writes answer 405 with ``Allow``.
- Items come as ``application/json``; OGC API Features /req/geojson/content wants ``application/geo+json``.
- The ``self``/``alternate`` links of a later page drop ``offset``; the last page gets a ``next`` link when it
  happens to be full (``len(features) == limit``). The page's links go into a ``Link`` header too.
- A coverage is listed like a feature collection: GDAL's OAPIF driver opens it as a layer and fails on its
  ``/items``. It is marked ``dataType: coverage`` (OGC API Common Part 2) and ``layerDataType: Coverage``
  (what GDAL reads to skip it); its ``/items`` is 404 pointing to ``/coverage``.
- ``POST /collections/{id}/items`` without a body answered 500 (the Flask view returned nothing), and a POST
  body that is not UTF-8 too (found by schemathesis).
"""

import json
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request
from werkzeug.datastructures import Headers

FEATURES_3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
NOT_SUPPORTED = {"http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete"}
TILES = "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/"  # our own tiles (geo/serve/tiles.py)
SUPPORTED = [FEATURES_3 + "filter", FEATURES_3 + "features-filter",
             *(TILES + c for c in ("core", "tileset", "tilesets-list", "geodata-tilesets", "mvt")),
             "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset"]
GEOJSON = "application/geo+json"
ITEMS = re.compile(r"^/collections/(?P<cid>[^/]+)/items/?$")
ITEM = re.compile(r"^/collections/(?P<cid>[^/]+)/items/(?P<fid>[^/]+)$")
COLLECTION = re.compile(r"^/collections(?:/(?P<cid>[^/]+))?/?$")
READ = "GET, HEAD, OPTIONS"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"


def honest_conformance(itemtypes) -> None:
    """What the feature collections really support, for every /conformance answer."""
    classes = itemtypes.CONFORMANCE_CLASSES_FEATURES
    classes[:] = [c for c in classes if c not in NOT_SUPPORTED] + [c for c in SUPPORTED if c not in classes]


def register(app, resources: dict, error) -> None:
    """Install the corrections on the Flask ``app``; ``error(status, code, text)`` makes an error response."""
    coverages = {cid for cid, r in resources.items() if _kinds(r) & {"coverage"} and "feature" not in _kinds(r)}
    app.before_request(lambda: _refuse_writes(error))
    app.before_request(lambda: _refuse_coverage_items(coverages, error))
    app.before_request(lambda: _refuse_empty_filter_post(error))
    app.before_request(lambda: _refuse_undecodable_body(error))
    app.after_request(_geojson_items)
    app.after_request(lambda response: _mark_coverages(response, coverages))


def _kinds(resource: dict) -> set[str]:
    return {p.get("type") for p in resource.get("providers", [])}


def _refuse_writes(error):
    """No collection is editable: PUT/PATCH/DELETE of an item, and POST of a GeoJSON feature, are 405."""
    item, items = ITEM.match(request.path), ITEMS.match(request.path)
    if item and request.method in ("PUT", "PATCH", "DELETE"):
        return _not_allowed(error, READ)
    if items and request.method == "POST" and (request.mimetype or "") == GEOJSON:
        return _not_allowed(error, READ + ", POST (a CQL2 JSON filter)")
    return None


def _not_allowed(error, allow: str):
    response = error(405, "MethodNotAllowed", f"{request.method}: the collections of this server are read-only; "
                                              f"allowed: {allow}")
    response.headers["Allow"] = allow.split(" (")[0]
    return response


def _refuse_empty_filter_post(error):
    """POST on items is a CQL2 JSON query (OGC API Features Part 3); without a body it is a bad request."""
    if request.method == "POST" and ITEMS.match(request.path) and not request.get_data():
        return error(400, "InvalidParameterValue", "filter: POST /items needs a CQL2 JSON filter as its body "
                                                   "(Content-Type: application/query-cql-json)")
    return None


def _refuse_undecodable_body(error):
    """pygeoapi decodes request bodies as UTF-8 without a guard (UnicodeDecodeError, 500)."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.get_data():
        return None
    try:
        request.get_data().decode("utf-8")
    except UnicodeDecodeError:
        return error(400, "InvalidParameterValue", "request body: expected UTF-8 encoded JSON")
    return None


def _refuse_coverage_items(coverages: set[str], error):
    match = ITEMS.match(request.path) or ITEM.match(request.path)
    if match and match["cid"] in coverages:
        return error(404, "NotFound", f"{match['cid']} is a coverage, not a feature collection: "
                                      f"use /collections/{match['cid']}/coverage")
    return None


def real_headers(response):
    """pygeoapi's Flask views set ``response.headers`` to a plain dict (``execute_from_flask``), so
    ``response.mimetype`` is None in after_request; make them Werkzeug headers again."""
    if not isinstance(response.headers, Headers):
        response.headers = Headers(response.headers)
    return response


def _geojson_items(response):
    """Items in JSON as ``application/geo+json``, with the page's offset in ``self``/``alternate``, no
    ``next`` after the last page, and the links also in a ``Link`` header."""
    real_headers(response)
    if request.method in ("GET", "HEAD") and ITEM.match(request.path) and response.status_code == 200:
        return _geojson_feature(response)
    if request.method not in ("GET", "HEAD", "POST") or not ITEMS.match(request.path) or response.status_code != 200:
        return response
    if response.mimetype != "application/json" and not _is_json_under_another_name(response):
        return response
    body = json.loads(response.get_data())
    if isinstance(body, dict) and body.get("type") == "FeatureCollection":
        body["links"] = _page_links(body.get("links", []), body, _int_arg("offset"))
        response.set_data(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
        response.headers["Link"] = _link_header(body["links"])
    if _wants_geojson():
        response.mimetype = GEOJSON
    return response


def _geojson_feature(response):
    """A single item in JSON as ``application/geo+json`` too (OGC /req/geojson/content)."""
    if response.mimetype == "application/json" or _is_json_under_another_name(response):
        response.mimetype = GEOJSON if _wants_geojson() else "application/json"
    return response


def _is_json_under_another_name(response) -> bool:
    """pygeoapi labels its JSON with whatever unknown type the client's Accept named (e.g. image/png)."""
    if (response.mimetype or "").endswith(("json", "html", "xml")) or response.mimetype in ("text/csv",):
        return False
    return response.get_data()[:1] == b"{"


def _link_header(links: list[dict]) -> str:
    """The page's navigation links and its collection's queryables as an HTTP Link header (RFC 8288; OGC API
    Features /rec/core/link-header); commas in URLs are escaped, as the header separates links with them."""
    wanted = [link for link in links if link.get("rel") in ("self", "alternate", "next", "prev")]
    wanted += [{"rel": QUERYABLES_REL, "type": "application/schema+json", "href": link["href"] + "/queryables"}
               for link in links if link.get("rel") == "collection"]
    return ", ".join(f'<{link["href"].replace(",", "%2C")}>; rel="{link["rel"]}"; type="{link.get("type", "")}"'
                     for link in wanted)


def _wants_geojson() -> bool:
    """GeoJSON unless the client asked for plain JSON only (``Accept: application/json`` without geo+json)."""
    accept = request.headers.get("Accept", "")
    return request.args.get("f") == "json" or GEOJSON in accept or "application/json" not in accept


def _int_arg(name: str) -> int:
    try:
        return max(0, int(request.args.get(name, 0)))
    except ValueError:
        return 0


def _page_links(links: list[dict], body: dict, offset: int) -> list[dict]:
    matched = body.get("numberMatched")
    last = isinstance(matched, int) and offset + body.get("numberReturned", 0) >= matched
    out = []
    for link in links:
        if link.get("rel") == "next" and last:
            continue
        if link.get("rel") in ("self", "alternate") and offset:
            link = {**link, "href": _with_offset(link["href"], offset)}
        out.append(link)
    return out


def _with_offset(href: str, offset: int) -> str:
    parts = urlsplit(href)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "offset"]
    return urlunsplit(parts._replace(query=urlencode([*query, ("offset", str(offset))], safe=",:/")))


def _mark_coverages(response, coverages: set[str]):
    """A coverage in /collections and /collections/{id} carries its data type, so feature clients skip it."""
    real_headers(response)
    match = COLLECTION.match(request.path)
    if (not match or request.method != "GET" or response.status_code != 200 or response.mimetype != "application/json"
            or (match["cid"] and match["cid"] not in coverages)):
        return response
    body = json.loads(response.get_data())
    described = body.get("collections", [body]) if isinstance(body, dict) else []
    for collection in described:
        if isinstance(collection, dict) and collection.get("id") in coverages:
            collection.update({"dataType": "coverage", "layerDataType": "Coverage"})
    response.set_data(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    return response
