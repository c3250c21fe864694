"""Toezicht in Excel: ``geo toezicht --out x.csv`` opens in a Dutch Excel, ``--out x.xlsx`` is a real workbook.

Oracles that share no code with the writers: the CSV read back with Python's ``csv`` module and its numbers parsed
in the Dutch locale by Babel; the workbook read with openpyxl and, apart, with pandas ``read_excel``; both compared
with ``toezicht_prioriteit`` as GDAL reads it from the store the command published to (pyogrio), its x/y from the
geometry (shapely). The score sheet is checked by recomputing points from the thresholds it states.
"""

import csv
import re
import shutil
from datetime import date, datetime

import geopandas as gpd
import pandas as pd
import pytest
from babel.numbers import parse_decimal
from click.testing import CliRunner
from test_toezicht import EXPORT, PEILDATUM, publish_tiny, tiny_layers

from omgevingsgeo.cli import main

# the headers a supervisor sees, for the store columns the oracle compares (written out here, not imported)
HEADERS = {"Rang": "rang", "VTH-object": "vthobject_id", "Inrichting": "inrichting",
           "Risicoscore (0-100)": "risicoscore",
           "Punten emissie": "punten_emissie", "NH3-emissie (kg/jr)": "nh3_emissie_kg",
           "NOx-emissie (kg/jr)": "nox_emissie_kg", "Afstand Natura 2000 (m)": "afstand_natura2000_m",
           "Woningen binnen 250 m": "woningen_250m", "Punten woningen": "punten_woningen",
           "Laatste controle": "laatste_controle", "Peildatum": "peildatum", "Binnen de gemeente": "binnen_gemeente",
           "Toelichting": "toelichting"}
FLOATS = {"NH3-emissie (kg/jr)": 1, "NOx-emissie (kg/jr)": 1, "Afstand Natura 2000 (m)": 0, "X (RD, m)": 1,
          "Y (RD, m)": 1}
RAW = ["rang", "vthobject_id", "risicoscore", "punten_", "_5jr", "_kg", "_m", "x_rd", "wnb_vergunning", "toelichting"]


def run_cli(store_path, out, *extra) -> object:
    return CliRunner().invoke(main, ["toezicht", "--store", str(store_path), "--peildatum", "2025-01-01",
                                     "--out", str(out), *extra])


@pytest.fixture(scope="module")
def sample(store, tmp_path_factory):
    """The CSV and workbook of a copy of the session store, and the ranking as GDAL reads it from that store."""
    folder = tmp_path_factory.mktemp("toezicht-excel")
    copy = folder / "store.gpkg"
    shutil.copyfile(store, copy)
    for name in ("prioriteit.csv", "prioriteit.xlsx"):
        result = run_cli(copy, folder / name)
        assert result.exit_code == 0, result.output
    expected = gpd.read_file(copy, layer="toezicht_prioriteit", engine="pyogrio").sort_values("rang")
    return folder / "prioriteit.csv", folder / "prioriteit.xlsx", expected.reset_index(drop=True)


def read_csv_rows(path) -> tuple[list[str], list[str], list[dict]]:
    """(first line, header, rows as dicts) read with the ``csv`` module, ``;``, UTF-8 after the BOM."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, else Excel reads Windows-1252"
    lines = list(csv.reader(raw[3:].decode("utf-8").splitlines(), delimiter=";"))
    title, header = lines[0], lines[1]
    return title, header, [dict(zip(header, line)) for line in lines[2:]]


def dutch_number(text: str) -> float:
    """The number a Dutch Excel reads: Babel's nl_NL parse, strict (a misplaced separator fails)."""
    return float(parse_decimal(text, locale="nl_NL", strict=True))


