"""The omgevingsplan as the DSO delivers it (STOP/TPOD): shared by the layers built from one delivery.

The delivery (a folder or a .zip of OW and GIO files) is read once per build (``geo.formats.dso``) and shared by
``omgevingsplan_functie``, ``omgevingsnorm`` and ``activiteit_locatie``; each quarantines the objects of its
own kind that the reader left out, and checks the TPOD code-list values it uses.
"""

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.build.inputs import Base, Sources
from geo.core.validate import reject_where
from geo.formats import tpod_codes
from geo.formats.dso import Delivery, read_delivery

__all__ = ["is_delivery", "delivery", "quarantine_problems", "reject_unknown_uris", "labels", "nl_number"]


def is_delivery(path: Path) -> bool:
    """A DSO delivery is a folder or a .zip (the GeoPackage and IMRO GML sources are single files)."""
    path = Path(path)
    return path.is_dir() or path.suffix.lower() == ".zip"


def delivery(sources: Sources, path: Path, base: Base | None = None) -> Delivery:
    """The delivery at ``path``, read once per build; a location that is the municipality's Ambtsgebied is its
    area (``base.gebied``)."""
    key = ("dso", str(path))
    if key not in sources.cache:
        ambtsgebied = (base.gemeentecode, base.gebied) if base and "gemeentegebied" in base.layers else None
        sources.cache[key] = read_delivery(path, ambtsgebied)
    return sources.cache[key]


def quarantine_problems(found: Delivery, objecttypes: set[str], layer: str, sources: Sources) -> None:
    """The objects of ``objecttypes`` the reader left out go to the quarantine of ``layer``, with the reason."""
    for problem in found.problems:
        if problem.objecttype in objecttypes:
            record = pd.DataFrame([{"identificatie": problem.identificatie, "objecttype": problem.objecttype}])
            sources.quarantine.reject(layer, problem.bestand, record, problem.reason)


def reject_unknown_uris(gdf: gpd.GeoDataFrame, column: str, waardelijsten: tuple[str, ...], layer: str,
                        source: str, sources: Sources, optional: bool = False) -> gpd.GeoDataFrame:
    """Quarantine the records whose ``column`` (a URI) is in none of the TPOD ``waardelijsten``."""
    allowed = set().union(*(tpod_codes.values_of(name) for name in waardelijsten))
    blank = gdf[column].isna()
    bad = ~gdf[column].isin(allowed) & ~(blank & optional)
    reason = f"{column} not in the TPOD waardelijst {' / '.join(waardelijsten)}"
    return reject_where(gdf, bad.to_numpy(), reason, layer, source, sources.quarantine)


def labels(uris: pd.Series) -> pd.Series:
    """The TPOD labels of a column of code-list URIs (None where unknown)."""
    return uris.map(tpod_codes.label).astype("object")


def nl_number(value: float) -> str:
    """A number as advisors read it: decimal comma, thousands with a dot, no trailing zeros (12,5; 1.250)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")
