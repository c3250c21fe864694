"""Stikstof (screening): nitrogen deposition on the receptor hexagons of nitrogen-sensitive Natura 2000 areas.

Indicatieve screening, geen AERIUS-berekening; niet bruikbaar voor vergunningverlening.

Relevant hexagons are the AERIUS level-1 hexagons (``geo.core.hexagon``) that intersect a nitrogen-sensitive
area (``natura2000_gebied.stikstofgevoelig``). Each gets the area's KDW by the conservative rule (the
lowest KDW of the area's designated habitat types; no habitat map) and its background: the AERIUS
Monitor total deposition 2021, the area mean. The sources of the ``stikstofbron`` layer contribute by
the screening kernel of ``analyses.stikstof.model``.

No double counting: the Monitor total already holds every existing source, ours included. So
``totaal = achtergrond − (area mean of bijdrage_bronnen) + bijdrage_bronnen``: the area mean stays the
Monitor's, the local sources only redistribute it over the hexagons, and a measure lowers ``totaal`` by
exactly the contribution it removes. A hexagon in two areas belongs to the one with the lower KDW.
"""

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analyses.stikstof.model import BOVENGRENS_FACTOR, KERNEL, StikstofInputError, depositie, pair_contributions  # noqa: F401
from analyses.stikstof.style import bijdrage_style, hexagon_style
from geo.core import hexagon
from geo.core.crs import RD_NEW
from geo.core.registry import AnalysisSpec, LayerSpec, ProcessSpec
from geo.core.schema import LayerSchema, conform
from geo.store.geopackage import as_store

NAME = "stikstof"
TITLE = "Stikstofdepositie op Natura 2000 (screening)"
DISCLAIMER = "indicatieve screening, geen AERIUS-berekening; niet bruikbaar voor vergunningverlening"
KDW_REGEL = ("KDW per hexagon: de laagste KDW van de aangewezen habitattypen van het gebied "
             "(conservatieve regel, zonder habitatkaart)")
TOTAAL_REGEL = ("totaal = achtergrond (AERIUS Monitor 2021, gebiedsgemiddelde, inclusief alle bestaande "
                "bronnen) − gebiedsgemiddelde bijdrage van de bronnen + bijdrage in de hexagon; geen dubbeltelling")
BOVENGRENS_REGEL = (f"bovengrens = {BOVENGRENS_FACTOR:g} × bijdrage (gekalibreerd op AERIUS-runs waarop het model "
                    "niet gefit is: dekt de 10% zwaarst belaste hexagons in 90% van de gevallen); "
                    "'mogelijk overbelast' = totaal met de bovengrens van de bijdrage boven de KDW")
NIET_GEVOELIG = "niet stikstofgevoelig: geen relevante hexagons"
TOP_N = 3
GROUP = "Natuur en stikstof"

HEXAGON = LayerSpec(
    name="stikstof_hexagon",
    title="Stikstof per receptorhexagon (screening)",
    description=(f"Stikstofdepositie (mol N/ha/jr) per AERIUS-receptorhexagon (1 ha) in stikstofgevoelige "
                 f"Natura 2000-gebieden: {DISCLAIMER}. {KDW_REGEL}. {TOTAAL_REGEL}. {BOVENGRENS_REGEL}."),
    schema=LayerSchema(geometry="Polygon", key="receptor_id", required=("receptor_id", "natura2000_nr"), columns={
        "receptor_id": "int", "natura2000_nr": "int", "kdw_mol_ha_jr": "float", "achtergrond_mol_ha_jr": "float",
        "bijdrage_bronnen_mol_ha_jr": "float", "totaal_mol_ha_jr": "float", "overschrijding_mol_ha_jr": "float",
        "top_bronnen": "str", "bijdrage_bovengrens_mol_ha_jr": "float", "mogelijk_overbelast": "bool"}),
    public_fields=("receptor_id", "natura2000_nr", "kdw_mol_ha_jr", "achtergrond_mol_ha_jr",
                   "bijdrage_bronnen_mol_ha_jr", "totaal_mol_ha_jr", "overschrijding_mol_ha_jr", "top_bronnen",
                   "bijdrage_bovengrens_mol_ha_jr", "mogelijk_overbelast"),
    group=GROUP,
    title_field="receptor_id",
    style=hexagon_style(),
    draw_order=45,
    vector_tiles=True,
)
BRON_FIELDS = ("vthobject_id", "type", "bedrijfstype", "sector_id", "nh3_emissie", "nox_emissie", "binnen_gemeente")
BRON_BIJDRAGE = LayerSpec(
    name="stikstof_bron_bijdrage",
    title="Bijdrage per stikstofbron en Natura 2000-gebied (screening)",
    description=(f"Bijdrage van elke bron aan de hexagons met overschrijding van de KDW, per gebied, met rang "
                 f"(1 = grootste): {DISCLAIMER}. bijdrage_overschrijding_mol_jr = som over de hexagons in "
                 f"overschrijding (1 ha elk). {KDW_REGEL}."),
    schema=LayerSchema(geometry="Point", key="bron_gebied_id", required=("bron_gebied_id", "vthobject_id"), columns={
        "bron_gebied_id": "str", "vthobject_id": "str", "natura2000_nr": "int", "type": "str", "bedrijfstype": "str",
        "sector_id": "int", "nh3_emissie": "float", "nox_emissie": "float", "binnen_gemeente": "bool",
        "bijdrage_overschrijding_mol_jr": "float", "bijdrage_gemiddeld_mol_ha_jr": "float",
        "bijdrage_max_mol_ha_jr": "float", "hexagons_overschrijding": "int", "rang": "int"}),
    public_fields=("bron_gebied_id", "vthobject_id", "natura2000_nr", "type", "bedrijfstype", "sector_id",
                   "nh3_emissie", "nox_emissie", "binnen_gemeente", "bijdrage_overschrijding_mol_jr",
                   "bijdrage_gemiddeld_mol_ha_jr", "bijdrage_max_mol_ha_jr", "hexagons_overschrijding", "rang"),
    group=GROUP,
    title_field="vthobject_id",
    style=bijdrage_style(),
    draw_order=35,
)
RESULTS = (HEXAGON, BRON_BIJDRAGE)