def test_csv_reads_as_dutch_excel_reads_it(sample):
    path, _, expected = sample
    title, header, rows = read_csv_rows(path)
    assert len(title) == 1 and "Toezichtprioriteit (intern" in title[0] and "peildatum 01-01-2025" in title[0]
    assert title[0].count("Voorbeelddata") == 1 and "Stikstofbronnen" in title[0]  # generated inputs named
    assert set(HEADERS) <= set(header) and len(header) == len(set(header))
    assert not [h for h in header if "_" in h or any(h == r or h.startswith(r) for r in RAW)], header
    assert len(rows) == len(expected)
    for row, exp in zip(rows, expected.itertuples()):
        assert (int(row["Rang"]), row["VTH-object"], int(row["Risicoscore (0-100)"])) == (
            exp.rang, exp.vthobject_id, exp.risicoscore)
        for label, decimals in FLOATS.items():
            assert re.fullmatch(r"-?\d+(,\d+)?", row[label]), (label, row[label])  # no thousands point
            assert len(row[label].partition(",")[2]) == decimals
        assert dutch_number(row["NH3-emissie (kg/jr)"]) == pytest.approx(exp.nh3_emissie_kg, abs=0.051)
        assert dutch_number(row["Afstand Natura 2000 (m)"]) == pytest.approx(exp.afstand_natura2000_m, abs=0.5)
        assert dutch_number(row["X (RD, m)"]) == pytest.approx(exp.geometry.x, abs=0.051)
        assert dutch_number(row["Y (RD, m)"]) == pytest.approx(exp.geometry.y, abs=0.051)
        assert row["Binnen de gemeente"] == ("ja" if exp.binnen_gemeente else "nee")
        assert row["Toelichting"] == exp.toelichting
        assert date.fromisoformat(row["Peildatum"]) == PEILDATUM
        last = exp.laatste_controle
        assert row["Laatste controle"] == ("" if pd.isna(last) else pd.Timestamp(last).date().isoformat())


def test_csv_by_hand_on_the_tiny_case(tmp_path):
    export = tmp_path / "vth_toezicht_GM9999.csv"
    export.write_text(EXPORT, encoding="cp1252")
    store = publish_tiny(tmp_path / "tiny.gpkg", tiny_layers())
    out = tmp_path / "p.csv"
    result = run_cli(store.path, out, "--export", str(export), "--gemeente", "GM9999")
    assert result.exit_code == 0, result.output
    title, _, rows = read_csv_rows(out)
    assert "Voorbeelddata" not in title[0]  # built from no generated file: no notice
    first = rows[0]
    assert (first["Rang"], first["VTH-object"], first["Risicoscore (0-100)"]) == ("1", "ODA", "59")
    assert (first["NH3-emissie (kg/jr)"], first["Laatste controle"], first["Punten stikstofhexagonen"]) == (
        "6000,0", "2024-03-01", "")
    assert [r["VTH-object"] for r in rows] == ["ODA", "ODB", "ODC", "ODNX"]


def test_workbook_has_typed_cells_header_frozen_panes_filter_and_widths(sample):
    from openpyxl import load_workbook

    _, path, expected = sample
    book = load_workbook(path)
    assert book.sheetnames == ["Prioriteit", "Uitleg score"]
    ws = book["Prioriteit"]
    header = [c.value for c in ws[2]]
    columns = {label: i + 1 for i, label in enumerate(header)}
    assert set(HEADERS) <= set(header) and "Voorbeelddata" in ws["A1"].value and "intern" in ws["A1"].value
    assert all(c.font.b for c in ws[2]) and ws.freeze_panes == "C3"
    last = ws.cell(row=2, column=len(header)).column_letter
    assert ws.auto_filter.ref == f"A2:{last}{len(expected) + 2}" and ws.max_row == len(expected) + 2
    widths = [ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width for i in range(1, len(header) + 1)]
    assert all(w and w >= 8 for w in widths) and widths[header.index("Toelichting")] == 60
    for r, exp in enumerate(expected.itertuples(), start=3):
        rang, nh3 = ws.cell(r, columns["Rang"]).value, ws.cell(r, columns["NH3-emissie (kg/jr)"]).value
        assert isinstance(rang, int) and rang == exp.rang
        assert ws.cell(r, columns["VTH-object"]).value == exp.vthobject_id
        assert isinstance(nh3, int | float) and nh3 == pytest.approx(exp.nh3_emissie_kg, abs=0.051)  # a number
        assert ws.cell(r, columns["NH3-emissie (kg/jr)"]).number_format == "#,##0.0"
        last_check = ws.cell(r, columns["Laatste controle"])
        if pd.isna(exp.laatste_controle):
            assert last_check.value is None
        else:
            assert isinstance(last_check.value, datetime) and last_check.number_format == "dd-mm-yyyy"
            assert last_check.value.date() == pd.Timestamp(exp.laatste_controle).date()
    assert ws.cell(3, columns["Afstand Natura 2000 (m)"]).number_format == "#,##0"  # Excel: 1.234 in Dutch


