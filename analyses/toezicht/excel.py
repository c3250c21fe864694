"""The supervision ranking for a spreadsheet: ``geo toezicht --out prioriteit.csv`` or ``--out prioriteit.xlsx``.

Dutch column headers (labels, never the store's column names), the format Dutch Excel reads
(``geo.render.spreadsheet``), and in the workbook a second sheet that explains the score, built from the same
point tables the ranking uses. Internal data: the title says so; no complainant is in ``toezicht_prioriteit``.
"""

from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analyses import toezicht
from geo.core.errors import GeoError
from geo.render.maps import nl
from geo.render.spreadsheet import Column, write_csv, write_xlsx
from geo.render.voorbeelddata import notice
from geo.store.geopackage import Store

__all__ = ["COLUMNS", "RANKING_INPUTS", "SUFFIXES", "scoring_rows", "title", "write_ranking"]

RANKING_INPUTS = ["stikstofbron", "toezicht_zaak", "wnb_besluit", "verblijfsobject", "natura2000_gebied"]
SUFFIXES = (".csv", ".xlsx")

COLUMNS = (
    Column("rang", "Rang", "int", description="1 = hoogste prioriteit; bij gelijke score op VTH-object-id"),
    Column("vthobject_id", "VTH-object", description="id van de inrichting in het VTH-systeem"),
    Column("inrichting", "Inrichting", description="soort bedrijf"),
    Column("herkomst", "Herkomst", description="stikstofbron: uit de laag Stikstofbronnen; vth-export: alleen "
                                               "bekend uit de VTH-export (geen emissie bekend)"),
    Column("risicoscore", "Risicoscore (0-100)", "int", description="som van de punten per onderdeel"),
    Column("punten_naleving", "Punten naleving", "int"),
    Column("controles_5jr", "Controles (5 jaar)", "int"),
    Column("overtredingen_5jr", "Overtredingen (5 jaar)", "int"),
    Column("handhaving_5jr", "Handhavingsbesluiten (5 jaar)", "int"),
    Column("klachten_5jr", "Klachten (5 jaar)", "int", description="klachten die niet ongegrond zijn"),
    Column("laatste_controle", "Laatste controle", "date"),
    Column("punten_emissie", "Punten emissie", "int"),
    Column("nh3_emissie_kg", "NH3-emissie (kg/jr)", "float", 1),
    Column("nox_emissie_kg", "NOx-emissie (kg/jr)", "float", 1),
    Column("punten_woningen", "Punten woningen", "int"),
    Column("woningen_250m", "Woningen binnen 250 m", "int"),
    Column("punten_natuur", "Punten natuur", "int"),
    Column("afstand_natura2000_m", "Afstand Natura 2000 (m)", "float", 0),
    Column("natura2000_nr", "Natura 2000-gebied (nr.)", "int"),
    Column("punten_hexagonen", "Punten stikstofhexagonen", "int",
           description="leeg als de stikstofscreening niet beschikbaar is"),
    Column("hexagonen_overschrijding_1km", "Hexagonen met overschrijding binnen 1 km", "int"),
    Column("punten_vergunning", "Punten Wnb-vergunning", "int"),
    Column("wnb_vergunning", "Wnb-vergunning"),
    Column("binnen_gemeente", "Binnen de gemeente", "bool"),
    Column("peildatum", "Peildatum", "date"),
    Column("x_rd", "X (RD, m)", "float", 1, description="RD New (EPSG:28992)"),
    Column("y_rd", "Y (RD, m)", "float", 1, description="RD New (EPSG:28992)"),
    Column("toelichting", "Toelichting", description="de score in woorden, per onderdeel"),
)


