"""Generated nitrogen sources and Wnb decisions for a municipality without open registers of them.

Stikstofbronnen: a VTH export as an omgevingsdienst would write it (semicolon CSV, Windows-1252, Dutch
decimal commas, RD x/y), with the attribute names of the IGO 'veehouderijen' layer. Farms sit at the farm
houses of the BAG sample (the countryside, outside villages and Natura 2000); animal numbers per farm type
and NH3 per animal place are of the order of the Dutch emission factors (Omgevingsregeling bijlage V),
e.g. ~10 kg NH3 per dairy cow with young stock, ~2 kg per fattening pig place. A few companies on the
business parks emit NOx.

Wnb-besluiten: decisions (since 2024 'Natura 2000-activiteit') on a share of those sources and on some
housing projects at village edges, 2012-2025. The AERIUS result per decision is a screening estimate
from the source's emission and its distance to each nearby Natura 2000 area (so the decisions are
consistent with the sources), rounded to two decimals as AERIUS reports it. Applicant names and contact
details are fictitious and private.

The same for every municipality of Noord-Holland Noord: ``Bevoegdgezag`` is the municipality's name
(``bevoegd_gezag``), the farms are those of its (generated) BAG sample.
"""

import csv
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.core.crs import RD_NEW
from samples.bag import RURAL_STREETS

# bedrijfstype: (share, animal column, animal range, kg NH3 per animal per year range)
FARM_TYPES = {
    "Melkrundvee": (0.55, "rundvee", (60, 260), (8.0, 13.0)),
    "Vleesvee": (0.08, "rundvee", (30, 200), (4.0, 6.0)),
    "Schapen": (0.10, "schapen", (60, 600), (0.5, 0.9)),
    "Vleesvarkens": (0.06, "varkens", (500, 4000), (1.2, 3.0)),
    "Zeugen": (0.03, "varkens", (150, 900), (2.5, 4.5)),
    "Leghennen": (0.05, "kippen", (15000, 90000), (0.02, 0.09)),
    "Vleeskuikens": (0.03, "kippen", (30000, 120000), (0.02, 0.05)),
    "Geiten": (0.04, "geiten", (300, 2000), (1.5, 2.5)),
    "Paarden": (0.06, None, (5, 40), (4.0, 6.0)),
}
COMPANIES = [("Asfaltcentrale", 1800, (4000, 15000)), ("Betonmortelcentrale", 1800, (500, 3000)),
             ("Glastuinbouw WKK", 4140, (2000, 12000)), ("Loonbedrijf", 1800, (300, 1500)),
             ("Metaalbewerking", 1800, (200, 2500)), ("Voedingsmiddelenindustrie", 1050, (1000, 8000))]
SURNAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Groot", "Bos",
            "Kos", "Schouten", "Tesselaar", "Dekker", "Blom", "Kaan", "Pronk", "Kramer", "Zijp", "Çelik"]
INITIALS = "ABCDEGHJKLMPRSTW"
BESLUITTYPEN = ["vergunning verleend", "vergunning verleend", "vergunning verleend", "vergunning verleend",
                "geweigerd", "ingetrokken", "buiten behandeling", "ontwerpbesluit", "aanvraag"]
CSV_COLUMNS = ["OD", "VTHOBJECT_ID", "Bevoegdgezag", "Naam", "Adres", "Type", "Ippc_installatie", "Aantal_stallen",
               "NH3_emissie", "NOx_emissie", "Geur_emissie", "Fijnstof_emissie", "Geiten", "Kippen", "Rundvee",
               "Schapen", "Varkens", "Overige_dieren", "Bedrijfstype", "SectorID", "X", "Y"]


