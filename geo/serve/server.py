"""The WSGI app: pygeoapi's Flask app, with strict query parameters and cached CRS work.

``geo serve`` runs ``omgevingsgeo.wsgi`` under gunicorn, which builds the registry and calls
``create_app(registry)``. pygeoapi reads its config at import time, so the environment (PYGEOAPI_CONFIG,
PYGEOAPI_OPENAPI, GEO_STORE) must be set before.
"""

import importlib
import json
import logging
import math
import re
from functools import lru_cache

from flask import jsonify, request
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.core import bounds
from geo.core.crs import transformer
from geo.core.registry import Registry
from geo.core.settings import Settings
from geo.serve import (
    api_rules,
    data_extents,
    geometry_json,
    http_cache,
    internal,
    jobs,
    ogc_answers,
    params,
    tiles,
    vendor,
    web,
)
from geo.serve.gis_routes import make_blueprint

log = logging.getLogger(__name__)

RESERVED = {"bbox", "bbox-crs", "crs", "f", "lang", "limit", "offset", "resulttype", "datetime", "sortby",
            "properties", "skipGeometry", "q", "filter", "filter-lang", "filter-crs"}
ITEMS_PATH = re.compile(r"^/collections/(?P<cid>[^/]+)/items/?$")
COVERAGE_PATH = re.compile(r"^/collections/(?P<cid>[^/]+)/coverage/?$")
QUERYABLES_PATH = re.compile(r"^/collections/(?P<cid>[^/]+)/queryables/?$")
EXECUTION_PATH = re.compile(r"^/processes/[^/]+/execution/?$")


def create_app(registry: Registry, settings: Settings | None = None):
    """pygeoapi's Flask app with our checks and routes, serving the collections of ``registry``; ``settings``
    (read from the environment when not given) are kept in ``app.extensions["geo.settings"]`` for the routes."""
    from pygeoapi import flask_app  # reads the config named by the environment when imported
    from pygeoapi.api import itemtypes

    from geo.serve.pygeoapi_patches import (
        LINK_TITLE_MODULES,
        install_dutch_link_titles,
        install_geometry_json,
        install_itemtypes_patches,
    )

    resources = flask_app.CONFIG["resources"]
    app = flask_app.APP
    settings = settings or Settings.from_env()
    app.extensions["geo.settings"] = settings
    if internal.is_internal(settings):
        key = internal.api_key(settings)  # refuses to start without one
        app.before_request(lambda: _require_api_key(key))
    else:
        internal.check_public(resources, registry)
    # first after_request registered = the last to run: compression, ETag/304 and Cache-Control (issue 20)
    http_cache.install(app, _open_store(settings), settings.config_path, private=internal.is_internal(settings))
    install_itemtypes_patches(itemtypes)  # cached CRS specs, exact bbox-crs outline
    geometry_json.configure(settings.coordinate_decimals)  # decimals per CRS (ValueError naming the setting)
    install_geometry_json(itemtypes)  # geometry written once, spliced into JSON answers
    install_dutch_link_titles([importlib.import_module(name) for name in LINK_TITLE_MODULES])  # HTML link titles
    ogc_answers.honest_conformance(itemtypes)
    ogc_answers.register(app, resources, _error)
    data_extents.install(app, flask_app.api_, settings)
    api_rules.register(app, flask_app.api_, flask_app.API_RULES.api_version)
    app.before_request(lambda: _reject_unknown_parameters(resources))
    app.before_request(_check_bbox_and_datetime)
    app.before_request(lambda: _check_coverage_parameters(resources))
    app.before_request(lambda: _check_queryables_profile(resources))
    app.before_request(lambda: _check_record_formats(resources))
    bounds.register(app)  # sizes, nesting and UTF-8 checked before anything is parsed (issue 16)
    app.before_request(_check_execution_body)
    app.after_request(_relabel_parameter_errors)
    jobs.register(app, flask_app.api_.manager, internal.internal_processes(registry))  # fork server; 429s
    app.register_error_handler(500, _internal_error)
    app.register_error_handler(405, _method_not_allowed)
    app.register_blueprint(make_blueprint(registry))  # styles and downloads
    web.register(app, flask_app.CONFIG, flask_app.api_.tpl_config)  # /op-locatie/; pygeoapi's pages in Dutch
    vendor.register(app, flask_app.CONFIG["server"]["url"])  # Leaflet etc. for pygeoapi's pages, offline
    tiles.register(app, registry, flask_app.CONFIG["server"]["url"], internal.is_internal(settings))  # MVT
    return app


