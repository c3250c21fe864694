"""Generated VTH-system export of inspections, complaints and enforcement ('toezicht en handhaving').

One row per event (zaak) as a case system writes it: semicolon CSV, Windows-1252, RD x/y of the
establishment the event concerns, linked to ``stikstofbron.vthobject_id`` by ``VTHOBJECT_ID``.

- ``SOORT`` ``controle`` (inspection) with ``RESULTAAT`` ``geen overtreding`` / ``overtreding``;
  ``klacht`` (complaint: ``gegrond`` / ``ongegrond`` / ``in behandeling``, with ``OMSCHRIJVING`` geur, geluid …);
  ``handhaving`` (enforcement: ``waarschuwing``, ``last onder dwangsom``, ``last onder bestuursdwang``,
  ``bestuurlijke strafbeschikking``), some weeks after an inspection that found a violation.
- Rates (seeded): about one inspection per two years for permit holders, fewer for the others; a violation
  in 15 % of inspections plus up to 20 % more for large emitters; complaints more often at pig, poultry and
  goat farms (odour) and at the companies.
- Eight other establishments (garages, a petrol station …) that emit no nitrogen have ids ``ODNHN…B…``
  and are found only in this export.
- ``MELDER_NAAM`` and ``MELDER_EMAIL`` (the complainant) are fictitious and private: they stay in the
  internal results.
- Three planted bad records, so the reader's quarantine is exercised: a complaint without coordinates,
  an unknown ``SOORT`` ('telefoon') and a repeated ``ZAAKNUMMER``.
"""

from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from samples.stikstof import INITIALS, SURNAMES, write_vth_csv

COLUMNS = ["ZAAKNUMMER", "VTHOBJECT_ID", "INRICHTING", "SOORT", "DATUM", "RESULTAAT", "OMSCHRIJVING",
           "MELDER_NAAM", "MELDER_EMAIL", "X", "Y"]
FIRST_DAY, DAYS = date(2016, 1, 1), 365 * 10
SANCTIONS = ["waarschuwing", "waarschuwing", "last onder dwangsom", "last onder bestuursdwang",
             "bestuurlijke strafbeschikking"]
NUISANCE = {"Vleesvarkens": "geur", "Zeugen": "geur", "Leghennen": "geur", "Vleeskuikens": "geur", "Geiten": "geur"}
OTHER_COMPANIES = ["Garagebedrijf", "Autoschadeherstel", "Tankstation", "Timmerfabriek", "Horeca (café)",
                   "Metaalbewerking", "Opslag gevaarlijke stoffen", "Wasstraat"]


def generate_vth_toezicht(bronnen: pd.DataFrame, vbo: gpd.GeoDataFrame, seed: int = 441) -> pd.DataFrame:
    """Export rows (COLUMNS) for the nitrogen sources ``bronnen`` (VTH CSV rows) and eight other companies."""
    rng = np.random.default_rng(seed + 7)
    rows: list[dict] = []
    for bron in bronnen.itertuples():
        rows += _events(rng, bron.VTHOBJECT_ID, bron.Bedrijfstype, bron.Type, float(np.nan_to_num(bron.NH3_emissie)),
                        bron.X, bron.Y, len(rows))
    for i, site in enumerate(_other_sites(rng, vbo)):
        kind = OTHER_COMPANIES[i % len(OTHER_COMPANIES)]
        rows += _events(rng, f"ODNHN{2010 + i}B{i + 1:04d}", kind, "Vergunning", 0.0,
                        round(site.x, 2), round(site.y, 2), len(rows), complaints=1.0)
    return pd.DataFrame(_plant_defects(rows), columns=COLUMNS)


def _other_sites(rng, vbo: gpd.GeoDataFrame):
    shops = vbo[vbo["gebruiksdoel"].isin(["winkelfunctie", "industriefunctie"])].sort_values("identificatie")
    return shops.geometry.iloc[rng.choice(len(shops), size=len(OTHER_COMPANIES), replace=False)]


def _events(rng, object_id, kind, permit, nh3, x, y, n, complaints: float = 0.25) -> list[dict]:
    inspections = int(rng.poisson(5 if permit == "Vergunning" else 2))
    rate = complaints + (0.8 if kind in NUISANCE else 0.0)
    out = []
    for _ in range(inspections):
        out += _inspection(rng, object_id, kind, nh3, x, y, n + len(out))
    for _ in range(int(rng.poisson(rate))):
        out.append(_complaint(rng, object_id, kind, x, y, n + len(out)))
    return out


def _inspection(rng, object_id, kind, nh3, x, y, n) -> list[dict]:
    day = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS)))
    violation = rng.random() < 0.15 + min(nh3 / 25000, 0.2)
    rows = [_row(n, object_id, kind, "controle", day, "overtreding" if violation else "geen overtreding",
                 "periodieke controle", x, y)]
    if violation and rng.random() < 0.5:
        later = day + timedelta(days=int(rng.integers(20, 120)))
        rows.append(_row(n + 1, object_id, kind, "handhaving", later, str(rng.choice(SANCTIONS)),
                         "na overtreding bij controle", x, y))
    return rows


def _complaint(rng, object_id, kind, x, y, n) -> dict:
    day = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS)))
    person = f"{INITIALS[int(rng.integers(len(INITIALS)))]}. {SURNAMES[int(rng.integers(len(SURNAMES)))]}"
    row = _row(n, object_id, kind, "klacht", day, str(rng.choice(["gegrond", "ongegrond", "in behandeling"])),
               f"{NUISANCE.get(kind, str(rng.choice(['geluid', 'stof', 'geur', 'verkeer'])))}overlast", x, y)
    row["MELDER_NAAM"] = f"{person} (melder)"
    row["MELDER_EMAIL"] = f"melder.{person.split()[-1].lower()}{int(rng.integers(100, 999))}@example.nl"
    return row


def _row(n, object_id, kind, soort, day, resultaat, omschrijving, x, y) -> dict:
    return {"ZAAKNUMMER": f"T-{day.year}-{n + 1:05d}", "VTHOBJECT_ID": object_id, "INRICHTING": kind,
            "SOORT": soort, "DATUM": day.isoformat(), "RESULTAAT": resultaat, "OMSCHRIJVING": omschrijving,
            "MELDER_NAAM": None, "MELDER_EMAIL": None, "X": x, "Y": y}


def _plant_defects(rows: list[dict]) -> list[dict]:
    """Three bad records the reader must quarantine (see the module docstring)."""
    complaint = next(r for r in rows if r["SOORT"] == "klacht")
    rows.append({**complaint, "ZAAKNUMMER": "T-2025-99901", "X": None, "Y": None})
    rows.append({**rows[0], "ZAAKNUMMER": "T-2025-99902", "SOORT": "telefoon"})
    rows.append({**rows[1], "RESULTAAT": "geen overtreding"})  # the same ZAAKNUMMER as rows[1]
    return rows


def write_vth_toezicht(rows: pd.DataFrame, path: Path) -> Path:
    """As the case system writes it: semicolons, Windows-1252, decimal commas in x/y."""
    return write_vth_csv(rows, path, COLUMNS)