def generate_stikstofbronnen(vbo: gpd.GeoDataFrame, seed: int = 441, bevoegd_gezag: str = "Schagen") -> pd.DataFrame:
    """VTH-export rows (CSV_COLUMNS) for livestock farms at BAG farm houses and a few companies."""
    rng = np.random.default_rng(seed)
    farms = vbo[vbo["openbare_ruimte_naam"].isin(RURAL_STREETS) & (vbo["gebruiksdoel"] == "woonfunctie")]
    farms = farms.iloc[rng.permutation(len(farms))[: int(len(farms) * 0.6)]].sort_values("identificatie")
    rows = [_farm(rng, i, f, bevoegd_gezag) for i, f in enumerate(farms.itertuples(), start=1)]
    parks = vbo[vbo["gebruiksdoel"] == "industriefunctie"]
    picks = parks.iloc[rng.choice(len(parks), size=min(len(COMPANIES) * 2, len(parks)), replace=False)]
    rows += [_company(rng, len(rows) + i, p, COMPANIES[i % len(COMPANIES)], bevoegd_gezag)
             for i, p in enumerate(picks.itertuples())]
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def _farm(rng, n: int, vbo, bevoegd_gezag: str) -> dict:
    names = list(FARM_TYPES)
    kind = rng.choice(names, p=[FARM_TYPES[k][0] for k in names])
    _, column, (a0, a1), (f0, f1) = FARM_TYPES[kind]
    animals = int(rng.integers(a0, a1))
    nh3 = round(animals * rng.uniform(f0, f1), 1)
    row = _base_row(rng, n, vbo, kind, 4110, bevoegd_gezag)
    row.update({"NH3_emissie": nh3, "Aantal_stallen": int(rng.integers(1, 5)),
                "Geur_emissie": round(animals * rng.uniform(0, 20), 1) if column in ("varkens", "kippen") else 0.0,
                "Fijnstof_emissie": round(animals * rng.uniform(5, 80), 1),
                "Type": "Vergunning" if nh3 > 2500 or rng.random() < 0.15 else
                        ("Meldingsplicht" if nh3 > 150 else "Geen plicht")})
    if column:
        row[column.capitalize()] = animals
    else:
        row["Overige_dieren"] = f"paarden: {animals}"
    row["Ippc_installatie"] = "Ja" if (column == "kippen" and animals > 40000) or (
        column == "varkens" and animals > 2000) else "Nee"
    return row


def _company(rng, n: int, vbo, company, bevoegd_gezag: str) -> dict:
    kind, sector, (e0, e1) = company
    row = _base_row(rng, n, vbo, kind, sector, bevoegd_gezag)
    row.update({"NOx_emissie": round(rng.uniform(e0, e1), 1), "NH3_emissie": round(rng.uniform(0, 50), 1),
                "Type": "Vergunning", "Ippc_installatie": "Nee"})
    return row


def _base_row(rng, n: int, vbo, kind: str, sector: int, bevoegd_gezag: str) -> dict:
    x, y = vbo.geometry.x + rng.uniform(20, 60), vbo.geometry.y + rng.uniform(-20, 20)  # the stables, not the house
    person = f"{INITIALS[int(rng.integers(len(INITIALS)))]}. {SURNAMES[int(rng.integers(len(SURNAMES)))]}"
    return {"OD": "ODNHN", "VTHOBJECT_ID": f"ODNHN{int(rng.integers(2005, 2025))}E{n:04d}",
            "Bevoegdgezag": bevoegd_gezag,
            "Naam": f"Maatschap {person}" if sector == 4110 else f"{kind} {vbo.woonplaats_naam} B.V.",
            "Adres": f"{vbo.openbare_ruimte_naam} {vbo.huisnummer} {vbo.postcode} {vbo.woonplaats_naam}",
            "Bedrijfstype": kind, "SectorID": sector, "X": round(x, 2), "Y": round(y, 2)}


