"""Tables for a spreadsheet on a Dutch desk: a CSV that Dutch Excel opens as columns, numbers and dates, and a real
workbook (openpyxl) with typed cells.

The CSV follows what Excel with Dutch regional settings reads without the import wizard:

- ``;`` between fields (the Dutch list separator; a ``,`` would be the decimal sign);
- a decimal comma and no thousands separator ("1234,5": a number in every Dutch Excel; "1.234,5" is text in some);
- UTF-8 **with BOM**: without it Excel reads the file as Windows-1252 and shows "Ã«" for "ë";
- dates as ISO ``jjjj-mm-dd``: Excel recognises that form as a date whatever the regional settings and shows it as
  Dutch ``dd-mm-jjjj``; a written ``dd-mm-jjjj`` would become 3 January instead of 1 March in an Excel with
  American settings, silently, for every day up to the 12th;
- the first line is the table's title (with the voorbeelddata notice when there is one), the second the Dutch
  column headers: one form whether the data are real or generated.

The workbook has the same title row, a bold header row, frozen panes under the header, an autofilter, column widths,
numbers and dates as typed cells (shown in the Dutch format by Excel), and an optional explanation sheet.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

__all__ = ["Column", "cell_values", "csv_number", "write_csv", "write_xlsx"]

KINDS = ("int", "float", "text", "date", "bool")


@dataclass(frozen=True)
class Column:
    """One column of the table: the frame's column ``name``, its Dutch ``label`` and what it holds."""

    name: str
    label: str
    kind: str = "text"  # one of KINDS
    decimals: int = 0  # for "float"
    description: str = ""  # for the explanation sheet

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name}: kind {self.kind!r}, expected one of {KINDS}")


def cell_values(frame: pd.DataFrame, columns: Sequence[Column]) -> list[list]:
    """The rows as typed Python values: int, float (rounded), ``date``, str, "ja"/"nee"; None when missing."""
    return [[_value(v, c) for v, c in zip(row, columns)]
            for row in frame[[c.name for c in columns]].itertuples(index=False)]


def _value(value, column: Column):
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.kind == "int":
        return int(value)
    if column.kind == "float":
        return round(float(value), column.decimals)
    if column.kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if column.kind == "bool":
        return "ja" if bool(value) else "nee"
    return str(value)


def csv_number(value: float, decimals: int) -> str:
    """A number as Dutch Excel reads it from a CSV: decimal comma, no thousands separator.

    >>> csv_number(1234.56, 1), csv_number(3.0, 0)
    ('1234,6', '3')
    """
    return f"{value:.{decimals}f}".replace(".", ",")


def _csv_text(value, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "float":
        return csv_number(value, column.decimals)
    if column.kind == "date":
        return value.isoformat()
    return str(value)


def write_csv(frame: pd.DataFrame, columns: Sequence[Column], path: Path, title: str) -> Path:
    """``title`` on the first line, the labels on the second, then the rows; atomically (see the module doc)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow([c.label for c in columns])
    for row in cell_values(frame, columns):
        writer.writerow([_csv_text(v, c) for v, c in zip(row, columns)])
    return _atomic_write(path, buffer.getvalue().encode("utf-8-sig"))


def write_xlsx(frame: pd.DataFrame, columns: Sequence[Column], path: Path, title: str, sheet: str,
               explanation: tuple[str, Iterable[Sequence]] | None = None, highlight_title: bool = False) -> Path:
    """A workbook: sheet ``sheet`` with the title row, the header and typed rows; ``explanation`` is (sheet name,
    rows) of a second sheet whose first row is its header. ``highlight_title`` marks the title (voorbeelddata)."""
    from openpyxl import Workbook

    book = Workbook()
    _table_sheet(book.active, frame, columns, title, sheet, highlight_title)
    if explanation is not None:
        _explanation_sheet(book.create_sheet(explanation[0]), list(explanation[1]))
    buffer = io.BytesIO()
    book.save(buffer)
    return _atomic_write(path, buffer.getvalue())


DATE_FORMAT = "dd-mm-yyyy"  # Excel's codes are English in the file; a Dutch Excel shows dd-mm-jjjj


def _number_format(column: Column) -> str:
    if column.kind == "float":
        return "#,##0" + ("." + "0" * column.decimals if column.decimals else "")
    return {"int": "0", "date": DATE_FORMAT}.get(column.kind, "General")


def _table_sheet(ws, frame: pd.DataFrame, columns: Sequence[Column], title: str, name: str, highlight: bool) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.title = name
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    if highlight:
        ws["A1"].fill = PatternFill("solid", fgColor="FFF3CD")
    ws.append([c.label for c in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    rows = cell_values(frame, columns)
    for row in rows:
        ws.append(row)
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        for (cell,) in ws.iter_rows(min_row=3, min_col=i, max_col=i):
            cell.number_format = _number_format(column)
        ws.column_dimensions[letter].width = _width(column, [r[i - 1] for r in rows])
    ws.freeze_panes = "C3"  # header and the first two columns (rank, id) stay in view
    ws.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{len(rows) + 2}"


def _width(column: Column, values: list) -> float:
    """Wide enough for the label and most values, at most 60 characters (long texts wrap in the cell)."""
    lengths = sorted(len(_csv_text(v, column)) for v in values if v is not None) or [0]
    typical = lengths[int(0.9 * (len(lengths) - 1))]
    return min(60, max(8, min(len(column.label), 24) + 2, typical + 2))


def _explanation_sheet(ws, rows: list[Sequence]) -> None:
    from openpyxl.styles import Alignment, Font

    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABC", (34, 12, 100)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _atomic_write(path: Path, data: bytes) -> Path:
    """Write beside ``path`` and rename: a spreadsheet open elsewhere never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
