"""Coordinate reference systems: RD New for storage, CRS84 on the web."""

from functools import lru_cache

import numpy as np
import pyproj
import shapely

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD_NEW_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
WGS84_URI = "http://www.opengis.net/def/crs/EPSG/0/4326"

# Generous envelope of the Netherlands in RD New (land, coast and territorial sea).
NL_BOUNDS_RD = (-7000.0, 289000.0, 300000.0, 629000.0)


@lru_cache(maxsize=32)
def transformer(source: str, target: str, always_xy: bool = True) -> pyproj.Transformer:
    """A cached transformer (building one costs milliseconds).

    ``always_xy=False`` keeps each CRS's own axis order, as OGC API Features Part 2 asks for
    output: EPSG:4326 is then latitude, longitude; CRS84 stays longitude, latitude.
    """
    return pyproj.Transformer.from_crs(source, target, always_xy=always_xy)


def transform_geometries(geoms: np.ndarray, source: str, target: str, always_xy: bool = True) -> np.ndarray:
    """Transform an array of shapely geometries in one vectorised call."""
    if source == target or len(geoms) == 0:
        return geoms
    tr = transformer(source, target, always_xy)

    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _xy)


def stored_axis_order(crs: str) -> str:
    """The CRS of coordinates as a GeoPackage or PostGIS stores them: x is always longitude, so a storage CRS
    with latitude first (EPSG:4326) is read as OGC:CRS84 (same datum, longitude first)."""
    return "OGC:CRS84" if crs == WGS84 else crs


def inside_netherlands_rd(x: float, y: float) -> bool:
    """True when an RD New coordinate lies in the Netherlands' envelope."""
    minx, miny, maxx, maxy = NL_BOUNDS_RD
    return minx <= x <= maxx and miny <= y <= maxy


def crs_from_uri(uri: str) -> str:
    """'http://www.opengis.net/def/crs/EPSG/0/28992' -> 'EPSG:28992'; CRS84 -> 'OGC:CRS84'."""
    parts = uri.replace("urn:ogc:def:crs:", "").replace(":", "/").rstrip("/").split("/")
    authority, code = parts[-3], parts[-1]
    return f"{authority}:{code}"


# --- a bbox in another CRS, exactly -----------------------------------------------------------------

DENSIFY_POINTS = 21  # points added on each edge of a bbox before it is transformed
AREA_OF_USE_MARGIN_DEG = 5.0  # a bbox is clipped to the storage CRS's area of use widened by this margin


class TransformedBBox(list):
    """A bbox transformed into the storage CRS, for the providers.

    As a list it holds the 4 bounds of the transformed box (the index pre-filter). A box in one CRS is a
    curved quadrilateral in another (a CRS84 box is rotated in RD New), so its bounds select too much;
    ``polygon`` is the box's outline in the target CRS (densified edges) for the exact test, and ``inner``
    an axis-aligned rectangle inside it (or None): a feature whose envelope lies in ``inner`` intersects
    without a geometry test. An empty ``polygon`` (the box misses the CRS's area of use) selects nothing.
    """

    polygon: shapely.Geometry
    inner: tuple[float, float, float, float] | None


def transform_bbox_exact(bbox: list[float], source: str, target: str) -> list[float]:
    """``bbox`` (in ``source``'s own axis order, e.g. lat, lon for EPSG:4326) in ``target``.

    The same CRS returns the bbox itself (a plain list: the rectangle is exact). Otherwise the box is clipped
    to ``target``'s area of use (so a world bbox selects everything instead of overflowing), its edges are
    densified and transformed, and a ``TransformedBBox`` is returned.
    """
    box = [bbox[0], bbox[1], bbox[3], bbox[4]] if len(bbox) == 6 else list(bbox)
    if same_crs(source, target):
        return box
    clipped = _clip_to_area_of_use(box, source, target)
    if clipped is None:
        return _empty_bbox()
    tr = transformer(source, target, always_xy=False)
    ring = _densified_ring(*clipped)
    x, y = tr.transform(ring[:, 0], ring[:, 1])
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return _empty_bbox()
    polygon = shapely.make_valid(shapely.Polygon(np.column_stack([x, y])))
    result = TransformedBBox(polygon.bounds)
    result.polygon = polygon
    result.inner = _inner_rectangle(x, y, polygon)
    return result


def same_crs(a: str, b: str) -> bool:
    return a == b or _crs(a) == _crs(b)


@lru_cache(maxsize=32)
def _crs(name: str) -> pyproj.CRS:
    return pyproj.CRS.from_user_input(name)


def _densified_ring(minx: float, miny: float, maxx: float, maxy: float) -> np.ndarray:
    """The box's closed outline with DENSIFY_POINTS points on each edge, edge by edge: bottom, right, top, left."""
    t = np.linspace(0.0, 1.0, DENSIFY_POINTS + 2)[:-1]
    bottom = np.column_stack([minx + t * (maxx - minx), np.full_like(t, miny)])
    right = np.column_stack([np.full_like(t, maxx), miny + t * (maxy - miny)])
    top = np.column_stack([maxx - t * (maxx - minx), np.full_like(t, maxy)])
    left = np.column_stack([np.full_like(t, minx), maxy - t * (maxy - miny)])
    return np.vstack([bottom, right, top, left, bottom[:1]])


def _inner_rectangle(x: np.ndarray, y: np.ndarray, polygon) -> tuple | None:
    """An axis-aligned rectangle inside the transformed box, bounded by the innermost point of each edge.

    The edges are told apart by where they landed (an EPSG:4326 box has lat first, so its first edge
    becomes the left one in RD). Checked with shapely, since a strongly curved box may have none; at the
    ~1-2° of rotation between CRS84 and RD New it covers nearly the whole box.
    """
    n = DENSIFY_POINTS + 1
    edges = [(x[i * n:(i + 1) * n + 1], y[i * n:(i + 1) * n + 1]) for i in range(4)]
    by_x = sorted(edges, key=lambda e: e[0].mean())
    left, right = by_x[0], by_x[-1]
    bottom, top = sorted(by_x[1:3], key=lambda e: e[1].mean())
    inner = (left[0].max(), bottom[1].max(), right[0].min(), top[1].min())
    if inner[0] >= inner[2] or inner[1] >= inner[3]:
        return None
    return tuple(map(float, inner)) if polygon.contains(shapely.box(*inner)) else None


def _clip_to_area_of_use(box: list[float], source: str, target: str) -> list[float] | None:
    """``box`` cut to ``target``'s area of use (widened by a margin), in ``source``'s axis order; None if
    nothing is left. Outside its area of use a projection overflows or folds."""
    area = _crs(target).area_of_use
    if area is None:
        return box
    m = AREA_OF_USE_MARGIN_DEG
    domain = (max(-180.0, area.west - m), max(-90.0, area.south - m),
              min(180.0, area.east + m), min(90.0, area.north + m))
    if domain == (-180.0, -90.0, 180.0, 90.0):
        return box
    to_source = transformer("OGC:CRS84", source, always_xy=False)
    d = to_source.transform_bounds(*domain, densify_pts=DENSIFY_POINTS)
    clipped = [max(box[0], d[0]), max(box[1], d[1]), min(box[2], d[2]), min(box[3], d[3])]
    if clipped[0] > clipped[2] or clipped[1] > clipped[3]:
        return None
    return clipped


def _empty_bbox() -> TransformedBBox:
    result = TransformedBBox([0.0, 0.0, 0.0, 0.0])
    result.polygon = shapely.Polygon()
    result.inner = None
    return result
