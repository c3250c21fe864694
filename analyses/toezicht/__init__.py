"""Risicogericht toezicht: establishments ranked by an explainable risk score for supervision planning.

The score (0–100) is the sum of six components, each from a small table so a supervisor can recompute it:

============  ====  ==========================================================================================
component     max   points
============  ====  ==========================================================================================
naleving      30    in the 5 years up to the peildatum: 8 per inspection with a violation, 6 per enforcement
                    decision, 3 per complaint that is not 'ongegrond' (VTH export of inspections/complaints)
emissie       20    NH3 + NOx kg/jr: ≥5000 → 20, ≥2500 → 15, ≥1000 → 10, ≥500 → 6, ≥100 → 3
woningen      15    BAG verblijfsobjecten with woonfunctie within 250 m: ≥20 → 15, ≥5 → 10, ≥1 → 5
natuur        15    distance to the nearest nitrogen-sensitive Natura 2000 area: ≤250 m → 15, ≤1000 → 10, ≤2500 → 6,
                    ≤5000 → 3 (``stikstofgevoelig``; a bird area without such habitat, e.g. 162, earns none)
hexagonen     5     hexagons of ``stikstof_hexagon`` with overschrijding (``overschrijding`` or
                    ``overschrijding_mol_ha_jr``) > 0 within 1 km: ≥10 → 5, ≥1 → 3;
                    empty (and said so in the toelichting) when the store has no ``stikstof_hexagon``
vergunning    15    an emission source (≥100 kg NH3+NOx/jr) without a Wnb-besluit 'vergunning verleend' for its
                    id (``wnb_besluit.stikstofbron_id``): 15 when its decisions were refused or withdrawn, else 10
============  ====  ==========================================================================================

Ties rank by ``vthobject_id``. Establishments are the ``stikstofbron`` records plus the other companies that
only the VTH export knows (located at the export's x/y, emission 0). Permitted amounts are not modelled
(``wnb_besluit`` holds no permitted emission), so 'emitting more than permitted' is not scored.

The export is read record by record (``geo.formats.vth``); bad records go to the quarantine under ``toezicht_zaak``.
Both results are internal (``LayerSpec(internal=True)``): complainant names (``melder_naam``, ``melder_email``) exist
only in ``toezicht_zaak``, never in ``toezicht_prioriteit``, its CSV or its map.
"""

import logging
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analyses.toezicht.style import prioriteit_style
from geo.build.inputs import Base, Sources
from geo.core.errors import GeoError, SourceError
from geo.core.registry import AnalysisSpec, LayerSpec, ProcessSpec
from geo.core.schema import LayerSchema, check, conform
from geo.core.validate import Quarantine, reject_unknown_codes, screen
from geo.formats.vth import read_vth
from geo.store.geopackage import Store, as_store
from layers.common import add_natura2000_distance, flag_gemeente
from layers.natura2000_gebied import stikstofgevoelige

log = logging.getLogger(__name__)

NAME = "toezicht"
TITLE = "Risicogericht toezicht"
EXPORT = "vth_toezicht_{gemeente}.csv"
EXPORT_ENV = "GEO_VTH_TOEZICHT"
HEXAGONS = "stikstof_hexagon"
NEEDED = ("gemeentegebied", "verblijfsobject", "natura2000_gebied", "stikstofbron", "wnb_besluit")
SOORTEN = {"controle", "klacht", "handhaving"}
WINDOW_YEARS = 5
HOMES_M, HEXAGON_M, EMITTER_KG = 250, 1000, 100
EMISSIE_KLASSEN = [(5000, 20), (2500, 15), (1000, 10), (500, 6), (100, 3)]  # (at least kg/jr, points)
WONING_KLASSEN = [(20, 15), (5, 10), (1, 5)]  # (at least homes, points)
NATUUR_KLASSEN = [(250, 15), (1000, 10), (2500, 6), (5000, 3)]  # (at most metres, points)
HEXAGON_KLASSEN = [(10, 5), (1, 3)]
VERGUNNING_PUNTEN = {"geweigerd of ingetrokken": 15, "geen": 10, "verleend": 0, "n.v.t.": 0}