def test_workbook_reads_the_same_in_pandas(sample):
    _, path, expected = sample
    frame = pd.read_excel(path, sheet_name="Prioriteit", header=1, engine="openpyxl")
    assert frame["VTH-object"].tolist() == expected["vthobject_id"].tolist()
    assert frame["Rang"].dtype.kind == "i" and frame["Risicoscore (0-100)"].tolist() == expected["risicoscore"].tolist()
    assert frame["NOx-emissie (kg/jr)"].dtype.kind == "f"
    assert (frame["NOx-emissie (kg/jr)"] - expected["nox_emissie_kg"]).abs().max() < 0.05
    assert frame["Peildatum"].dt.date.eq(PEILDATUM).all()


def test_score_sheet_lets_a_supervisor_recompute_the_points(sample):
    """The thresholds the second sheet states give every establishment's emission and homes points."""
    from openpyxl import load_workbook

    _, path, _ = sample
    ws = load_workbook(path)["Uitleg score"]
    rows = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r and r[0]}
    components = ["Naleving", "Emissie", "Woningen", "Natuur", "Stikstofhexagonen", "Wnb-vergunning"]
    assert sum(rows[c][0] for c in components) == 100 == rows["Risicoscore"][0]
    assert "Voorbeelddata" in rows and "niet publiceren" in rows["Let op"][1]
    frame = pd.read_excel(path, sheet_name="Prioriteit", header=1, engine="openpyxl")
    emission = stated_classes(rows["Emissie"][1], r"vanaf ([\d.]+) kg: (\d+)")
    homes = stated_classes(rows["Woningen"][1], r"vanaf ([\d.]+): (\d+)")
    kg = frame["NH3-emissie (kg/jr)"] + frame["NOx-emissie (kg/jr)"]
    assert [points(v, emission) for v in kg] == frame["Punten emissie"].tolist()
    assert [points(v, homes) for v in frame["Woningen binnen 250 m"]] == frame["Punten woningen"].tolist()
    assert frame["Risicoscore (0-100)"].tolist() == frame.filter(like="Punten ").fillna(0).sum(axis=1).tolist()


def stated_classes(text: str, pattern: str) -> list[tuple[float, int]]:
    found = [(float(bound.replace(".", "")), int(p)) for bound, p in re.findall(pattern, text)]
    assert len(found) >= 3, text
    return found


def points(value: float, classes: list[tuple[float, int]]) -> int:
    return max((p for bound, p in classes if value >= bound), default=0)


@pytest.mark.parametrize("name", ["prioriteit.txt", "prioriteit"])
def test_other_output_kinds_stop_with_one_line_naming_out(tmp_path, name):
    result = run_cli(tmp_path / "nowhere.gpkg", tmp_path / name)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [f"Error: --out {name}: expected a file ending in .csv or .xlsx"]
    assert list(tmp_path.iterdir()) == []


def test_every_column_of_the_ranking_has_a_dutch_label():
    """A column added to toezicht_prioriteit (e.g. by a change of the scoring) needs its label here, else the
    spreadsheet would leave it out."""
    from analyses.toezicht import PRIORITEIT_SCHEMA
    from analyses.toezicht.excel import COLUMNS

    names, labels = [c.name for c in COLUMNS], [c.label for c in COLUMNS]
    assert set(PRIORITEIT_SCHEMA.columns) <= set(names), set(PRIORITEIT_SCHEMA.columns) - set(names)
    assert len(set(labels)) == len(labels) and not set(labels) & set(names)
