"""Monitoring van het omgevingsplan: indicators per area over time, against the plan's omgevingswaarden.

Indicators (one row each in the store table ``geo_monitoring``; ``jaar`` empty for a snapshot of the build):

===========================  =================================  ==========================================
indicator                    gebied / categorie                 from
===========================  =================================  ==========================================
nh3_emissie_kg, nox_emissie  gemeente (sources inside) and the  ``stikstofbron``, snapshot
_kg                          nearest Natura 2000 area
bodemlocaties                gemeente / Wbb status              ``bodemverontreiniging`` (unique locatiecode),
                                                                snapshot
bodem_statuswijzigingen      gemeente / status, per jaar        ``statusdatum``: locations that reached their
                                                                current status in that year
wnb_besluiten                Natura 2000 area / besluittype,    ``wnb_besluit`` (year of besluitdatum, else
                             per jaar                           aanvraagdatum; each area concerned)
hectare_overschrijding       Natura 2000 area / scenario        ``stikstof_hexagon`` when the store has it
                             ('huidig'; a ``scenario`` column   (``overschrijding`` or
                             or ``overschrijding_<scenario>``   ``overschrijding_mol_ha_jr`` > 0);
                             columns become scenarios)          else not available
stikstofdepositie_mol_ha_jr  Natura 2000 area; categorie        ``natura2000_gebied`` (AERIUS Monitor):
                             'prognose 2030' with jaar 2030     ``depositie_2021_mol_ha_jr`` as snapshot,
                                                                ``depositie_2030_mol_ha_jr`` as prognosis
===========================  =================================  ==========================================

After every ``geo build`` the hook ``after_build`` appends the indicators of the current store to
``geo_monitoring`` with the build time and, per row, the source date of the layer it comes from
(``bronpeildatum``, the newest ``modified`` of that layer's sources), through an atomic copy-and-replace
(``geo.store.history``). A snapshot trend has one point per source date (the last build of that date wins), so
rebuilding unchanged sources adds no point.

Targets (``analyses.omgevingswaarden``): the omgevingswaarden of the omgevingsplan in the store (collection
``omgevingsnorm``) at their locations; only without them the voorbeeldnormen of ``data/omgevingswaarden.yml`` (or
``$GEO_OMGEVINGSWAARDEN``), labelled "voorbeeldnorm". A target for a later year than today (``jaar``) is shown
against that year (the chart's target marker sits at the year; the table gives the prognosis for it when the store
has one) and is not judged on today's value.
"""

import logging
from datetime import UTC, date, datetime
from pathlib import Path

import click
import pandas as pd

from analyses import omgevingswaarden
from geo.cli.options import gemeente_option, store_option
from geo.core.registry import AnalysisSpec
from geo.render.pages import write_page
from geo.store.geopackage import Store, as_store

log = logging.getLogger(__name__)

NAME = "monitoring"
TITLE = "Monitoring van de omgevingswaarden"
TABLE = "geo_monitoring"
TARGETS = omgevingswaarden.TARGETS
TARGETS_ENV = "GEO_OMGEVINGSWAARDEN"
HEXAGONS = "stikstof_hexagon"
COLUMNS = ["built_at", "gemeente", "indicator", "gebied", "categorie", "jaar", "waarde", "eenheid", "bronlaag",
           "bronpeildatum"]
UNITS = {"nh3_emissie_kg": "kg/jr", "nox_emissie_kg": "kg/jr", "bodemlocaties": "locaties",
         "bodem_statuswijzigingen": "locaties", "wnb_besluiten": "besluiten", "hectare_overschrijding": "ha",
         "stikstofdepositie_mol_ha_jr": "mol/ha/jr"}
PROGNOSE = "prognose"  # categorie prefix of a value expected in a later year (its jaar), not measured


