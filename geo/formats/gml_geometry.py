"""GML 3.2 geometry elements (as STOP GIO files hold them) to shapely, in RD New.

Covers what a GIO delivers: Point, MultiPoint, LineString, Curve, MultiCurve, Polygon, Surface and
MultiSurface, with coordinates in ``posList``, ``pos`` or the older ``coordinates``. A geometry in another CRS
than EPSG:28992 (GIO also allows ETRS89) or one that cannot be read raises ``GmlError`` with the reason; the
caller quarantines the object that uses it.
"""

import shapely
from shapely.geometry import LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon

from geo.formats.safe_xml import local_name

__all__ = ["GmlError", "gml_to_shape"]

RD_SRS = ("EPSG::28992", "EPSG/0/28992", "EPSG:28992")


class GmlError(ValueError):
    """A GML geometry that cannot be turned into a shapely geometry (the message says why)."""


def gml_to_shape(element, srs: str | None = None):
    """The shapely geometry of the GML geometry ``element``; ``srs`` is inherited from an enclosing element."""
    srs = element.get("srsName") or srs
    if srs and not any(code in srs for code in RD_SRS):
        raise GmlError(f"srsName {srs}; expected EPSG:28992 (RD New)")
    kind = local_name(element)
    reader = _READERS.get(kind)
    if reader is None:
        raise GmlError(f"GML geometry type {kind} is not supported")
    return reader(element)


def _children(element, name: str) -> list:
    return [c for c in element if local_name(c) == name]


def _descendants(element, name: str) -> list:
    return [c for c in element.iter() if local_name(c) == name]


def _coordinates(element) -> list[tuple[float, float]]:
    """The (x, y) pairs of a Point/LineString/LinearRing, from posList, pos elements or coordinates."""
    pos_list = _children(element, "posList")
    if pos_list:
        dim = int(pos_list[0].get("srsDimension") or 2)
        return _pairs(_numbers(pos_list[0].text), dim)
    positions = _children(element, "pos")
    if positions:
        return [_pairs(_numbers(p.text), len((p.text or "").split()) or 2)[0] for p in positions]
    coordinates = _children(element, "coordinates")
    if coordinates:
        return _old_coordinates(coordinates[0].text or "")
    raise GmlError(f"{local_name(element)} without coordinates")


def _old_coordinates(text: str) -> list[tuple[float, float]]:
    """``gml:coordinates``: tuples "x,y x,y"; without commas (as some GIOs write it) a flat "x y x y"."""
    if "," not in text:
        return _pairs(_numbers(text), 2)
    pairs = [_numbers(t.replace(",", " ")) for t in text.split()]
    if any(len(p) < 2 for p in pairs):
        raise GmlError("gml:coordinates with a tuple of fewer than 2 values")
    return [(p[0], p[1]) for p in pairs]


def _numbers(text: str | None) -> list[float]:
    try:
        return [float(v) for v in (text or "").split()]
    except ValueError as err:
        raise GmlError(f"coordinates are not numbers ({err})") from err


def _pairs(values: list[float], dim: int) -> list[tuple[float, float]]:
    if dim < 2 or not values or len(values) % dim:
        raise GmlError(f"{len(values)} coordinate values do not form {dim}-dimensional positions")
    return [(values[i], values[i + 1]) for i in range(0, len(values), dim)]


def _point(element) -> Point:
    return Point(_coordinates(element)[0])


def _line(element) -> LineString:
    segments = _descendants(element, "LineStringSegment")
    coords = [xy for s in segments for xy in _coordinates(s)] if segments else _coordinates(element)
    if len(coords) < 2:
        raise GmlError("a line needs at least 2 positions")
    return LineString(coords)


def _ring(element) -> list[tuple[float, float]]:
    rings = _children(element, "LinearRing")
    if not rings:
        raise GmlError("a polygon boundary without LinearRing")
    coords = _coordinates(rings[0])
    if len(coords) < 4 or coords[0] != coords[-1]:
        raise GmlError("a polygon ring is not closed or has fewer than 4 positions")
    return coords


def _polygon(element) -> Polygon:
    exterior = _children(element, "exterior")
    if not exterior:
        raise GmlError("a polygon without exterior")
    return Polygon(_ring(exterior[0]), [_ring(i) for i in _children(element, "interior")])


def _surface(element) -> MultiPolygon:
    patches = _descendants(element, "PolygonPatch")
    return MultiPolygon([_polygon(p) for p in patches])


def _members(element, member_names: tuple[str, ...]) -> list:
    """The geometries inside ``surfaceMember``/``surfaceMembers`` (and the like) of a multi-geometry."""
    shapes = []
    for member in (m for m in element if local_name(m) in member_names):
        shapes += [gml_to_shape(g) for g in member if local_name(g) in _READERS]
    if not shapes:
        raise GmlError(f"{local_name(element)} without members")
    return shapes


def _multi_surface(element) -> MultiPolygon:
    parts = _members(element, ("surfaceMember", "surfaceMembers", "polygonMember"))
    return MultiPolygon([p for s in parts for p in shapely.get_parts(s)])


def _multi_curve(element) -> MultiLineString:
    parts = _members(element, ("curveMember", "curveMembers", "lineStringMember"))
    return MultiLineString([p for s in parts for p in shapely.get_parts(s)])


def _multi_point(element) -> MultiPoint:
    return MultiPoint(_members(element, ("pointMember", "pointMembers")))


_READERS = {
    "Point": _point, "MultiPoint": _multi_point,
    "LineString": _line, "Curve": _line, "MultiCurve": _multi_curve, "MultiLineString": _multi_curve,
    "Polygon": _polygon, "Surface": _surface, "MultiSurface": _multi_surface, "MultiPolygon": _multi_surface,
}
