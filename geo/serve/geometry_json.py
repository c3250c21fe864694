"""Feature geometries as GeoJSON text, written once, with coordinates rounded to a precision that fits the CRS.

RFC 7946 §11.2: "6 decimal places ... ~10 cm" is already more than a register's geometry can claim. We round to
7 decimals in degrees (CRS84, EPSG:4326: ~1 cm), 3 in RD New (EPSG:28992: mm) and 2 in Web Mercator (EPSG:3857: cm);
``GEO_COORDINATE_DECIMALS`` (``Settings.coordinate_decimals``) changes them. The rounding happens after the CRS
transform and after the bbox test (which the providers do in the storage CRS on the stored geometry).

Both feature providers (GeoPackage and PostGIS) hand their shapely geometries, already in the output CRS, to
``encode``: one walk over the coordinate arrays (``shapely.to_ragged_array``), ``numpy.round`` (which gives the
double nearest to each rounded decimal, so it prints with at most N decimals) and orjson writing the numpy
arrays. For a plain JSON/GeoJSON answer the text goes into the response as an ``orjson.Fragment``
(``geo.serve.pygeoapi_patches.install_geometry_json``); HTML, JSON-LD, CSV and every caller outside an items
request get the same text parsed back into a dict (``as_fragments`` is off by default).
"""

import contextlib
import contextvars
import functools
import re
from collections.abc import Iterator

import numpy as np
import orjson
import pyproj
import shapely
from shapely import GeometryType

from geo.core.crs import crs_from_uri

__all__ = ["DEFAULT_DECIMALS", "batched_texts", "configure", "decimals_for", "encode", "fragments", "geometry_texts",
           "parse_decimals"]

DEFAULT_DECIMALS = {"OGC:CRS84": 7, "EPSG:4326": 7, "EPSG:28992": 3, "EPSG:3857": 2}
DEGREES, METRES = 7, 3  # a CRS missing from the table: by its unit

_decimals = dict(DEFAULT_DECIMALS)
_as_fragments = contextvars.ContextVar("geo_geometry_as_fragments", default=False)
_NAMES = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon"}
_NUMPY = orjson.OPT_SERIALIZE_NUMPY


def parse_decimals(text: str | None) -> dict[str, int]:
    """``"EPSG:28992=3,OGC:CRS84=6"`` over the defaults; ValueError naming the setting when malformed.

    >>> parse_decimals("EPSG:28992=2")["EPSG:28992"]
    2
    """
    table = dict(DEFAULT_DECIMALS)
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        match = re.fullmatch(r"((?:EPSG|OGC):\w+)\s*=\s*(\d{1,2})", item, re.IGNORECASE)
        if not match or int(match[2]) > 15:
            raise ValueError(f"GEO_COORDINATE_DECIMALS: {item!r} is not CRS=DECIMALS with 0-15 decimals, "
                             f"e.g. 'EPSG:28992=3,OGC:CRS84=7'")
        table[match[1].upper()] = int(match[2])
    return table


def configure(text: str | None) -> None:
    """Set the decimals per CRS for this process (``create_app``, from ``Settings.coordinate_decimals``)."""
    _decimals.clear()
    _decimals.update(parse_decimals(text))


def decimals_for(crs_uri: str) -> int:
    """Decimals of coordinates in the CRS named by an OGC URI (or ``EPSG:n``)."""
    key = _crs_key(str(crs_uri))
    return _decimals[key] if key in _decimals else _by_unit(key)


@contextlib.contextmanager
def fragments() -> Iterator[None]:
    """Within: ``encode`` returns ``orjson.Fragment``s (the answer is JSON written by orjson)."""
    token = _as_fragments.set(True)
    try:
        yield
    finally:
        _as_fragments.reset(token)


def encode(geoms, crs_uri: str) -> list:
    """GeoJSON geometries of ``geoms`` (shapely, in the CRS of ``crs_uri``), rounded: orjson fragments inside
    ``fragments()``, dicts elsewhere; None for a missing geometry."""
    texts = geometry_texts(np.asarray(geoms, dtype=object), decimals_for(crs_uri))
    if _as_fragments.get():
        return [None if t is None else orjson.Fragment(t) for t in texts]
    return [None if t is None else orjson.loads(t) for t in texts]


SMALL_BATCH = 8  # up to this many geometries (a single item, a small page) one by one: no ragged-array set-up


def geometry_texts(geoms: np.ndarray, decimals: int) -> list[bytes | None]:
    """GeoJSON text (UTF-8) of each geometry, coordinates rounded to ``decimals``.

    A few geometries are written one by one (~30 µs for a hexagon); more in one walk over their coordinate arrays,
    whose set-up (~0.4 ms) pays off from about ten geometries on. Both give the same text."""
    if len(geoms) <= SMALL_BATCH:
        return [None if g is None else _one_text(g, decimals) for g in geoms]
    return batched_texts(geoms, decimals)


