"""The omgevingswaarden monitoring judges against: the omgevingsplan's own, else the voorbeeldnormen.

Where the store holds the collection ``omgevingsnorm`` (read from the plan's DSO delivery: ``identificatie, naam,
soort, type, normwaarde_kwantitatief, normwaarde_kwalitatief, eenheid, geometry``), every quantitative row of
``soort`` "omgevingswaarde" becomes a target at its location. Which indicator measures it follows from the words
in its ``naam``, ``type`` and ``eenheid`` (case-insensitive; ``INDICATOR_WORDS``):

================================  =============================  ==========================================
words                             indicator                      gebied
================================  =============================  ==========================================
stikstofdepositie, depositie      stikstofdepositie_mol_ha_jr    each nitrogen-sensitive Natura 2000
                                                                 area the location overlaps by ≥ 1 ha
ammoniak, nh3                     nh3_emissie_kg                 the gemeente, when the location is the
stikstofoxide, nox                nox_emissie_kg                 municipality (≥ 90 % of it, or no geometry:
                                                                 an ambtsgebied)
anything else (geluid, geur, ..)  none: "niet beschikbaar"       the store measures no noise or odour
================================  =============================  ==========================================

The year by which a value must be reached is the first year (20xx) in its ``naam`` ("…, uiterlijk 2035"): IMOW
has no attribute for it (the regeltekst says it). Without such a collection, or without a quantitative
omgevingswaarde in it, the targets come from ``data/omgevingswaarden.yml`` and are labelled "voorbeeldnorm".
"""

import logging
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml

from geo.core.errors import GeoError
from geo.store.geopackage import Store

log = logging.getLogger(__name__)

PLAN_LAYER = "omgevingsnorm"
PLAN_COLUMNS = ("identificatie", "naam", "soort", "type", "normwaarde_kwantitatief", "eenheid")
TARGETS = Path(__file__).resolve().parents[1] / "data" / "omgevingswaarden.yml"
PLAN, VOORBEELD = "omgevingsplan", "voorbeeldnorm"  # the herkomst of a target
INDICATOR_WORDS = (
    ("stikstofdepositie_mol_ha_jr", ("stikstofdepositie", "depositie")),
    ("nh3_emissie_kg", ("ammoniak", "nh3")),
    ("nox_emissie_kg", ("stikstofoxide", "nox")),
)
EENHEDEN = {"molperhectareperjaar": "mol/ha/jr", "kilogramperjaar": "kg/jr", "decibel": "dB", "meter": "m"}
MIN_OVERLAP_M2 = 10_000.0
MUNICIPALITY_SHARE = 0.9


def targets(store: Store, gemeente: str, path: Path | None = None) -> list[dict]:
    """The plan's omgevingswaarden as targets; without them the voorbeeldnormen of ``path``."""
    plan = plan_targets(store, gemeente)
    return plan or [{**t, "herkomst": VOORBEELD} for t in load_targets(path)]


def load_targets(path: Path | None = None) -> list[dict]:
    """The voorbeeldnormen: ``path``, else ``$GEO_OMGEVINGSWAARDEN``, else ``data/omgevingswaarden.yml``."""
    from geo.core.settings import Settings

    path = Path(path or Settings.from_env().omgevingswaarden or TARGETS)
    if not path.exists():
        raise GeoError(f"{path}: omgevingswaarden not found; see data/omgevingswaarden.yml for the format")
    with open(path, encoding="utf-8") as fh:
        found = (yaml.safe_load(fh) or {}).get("omgevingswaarden") or []
    for t in found:
        t["gebied"], t["categorie"] = str(t.get("gebied", "")), str(t.get("categorie") or "")
    return found


def plan_targets(store: Store, gemeente: str) -> list[dict]:
    """One target per (quantitative omgevingswaarde of the plan, gebied it applies to); [] without them."""
    if PLAN_LAYER not in store.layers():
        return []
    norms = store.read(PLAN_LAYER)
    missing = sorted(set(PLAN_COLUMNS) - set(norms.columns))
    if missing:
        log.warning("%s: no column %s; monitoring uses the voorbeeldnormen", PLAN_LAYER, ", ".join(missing))
        return []
    amount = pd.to_numeric(norms["normwaarde_kwantitatief"], errors="coerce")
    norms = norms.assign(normwaarde_kwantitatief=amount)
    norms = norms[(norms["soort"].astype(str).str.lower() == "omgevingswaarde") & amount.notna()]
    if norms.empty:
        return []
    places = _Places(store, gemeente)
    return [t for row in norms.sort_values("identificatie").itertuples() for t in _targets_for(row, places)]


