"""Every collection declares the spatial extent of its data, not the municipality's box (issue 14).

The generated config can only know the municipality (``geo config`` runs before any build), while results such
as ``stikstof_hexagon`` lie mostly outside it; QGIS "zoom to layer" and GDAL read the declared extent. So the
server replaces each collection's ``extents.spatial.bbox`` by the bounds of its data: for a GeoPackage from the
layer bounds the build wrote into ``gpkg_contents`` (re-read when a new build is published), for PostGIS from
the bounds the publish recorded in ``geo_layers`` (else
``ST_Extent`` of the collection's view; once per worker), for a coverage from its COG. Bounds are transformed
to CRS84 with densified edges, so the box holds every feature. A collection whose data cannot be read keeps
the configured extent.

A collection whose provider has a ``time_field`` (``LayerSpec.time_field``) also declares ``extents.temporal``:
the first and last value of that field in the data (``MIN``/``MAX``, read with the bbox), as RFC 3339 date-times
in UTC; a table without any value declares none.
"""

import functools
import logging
import math
import os
from pathlib import Path

import pyproj

from geo.core.crs import CRS84_URI
from geo.core.settings import Settings

log = logging.getLogger(__name__)
DENSIFY = 21  # points per edge: a box in RD is curved in lon/lat


def install(app, api, settings: Settings) -> None:
    """Declare data extents in ``api.config`` (JSON answers) and ``api.tpl_config`` (HTML pages); the store is
    ``settings.store`` (``GEO_STORE``, read at the server's edge)."""
    from flask import request

    state = {}

    def refresh():
        version = _store_version(settings.store or "")
        if "version" in state and version == state["version"]:
            return
        state["version"] = version
        for config in (api.config, api.tpl_config):
            apply(config["resources"], settings)

    refresh()
    app.before_request(lambda: refresh() if request.path.startswith("/collections") else None)


def apply(resources: dict, settings: Settings) -> None:
    """Set each collection's spatial bbox (CRS84) and, with a ``time_field``, its temporal interval from its data,
    where the data can be read."""
    for _cid, resource in resources.items():
        bbox = _data_bbox(resource, settings)
        if bbox is not None:
            spatial = resource.setdefault("extents", {}).setdefault("spatial", {})
            spatial.update({"bbox": _outward(bbox), "crs": CRS84_URI})
        interval = _data_interval(resource, settings)
        if interval is not None:
            resource.setdefault("extents", {})["temporal"] = {
                "begin": interval[0], "end": interval[1], "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}


def _outward(bbox: list[float], digits: int = 6) -> list[float]:
    """Rounded to ``digits`` decimals away from the data, so the rounded box still holds it."""
    scale = 10 ** digits
    return [math.floor(bbox[0] * scale) / scale, math.floor(bbox[1] * scale) / scale,
            math.ceil(bbox[2] * scale) / scale, math.ceil(bbox[3] * scale) / scale]


def _store_version(location: str):
    """Changes when a new GeoPackage is published; None (read once) for PostGIS."""
    try:
        st = os.stat(location)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _data_bbox(resource: dict, settings: Settings) -> list[float] | None:
    for provider in resource.get("providers", []):
        try:
            if provider.get("type") == "coverage":
                return _raster_bbox(provider["data"])
            if provider.get("type") == "feature" and "table" in provider:
                return _feature_bbox(provider, settings)
        except Exception as err:  # noqa: BLE001 - an unreadable layer keeps its configured extent
            log.warning("extent of %s not read from the data (%s); keeping the configured one",
                        provider.get("table") or provider.get("data"), type(err).__name__)
    return None


def _data_interval(resource: dict, settings: Settings) -> tuple[str, str] | None:
    """(first, last) value of the ``time_field`` of the collection's feature provider, as RFC 3339 in UTC."""
    for provider in resource.get("providers", []):
        field = provider.get("time_field")
        if provider.get("type") != "feature" or not field or "table" not in provider:
            continue
        try:
            if isinstance(provider.get("data"), dict):
                row = _postgis_min_max(provider, field, settings)
            else:
                row = _geopackage_min_max(provider["data"], provider["table"], field)
        except Exception as err:  # noqa: BLE001 - an unreadable layer declares no temporal extent
            log.warning("temporal extent of %s not read from the data (%s)", provider["table"], type(err).__name__)
            return None
        if row is None or None in row:
            return None
        return _rfc3339(row[0]), _rfc3339(row[1])
    return None


def _rfc3339(value) -> str:
    """A date (its start) or a date-time as an RFC 3339 date-time in UTC: 2018-01-05T00:00:00Z."""
    from datetime import UTC, date, datetime

    if isinstance(value, str):
        value = datetime.fromisoformat(value.upper().replace("Z", "+00:00")) if len(value) > 10 \
            else date.fromisoformat(value)
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    value = value.astimezone(UTC) if value.tzinfo else value
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _geopackage_min_max(path: str, table: str, field: str):
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        column, table = ('"' + name.replace('"', '""') + '"' for name in (field, table))
        return con.execute(f"SELECT MIN({column}), MAX({column}) FROM {table}").fetchone()
    finally:
        con.close()


def _postgis_min_max(provider: dict, field: str, settings: Settings):
    from sqlalchemy import text

    schema = (provider["data"].get("search_path") or ["public"])[0]
    sql = f'SELECT MIN("{field}"), MAX("{field}") FROM "{schema}"."{provider["table"]}"'
    with _engine(settings.store, settings.pg_password).connect() as con:
        return con.execute(text(sql)).first()


def _feature_bbox(provider: dict, settings: Settings) -> list[float] | None:
    if isinstance(provider.get("data"), dict):
        bounds = _postgis_bounds(provider, settings)
    else:
        from geo.store.geopackage import GeoPackageStore

        bounds = GeoPackageStore(provider["data"]).extent(provider["table"])
    return None if bounds is None else to_crs84(bounds, "EPSG:28992")


def _postgis_bounds(provider: dict, settings: Settings) -> tuple[float, float, float, float] | None:
    """The bounds the publish recorded for the layer (instant at any size), else ``ST_Extent`` of the view."""
    from sqlalchemy import text

    recorded = _store(settings.store, settings.pg_password).recorded_extent(provider["table"])
    if recorded is not None:
        return recorded
    schema = (provider["data"].get("search_path") or ["public"])[0]
    geom = provider.get("geom_field", "geom")
    sql = (f'SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent("{geom}") e '
           f'FROM "{schema}"."{provider["table"]}") t')
    with _engine(settings.store, settings.pg_password).connect() as con:
        row = con.execute(text(sql)).first()
    return None if row is None or None in row else tuple(float(v) for v in row)


@functools.cache
def _store(url: str, password: str | None = None):
    from geo.store.postgis import PostGISStore

    return PostGISStore(url, password=password)


def _engine(url: str, password: str | None = None):
    return _store(url, password).engine


def _raster_bbox(path: str) -> list[float] | None:
    import rasterio

    if not Path(path).is_file():
        return None
    with rasterio.open(path) as src:
        return to_crs84(tuple(src.bounds), src.crs.to_string())


def to_crs84(bounds, crs: str) -> list[float]:
    """``bounds`` (minx, miny, maxx, maxy in ``crs``) as a CRS84 box that holds the whole area."""
    tr = pyproj.Transformer.from_crs(crs, "OGC:CRS84", always_xy=True)
    return list(tr.transform_bounds(*bounds, densify_pts=DENSIFY))
