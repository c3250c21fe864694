"""Every run-time patch of pygeoapi (pinned ``pygeoapi>=0.24,<0.25``), each with what it works around upstream.

``tests/test_pygeoapi_patches.py`` fails when the installed pygeoapi changes underneath a patch (the source of each
replaced function and the names its callers look up): re-check the patch against the new version then.

1. ``install_itemtypes_patches`` (called by ``geo.serve.server.create_app``) replaces two names that
   ``pygeoapi.api.itemtypes`` imported from ``pygeoapi.crs``:

   - ``create_crs_transform_spec``: pygeoapi builds the CRS objects and the WKT of a ``CrsTransformSpec`` on every
     items/item request (~20 ms); ours caches the spec per (storage CRS, CRS list, always_xy, requested CRS), the
     only parts of the provider definition it reads. No upstream issue found (the per-request transform came with
     OGC API Features Part 2 support, geopython/pygeoapi#1128, PR #1149 and PR #1155).
   - ``transform_bbox``: pygeoapi transforms a ``bbox-crs`` box as its two corners (PR #1155), but a lon/lat box is a
     rotated quadrilateral in RD New, so features along its edges were lost or added; ours hands the providers the
     exact outline (``geo.core.crs.transform_bbox_exact``). No upstream issue found; the two-corner method was
     proposed in PR #1149's discussion and merged with PR #1155.

2. ``cache_sql_transforms`` (called by ``geo.serve.postgis_provider.PostGISProvider``) replaces
   ``pygeoapi.provider.sql.get_transform_from_spec``: the paths ``PostGISProvider`` leaves to pygeoapi's
   ``PostgreSQLProvider`` (CQL2 ``filter``, ``sortby``, ...) build a ``pyproj.Transformer`` from WKT on every request
   (~20 ms); ours builds the transform function once per CRS pair. No upstream issue found (the function came with
   PR #1149; geopython/pygeoapi#2190 is about PostGIS CRS handling, not its cost).

3. ``install_geometry_json`` (called by ``geo.serve.server.create_app``) wraps ``get_collection_items`` and
   ``get_collection_item`` of ``pygeoapi.api.itemtypes`` and replaces the ``to_json`` it imported from
   ``pygeoapi.util``: for a JSON answer (``f=json`` or no ``f``) the providers hand each geometry over as GeoJSON
   text already written (``geo.serve.geometry_json``), and ``to_json`` writes the answer with orjson, splicing that
   text in, instead of parsing it into dicts for ``json.dumps`` to write again (issue 20: the geometry is most of the
   time of a big answer). Same output otherwise: compact separators, ``<`` and ``>`` escaped as pygeoapi does,
   pygeoapi's ``json_serial`` for the types orjson does not know; non-ASCII text is written as UTF-8 rather than
   ``\\u`` escapes; ``pretty_print`` indents by 2 instead of 4. No upstream issue: pygeoapi's providers return
   dicts by contract.
"""

import functools
import json

import orjson
import pyproj

from geo.core.crs import CRS84_URI, crs_from_uri, stored_axis_order, transform_bbox_exact
from geo.serve import geometry_json


def install_itemtypes_patches(itemtypes) -> None:
    """Cached ``create_crs_transform_spec`` and exact ``transform_bbox`` in ``pygeoapi.api.itemtypes``."""
    original_spec = itemtypes.create_crs_transform_spec

    @functools.lru_cache(maxsize=256)
    def cached_spec(storage_crs, crs_list, always_xy, query_crs_uri):
        provider_def = {"storage_crs": storage_crs, "crs": list(crs_list), "always_xy": always_xy}
        return original_spec(provider_def, query_crs_uri)

    def create_crs_transform_spec(provider_def, query_crs_uri=None):
        return cached_spec(provider_def.get("storage_crs", CRS84_URI), tuple(provider_def.get("crs", ())),
                           provider_def.get("always_xy", False), query_crs_uri)

    def transform_bbox(bbox, from_crs, to_crs, always_xy=False):
        """pygeoapi transforms two corners of the box (a lon/lat box is a rotated quadrilateral in RD New, so
        features along its edges were lost or added); ours hands the providers the exact outline."""
        to_axes = stored_axis_order(crs_from_uri(str(to_crs)))
        return transform_bbox_exact(list(bbox), crs_from_uri(str(from_crs)), to_axes)

    itemtypes.create_crs_transform_spec = create_crs_transform_spec
    itemtypes.transform_bbox = transform_bbox


def cache_sql_transforms() -> None:
    """``pygeoapi.provider.sql.get_transform_from_spec``, cached per CRS pair (see the module's docstring)."""
    import pygeoapi.provider.sql as parent

    parent.get_transform_from_spec = cached_transform_from_spec


def cached_transform_from_spec(spec):
    """``pygeoapi.crs.get_transform_from_spec`` with the transform function built once per CRS pair."""
    if spec is None:
        return None
    return _transform_function(spec.source_crs_wkt, spec.target_crs_wkt, spec.always_xy)


@functools.lru_cache(maxsize=64)
def _transform_function(source_wkt: str, target_wkt: str, always_xy: bool):
    from pygeoapi.crs import get_transform_from_crs

    return get_transform_from_crs(pyproj.CRS.from_wkt(source_wkt), pyproj.CRS.from_wkt(target_wkt), always_xy)


def install_geometry_json(itemtypes) -> None:
    """Geometries written once into JSON answers of items and items/{id} (see the module's docstring, 3.)."""
    from pygeoapi.formats import F_JSON

    def with_fragments(handler):
        @functools.wraps(handler)
        def handle(api, request, *args, **kwargs):
            if getattr(request, "format", None) not in (None, F_JSON):
                return handler(api, request, *args, **kwargs)
            with geometry_json.fragments():
                return handler(api, request, *args, **kwargs)

        handle.geo_patched = True
        return handle

    for name in ("get_collection_items", "get_collection_item"):
        if not getattr(getattr(itemtypes, name), "geo_patched", False):
            setattr(itemtypes, name, with_fragments(getattr(itemtypes, name)))
    itemtypes.to_json = to_json


def to_json(dict_: dict, pretty: bool = False) -> str:
    """``pygeoapi.util.to_json`` written by orjson, which also takes the providers' ``orjson.Fragment``s."""
    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY | (orjson.OPT_INDENT_2 if pretty else 0)
    try:
        text = orjson.dumps(dict_, default=_json_default, option=option)
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits: the standard library writes it
        text = json.dumps(dict_, default=_json_default_text, indent=4 if pretty else None,
                          separators=(",", ":")).encode()
    return text.replace(b"<", b"&lt;").replace(b">", b"&gt;").decode()


def _json_default(value):
    from pygeoapi.util import json_serial

    result = json_serial(value)
    return result.decode() if isinstance(result, bytes) else result  # base64 of binary values


def _json_default_text(value):
    if isinstance(value, orjson.Fragment):
        return orjson.loads(orjson.dumps(value))
    return _json_default(value)
