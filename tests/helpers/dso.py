"""Reading a DSO delivery (OW files + GIO GML) for the tests: the official XSDs and a minimal lxml walk.

Shares no code with ``samples/`` (which writes with ElementTree): the schemas are Geonovum's and KOOP's
(``tests/data/dso_schemas``), every ``schemaLocation`` resolved to those files without network, and geometries
are rebuilt from ``gml:posList`` by hand.
"""

from functools import cache
from pathlib import Path

from lxml import etree
from shapely.geometry import MultiPolygon, Polygon

from helpers.paths import TESTDATA

SCHEMAS = TESTDATA / "dso_schemas"
CATALOG = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
NS = {
    "ow-dc": "http://www.geostandaarden.nl/imow/bestanden/deelbestand",
    "sl": "http://www.geostandaarden.nl/bestanden-ow/standlevering-generiek",
    "ga": "http://www.geostandaarden.nl/imow/gebiedsaanwijzing",
    "l": "http://www.geostandaarden.nl/imow/locatie",
    "r": "http://www.geostandaarden.nl/imow/regels",
    "rol": "http://www.geostandaarden.nl/imow/regelsoplocatie",
    "geo": "https://standaarden.overheid.nl/stop/imop/geo/",
    "basisgeo": "http://www.geostandaarden.nl/basisgeometrie/1.0",
    "gml": "http://www.opengis.net/gml/3.2",
    "mow": "http://www.geostandaarden.nl/bestanden-ow/manifest-ow",
}
HREF = "{http://www.w3.org/1999/xlink}href"


class _ShippedSchemas(etree.Resolver):
    """Every URL a schema imports, answered from tests/data/dso_schemas; anything else is an error."""

    def __init__(self):
        super().__init__()
        catalog = etree.parse(str(SCHEMAS / "extern" / "extern-catalog.xml"))
        self.urls = {e.get("name"): SCHEMAS / "extern" / e.get("uri") for e in catalog.iter(f"{{{CATALOG}}}uri")}
        self.urls["https://standaarden.overheid.nl/stop/1.3.0/imop-gio.xsd"] = SCHEMAS / "stop/1.3.0/imop-gio.xsd"

    def resolve(self, url, pubid, context):
        if url in self.urls:
            return self.resolve_filename(str(self.urls[url]), context)
        if url.startswith(("http://", "https://")):
            raise LookupError(f"{url}: not in tests/data/dso_schemas")
        return None


@cache
def schema(name: str) -> etree.XMLSchema:
    """``ow`` (IMOW_Deelbestand), ``manifest`` (manifest-ow) or ``gio`` (STOP imop-geo)."""
    path = {"ow": "imow/bestanden-ow/deelbestand-ow/IMOW_Deelbestand.xsd",
            "manifest": "imow/bestanden-ow/generiek/manifest-ow.xsd", "gio": "stop/1.3.0/imop-geo.xsd"}[name]
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_ShippedSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / path), parser))


def schema_errors(path: Path) -> list[str]:
    """The schema errors of one delivery file (the schema chosen by its root element), as ``file:line: message``."""
    doc = etree.parse(str(path))
    root = etree.QName(doc.getroot()).localname
    checker = schema({"owBestand": "ow", "Aanleveringen": "manifest", "GeoInformatieObjectVaststelling": "gio"}[root])
    checker.validate(doc)
    return [f"{path.name}:{e.line}: {e.message}" for e in checker.error_log]


def delivery_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.xml")) + sorted((folder / "gio").glob("*.gml"))


def ow_objects(folder: Path) -> dict[str, etree._Element]:
    """Every OW object of the delivery by its identificatie."""
    objects = {}
    for path in sorted(folder.glob("*.xml")):
        for obj in etree.parse(str(path)).iterfind(".//ow-dc:owObject/*", NS):
            ident = obj.find("{*}identificatie")
            objects[ident.text] = obj
    return objects


def gio_geometries(folder: Path) -> dict[str, MultiPolygon]:
    """basisgeo:id -> geometry, rebuilt from the GIOs' gml:posList (RD New)."""
    out = {}
    for path in sorted((folder / "gio").glob("*.gml")):
        for geometrie in etree.parse(str(path)).iterfind(".//basisgeo:Geometrie", NS):
            surface = geometrie.find("basisgeo:geometrie/gml:MultiSurface", NS)
            assert surface.get("srsName") == "urn:ogc:def:crs:EPSG::28992", path
            out[geometrie.findtext("basisgeo:id", namespaces=NS)] = MultiPolygon(
                [_polygon(p) for p in surface.iterfind(".//gml:Polygon", NS)])
    return out


def _polygon(element) -> Polygon:
    def ring(r):
        values = [float(v) for v in r.findtext(".//gml:posList", namespaces=NS).split()]
        return list(zip(values[::2], values[1::2]))
    return Polygon(ring(element.find("gml:exterior", NS)), [ring(i) for i in element.iterfind("gml:interior", NS)])


def location_geometry(objects: dict, geometries: dict, locatie_id: str):
    """The geometry of a Gebied or the union of a Gebiedengroep's Gebieden."""
    obj = objects[locatie_id]
    if etree.QName(obj).localname == "Gebied":
        return geometries[obj.find("l:geometrie/l:GeometrieRef", NS).get(HREF)]
    from shapely import union_all

    return union_all([location_geometry(objects, geometries, r.get(HREF)) for r in obj.iterfind(".//l:GebiedRef", NS)])


def omgevingsnorm_rows(folder: Path):
    """The delivery's norms as the ``omgevingsnorm`` collection holds them: one row per Normwaarde, its geometry
    the union of its locations (what a DSO reader makes of it; here an independent stand-in)."""
    import geopandas as gpd

    objects, geometries = ow_objects(folder), gio_geometries(folder)
    rows = []
    for obj in objects.values():
        soort = etree.QName(obj).localname.lower()
        if soort not in ("omgevingsnorm", "omgevingswaarde"):
            continue
        for waarde in obj.iterfind("rol:normwaarde/rol:Normwaarde", NS):
            refs = [r.get(HREF) for r in waarde.iterfind("rol:locatieaanduiding/l:LocatieRef", NS)]
            amount = waarde.findtext("rol:kwantitatieveWaarde", namespaces=NS)
            rows.append({"identificatie": obj.findtext("rol:identificatie", namespaces=NS),
                         "naam": obj.findtext("rol:naam", namespaces=NS), "soort": soort,
                         "type": obj.findtext("rol:type", namespaces=NS),
                         "normwaarde_kwantitatief": None if amount is None else float(amount),
                         "normwaarde_kwalitatief": waarde.findtext("rol:kwalitatieveWaarde", namespaces=NS),
                         "eenheid": obj.findtext("rol:eenheid", namespaces=NS),
                         "geometry": MultiPolygon(_polygons_of([location_geometry(objects, geometries, r)
                                                                for r in refs]))})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:28992")


def _polygons_of(geometries) -> list[Polygon]:
    from shapely import get_parts, union_all

    return [p for p in get_parts(union_all(geometries)) if p.geom_type == "Polygon"]