def _open_store(settings: Settings):
    from geo.store import open_store

    return open_store(settings.store_location, settings)


def _require_api_key(key: str):
    """The internal instance: 401 unless the request carries the key (compared in constant time)."""
    if internal.key_matches(request.headers.get(internal.API_KEY_HEADER), key):
        return None
    response = _error(401, "Unauthorized", f"this server needs an API key in the {internal.API_KEY_HEADER} header")
    response.headers["WWW-Authenticate"] = f'ApiKey header="{internal.API_KEY_HEADER}"'
    return response


def _check_execution_body():
    """pygeoapi fails (AttributeError, 500) on an execution request whose JSON is not an object, e.g. null."""
    if request.method != "POST" or not EXECUTION_PATH.match(request.path) or not request.data:
        return None
    try:
        body = json.loads(request.data)
    except ValueError:
        return None  # pygeoapi answers 400 'invalid request data' itself
    if isinstance(body, dict) and isinstance(body.get("inputs", {}), dict):
        return None
    return _error(400, "InvalidParameterValue", "execute request: expected a JSON object with an object 'inputs'")


def _check_record_formats(resources: dict):
    """pygeoapi's CSV output of a record collection (the catalogue) fails with a 500 (it expects a feature
    provider), and a CQL2 filter on it is silently ignored; JSON and HTML are what a catalogue offers."""
    match = ITEMS_PATH.match(request.path)
    if not match or match["cid"] not in resources:
        return None
    kinds = {p.get("type") for p in resources[match["cid"]].get("providers", [])}
    if "feature" in kinds:
        return None
    if "filter" in request.args:  # pygeoapi's TinyDB records provider ignores it and answered every record
        return _error(400, "InvalidParameterValue", f"filter: CQL2 filters are offered on feature collections "
                                                    f"only; {match['cid']} takes q, bbox, datetime and its properties")
    if request.args.get("f") != "csv":
        return None
    return _error(400, "InvalidParameterValue", f"f=csv is offered for feature collections only; "
                                                f"{match['cid']} answers f=json or f=html")


def _check_queryables_profile(resources: dict):
    """pygeoapi's TinyDB record provider fails (KeyError, 500) on actual-domain for a sparse property."""
    match = QUERYABLES_PATH.match(request.path)
    if not match or request.args.get("profile") != "actual-domain" or match["cid"] not in resources:
        return None
    kinds = {p.get("type") for p in resources[match["cid"]].get("providers", [])}
    if "feature" in kinds:
        return None
    return _error(400, "InvalidParameterValue", "profile=actual-domain is offered for feature collections only")


def _check_coverage_parameters(resources: dict):
    """pygeoapi's rasterio provider fails with a 500 on a 6-value bbox, a bbox-crs that is not an EPSG code,
    a bbox that misses the raster and a band named twice (in native output)."""
    match = COVERAGE_PATH.match(request.path)
    if not match:
        return None
    bands = [b for b in request.args.get("properties", "").split(",") if b]
    if len(bands) != len(set(bands)):
        return _error(400, "InvalidParameterValue", "properties: name each band once")
    bbox, bbox_crs = request.args.get("bbox"), request.args.get("bbox-crs")
    if bbox_crs is not None and not _known_epsg(bbox_crs):
        return _error(400, "InvalidParameterValue", "bbox-crs: expected an EPSG code, e.g. 4326 or 28992")
    if bbox is None:
        return None
    lonlat = _bbox_lonlat(bbox, bbox_crs or "4326")
    if lonlat is None:
        return _error(400, "InvalidParameterValue", "bbox: expected minx,miny,maxx,maxy: 4 numbers, min <= max, "
                                                    "within the area of use of bbox-crs (default EPSG:4326)")
    extent = resources.get(match["cid"], {}).get("extents", {}).get("spatial", {}).get("bbox")
    if extent and (lonlat[0] > extent[2] or lonlat[2] < extent[0] or lonlat[1] > extent[3] or lonlat[3] < extent[1]):
        return _error(400, "InvalidParameterValue", f"bbox lies outside the coverage extent {extent} (CRS84)")
    return None


