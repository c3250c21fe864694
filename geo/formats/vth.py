"""VTH-system exports (omgevingsdienst case systems): CSV with RD x/y columns, or GeoPackage.

CSV as such systems write it: semicolon (or comma) separated, UTF-8 or Windows-1252/Latin-1, Dutch
decimal commas ("1.234,5"). Read record by record: a record whose coordinates cannot be used goes to
the quarantine with the reason; the others load. Column names are lower-cased (exports differ in case).
"""

import csv
import io
import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.core.crs import RD_NEW
from geo.core.errors import SourceError
from geo.core.validate import Quarantine
from geo.formats.readers import check_table_bounds, require_file
from geo.formats.records import read_records

log = logging.getLogger(__name__)

X_COLUMNS = ("x", "x_coordinaat", "xcoord", "geo_x", "x_rd")
Y_COLUMNS = ("y", "y_coordinaat", "ycoord", "geo_y", "y_rd")


def read_vth(path: Path, layer_name: str, quarantine: Quarantine, numeric: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """A VTH export as a GeoDataFrame in RD New with lower-case columns; ``numeric`` columns parsed."""
    path = require_file(path)
    if path.suffix.lower() == ".csv":
        gdf = _read_csv(path, layer_name, quarantine)
    else:
        gdf = read_records(path, layer_name, quarantine)
        gdf = gdf.rename(columns={c: c.lower() for c in gdf.columns if c != "geometry"})
    for column in numeric:
        if column in gdf.columns:
            gdf[column] = gdf[column].map(dutch_number)
    return gdf


def dutch_number(value) -> float | None:
    """'1.234,5' -> 1234.5; '1822.0' -> 1822.0; '' -> None. Anything else: None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _read_csv(path: Path, layer_name: str, quarantine: Quarantine) -> gpd.GeoDataFrame:
    text = _decode(check_table_bounds(path))
    dialect = _dialect(text)
    try:
        rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    except csv.Error as err:  # e.g. a field over csv's limit of 131,072 characters
        raise SourceError(f"{path}: not a readable CSV table ({err})") from None
    if not rows:
        raise SourceError(f"{path}: no records (empty table)")
    header = {k.lower().strip(): k for k in rows[0] if k}
    xcol = next((header[c] for c in X_COLUMNS if c in header), None)
    ycol = next((header[c] for c in Y_COLUMNS if c in header), None)
    if xcol is None or ycol is None:
        raise SourceError(f"{path}: no RD x/y columns (expected one of {X_COLUMNS} and {Y_COLUMNS}); "
                          f"has {list(header)}")
    good, geoms = [], []
    for row in rows:
        point, reason = _point(row.get(xcol), row.get(ycol))
        record = {k.lower().strip(): ((v.strip() or None) if isinstance(v, str) else v) for k, v in row.items() if k}
        if point is None:
            quarantine.reject(layer_name, str(path), pd.DataFrame([record]), reason)
            continue
        good.append(record)
        geoms.append(point)
    frame = pd.DataFrame(good).drop(columns=[xcol.lower(), ycol.lower()], errors="ignore")
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=RD_NEW)


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" export
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        log.info("%s: not UTF-8, reading as Windows-1252", path)
        return raw.decode("cp1252", errors="strict") if _cp1252_ok(raw) else raw.decode("latin-1")


def _cp1252_ok(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _dialect(text: str):
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise SourceError("empty CSV")
    return csv.excel if first.count(",") > first.count(";") else _Semicolon


class _Semicolon(csv.excel):
    delimiter = ";"


def _point(x, y) -> tuple[Point | None, str]:
    """An RD point, or None and why not (missing, not a number, degrees instead of metres)."""
    fx, fy = dutch_number(x), dutch_number(y)
    if fx is None or fy is None:
        return None, f"x/y missing or not a number (x={x!r}, y={y!r})"
    if 2.5 < fx < 8 and 50 < fy < 54:
        return None, "coordinates look like WGS84 longitude/latitude, expected RD New x/y in metres"
    if 50 < fx < 54 and 2.5 < fy < 8:
        return None, "coordinates look like WGS84 latitude/longitude (swapped), expected RD New x/y in metres"
    return Point(fx, fy), ""