def write_vth_csv(rows: pd.DataFrame, path: Path, columns: list[str] = CSV_COLUMNS) -> Path:
    """As a VTH system writes it: semicolons, Windows-1252, decimal commas; atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(columns)
        for row in rows[columns].itertuples(index=False):
            writer.writerow([_dutch(v) for v in row])
    tmp.replace(path)
    return path


def _dutch(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


# --- Wnb-besluiten ------------------------------------------------------------------------------------

def screening_deposition(nh3_kg: float, nox_kg: float, distance_m: float) -> float:
    """A rough deposition estimate (mol N/ha/jr) on the nearest habitat: falls with distance^1.6.

    Only to make the sample consistent; the real figure is the AERIUS calculation in the decision.
    """
    km = max(distance_m / 1000, 0.25)
    return (0.5 * nh3_kg + 0.15 * nox_kg) / 1000 / km ** 1.6


def generate_wnb_besluiten(bronnen: gpd.GeoDataFrame, natura2000: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame,
                           seed: int = 441) -> gpd.GeoDataFrame:
    """Decisions for about 40% of the permit-holding sources plus housing projects, with AERIUS results."""
    rng = np.random.default_rng(seed + 1)
    rows = []
    candidates = bronnen[(bronnen["Type"] == "Vergunning") | (rng.random(len(bronnen)) < 0.12)]
    for bron in candidates.itertuples():
        if rng.random() < 0.6:
            continue
        for _ in range(int(rng.integers(1, 3))):
            rows.append(_decision(rng, len(rows) + 1, Point(bron.X, bron.Y), np.nan_to_num(bron.NH3_emissie),
                                  np.nan_to_num(bron.NOx_emissie), natura2000, _activity_farm(rng, bron.Bedrijfstype),
                                  bron.VTHOBJECT_ID))
    homes = vbo[vbo["gebruiksdoel"] == "woonfunctie"]
    for _i in range(12):
        site = homes.geometry.iloc[int(rng.integers(len(homes)))]
        n = int(rng.integers(20, 250))
        rows.append(_decision(rng, len(rows) + 1, Point(site.x + 150, site.y + 100), n * 0.3, n * 5.0, natura2000,
                              f"woningbouw {n} woningen (bouw- en gebruiksfase)", None))
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)


def _activity_farm(rng, kind: str) -> str:
    return rng.choice([f"uitbreiding {kind.lower()}", f"wijziging stalsysteem {kind.lower()}",
                       f"intern salderen {kind.lower()}", f"oprichting {kind.lower()}"])


def _decision(rng, n, point, nh3, nox, natura2000, activity, bron_id) -> dict:
    distances = natura2000.geometry.distance(point)
    deposition = {int(nr): screening_deposition(nh3, nox, d) for nr, d in zip(natura2000["nr"], distances)}
    concerned = sorted(nr for nr, dep in deposition.items() if dep >= 0.005)
    day = date(2012, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 14)))
    kind = rng.choice(BESLUITTYPEN)
    if day.year >= 2025:
        kind = rng.choice(["aanvraag", "ontwerpbesluit", "vergunning verleend"])
    person = f"{INITIALS[int(rng.integers(len(INITIALS)))]}. {SURNAMES[int(rng.integers(len(SURNAMES)))]}"
    return {
        "zaaknummer": f"Z-{day.year}-{int(rng.integers(1000, 99999)):05d}-{n:03d}",
        "besluitdatum": day.isoformat() if kind not in ("aanvraag",) else None,
        "aanvraagdatum": (day - timedelta(days=int(rng.integers(30, 400)))).isoformat(),
        "besluittype": kind,
        "activiteit": activity,
        "wettelijk_kader": ("Omgevingswet, Natura 2000-activiteit" if day.year >= 2024
                            else "Wet natuurbescherming art. 2.7"),
        "natura2000_nrs": ",".join(str(nr) for nr in concerned),
        "max_depositie_mol_ha_jr": round(max(deposition.values(), default=0.0), 2),  # no area nearby: 0
        "stikstofbron_id": bron_id,
        "aanvrager_naam": person,
        "aanvrager_contact": f"{person.split()[-1].lower()}{int(rng.integers(10, 99))}@example.nl",
        "publicatie_url": None,  # generated decisions were never published: no link to invent
        "geometry": point,
    }


def write_wnb(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    gdf.to_file(tmp, layer="wnb_besluiten", driver="GPKG", engine="pyogrio")
    tmp.replace(path)
    return path
