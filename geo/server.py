"""The WSGI app: pygeoapi's Flask app, with strict query parameters and cached CRS work.

``geo serve`` runs ``geo.server:create_app()`` under gunicorn. pygeoapi reads its config at import
time, so the environment (PYGEOAPI_CONFIG, PYGEOAPI_OPENAPI, GEO_STORE) must be set before.
"""

import logging
import re
from functools import lru_cache

from flask import jsonify, request

from geo.crs import crs_from_uri, transformer

log = logging.getLogger(__name__)

RESERVED = {"bbox", "bbox-crs", "crs", "f", "lang", "limit", "offset", "resulttype", "datetime", "sortby",
            "properties", "skipGeometry", "q", "filter", "filter-lang", "filter-crs"}
ITEMS_PATH = re.compile(r"^/collections/(?P<cid>[^/]+)/items/?$")


def create_app():
    from pygeoapi import flask_app
    from pygeoapi.api import itemtypes

    _install_crs_caches(itemtypes)
    app = flask_app.APP
    resources = flask_app.CONFIG["resources"]
    app.before_request(lambda: _reject_unknown_parameters(resources))
    app.register_error_handler(500, _internal_error)
    return app


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


def _internal_error(err):
    log.error("internal error: %s", err)
    return _error(500, "NoApplicableCode", "internal server error")


def _error(status: int, code: str, description: str):
    response = jsonify({"code": code, "type": code, "description": description})
    response.status_code = status
    return response


def _install_crs_caches(itemtypes) -> None:
    """pygeoapi rebuilds CRS objects and transformers on every request (~20 ms); cache the pure parts."""
    original_spec = itemtypes.create_crs_transform_spec

    @lru_cache(maxsize=256)
    def cached_spec(storage_crs, crs_list, always_xy, query_crs_uri):
        provider_def = {"storage_crs": storage_crs, "crs": list(crs_list), "always_xy": always_xy}
        return original_spec(provider_def, query_crs_uri)

    def create_crs_transform_spec(provider_def, query_crs_uri=None):
        return cached_spec(provider_def.get("storage_crs"), tuple(provider_def.get("crs", ())),
                           provider_def.get("always_xy", False), query_crs_uri)

    def transform_bbox(bbox, from_crs, to_crs, always_xy=False):
        if str(from_crs) == str(to_crs):
            return list(bbox)
        tr = transformer(crs_from_uri(str(from_crs)), crs_from_uri(str(to_crs)), always_xy)
        if str(to_crs).endswith("/3857"):
            bbox = [bbox[0], max(-85.0511, bbox[1]), bbox[2], min(85.0511, bbox[3])]
        n = len(bbox) // 2
        return list(tr.transform(*bbox[:n]) + tr.transform(*bbox[n:]))

    itemtypes.create_crs_transform_spec = create_crs_transform_spec
    itemtypes.transform_bbox = transform_bbox