def indicators(store: Store, gemeente: str) -> pd.DataFrame:
    """The indicators of the store as it is now (COLUMNS), without build time."""
    layers = set(store.layers())
    parts = []
    if "stikstofbron" in layers:
        parts.append(emissions(store.read("stikstofbron"), gemeente))
    if "bodemverontreiniging" in layers:
        parts += soil(store.read("bodemverontreiniging"), gemeente)
    if "wnb_besluit" in layers:
        parts.append(decisions(store.read("wnb_besluit")))
    if HEXAGONS in layers:
        parts.append(exceedance(store.read(HEXAGONS)))
    if "natura2000_gebied" in layers:
        parts.append(deposition(store.read("natura2000_gebied")))
    rows = pd.concat([p for p in parts if not p.empty], ignore_index=True) if parts else pd.DataFrame()
    return _with_sources(rows, store, gemeente)


def _rows(indicator: str, bronlaag: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(indicator=indicator, eenheid=UNITS[indicator], bronlaag=bronlaag)


def emissions(bronnen: pd.DataFrame, gemeente: str) -> pd.DataFrame:
    inside = bronnen[bronnen["binnen_gemeente"].fillna(False).astype(bool)]
    out = []
    for column, indicator in (("nh3_emissie", "nh3_emissie_kg"), ("nox_emissie", "nox_emissie_kg")):
        total = pd.DataFrame({"gebied": [gemeente], "waarde": [float(inside[column].fillna(0).sum())]})
        per_area = bronnen.groupby("natura2000_nr")[column].sum().reset_index()
        per_area = pd.DataFrame({"gebied": per_area["natura2000_nr"].astype(str), "waarde": per_area[column]})
        out.append(_rows(indicator, "stikstofbron", pd.concat([total, per_area], ignore_index=True)))
    return pd.concat(out, ignore_index=True).assign(categorie="", jaar=None)


def soil(bodem: pd.DataFrame, gemeente: str) -> list[pd.DataFrame]:
    """Locations per status now, and per year the locations that reached their current status then."""
    locaties = bodem.sort_values("identificatie").drop_duplicates("locatiecode")
    now = locaties.groupby("status").size().reset_index(name="waarde")
    snapshot = _rows("bodemlocaties", "bodemverontreiniging",
                     pd.DataFrame({"gebied": gemeente, "categorie": now["status"], "jaar": None,
                                   "waarde": now["waarde"].astype(float)}))
    years = locaties.assign(jaar=locaties["statusdatum"].astype(str).str[:4].astype(int))
    per_year = years.groupby(["status", "jaar"]).size().reset_index(name="waarde")
    history = _rows("bodem_statuswijzigingen", "bodemverontreiniging",
                    pd.DataFrame({"gebied": gemeente, "categorie": per_year["status"], "jaar": per_year["jaar"],
                                  "waarde": per_year["waarde"].astype(float)}))
    return [snapshot, history]


def decisions(besluiten: pd.DataFrame) -> pd.DataFrame:
    """Wnb decisions per year, besluittype and Natura 2000 area concerned."""
    day = besluiten["besluitdatum"].fillna(besluiten["aanvraagdatum"])
    frame = besluiten.assign(jaar=day.astype(str).str[:4], gebied=besluiten["natura2000_nrs"].fillna("").str.split(","))
    frame = frame.explode("gebied")
    frame = frame[(frame["gebied"].str.strip() != "") & frame["jaar"].str.isdigit()]
    counts = frame.groupby(["gebied", "besluittype", "jaar"]).size().reset_index(name="waarde")
    return _rows("wnb_besluiten", "wnb_besluit",
                 pd.DataFrame({"gebied": counts["gebied"], "categorie": counts["besluittype"],
                               "jaar": counts["jaar"].astype(int), "waarde": counts["waarde"].astype(float)}))


def exceedance(hexagons: pd.DataFrame) -> pd.DataFrame:
    """Hectares with overschrijding > 0 per Natura 2000 area and scenario (a hexagon without area: 1 ha)."""
    ha = hexagons["oppervlakte_ha"] if "oppervlakte_ha" in hexagons else _hectares(hexagons)
    frame = pd.DataFrame({"gebied": hexagons["natura2000_nr"].astype(str), "ha": ha})
    main = "overschrijding" if "overschrijding" in hexagons.columns else "overschrijding_mol_ha_jr"
    scenarios = {"": main} if "scenario" in hexagons else {"huidig": main}
    scenarios |= {c.removeprefix("overschrijding_").removesuffix("_mol_ha_jr"): c for c in hexagons.columns
                  if c.startswith("overschrijding_") and c != main}
    parts = []
    for name, column in scenarios.items():
        over = frame.assign(categorie=name if name else hexagons["scenario"].astype(str),
                            over=pd.to_numeric(hexagons[column], errors="coerce") > 0)
        parts.append(over[over["over"]].groupby(["gebied", "categorie"])["ha"].sum().reset_index(name="waarde"))
    rows = pd.concat(parts, ignore_index=True).assign(jaar=None)
    return _rows("hectare_overschrijding", HEXAGONS, rows)


def deposition(natura2000: pd.DataFrame) -> pd.DataFrame:
    """Total nitrogen deposition per Natura 2000 area (AERIUS Monitor): now, and the prognosis for 2030."""
    parts = []
    for column, categorie, jaar in (("depositie_2021_mol_ha_jr", "", None),
                                    ("depositie_2030_mol_ha_jr", f"{PROGNOSE} 2030", 2030)):
        known = natura2000[natura2000[column].notna()]
        parts.append(pd.DataFrame({"gebied": known["nr"].astype(str), "categorie": categorie, "jaar": jaar,
                                   "waarde": known[column].astype(float)}))
    return _rows("stikstofdepositie_mol_ha_jr", "natura2000_gebied", pd.concat(parts, ignore_index=True))


def _hectares(gdf) -> pd.Series:
    polygons = gdf.geom_type.isin(["Polygon", "MultiPolygon"])
    return (gdf.geometry.area / 10_000).where(polygons, 1.0)


def _with_sources(rows: pd.DataFrame, store: Store, gemeente: str) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    dates = store.sources().groupby("layer")["modified"].max()
    info = store.info().set_index("name")["built_at"]
    rows = rows.assign(gemeente=gemeente, bronpeildatum=rows["bronlaag"].map(dates).fillna(rows["bronlaag"].map(info)))
    rows["categorie"] = rows["categorie"].fillna("").astype(str)
    rows["jaar"] = pd.to_numeric(rows["jaar"], errors="coerce").astype("Int64")
    return rows.assign(built_at=None)[COLUMNS]


def record(store_path: Path, gemeente: str) -> pd.DataFrame:
    """Append the current indicators to ``geo_monitoring`` (atomically) and return them."""
    store = as_store(store_path)
    rows = indicators(store, gemeente)
    rows["built_at"] = store.info()["built_at"].max() or datetime.now(UTC).isoformat(timespec="seconds")
    if not rows.empty:
        store.append_rows(TABLE, rows)
    return rows


def after_build(store_path: Path, gemeente: str) -> None:
    """After-build hook (``AnalysisSpec.after_build``): one snapshot of the indicators per build."""
    rows = record(store_path, gemeente)
    log.info("monitoring: %d indicator values recorded in %s", len(rows), TABLE)


def history(store: Store) -> pd.DataFrame:
    """Every recorded indicator value of every build so far."""
    frame = store.read_table(TABLE)
    return frame if not frame.empty else pd.DataFrame(columns=COLUMNS)


def trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Snapshot indicators, one value per source date (the last build of that source date)."""
    snap = frame[frame["jaar"].isna()].copy()
    snap["peildatum"] = snap["bronpeildatum"].astype(str).str[:10]
    snap = snap.sort_values("built_at")
    return snap.drop_duplicates(["indicator", "gebied", "categorie", "peildatum"], keep="last")


def load_targets(path: Path | None = None) -> list[dict]:
    """The voorbeeldnormen (``analyses.omgevingswaarden.load_targets``)."""
    return omgevingswaarden.load_targets(path)


def assess_targets(latest: pd.DataFrame, targets: list[dict], today: date | None = None,
                   prognoses: pd.DataFrame | None = None) -> list[dict]:
    """Per target the latest value and 'voldoet' / 'voldoet niet' / 'niet beschikbaar'; a target for a later year
    than ``today`` is not judged on today's value ('doel voor <jaar>'); it gets the store's prognosis for the last
    year up to its own (``prognose``: jaar and waarde), when there is one."""
    today = today or date.today()
    out = []
    for t in targets:
        value = _latest_value(latest, t)
        future = bool(t.get("jaar")) and int(t["jaar"]) > today.year
        prognose = _prognose(prognoses, t) if future else None
        out.append({**t, "actueel": value, "prognose": prognose, "oordeel": _oordeel(t, value, future)})
    return out


def _latest_value(latest: pd.DataFrame, t: dict) -> float | None:
    match = latest[(latest["indicator"] == t["indicator"]) & (latest["gebied"] == t["gebied"])
                   & (latest["categorie"] == t["categorie"])]
    if len(match):
        return float(match["waarde"].iloc[-1])
    if t["indicator"] in set(latest["indicator"]) and t["categorie"]:
        return 0.0  # the indicator exists, this category has no records: zero
    return None


def _prognose(prognoses: pd.DataFrame | None, t: dict) -> dict | None:
    """The store's prognosis for the target's place nearest before or in its year: {"jaar", "waarde"}."""
    if prognoses is None or prognoses.empty:
        return None
    match = prognoses[(prognoses["indicator"] == t["indicator"]) & (prognoses["gebied"] == t["gebied"])
                      & (prognoses["jaar"].astype(int) <= int(t["jaar"]))].sort_values("jaar")
    return None if match.empty else {"jaar": int(match["jaar"].iloc[-1]), "waarde": float(match["waarde"].iloc[-1])}


def _oordeel(t: dict, value: float | None, future: bool) -> str:
    if value is None:
        return "niet beschikbaar"
    if future:
        return f"doel voor {int(t['jaar'])}: nog niet te beoordelen"
    ok = value <= t["waarde"] if t["norm"] == "max" else value >= t["waarde"]
    return "voldoet" if ok else "voldoet niet"


def prognoses(frame: pd.DataFrame) -> pd.DataFrame:
    """The prognosis rows (categorie 'prognose …') of the latest build."""
    latest = frame[frame["built_at"] == frame["built_at"].max()]
    return latest[latest["categorie"].astype(str).str.startswith(PROGNOSE)]


def render(frame: pd.DataFrame, targets: list[dict], gemeente: str, voorbeelddata: str = "", **options) -> str:
    """The monitoring page (``analyses.monitoring_page.render_page``: ``naam``, ``gebieden``, ``today``)."""
    from analyses.monitoring_page import render_page

    return render_page(frame, targets, gemeente, voorbeelddata, **options)


def write_page_for(store: Store, out: Path, gemeente: str, targets_path: Path | None = None,
                   today: date | None = None) -> Path:
    """The monitoring page of the store's history (the current indicators when it has none yet), against the
    plan's omgevingswaarden (else the voorbeeldnormen)."""
    from analyses.monitoring_page import area_names, municipality_name
    from geo.render.voorbeelddata import notice

    frame = history(store)
    if frame.empty:
        frame = indicators(store, gemeente).assign(built_at=store.info()["built_at"].max())
    targets = omgevingswaarden.targets(store, gemeente, targets_path)
    text = render(frame, targets, gemeente, notice(store), naam=municipality_name(store, gemeente),
                  gebieden=area_names(store), today=today)
    return write_page(text, out)


# --- the command `geo monitoring` and the spec ----------------------------------------

@click.command("monitoring")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML page to write.")
@click.option("--targets", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Voorbeeldnormen, used when the omgevingsplan in the store has no omgevingswaarden "
                   "(default: data/omgevingswaarden.yml or $GEO_OMGEVINGSWAARDEN).")
@gemeente_option
@store_option
def command(out, targets, gemeente, store):
    """Monitoring page: indicators over the builds so far against the omgevingswaarden."""
    from geo.cli.options import store_at

    s = store_at(store)
    write_page_for(s, out, gemeente, targets)
    click.echo(f"wrote {out}: {history(s)['built_at'].nunique()} build(s) in the history")


SPEC = AnalysisSpec(NAME, TITLE, command=command, after_build=after_build)