def indicator_for(*texts: str | None) -> str | None:
    """The indicator that measures a norm described by ``texts`` (naam, type, eenheid), or None."""
    words = " ".join(str(t or "") for t in texts).lower()
    return next((ind for ind, keys in INDICATOR_WORDS if any(k in words for k in keys)), None)


def year_in(naam: str) -> int | None:
    """The year a value must be reached, from its name: "…, uiterlijk 2035" -> 2035; "Natura 2000" is no year.

    >>> year_in("Stikstofdepositie op Natura 2000-natuur, uiterlijk 2035"), year_in("Geluid in woongebieden")
    (2035, None)
    """
    years = re.findall(r"(?<!natura )\b(20\d\d)\b", (naam or "").lower())
    return int(years[-1]) if years else None


def eenheid_label(eenheid: str | None) -> str:
    """A TPOD eenheid URI (…/eenheid/id/concept/MolPerHectarePerJaar) as readers write it (mol/ha/jr)."""
    last = str(eenheid or "").rstrip("/").rsplit("/", 1)[-1]
    return EENHEDEN.get(last.lower(), last)


def _unit(eenheid: str | None, indicator: str | None) -> str:
    """The plan's unit; where TPOD's list has none (NogToeTeVoegen, e.g. mol/ha/jr) the indicator's own."""
    from analyses.monitoring import UNITS

    label = eenheid_label(eenheid)
    if label.lower() in ("", "nogtoetevoegen", "kilogram") and indicator in UNITS:
        return UNITS[indicator]
    return label


def _targets_for(row, places: "_Places") -> list[dict]:
    indicator = indicator_for(row.naam, row.type, row.eenheid)
    base = {"titel": row.naam, "indicator": indicator or "", "categorie": "", "norm": "max",
            "waarde": float(row.normwaarde_kwantitatief), "jaar": year_in(row.naam),
            "eenheid": _unit(row.eenheid, indicator), "grondslag": f"omgevingsplan, {row.identificatie}",
            "herkomst": PLAN}
    gebieden = places.gebieden(indicator, row.geometry)
    if not gebieden:
        reason = ("deze gegevens meten dit niet" if indicator is None
                  else "de locatie past bij geen gebied van de indicator")
        return [{**base, "gebied": "", "reden": reason}]
    return [{**base, "gebied": g} for g in gebieden]


class _Places:
    """The areas indicators are measured for: the municipality and the Natura 2000 areas in the store."""

    def __init__(self, store: Store, gemeente: str):
        layers = set(store.layers())
        self.gemeente = gemeente
        self.natura2000 = _sensitive(store.read("natura2000_gebied")) if "natura2000_gebied" in layers else None
        area = store.read("gemeentegebied") if "gemeentegebied" in layers else gpd.GeoDataFrame()
        area = area[area["statcode"] == gemeente] if not area.empty else area
        self.area = None if area.empty else area.geometry.union_all()

    def gebieden(self, indicator: str | None, geometry) -> list[str]:
        if indicator == "stikstofdepositie_mol_ha_jr":
            return self._natura2000(geometry)
        if indicator in ("nh3_emissie_kg", "nox_emissie_kg") and self._is_municipality(geometry):
            return [self.gemeente]
        return []

    def _natura2000(self, geometry) -> list[str]:
        if self.natura2000 is None or geometry is None or geometry.is_empty:
            return []
        overlap = self.natura2000.geometry.intersection(geometry).area
        return sorted(self.natura2000.loc[overlap >= MIN_OVERLAP_M2, "nr"].astype(str), key=_number_first)

    def _is_municipality(self, geometry) -> bool:
        if geometry is None or geometry.is_empty:
            return True  # an ambtsgebied: IMOW gives it no geometry of its own
        return self.area is not None and geometry.intersection(self.area).area >= MUNICIPALITY_SHARE * self.area.area


def _sensitive(natura2000: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The nitrogen-sensitive areas (a bird area without sensitive habitat has no deposition target)."""
    if "stikstofgevoelig" not in natura2000.columns:
        return natura2000
    return natura2000[natura2000["stikstofgevoelig"].fillna(False).astype(bool)]


def _number_first(text: str):
    return (0, int(text)) if text.isdigit() else (1, text)