ZAAK_SCHEMA = LayerSchema(
    geometry="Point", key="zaaknummer", required=("zaaknummer", "vthobject_id", "soort", "datum"),
    columns={"zaaknummer": "str", "vthobject_id": "str", "inrichting": "str", "soort": "str", "datum": "date",
             "resultaat": "str", "omschrijving": "str", "melder_naam": "str", "melder_email": "str"},
    descriptions={"melder_naam": "complainant (natural person): internal only"},
)
PRIORITEIT_SCHEMA = LayerSchema(
    geometry="Point", key="vthobject_id", required=("vthobject_id", "rang", "risicoscore"),
    columns={
        "rang": "int", "vthobject_id": "str", "inrichting": "str", "herkomst": "str", "risicoscore": "int",
        "punten_naleving": "int", "controles_5jr": "int", "overtredingen_5jr": "int", "handhaving_5jr": "int",
        "klachten_5jr": "int", "laatste_controle": "date",
        "punten_emissie": "int", "nh3_emissie_kg": "float", "nox_emissie_kg": "float",
        "punten_woningen": "int", "woningen_250m": "int",
        "punten_natuur": "int", "afstand_natura2000_m": "float", "natura2000_nr": "int",
        "punten_hexagonen": "int", "hexagonen_overschrijding_1km": "int",
        "punten_vergunning": "int", "wnb_vergunning": "str",
        "toelichting": "str", "peildatum": "date", "binnen_gemeente": "bool",
    },
)
RESULTS = (
    LayerSpec(name="toezicht_prioriteit", title="Toezichtprioriteit (intern)",
              description="Inrichtingen gerangschikt naar een uitlegbare risicoscore voor het toezicht: naleving, "
                          "emissie, woningen en natuur in de buurt, vergunningssituatie. Intern.",
              group="Toezicht", schema=PRIORITEIT_SCHEMA, public_fields=tuple(PRIORITEIT_SCHEMA.columns),
              title_field="inrichting", internal=True, draw_order=35, style=prioriteit_style()),
    LayerSpec(name="toezicht_zaak", title="Toezicht- en handhavingszaken (intern)",
              description="Controles, klachten en handhavingsbesluiten uit de VTH-export. Intern: bevat namen van "
                          "melders.",
              group="Toezicht", schema=ZAAK_SCHEMA,
              public_fields=tuple(c for c in ZAAK_SCHEMA.columns if not c.startswith("melder_")),
              title_field="soort", internal=True, draw_order=35),
)


def run(store: Store, export: Path, peildatum: date | None = None,
        quarantine: Quarantine | None = None) -> dict[str, gpd.GeoDataFrame]:
    """``toezicht_prioriteit`` and ``toezicht_zaak`` from the store's layers and the VTH export."""
    quarantine = quarantine if quarantine is not None else Quarantine()
    peildatum = peildatum or date.today()
    zaken = read_zaken(export, quarantine)
    layers = {n: store.read(n).drop(columns="fid", errors="ignore") for n in NEEDED}
    hexagons = store.read(HEXAGONS) if HEXAGONS in store.layers() else None
    ranking = rank(establishments(layers, zaken), zaken, layers, hexagons, peildatum)
    return {"toezicht_prioriteit": ranking, "toezicht_zaak": zaken}


def read_zaken(path: Path, quarantine: Quarantine) -> gpd.GeoDataFrame:
    """The export's records that pass the checks; the others quarantined under ``toezicht_zaak``."""
    raw = read_vth(path, "toezicht_zaak", quarantine)
    zaken = screen(conform(raw, ZAAK_SCHEMA), ZAAK_SCHEMA, "toezicht_zaak", str(path), quarantine)
    zaken = reject_unknown_codes(zaken, "soort", SOORTEN, "toezicht_zaak", str(path), quarantine)
    return conform(zaken.sort_values("zaaknummer").reset_index(drop=True), ZAAK_SCHEMA)