def batched_texts(geoms: np.ndarray, decimals: int) -> list[bytes | None]:
    """``geometry_texts`` for many geometries: one ``shapely.to_ragged_array`` per family and dimension."""
    texts: list[bytes | None] = [None] * len(geoms)
    if not len(geoms):
        return texts
    types = shapely.get_type_id(geoms)
    family = np.where(types >= 0, _FAMILY_OF[types], -2)  # -2: missing
    family[(family >= 0) & shapely.is_empty(geoms)] = -1
    for index in np.flatnonzero(family == -1):  # empty ones, collections, rings: the general way
        texts[index] = _via_mapping(geoms[index], decimals)
    has_z = shapely.has_z(geoms)
    for kind in (0, 1, 3):
        for z in (False, True):
            index = np.flatnonzero((family == kind) & (has_z == z))
            if len(index):
                for i, text in zip(index.tolist(), _family_texts(geoms[index], types[index], decimals, z)):
                    texts[i] = text
    return texts


_FAMILY_OF = np.array([0, 1, -1, 3, 0, 1, 3, -1])  # type id -> the family shapely.to_ragged_array writes together
_MULTI = (GeometryType.MULTIPOINT, GeometryType.MULTILINESTRING, GeometryType.MULTIPOLYGON)


def _family_texts(geoms: np.ndarray, types: np.ndarray, decimals: int, z: bool) -> list[bytes]:
    """Geometries of one family (points, lines or polygons, single or multi) and one dimension, as text. In a
    family with both, shapely writes every geometry as multi: a single one is then the first (only) part."""
    kind, coords, offsets = shapely.to_ragged_array(geoms, include_z=z)
    nested = _nest(kind, np.round(coords, decimals), offsets)
    promoted = kind in _MULTI
    return [orjson.dumps({"type": _NAMES[t], "coordinates": c[0] if promoted and t in (0, 1, 3) else c},
                         option=_NUMPY)
            for t, c in zip(types.tolist(), nested)]


def _nest(kind, coords: np.ndarray, offsets: tuple) -> list:
    """The coordinate arrays of each geometry as GeoJSON nests them (views into ``coords``, no copies)."""
    if kind == GeometryType.POINT:
        return list(coords)
    ends = offsets[0].tolist()
    nested = [coords[a:b] for a, b in zip(ends[:-1], ends[1:])]  # the innermost sequences: lines, rings, ...
    for bounds in offsets[1:]:
        ends = bounds.tolist()
        nested = [nested[a:b] for a, b in zip(ends[:-1], ends[1:])]
    return nested


def _one_text(geom, decimals: int) -> bytes:
    """One geometry's text, its coordinate arrays read part by part (points, lines and polygons, single or multi;
    empty ones and collections the general way)."""
    kind = shapely.get_type_id(geom)
    if kind not in _NAMES or shapely.is_empty(geom):
        return _via_mapping(geom, decimals)
    z = bool(shapely.has_z(geom))

    def coords(part):
        return np.round(shapely.get_coordinates(part, include_z=z), decimals)

    if kind in (GeometryType.POINT, GeometryType.LINESTRING, GeometryType.MULTIPOINT):
        nested = coords(geom)
        nested = nested[0] if kind == GeometryType.POINT else nested
    elif kind == GeometryType.POLYGON:
        nested = [coords(ring) for ring in shapely.get_rings(geom)]
    elif kind == GeometryType.MULTILINESTRING:
        nested = [coords(line) for line in shapely.get_parts(geom)]
    else:
        nested = [[coords(ring) for ring in shapely.get_rings(polygon)] for polygon in shapely.get_parts(geom)]
    return orjson.dumps({"type": _NAMES[int(kind)], "coordinates": nested}, option=_NUMPY)


def _via_mapping(geom, decimals: int) -> bytes:
    """Empty geometries, collections, rings: rounded, then shapely's mapping (slow, rare)."""
    rounded = shapely.transform(geom, lambda c: np.round(c, decimals), include_z=bool(shapely.has_z(geom)))
    return orjson.dumps(shapely.geometry.mapping(rounded), option=_NUMPY)


@functools.lru_cache(maxsize=32)
def _by_unit(key: str) -> int:
    return DEGREES if pyproj.CRS.from_user_input(key).is_geographic else METRES


def _crs_key(uri: str) -> str:
    """``OGC:CRS84`` or ``EPSG:n`` for the OGC URI (or short name) of a CRS."""
    return crs_from_uri(uri) if "/" in uri else uri.upper()