def _bbox_lonlat(text: str, epsg: str) -> list[float] | None:
    """A bbox parameter as [minlon, minlat, maxlon, maxlat]; None when it is not a usable bbox."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        return None
    if len(values) != 4 or not all(map(math.isfinite, values)) or values[0] > values[2] or values[1] > values[3]:
        return None
    to_lonlat = transformer(f"EPSG:{int(epsg)}", "EPSG:4326", True)
    lon, lat = to_lonlat.transform([values[0], values[2]], [values[1], values[3]])
    if not (all(math.isfinite(v) and abs(v) <= 180 for v in lon) and all(abs(v) <= 90 for v in lat)):
        return None
    return [min(lon), min(lat), max(lon), max(lat)]


@lru_cache(maxsize=64)
def _known_epsg(code: str) -> bool:
    if not code.isdigit() or len(code) > 6:
        return False
    try:
        CRS.from_epsg(int(code))
    except CRSError:
        return False
    return True


def _relabel_parameter_errors(response):
    """pygeoapi answers some invalid parameters (e.g. a coverage bbox with miny > maxy) with a 500, and some with
    a message that names no parameter ('Bad CQL text') or carries Python exception text ('Invalid subset: ...')."""
    if response.status_code == 500 and b"InvalidParameterValue" in response.get_data():
        response.status_code = 400
    if response.status_code == 400 and ogc_answers.real_headers(response).is_json:
        body = response.get_json(silent=True)
        description = body.get("description", "") if isinstance(body, dict) else ""
        better = next((text for start, text in CLEARER_MESSAGES if description.startswith(start)), None)
        if better:
            response.set_data(json.dumps({**body, "description": better}))
    return response


CLEARER_MESSAGES = [  # (pygeoapi's message starts with, ours)
    ("Bad CQL text", "filter: not valid CQL2 text (filter-lang=cql2-text), e.g. filter=bouwjaar > 1990 AND "
                     "status = 'Pand in gebruik'; CQL2 JSON goes in a POST body (Content-Type: "
                     "application/query-cql-json)"),
    ("Bad CQL JSON", "filter (POST body): not valid CQL2 JSON, e.g. {\"op\": \">\", \"args\": "
                     "[{\"property\": \"bouwjaar\"}, 1990]}"),
    ("Invalid subset", "subset: expected axis(low:high) per axis, e.g. subset=x(110000:120000),y(530000:540000)"),
]


def _method_not_allowed(err):
    """405 as problem JSON with the methods that really work: nothing here is editable (PUT, PATCH and DELETE
    answer 405 too), except deleting one's own job."""
    methods = set(getattr(err, "valid_methods", None) or ["GET", "HEAD", "OPTIONS"]) - {"PUT", "PATCH"}
    if not request.path.startswith("/jobs/"):
        methods.discard("DELETE")
    allowed = ", ".join(sorted(methods))
    response = _error(405, "MethodNotAllowed", f"{request.method} is not allowed on {request.path}; allowed: {allowed}")
    response.headers["Allow"] = allowed
    return response


def _reject_unknown_parameters(resources: dict):
    """OGC API Features /req/core/query-param-unknown: an unknown query parameter is a 400."""
    match = ITEMS_PATH.match(request.path)
    if not match or match["cid"] not in resources:
        return None
    providers = resources[match["cid"]].get("providers", [])
    fields = {f for p in providers if p.get("type") == "feature" for f in p.get("properties", [])}
    unknown = sorted(set(request.args) - RESERVED - fields)
    if not unknown:
        return None
    return _error(400, "InvalidParameterValue",
                  f"unknown query parameter {unknown[0]!r}; allowed: {', '.join(sorted(RESERVED | fields))}")


def _check_bbox_and_datetime():
    """400 for a bbox pygeoapi would take (minx > maxx, NaN) and a datetime it would not check.

    See geo.serve.params.
    """
    if not ITEMS_PATH.match(request.path):
        return None
    problems = [check(request.args[name]) for name, check in (("bbox", params.bbox_problem),
                                                              ("datetime", params.datetime_problem))
                if name in request.args]
    problem = next((p for p in problems if p), None)
    return _error(400, "InvalidParameterValue", problem) if problem else None


def _internal_error(err):
    log.error("internal error: %s", err)
    return _error(500, "NoApplicableCode", "internal server error")


def _error(status: int, code: str, description: str):
    response = jsonify({"code": code, "type": code, "description": description})
    response.status_code = status
    return response