def establishments(layers: dict, zaken: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The nitrogen sources, plus the establishments only the export knows (at its x/y, no emission)."""
    bronnen = layers["stikstofbron"]
    known = gpd.GeoDataFrame({
        "vthobject_id": bronnen["vthobject_id"], "inrichting": bronnen["bedrijfstype"], "herkomst": "stikstofbron",
        "nh3_emissie_kg": bronnen["nh3_emissie"].fillna(0.0), "nox_emissie_kg": bronnen["nox_emissie"].fillna(0.0),
    }, geometry=bronnen.geometry.values, crs=bronnen.crs)
    other = zaken[~zaken["vthobject_id"].isin(set(bronnen["vthobject_id"]))].drop_duplicates("vthobject_id")
    extra = gpd.GeoDataFrame({
        "vthobject_id": other["vthobject_id"], "inrichting": other["inrichting"], "herkomst": "vth-export",
        "nh3_emissie_kg": 0.0, "nox_emissie_kg": 0.0}, geometry=other.geometry.values, crs=zaken.crs)
    sensitive = stikstofgevoelige(layers["natura2000_gebied"])
    base = Base("", {"natura2000_gebied": sensitive, "gemeentegebied": layers["gemeentegebied"]})
    both = gpd.GeoDataFrame(pd.concat([known, extra], ignore_index=True), crs=known.crs)
    if sensitive.empty:  # no nitrogen-sensitive area near: no natuur points
        return flag_gemeente(both.assign(afstand_natura2000_m=np.nan, natura2000_nr=pd.NA), base)
    return flag_gemeente(add_natura2000_distance(both, base), base)


def rank(est: gpd.GeoDataFrame, zaken: gpd.GeoDataFrame, layers: dict, hexagons: gpd.GeoDataFrame | None,
         peildatum: date) -> gpd.GeoDataFrame:
    """Every component, the total and the rank (highest score first, ties by id)."""
    est = est.join(compliance(zaken, peildatum), on="vthobject_id")
    counts = ["controles_5jr", "overtredingen_5jr", "handhaving_5jr", "klachten_5jr"]
    est[counts] = est[counts].fillna(0).astype(int)
    emission = est["nh3_emissie_kg"] + est["nox_emissie_kg"]
    est["woningen_250m"] = count_within(est, homes(layers["verblijfsobject"]), HOMES_M)
    est["hexagonen_overschrijding_1km"] = _hexagon_counts(est, hexagons)
    est["wnb_vergunning"] = permit_status(est, layers["wnb_besluit"], emission)
    est = est.assign(
        punten_naleving=np.minimum(30, 8 * est["overtredingen_5jr"] + 6 * est["handhaving_5jr"]
                                   + 3 * est["klachten_5jr"]),
        punten_emissie=emission.map(lambda v: classify_at_least(v, EMISSIE_KLASSEN)),
        punten_woningen=est["woningen_250m"].map(lambda v: classify_at_least(v, WONING_KLASSEN)),
        punten_natuur=est["afstand_natura2000_m"].map(lambda v: classify_at_most(v, NATUUR_KLASSEN)),
        punten_hexagonen=est["hexagonen_overschrijding_1km"].map(
            lambda v: None if pd.isna(v) else classify_at_least(v, HEXAGON_KLASSEN)),
        punten_vergunning=est["wnb_vergunning"].map(VERGUNNING_PUNTEN),
        peildatum=peildatum.isoformat())
    return _finish(est, peildatum)


def _finish(est: gpd.GeoDataFrame, peildatum: date) -> gpd.GeoDataFrame:
    parts = ["punten_naleving", "punten_emissie", "punten_woningen", "punten_natuur", "punten_hexagonen",
             "punten_vergunning"]
    est["risicoscore"] = est[parts].fillna(0).sum(axis=1).astype(int)
    est = est.sort_values(["risicoscore", "vthobject_id"], ascending=[False, True]).reset_index(drop=True)
    est["rang"] = np.arange(1, len(est) + 1)
    est["toelichting"] = [explain(row, peildatum) for row in est.itertuples()]
    return conform(est, PRIORITEIT_SCHEMA)


def window_start(peildatum: date) -> date:
    """``WINDOW_YEARS`` before the peildatum; from 29 February it is 28 February of that year.

    >>> window_start(date(2028, 2, 29))
    datetime.date(2023, 2, 28)
    """
    try:
        return peildatum.replace(year=peildatum.year - WINDOW_YEARS)
    except ValueError:  # 29 February in a leap year, and the target year has none
        return peildatum.replace(year=peildatum.year - WINDOW_YEARS, day=28)


def compliance(zaken: gpd.GeoDataFrame, peildatum: date) -> pd.DataFrame:
    """Per vthobject_id: inspections, violations, enforcement decisions, complaints in the window; last inspection."""
    start = window_start(peildatum).isoformat()
    recent = zaken[(zaken["datum"] > start) & (zaken["datum"] <= peildatum.isoformat())]
    soort, resultaat = recent["soort"], recent["resultaat"].fillna("")
    flags = pd.DataFrame({
        "vthobject_id": recent["vthobject_id"], "controles_5jr": soort == "controle",
        "overtredingen_5jr": (soort == "controle") & (resultaat == "overtreding"),
        "handhaving_5jr": soort == "handhaving", "klachten_5jr": (soort == "klacht") & (resultaat != "ongegrond")})
    counts = flags.groupby("vthobject_id").sum().astype(int)
    inspections = zaken[(zaken["soort"] == "controle") & (zaken["datum"] <= peildatum.isoformat())]
    return counts.join(inspections.groupby("vthobject_id")["datum"].max().rename("laatste_controle"), how="outer")


def homes(vbo: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return vbo[vbo["gebruiksdoel"].fillna("").str.contains("woonfunctie")]


def count_within(points: gpd.GeoDataFrame, targets: gpd.GeoDataFrame, distance_m: float) -> np.ndarray:
    """How many ``targets`` lie within ``distance_m`` of each of ``points`` (R-tree, dwithin)."""
    if targets.empty:
        return np.zeros(len(points), dtype=int)
    hits = targets.sindex.query(points.geometry.values, predicate="dwithin", distance=distance_m)
    return np.bincount(hits[0], minlength=len(points))


def _hexagon_counts(est: gpd.GeoDataFrame, hexagons: gpd.GeoDataFrame | None) -> pd.Series:
    """Hexagons in exceedance (overschrijding > 0, counted once per receptor) within 1 km; empty when absent."""
    if hexagons is None:
        return pd.Series([pd.NA] * len(est), index=est.index, dtype="Int64")
    column = "overschrijding" if "overschrijding" in hexagons.columns else "overschrijding_mol_ha_jr"
    over = hexagons[pd.to_numeric(hexagons[column], errors="coerce") > 0]
    if "receptor_id" in over.columns:
        over = over.drop_duplicates("receptor_id")
    return pd.Series(count_within(est, over.reset_index(drop=True), HEXAGON_M), index=est.index, dtype="Int64")


def permit_status(est: gpd.GeoDataFrame, besluiten: gpd.GeoDataFrame, emission: pd.Series) -> pd.Series:
    """'verleend', 'geweigerd of ingetrokken', 'geen' (no decision) or 'n.v.t.' (below 100 kg/jr)."""
    by_source = besluiten.dropna(subset=["stikstofbron_id"]).groupby("stikstofbron_id")["besluittype"].agg(set)
    types = est["vthobject_id"].map(by_source)

    def status(kinds, kg):
        if kg < EMITTER_KG:
            return "n.v.t."
        if isinstance(kinds, set) and "vergunning verleend" in kinds:
            return "verleend"
        if isinstance(kinds, set) and kinds & {"geweigerd", "ingetrokken"}:
            return "geweigerd of ingetrokken"
        return "geen"

    return pd.Series([status(k, kg) for k, kg in zip(types, emission)], index=est.index)


def classify_at_least(value, classes: list[tuple[float, int]]) -> int:
    """Points of the first class whose lower bound ``value`` reaches.

    >>> classify_at_least(1200, [(5000, 20), (1000, 10)])
    10
    """
    return next((points for bound, points in classes if value >= bound), 0)


def classify_at_most(value, classes: list[tuple[float, int]]) -> int:
    """Points of the first class whose upper bound ``value`` stays within.

    >>> classify_at_most(800, [(250, 15), (1000, 10)])
    10
    """
    return next((points for bound, points in classes if value <= bound), 0)


def explain(r, peildatum: date) -> str:
    """The score in plain Dutch, one sentence per component."""
    since = window_start(peildatum).strftime("%d-%m-%Y")
    hexa = ("Stikstofhexagonen: niet beschikbaar (geen stikstof_hexagon in de store)."
            if pd.isna(r.punten_hexagonen) else
            f"Stikstofhexagonen ({r.punten_hexagonen} pnt): {r.hexagonen_overschrijding_1km} hexagonen met "
            f"overschrijding binnen 1 km.")
    return " ".join([
        f"Score {r.risicoscore} van 100.",
        f"Naleving ({r.punten_naleving} pnt): {r.overtredingen_5jr} overtreding(en) bij {r.controles_5jr} "
        f"controle(s), {r.handhaving_5jr} handhavingsbesluit(en), {r.klachten_5jr} klacht(en) sinds {since}.",
        f"Emissie ({r.punten_emissie} pnt): {_kg(r.nh3_emissie_kg)} kg NH3 en {_kg(r.nox_emissie_kg)} kg NOx per jaar.",
        f"Woningen ({r.punten_woningen} pnt): {r.woningen_250m} woning(en) binnen 250 m.",
        _natuur_text(r),
        hexa, f"Wnb-vergunning ({r.punten_vergunning} pnt): {_permit_text(r.wnb_vergunning)}."])


def _natuur_text(r) -> str:
    if pd.isna(r.afstand_natura2000_m):
        return f"Natuur ({r.punten_natuur} pnt): geen stikstofgevoelig Natura 2000-gebied in de buurt."
    return (f"Natuur ({r.punten_natuur} pnt): {_kg(r.afstand_natura2000_m)} m van stikstofgevoelig "
            f"Natura 2000-gebied {r.natura2000_nr}.")


def _permit_text(status: str) -> str:
    return {"verleend": "vergunning verleend", "geen": "geen verleende Wnb-vergunning bekend",
            "geweigerd of ingetrokken": "vergunning geweigerd of ingetrokken, geen verleende vergunning",
            "n.v.t.": "niet van toepassing (emissie onder 100 kg/jr)"}[status]


def _kg(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


# --- where the export is, publishing, and the after-build hook ------------------------------------------

def find_export(store: Store, gemeente: str, given: Path | None = None) -> Path | None:
    """The export: ``given``, else ``$GEO_VTH_TOEZICHT``, else beside the store's stikstofbron source."""
    from geo.core.settings import Settings

    given = given or Settings.from_env().vth_toezicht
    if given:
        return Path(given)
    sources = store.sources()
    paths = sources.loc[sources["layer"] == "stikstofbron", "path"]
    candidates = [Path(p).parent / EXPORT.format(gemeente=gemeente) for p in paths]
    return next((p for p in candidates if p.exists()), None)


def publish(store: Store, gemeente: str, export: Path, peildatum: date | None = None) -> dict:
    """Run and publish both (internal) results with the export as their source and its quarantine."""
    from geo.build.builder import publish_meta

    missing = [n for n in NEEDED if n not in store.layers()]
    if missing:
        raise GeoError(f"{store.path}: toezicht needs layers {missing}; run 'geo build'")
    sources = Sources(root=Path(export).parent, gemeentecode=gemeente, overrides={"vth_toezicht": Path(export)})
    sources.current_layer = "toezicht_zaak"
    path = sources.path("vth_toezicht", str(export))
    results = run(store, path, peildatum, sources.quarantine)
    meta = {}
    for spec in RESULTS:
        check(results[spec.name], spec.schema, spec.name)
        meta[spec.name] = publish_meta(spec, gemeente, sources.quarantine.count(spec.name))
    store.publish(results, meta, sources.used, sources.quarantine.frame())
    return results


def after_build(store_path: Path, gemeente: str) -> None:
    """After-build hook (``AnalysisSpec.after_build``): refresh the ranking when the store has the layers and an
    export is found."""
    store = as_store(store_path)
    if any(n not in store.layers() for n in NEEDED):
        return
    export = find_export(store, gemeente)
    if export is None:
        log.warning("toezicht: no VTH export %s beside the stikstofbron source and no $%s; "
                    "toezicht_prioriteit not updated", EXPORT.format(gemeente=gemeente), EXPORT_ENV)
        return
    try:
        publish(store, gemeente, export)
    except SourceError as err:
        log.warning("toezicht: %s; toezicht_prioriteit not updated", err)


# --- the spec (the command in analyses.toezicht.cli, the process in analyses.toezicht.process) -----------
from analyses.toezicht.cli import toezicht as command  # noqa: E402

SPEC = AnalysisSpec(NAME, TITLE, results=RESULTS, command=command, after_build=after_build,
                    process=ProcessSpec("toezicht", "analyses.toezicht.process.ToezichtProcessor", internal=True))