@dataclass
class Screening:
    """Everything one screening run knows: areas, relevant hexagons, sources and their contributions."""

    gebieden: gpd.GeoDataFrame
    hexagons: gpd.GeoDataFrame  # the stikstof_hexagon columns
    bronnen: gpd.GeoDataFrame  # public source fields only
    pairs: pd.DataFrame  # bron (row of bronnen), hexagon (row of hexagons), mol_ha_jr
    gemeente: str


def screen(store_path: Path) -> Screening:
    """Run the screening on the layers of the store (nothing is written)."""
    store = as_store(store_path)
    gebieden = store.read("natura2000_gebied").sort_values("nr").reset_index(drop=True)
    bronnen = store.read("stikstofbron").reset_index(drop=True)
    bronnen = gpd.GeoDataFrame(bronnen[[*BRON_FIELDS, "geometry"]], geometry="geometry", crs=bronnen.crs)
    cells = relevant_hexagons(gebieden)
    src, rec, value = pair_contributions(bronnen, cells)
    pairs = pd.DataFrame({"bron": src, "hexagon": rec, "mol_ha_jr": value})
    info = store.info().set_index("name")
    return Screening(gebieden, _hexagon_values(cells, pairs, bronnen), bronnen, pairs,
                     str(info.loc["stikstofbron", "gemeente"]))


