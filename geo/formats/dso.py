"""Reading a DSO omgevingsplan delivery (STOP/TPOD): IMOW objects from the OW files, located through the GIOs.

``read_delivery(path)`` takes a folder or a .zip with OW files and GIO files and returns plain records:

- ``gebiedsaanwijzingen``: identificatie, naam, type and groep (TPOD code-list URIs), geometry;
- ``normen``: one row per location of each Normwaarde of every Omgevingsnorm and Omgevingswaarde: identificatie,
  naam, soort, type, groep, eenheid (URIs), normwaarde_id, kwantitatief, kwalitatief, waarde_in_regeltekst,
  locatie_id, geometry;
- ``activiteit_locaties``: one row per ActiviteitLocatieaanduiding of the juridische regels: identificatie,
  activiteit_id, naam and groep of the activiteit, regelkwalificatie, juridische_regel, geometry;
- ``problems``: objects that cannot be located (unresolved reference, geometry missing from or unreadable in
  the GIOs) or whose values are malformed, each with the reason; their records are left out.

Code-list values are returned as URIs (``geo.formats.tpod_codes`` gives labels); whether a value is acceptable
is the caller's rule. Geometry is in RD New; invalid geometry is returned as delivered, for the caller's checks.
Elements are matched by local name, so the reader follows IMOW versions that only change namespaces.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely

from geo.core.crs import RD_NEW
from geo.formats.dso_files import DeliveryFiles, read_files
from geo.formats.dso_locations import XLINK_HREF, Locations, child, child_text, refs
from geo.formats.safe_xml import local_name

__all__ = ["Delivery", "Problem", "read_delivery"]

log = logging.getLogger(__name__)

LOCATIE_TYPES = {"Gebied", "Gebiedengroep", "Lijn", "Lijnengroep", "Punt", "Puntengroep", "Ambtsgebied"}
NORM_TYPES = {"Omgevingsnorm": "omgevingsnorm", "Omgevingswaarde": "omgevingswaarde"}
REGEL_TYPES = {"RegelVoorIedereen", "Instructieregel", "Omgevingswaarderegel"}

GEBIEDSAANWIJZING_COLUMNS = ["identificatie", "naam", "type", "groep", "bestand"]
NORM_COLUMNS = ["identificatie", "naam", "soort", "type", "groep", "eenheid", "normwaarde_id", "kwantitatief",
                "kwalitatief", "waarde_in_regeltekst", "locatie_id", "bestand"]
ACTIVITEIT_COLUMNS = ["identificatie", "activiteit_id", "naam", "groep", "regelkwalificatie", "juridische_regel",
                      "bestand"]


@dataclass(frozen=True)
class Problem:
    """An object of the delivery left out, and why."""

    identificatie: str
    objecttype: str
    reason: str
    bestand: str


@dataclass
class Delivery:
    source: str
    gebiedsaanwijzingen: gpd.GeoDataFrame
    normen: gpd.GeoDataFrame
    activiteit_locaties: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)


def read_delivery(path: Path | str, ambtsgebied: tuple[str, object] | None = None) -> Delivery:
    """The Gebiedsaanwijzingen, norms and located activities of the delivery at ``path`` (folder or .zip).

    ``ambtsgebied``: (code, geometry) of the authority (e.g. ``("GM0297", area)``), the geometry of locations that
    are its Ambtsgebied. Raises SourceError naming the file when a file is malformed, truncated or unsafe, or when
    the delivery holds no OW file."""
    files = read_files(path)
    reader = _Reader(files, ambtsgebied)
    delivery = Delivery(
        source=files.source,
        gebiedsaanwijzingen=_frame(reader.gebiedsaanwijzingen(), GEBIEDSAANWIJZING_COLUMNS),
        normen=_frame(reader.normen(), NORM_COLUMNS),
        activiteit_locaties=_frame(reader.activiteit_locaties(), ACTIVITEIT_COLUMNS),
        problems=reader.problems,
    )
    log.info("%s: %d OW and %d GIO files; %d gebiedsaanwijzingen, %d norm locations, %d activity locations, "
             "%d objects left out", files.source, len(files.ow), len(files.gio), len(delivery.gebiedsaanwijzingen),
             len(delivery.normen), len(delivery.activiteit_locaties), len(delivery.problems))
    return delivery


class _Reader:
    def __init__(self, files: DeliveryFiles, ambtsgebied: tuple[str, object] | None = None):
        self.objects = dict(_ow_objects(files))  # identificatie -> (element, file)
        locaties = {i: el for i, (el, _) in self.objects.items() if local_name(el) in LOCATIE_TYPES}
        self.locations = Locations(locaties, files.gio, ambtsgebied)
        self.problems: list[Problem] = []

    def of_type(self, *names: str):
        return [(i, el, f) for i, (el, f) in self.objects.items() if local_name(el) in names]

    def locate(self, identificatie: str, element, bestand: str, locatie_ids: list[str]):
        """The union of the locations, or None after recording a problem for the object."""
        if not locatie_ids:
            return self._problem(identificatie, element, bestand, "no locatieaanduiding")
        shapes = []
        for locatie_id in locatie_ids:
            shape, reason = self.locations.resolve(locatie_id)
            if shape is None:
                return self._problem(identificatie, element, bestand, reason)
            shapes.append(shape)
        return shapes[0] if len(shapes) == 1 else shapely.union_all(shapes)

    def _problem(self, identificatie: str, element, bestand: str, reason: str) -> None:
        self.problems.append(Problem(identificatie, local_name(element), reason, bestand))
        return None

    def gebiedsaanwijzingen(self) -> list[dict]:
        rows = []
        for identificatie, element, bestand in self.of_type("Gebiedsaanwijzing"):
            geometry = self.locate(identificatie, element, bestand, refs(element, "locatieaanduiding"))
            if geometry is not None:
                rows.append({"identificatie": identificatie, "naam": child_text(element, "naam"),
                             "type": child_text(element, "type"), "groep": child_text(element, "groep"),
                             "bestand": bestand, "geometry": geometry})
        return rows

    def normen(self) -> list[dict]:
        rows = []
        for identificatie, element, bestand in self.of_type(*NORM_TYPES):
            norm = {"identificatie": identificatie, "naam": child_text(element, "naam"),
                    "soort": NORM_TYPES[local_name(element)], "type": child_text(element, "type"),
                    "groep": child_text(element, "groep"), "eenheid": child_text(element, "eenheid"),
                    "bestand": bestand}
            for waarde in _normwaarden(element):
                rows += self._normwaarde_rows(norm, waarde, element)
        return rows

    def _normwaarde_rows(self, norm: dict, waarde, element) -> list[dict]:
        values = _values(waarde)
        if isinstance(values, str):
            self._problem(norm["identificatie"], element, norm["bestand"], values)
            return []
        rows = []
        for locatie_id in refs(waarde, "locatieaanduiding") or [None]:
            geometry = self.locate(norm["identificatie"], element, norm["bestand"], [locatie_id] if locatie_id else [])
            if geometry is not None:
                rows.append({**norm, **values, "locatie_id": locatie_id, "geometry": geometry})
        return rows

    def activiteit_locaties(self) -> list[dict]:
        rows, seen = [], set()
        for regel_id, regel, bestand in self.of_type(*REGEL_TYPES):
            for activiteit_id, ala in _activiteit_locatieaanduidingen(regel):
                identificatie = child_text(ala, "identificatie")
                if identificatie in seen:
                    continue
                seen.add(identificatie)
                row = self._activiteit_row(identificatie, ala, activiteit_id, regel_id, bestand)
                if row:
                    rows.append(row)
        return rows

    def _activiteit_row(self, identificatie: str, ala, activiteit_id: str | None, regel_id: str,
                        bestand: str) -> dict | None:
        activiteit = self.objects.get(activiteit_id, (None, None))[0]
        if activiteit is None:
            return self._problem(identificatie, ala, bestand, f"activiteit {activiteit_id} is not in the delivery")
        geometry = self.locate(identificatie, ala, bestand, refs(ala, "locatieaanduiding"))
        if geometry is None:
            return None
        return {"identificatie": identificatie, "activiteit_id": activiteit_id,
                "naam": child_text(activiteit, "naam"), "groep": child_text(activiteit, "groep"),
                "regelkwalificatie": child_text(ala, "activiteitregelkwalificatie"),
                "juridische_regel": regel_id, "bestand": bestand, "geometry": geometry}


def _ow_objects(files: DeliveryFiles):
    """(identificatie, (element, file)) of every OW object."""
    for name, root in files.ow:
        for holder in (e for e in root.iter() if local_name(e) == "owObject"):
            for element in (c for c in holder if isinstance(c.tag, str)):
                identificatie = child_text(element, "identificatie")
                if identificatie:
                    yield identificatie, (element, name)


def _normwaarden(norm) -> list:
    holder = child(norm, "normwaarde")
    return [w for w in holder if local_name(w) == "Normwaarde"] if holder is not None else []


def _values(waarde) -> dict | str:
    """The values of a Normwaarde, or the reason they are malformed."""
    quantity = child_text(waarde, "kwantitatieveWaarde")
    try:
        number = float(quantity) if quantity is not None else None
    except ValueError:
        return f"kwantitatieveWaarde {quantity!r} is not a number"
    return {"normwaarde_id": child_text(waarde, "identificatie"), "kwantitatief": number,
            "kwalitatief": child_text(waarde, "kwalitatieveWaarde"),
            "waarde_in_regeltekst": child_text(waarde, "waardeInRegeltekst")}


def _activiteit_locatieaanduidingen(regel) -> list[tuple[str | None, object]]:
    """(activiteit identificatie, ActiviteitLocatieaanduiding) of each ``activiteitaanduiding`` of a regel."""
    pairs = []
    for holder in (c for c in regel if local_name(c) == "activiteitaanduiding"):
        activiteit = next((c.get(XLINK_HREF) for c in holder if local_name(c) == "ActiviteitRef"), None)
        pairs += [(activiteit, a) for a in holder if local_name(a) == "ActiviteitLocatieaanduiding"]
    return pairs


def _frame(rows: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=RD_NEW)
    return gpd.GeoDataFrame(rows, columns=[*columns, "geometry"], geometry="geometry", crs=RD_NEW)
