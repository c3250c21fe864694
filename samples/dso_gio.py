"""GIO GML (STOP 1.3.0 ``imop-geo``): the geometry of a DSO delivery's locations, in RD New.

A GIO (geografisch informatieobject) is one ``geo:GeoInformatieObjectVaststelling`` with ``geo:Locatie`` elements;
each holds one ``basisgeo:Geometrie`` whose ``basisgeo:id`` (a UUID) the OW file points at with
``l:GeometrieRef xlink:href``. Written with the standard library's ElementTree, so the tests can check it with an
independent parser (lxml) against the official schemas.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon

STOP_VERSIE = "1.3.0"
NS = {
    "geo": "https://standaarden.overheid.nl/stop/imop/geo/",
    "gio": "https://standaarden.overheid.nl/stop/imop/gio/",
    "basisgeo": "http://www.geostandaarden.nl/basisgeometrie/1.0",
    "gml": "http://www.opengis.net/gml/3.2",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SRS_NAME = "urn:ogc:def:crs:EPSG::28992"
SCHEMA_LOCATION = f"{NS['geo']} https://standaarden.overheid.nl/stop/{STOP_VERSIE}/imop-geo.xsd"
ACHTERGROND = ("cbs", "2022-01-01")  # the CBS gebiedsindeling 2022 and the BAG the sample is drawn on


@dataclass(frozen=True)
class GioLocatie:
    """One location of a GIO: its name, the ``basisgeo:id`` the OW Gebied refers to, and an RD geometry."""

    naam: str
    basisgeo_id: str
    geometry: MultiPolygon | Polygon


def write_gio(path: Path, work: str, expression: str, locaties: list[GioLocatie]) -> Path:
    """Write one GIO (``work``/``expression``: its JOIN identifiers) with ``locaties`` to ``path``."""
    for prefix, uri in NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(_q("geo", "GeoInformatieObjectVaststelling"),
                      {"schemaversie": STOP_VERSIE, _q("xsi", "schemaLocation"): SCHEMA_LOCATION})
    context = ET.SubElement(ET.SubElement(root, _q("geo", "context")), _q("gio", "GeografischeContext"))
    _text(context, "gio", "achtergrondVerwijzing", ACHTERGROND[0])
    _text(context, "gio", "achtergrondActualiteit", ACHTERGROND[1])
    versie = ET.SubElement(ET.SubElement(root, _q("geo", "vastgesteldeVersie")), _q("geo", "GeoInformatieObjectVersie"))
    _text(versie, "geo", "FRBRWork", work)
    _text(versie, "geo", "FRBRExpression", expression)
    container = ET.SubElement(versie, _q("geo", "locaties"))
    for locatie in locaties:
        container.append(_locatie(locatie))
    ET.indent(root, space=" ")
    ET.ElementTree(root).write(path, encoding="UTF-8", xml_declaration=True)
    return path


def _locatie(locatie: GioLocatie) -> ET.Element:
    element = ET.Element(_q("geo", "Locatie"))
    _text(element, "geo", "naam", locatie.naam)
    gml_id = f"id-{locatie.basisgeo_id}"
    geometrie = ET.SubElement(ET.SubElement(element, _q("geo", "geometrie")), _q("basisgeo", "Geometrie"),
                              {_q("gml", "id"): gml_id})
    _text(geometrie, "basisgeo", "id", locatie.basisgeo_id)
    ET.SubElement(geometrie, _q("basisgeo", "geometrie")).append(multi_surface(locatie.geometry, gml_id))
    return element


def multi_surface(geometry: MultiPolygon | Polygon, gml_id: str) -> ET.Element:
    """A ``gml:MultiSurface`` in RD New; every geometry element gets a ``gml:id`` derived from ``gml_id``."""
    polygons = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    surface = ET.Element(_q("gml", "MultiSurface"), {_q("gml", "id"): f"{gml_id}-0", "srsName": SRS_NAME})
    for n, polygon in enumerate(polygons, start=1):
        member = ET.SubElement(surface, _q("gml", "surfaceMember"))
        gml_polygon = ET.SubElement(member, _q("gml", "Polygon"), {_q("gml", "id"): f"{gml_id}-{n}"})
        _ring(gml_polygon, "exterior", polygon.exterior.coords)
        for ring in polygon.interiors:
            _ring(gml_polygon, "interior", ring.coords)
    return surface


def _ring(polygon: ET.Element, kind: str, coords) -> None:
    ring = ET.SubElement(ET.SubElement(polygon, _q("gml", kind)), _q("gml", "LinearRing"))
    _text(ring, "gml", "posList", " ".join(f"{x:.3f} {y:.3f}" for x, y, *_ in coords))


def _text(parent: ET.Element, prefix: str, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, _q(prefix, name))
    element.text = value
    return element


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"
