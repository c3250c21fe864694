"""IMOW Locaties of a delivery resolved to geometry: Gebied/Lijn/Punt → ``l:GeometrieRef`` → the GIO's
``basisgeo:id``; Gebiedengroep/Lijnengroep/Puntengroep → the union of their members.

A reference that does not resolve is not an error of the delivery as a whole: ``resolve`` returns the reason,
and the reader quarantines the object that uses the location.
"""

import shapely

from geo.formats.gml_geometry import GmlError, gml_to_shape
from geo.formats.safe_xml import local_name

__all__ = ["Locations", "XLINK_HREF", "child", "child_text", "refs"]

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
SINGLE = {"Gebied", "Lijn", "Punt"}
GROUPS = {"Gebiedengroep", "Lijnengroep", "Puntengroep"}
MAX_DEPTH = 8  # groups hold single locations; deeper nesting is a cycle or a broken file


def child(element, name: str):
    """The first direct child with local name ``name``, or None."""
    return next((c for c in element if local_name(c) == name), None)


def child_text(element, name: str) -> str | None:
    found = child(element, name)
    text = (found.text or "").strip() if found is not None else ""
    return text or None


def refs(element, container: str) -> list[str]:
    """The identificaties referred to inside ``container`` (``xlink:href`` of each ``…Ref``, else its text)."""
    holder = child(element, container)
    if holder is None:
        return []
    return [(r.get(XLINK_HREF) or r.text or "").strip() for r in holder if local_name(r).endswith("Ref")]


class Locations:
    """The Locatie objects of the OW files and the geometries of the GIO files of one delivery.

    An ``Ambtsgebied`` (the whole territory of the authority) has no GIO: its geometry is the bestuurlijke grens
    the caller knows, ``ambtsgebied = (code, geometry)`` (e.g. ``("GM0297", area)``), used when the Ambtsgebied's
    ``bestuurlijkeGrenzenID`` is that code."""

    def __init__(self, locaties: dict, gio: list[tuple[str, object]], ambtsgebied: tuple[str, object] | None = None):
        self.locaties = locaties  # identificatie -> OW element (Gebied, Gebiedengroep, ...)
        self.geometries = dict(_gio_geometries(gio))  # basisgeo:id -> shapely geometry or GmlError message
        self.ambtsgebied = ambtsgebied

    def resolve(self, identificatie: str, depth: int = 0):
        """(geometry, None) for a resolvable location, else (None, reason)."""
        element = self.locaties.get(identificatie)
        if element is None:
            return None, f"locatie {identificatie} is not in the delivery"
        kind = local_name(element)
        if kind in SINGLE:
            return self._geometry(identificatie, element)
        if kind in GROUPS and depth < MAX_DEPTH:
            return self._group(identificatie, element, depth)
        if kind == "Ambtsgebied":
            return self._ambtsgebied(identificatie, element)
        return None, f"locatie {identificatie} is a {kind}; its geometry is not in the delivery"

    def _ambtsgebied(self, identificatie: str, element):
        code = next((e.text or "" for e in element.iter() if local_name(e) == "bestuurlijkeGrenzenID"), "").strip()
        if self.ambtsgebied is None or code.upper() != self.ambtsgebied[0].upper():
            known = f"; only {self.ambtsgebied[0]} is known" if self.ambtsgebied else ""
            return None, f"locatie {identificatie} is the Ambtsgebied of {code or '?'}: not in the delivery{known}"
        return self.ambtsgebied[1], None

    def _geometry(self, identificatie: str, element):
        geometrie = child(element, "geometrie")
        ids = refs(element, "geometrie") if geometrie is not None else []
        if not ids:
            return None, f"locatie {identificatie} has no GeometrieRef"
        found = self.geometries.get(ids[0])
        if found is None:
            return None, f"locatie {identificatie}: geometry {ids[0]} is in no GIO of the delivery"
        if isinstance(found, str):
            return None, f"locatie {identificatie}: geometry {ids[0]} in the GIO is unreadable ({found})"
        return found, None

    def _group(self, identificatie: str, element, depth: int):
        members = refs(element, "groepselement")
        if not members:
            return None, f"locatie {identificatie} is a group without members"
        shapes = []
        for member in members:
            shape, reason = self.resolve(member, depth + 1)
            if shape is None:
                return None, reason
            shapes.append(shape)
        try:
            return shapely.union_all(shapes), None
        except shapely.errors.GEOSException:  # a GIO may hold invalid rings: join their repaired areas
            pass
        try:
            return shapely.union_all([_repaired(shape) for shape in shapes]), None
        except shapely.errors.GEOSException as err:
            return None, f"locatie {identificatie}: its members cannot be joined ({err})"


def _repaired(shape):
    """A valid geometry of the same kind: an invalid polygon's areas (make_valid may add stray lines)."""
    if shape.is_valid:
        return shape
    fixed = shapely.make_valid(shape)
    if shape.geom_type in ("Polygon", "MultiPolygon"):
        parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return fixed


def _gio_geometries(gio: list[tuple[str, object]]):
    """(basisgeo:id, geometry or the reason it is unreadable) of every Geometrie in the GIO files."""
    for _, root in gio:
        for element in (e for e in root.iter() if local_name(e) == "Geometrie"):
            geometry_id = child_text(element, "id")
            holder = child(element, "geometrie")
            if geometry_id:
                yield geometry_id, _shape(holder)


def _shape(holder):
    shapes = [c for c in holder if isinstance(c.tag, str)] if holder is not None else []
    if not shapes:
        return "no GML geometry"
    try:
        return gml_to_shape(shapes[0])
    except GmlError as err:
        return str(err)