def relevant_hexagons(gebieden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Receptor hexagons of the nitrogen-sensitive areas with KDW and background (one area per hexagon)."""
    parts = []
    for area in gebieden[gebieden["stikstofgevoelig"].fillna(False).astype(bool)].itertuples():
        ids = hexagon.covering(area.geometry)
        parts.append(pd.DataFrame({"receptor_id": ids, "natura2000_nr": area.nr,
                                   "kdw_mol_ha_jr": area.laagste_kdw_mol_ha_jr,
                                   "achtergrond_mol_ha_jr": area.depositie_2021_mol_ha_jr}))
    table = pd.concat(parts) if parts else pd.DataFrame(columns=["receptor_id", "natura2000_nr", "kdw_mol_ha_jr",
                                                                 "achtergrond_mol_ha_jr"])
    table = table.sort_values(["receptor_id", "kdw_mol_ha_jr"]).drop_duplicates("receptor_id").reset_index(drop=True)
    return gpd.GeoDataFrame(table, geometry=hexagon.hexagons(table["receptor_id"].to_numpy()), crs=RD_NEW)


def _hexagon_values(cells: gpd.GeoDataFrame, pairs: pd.DataFrame, bronnen: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    bijdrage = np.bincount(pairs["hexagon"], weights=pairs["mol_ha_jr"], minlength=len(cells))
    area_mean = pd.Series(bijdrage).groupby(cells["natura2000_nr"].to_numpy()).transform("mean").to_numpy()
    totaal = np.maximum(cells["achtergrond_mol_ha_jr"].to_numpy() - area_mean + bijdrage, 0.0)
    out = cells.assign(bijdrage_bronnen_mol_ha_jr=bijdrage, totaal_mol_ha_jr=totaal,
                       overschrijding_mol_ha_jr=totaal - cells["kdw_mol_ha_jr"].to_numpy(),
                       top_bronnen=_top_sources(pairs, bronnen, len(cells)))
    return conform(bovengrens(out), HEXAGON.schema)


def bovengrens(cells: pd.DataFrame) -> pd.DataFrame:
    """``bijdrage_bovengrens`` (``BOVENGRENS_FACTOR`` × bijdrage) and ``mogelijk_overbelast``: the totaal with
    that upper value of the contribution above the KDW. The flag that must not miss the worst hexagons."""
    bijdrage = cells["bijdrage_bronnen_mol_ha_jr"].to_numpy(dtype=float)
    hoog = cells["totaal_mol_ha_jr"].to_numpy(dtype=float) + (BOVENGRENS_FACTOR - 1) * bijdrage
    kdw = cells["kdw_mol_ha_jr"].to_numpy(dtype=float)
    flag = pd.array(hoog > kdw, dtype="boolean")
    flag[np.isnan(kdw)] = pd.NA  # KDW onbekend: unknown, not "not overloaded"
    return cells.assign(bijdrage_bovengrens_mol_ha_jr=BOVENGRENS_FACTOR * bijdrage, mogelijk_overbelast=flag)


def _top_sources(pairs: pd.DataFrame, bronnen: gpd.GeoDataFrame, n: int) -> pd.Series:
    """Comma-separated ids of the TOP_N largest contributors per hexagon (numpy sort: no copies of ``pairs``)."""
    hexagon, value = pairs["hexagon"].to_numpy(), pairs["mol_ha_jr"].to_numpy()
    order = np.lexsort((-value, hexagon))  # by hexagon, then largest first; stable on ties
    ranked = hexagon[order]
    first = np.searchsorted(ranked, ranked, side="left")  # where each row's hexagon starts in the order
    keep = order[np.arange(len(order)) - first < TOP_N]
    ids = bronnen["vthobject_id"].to_numpy()[pairs["bron"].to_numpy()[keep]]
    joined = pd.Series(ids, index=hexagon[keep]).groupby(level=0, sort=True).agg(",".join)
    return joined.reindex(range(n)).reset_index(drop=True)


def bron_bijdrage(s: Screening) -> gpd.GeoDataFrame:
    """Per source and area: contribution to the hexagons in exceedance, and its rank in the area."""
    hexes = s.hexagons
    p = s.pairs.assign(nr=hexes["natura2000_nr"].to_numpy()[s.pairs["hexagon"]],
                       over=(hexes["overschrijding_mol_ha_jr"].to_numpy() > 0)[s.pairs["hexagon"]])
    p = p.assign(op_over=p["mol_ha_jr"].where(p["over"], 0.0))
    table = p.groupby(["bron", "nr"]).agg(bijdrage_overschrijding_mol_jr=("op_over", "sum"),
                                          bijdrage_max_mol_ha_jr=("mol_ha_jr", "max"),
                                          hexagons_overschrijding=("over", "sum")).reset_index()
    n_over = hexes[hexes["overschrijding_mol_ha_jr"] > 0].groupby("natura2000_nr").size()
    table["bijdrage_gemiddeld_mol_ha_jr"] = table["bijdrage_overschrijding_mol_jr"] / table["nr"].map(n_over)
    table["rang"] = table.sort_values(["bijdrage_overschrijding_mol_jr", "bijdrage_max_mol_ha_jr"], ascending=False
                                      ).groupby("nr").cumcount().reindex(table.index) + 1
    bron = s.bronnen.iloc[table["bron"].to_numpy()].reset_index(drop=True)
    out = bron.assign(natura2000_nr=table["nr"].to_numpy(), **{c: table[c].to_numpy() for c in table.columns
                                                                 if c not in ("bron", "nr")})
    out["bron_gebied_id"] = out["vthobject_id"] + "-" + out["natura2000_nr"].astype(str)
    return conform(out.sort_values(["natura2000_nr", "rang"]), BRON_BIJDRAGE.schema)


def results(s: Screening) -> dict[str, gpd.GeoDataFrame]:
    return {HEXAGON.name: s.hexagons, BRON_BIJDRAGE.name: bron_bijdrage(s)}


def run(store: Path, **inputs) -> dict[str, gpd.GeoDataFrame]:
    """The analysis contract: result GeoDataFrames of a screening of ``store`` (nothing published)."""
    return results(screen(store))


def after_build(store_path: Path, gemeente: str) -> None:
    """Refresh the published screening after a build (imported lazily: maps and rasters are heavy)."""
    from analyses.stikstof.run import after_build as hook

    hook(store_path, gemeente)


def parse_maatregel(text: str) -> tuple[str, float]:
    """``"BRON_ID:30%"`` (or ``:30``) → (``"BRON_ID"``, 30.0)."""
    bron_id, sep, pct = text.rpartition(":")
    try:
        value = float(pct.strip().rstrip("%"))
    except ValueError:
        value = None
    if not sep or not bron_id or value is None:
        raise StikstofInputError(f"maatregel {text!r}: expected BRON_ID:REDUCTIE%, e.g. ODNHN2009E0001:30%")
    return bron_id, value


def reductions(s: Screening, maatregelen: dict[str, float]) -> np.ndarray:
    """Decrease of deposition per hexagon (mol N/ha/jr) when each named source cuts its emission by pct %."""
    ids = s.bronnen["vthobject_id"].to_numpy()
    unknown = sorted(set(maatregelen) - set(ids))
    if unknown:
        raise StikstofInputError(f"maatregel: unknown bron_id {unknown[0]!r}; use a vthobject_id of the "
                                 f"stikstofbron layer (e.g. {ids[0]!r})")
    bad = {k: v for k, v in maatregelen.items() if not 0 <= v <= 100}
    if bad:
        key = next(iter(bad))
        raise StikstofInputError(f"maatregel {key}: reductie {bad[key]}% outside 0–100%")
    share = pd.Series(ids).map(maatregelen).fillna(0.0).to_numpy() / 100
    weights = s.pairs["mol_ha_jr"].to_numpy() * share[s.pairs["bron"].to_numpy()]
    return np.bincount(s.pairs["hexagon"], weights=weights, minlength=len(s.hexagons))


def report(s: Screening, maatregelen: dict[str, float] | None = None) -> dict:
    """Per area: mean and max deposition, hectares in exceedance before/after, hexagons leaving exceedance."""
    afname = reductions(s, maatregelen or {})
    hexes = s.hexagons.assign(afname=afname, na=s.hexagons["totaal_mol_ha_jr"] - afname)
    areas = [_area_report(area, hexes[hexes["natura2000_nr"] == area.nr]) for area in s.gebieden.itertuples()]
    return {"disclaimer": DISCLAIMER, "kdw_regel": KDW_REGEL, "totaal_regel": TOTAAL_REGEL,
            "bovengrens_regel": BOVENGRENS_REGEL,
            "maatregelen": [{"bron_id": k, "reductie_pct": v} for k, v in (maatregelen or {}).items()],
            "gebieden": areas}


def _area_report(area, hexes: pd.DataFrame) -> dict:
    head = {"natura2000_nr": int(area.nr), "naam": area.naam, "stikstofgevoelig": bool(area.stikstofgevoelig)}
    if hexes.empty:
        return head | {"opmerking": NIET_GEVOELIG, "hexagons": 0}
    kdw = float(hexes["kdw_mol_ha_jr"].iloc[0])
    before, after = hexes["totaal_mol_ha_jr"], hexes["na"]
    leaving = hexes.loc[(before > kdw) & (after <= kdw), "receptor_id"]
    return head | {
        "hexagons": len(hexes), "kdw_mol_ha_jr": kdw,
        "achtergrond_mol_ha_jr": float(hexes["achtergrond_mol_ha_jr"].iloc[0]),
        "voor": _summary(before, kdw), "na": _summary(after, kdw),
        "afname_gemiddeld_mol_ha_jr": round(float(hexes["afname"].mean()), 4),
        "afname_max_mol_ha_jr": round(float(hexes["afname"].max()), 4),
        "hexagons_uit_overschrijding": int(len(leaving)),
        "ha_mogelijk_overbelast": int(hexes["mogelijk_overbelast"].sum() * hexagon.AREA_M2 / 10_000),
        "receptor_ids_uit_overschrijding": [int(i) for i in leaving],
    }


def _summary(totaal: pd.Series, kdw: float) -> dict:
    return {"gemiddeld_mol_ha_jr": round(float(totaal.mean()), 2), "max_mol_ha_jr": round(float(totaal.max()), 2),
            "ha_overschrijding": int((totaal > kdw).sum() * hexagon.AREA_M2 / 10_000)}


# --- the specs (the commands in analyses.stikstof.cli, the process in analyses.stikstof.process) ---------
from analyses.stikstof.cli import analyse, build_national, nationaal  # noqa: E402

SPEC = AnalysisSpec(NAME, TITLE, results=RESULTS, command=analyse, after_build=after_build,
                    process=ProcessSpec("stikstof-scenario", "analyses.stikstof.process.StikstofScenarioProcessor"))
# the national screening (analyses.stikstof.nationaal): its own command group, nothing published per gemeente
NATIONAAL = AnalysisSpec("stikstof_nationaal", "Stikstof: landelijke screening (Dask)", command=nationaal,
                         build_all=build_national)