def write_ranking(ranking: gpd.GeoDataFrame, store: Store, path: Path) -> Path:
    """The ranking as CSV or Excel workbook, by the suffix of ``path``."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise GeoError(f"--out {path.name}: expected a file ending in .csv or .xlsx")
    frame = with_rd_coordinates(ranking)
    sample = notice(store, RANKING_INPUTS)
    heading = title(frame, sample)
    if suffix == ".csv":
        return write_csv(frame, COLUMNS, path, heading)
    return write_xlsx(frame, COLUMNS, path, heading, "Prioriteit", ("Uitleg score", scoring_rows(frame, sample)),
                      highlight_title=bool(sample))


def with_rd_coordinates(ranking: gpd.GeoDataFrame) -> pd.DataFrame:
    """The ranking without geometry, with its RD x and y."""
    rd = ranking.to_crs(toezicht.PRIORITEIT_SCHEMA.crs) if ranking.crs is not None else ranking
    return pd.DataFrame(ranking.drop(columns=ranking.geometry.name)).assign(x_rd=rd.geometry.x, y_rd=rd.geometry.y)


def title(frame: pd.DataFrame, sample: str = "") -> str:
    """The first line: what it is, that it is internal, the peildatum; the voorbeelddata notice when any."""
    day = _peildatum(frame)
    text = (f"Toezichtprioriteit (intern, niet openbaar maken), peildatum "
            f"{day.strftime('%d-%m-%Y') if day else 'onbekend'}, {nl(len(frame))} inrichtingen")
    return f"{text}. {sample}" if sample else text


def _peildatum(frame: pd.DataFrame) -> date | None:
    values = frame["peildatum"].dropna() if "peildatum" in frame else []
    return date.fromisoformat(str(values.iloc[0])[:10]) if len(values) else None


def scoring_rows(frame: pd.DataFrame, sample: str = "") -> list[list]:
    """The explanation sheet: per component its maximum and how the points are given, then the columns."""
    rows = [["Onderdeel", "Maximaal", "Hoe de punten worden toegekend"], *_components(frame)]
    rows += [["Risicoscore", 100, "De som van de zes onderdelen. Bij gelijke score komt het laagste "
                                  "VTH-object-id eerst."], [], ["Kolom", "", "Betekenis"]]
    rows += [[c.label, "", c.description] for c in COLUMNS if c.description]
    rows += [[], ["Let op", "", "Interne toezichtinformatie: niet publiceren of buiten de omgevingsdienst delen."]]
    return rows + ([["Voorbeelddata", "", sample]] if sample else [])


def _components(frame: pd.DataFrame) -> list[list]:
    day = _peildatum(frame)
    since = toezicht.window_start(day).strftime("%d-%m-%Y") if day else "5 jaar voor de peildatum"
    emission = "; ".join(f"vanaf {nl(kg)} kg: {p}" for kg, p in toezicht.EMISSIE_KLASSEN)
    homes = "; ".join(f"vanaf {n}: {p}" for n, p in toezicht.WONING_KLASSEN)
    nature = "; ".join(f"tot en met {nl(m)} m: {p}" for m, p in toezicht.NATUUR_KLASSEN)
    hexagons = "; ".join(f"vanaf {n}: {p}" for n, p in toezicht.HEXAGON_KLASSEN)
    permit = toezicht.VERGUNNING_PUNTEN
    return [
        ["Naleving", 30, f"Sinds {since} (5 jaar tot de peildatum): 8 per controle met overtreding, 6 per "
                         "handhavingsbesluit, 3 per klacht die niet ongegrond is; samen ten hoogste 30."],
        ["Emissie", 20, f"NH3 + NOx in kg per jaar: {emission}; minder: 0."],
        ["Woningen", 15, f"Verblijfsobjecten met woonfunctie binnen {toezicht.HOMES_M} m: {homes}; geen: 0."],
        ["Natuur", 15, f"Afstand tot het dichtstbijzijnde stikstofgevoelige Natura 2000-gebied: {nature}; verder: 0."],
        ["Stikstofhexagonen", 5, f"Hexagonen met overschrijding van de KDW binnen {nl(toezicht.HEXAGON_M)} m: "
                                 f"{hexagons}; geen: 0. Leeg als de stikstofscreening ontbreekt."],
        ["Wnb-vergunning", 15, f"Bron van ten minste {toezicht.EMITTER_KG} kg/jr zonder verleende Wnb-vergunning: "
                               f"{permit['geweigerd of ingetrokken']} als besluiten geweigerd of ingetrokken zijn, "
                               f"anders {permit['geen']}; met vergunning of kleinere bron: 0."],
    ]
