"""AERIUS IMAER GML: emission sources (any ``*EmissionSource`` feature) with their NH3/NOx emissions.

IMAER is the exchange format of AERIUS Calculator/Register (namespace ``http://imaer.aerius.nl/<version>``);
the reader accepts any version. A source's geometry may be a point, line or polygon; we keep its
location as a point (the centroid for lines and areas), as the layer records where emission happens.
"""

from pathlib import Path

import geopandas as gpd
from lxml import etree
from shapely.geometry import LineString, Point, Polygon

from geo.core.crs import RD_NEW
from geo.core.errors import SourceError
from geo.formats.readers import require_file

GML = "http://www.opengis.net/gml/3.2"


def read_imaer(path: Path) -> gpd.GeoDataFrame:
    """One row per emission source: imaer_id, label, sector_id, nh3_emissie, nox_emissie (kg/jr), aantal_dieren."""
    path = require_file(path)
    try:
        root = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as err:
        raise SourceError(f"{path}: not well-formed XML ({err})") from err
    ns = root.nsmap.get("imaer") or ""
    if "imaer.aerius.nl" not in ns:
        raise SourceError(f"{path}: not an IMAER document (root namespace {root.tag})")
    sources = [el for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("EmissionSource")
               and el.tag.startswith(f"{{{ns}}}")]
    rows = [_source(el, ns) for el in sources]
    if not rows:
        raise SourceError(f"{path}: no emission sources in this IMAER document")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)


def _source(el, ns: str) -> dict:
    def text(xpath):
        found = el.find(xpath, {"imaer": ns, "gml": GML})
        return None if found is None else found.text

    return {
        "imaer_id": el.get(f"{{{GML}}}id"),
        "label": text("imaer:label"),
        "sector_id": el.get("sectorId"),
        "nh3_emissie": _emission(el, ns, "NH3"),
        "nox_emissie": _emission(el, ns, "NOX"),
        "aantal_dieren": _animals(el, ns),
        "geometry": _location(el),
    }


def _emission(el, ns: str, substance: str) -> float | None:
    """The source's own total (direct ``imaer:emission`` children), not the per-animal factors."""
    values = el.findall(f"imaer:emission/imaer:Emission[@substance='{substance}']/imaer:value", {"imaer": ns})
    return sum(float(v.text) for v in values) if values else None


def _animals(el, ns: str) -> int | None:
    counts = el.findall(".//imaer:numberOfAnimals", {"imaer": ns})
    return sum(int(c.text) for c in counts) if counts else None


def _location(el):
    pos = el.find(f".//{{{GML}}}Point/{{{GML}}}pos")
    if pos is not None:
        x, y = (float(v) for v in pos.text.split()[:2])
        return Point(x, y)
    poslist = el.find(f".//{{{GML}}}posList")
    if poslist is None:
        return None
    values = [float(v) for v in poslist.text.split()]
    coords = list(zip(values[0::2], values[1::2]))
    shape = Polygon(coords) if coords[0] == coords[-1] and len(coords) > 3 else LineString(coords)
    return shape.centroid


__all__ = ["read_imaer"]
