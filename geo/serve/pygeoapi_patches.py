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
"""

import functools

import pyproj

from geo.core.crs import CRS84_URI, crs_from_uri, stored_axis_order, transform_bbox_exact


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
