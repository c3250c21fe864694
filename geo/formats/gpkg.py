"""Reading GeoPackage tables with plain sqlite3: geometry blobs, column types, the R-tree index.

This Python's sqlite3 cannot load SpatiaLite, so geometries are decoded here (GPKG header + WKB,
decoded by shapely in one vectorised call) and spatial predicates are Python functions registered
on the connection.
"""

import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely

ENVELOPE_BYTES = (0, 32, 48, 48, 64)  # by the envelope indicator in the GPKG header flags


def wkb_of(blob: bytes) -> bytes:
    """The WKB inside a GeoPackage geometry blob (header and envelope stripped)."""
    flags = blob[3]
    return blob[8 + ENVELOPE_BYTES[(flags >> 1) & 0b111]:]


def decode(blobs: list) -> np.ndarray:
    """GeoPackage blobs (or None) to an array of shapely geometries."""
    wkbs = [None if b is None else wkb_of(b) for b in blobs]
    return shapely.from_wkb(wkbs)


@dataclass(frozen=True)
class TableInfo:
    table: str
    geometry_column: str
    srs_id: int
    columns: dict[str, str]  # name -> declared SQLite/GPKG type
    rtree: str | None
    pk: str | None = None  # the INTEGER PRIMARY KEY (the R-tree's id): fid, ogc_fid, OBJECTID, ...


def table_info(con: sqlite3.Connection, table: str) -> TableInfo:
    """A feature table; ``table`` matches its name in ``gpkg_contents`` in any case (SQLite names are)."""
    row = con.execute("SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns "
                      "WHERE table_name = ? COLLATE NOCASE", (table,)).fetchone()
    if row is None:
        raise LookupError(f"{table} is not a feature table of this GeoPackage")
    table, geom, srs = row
    columns, pk = table_columns(con, table)
    rtree = f"rtree_{table}_{geom}"
    has_rtree = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (rtree,)).fetchone()
    return TableInfo(table, geom, srs, columns, rtree if has_rtree else None, pk)


def table_columns(con: sqlite3.Connection, table: str) -> tuple[dict[str, str], str | None]:
    """The columns of a table (name -> declared type) and its integer primary key, if it has one."""
    rows = con.execute(f'PRAGMA table_info("{table.replace(chr(34), chr(34) * 2)}")').fetchall()
    columns = {r[1]: (r[2] or "TEXT").upper() for r in rows}
    keys = [r[1] for r in rows if r[5]]
    pk = keys[0] if len(keys) == 1 and columns[keys[0]].startswith("INT") else None
    return columns, pk


def json_type(sql_type: str) -> dict:
    """JSON Schema type of a GeoPackage column type."""
    t = sql_type.upper()
    if t in ("INTEGER", "INT", "MEDIUMINT", "SMALLINT", "TINYINT"):
        return {"type": "integer"}
    if t in ("REAL", "DOUBLE", "FLOAT") or t.startswith("NUMERIC"):
        return {"type": "number"}
    if t == "BOOLEAN":
        return {"type": "boolean"}
    if t == "DATE":
        return {"type": "string", "format": "date"}
    if t == "DATETIME":
        return {"type": "string", "format": "date-time"}
    return {"type": "string"}


# --- spatial predicates as SQL functions --------------------------------------------------------

PREDICATES = {
    "intersects": shapely.intersects, "disjoint": shapely.disjoint, "within": shapely.within,
    "contains": shapely.contains, "touches": shapely.touches, "crosses": shapely.crosses,
    "overlaps": shapely.overlaps, "equals": shapely.equals,
}


@lru_cache(maxsize=64)
def _prepared(wkb: bytes):
    geom = shapely.from_wkb(wkb)
    shapely.prepare(geom)
    return geom


def _relate(blob, op: str, wkb: bytes) -> int:
    if blob is None:
        return 0
    feature = shapely.from_wkb(wkb_of(blob))
    return int(bool(PREDICATES[op](feature, _prepared(wkb))))


def _intersects_bbox(blob, minx, miny, maxx, maxy) -> int:
    if blob is None:
        return 0
    return int(shapely.intersects(shapely.from_wkb(wkb_of(blob)), _prepared(shapely.box(minx, miny, maxx, maxy).wkb)))


def register_functions(con: sqlite3.Connection) -> None:
    con.create_function("geo_relate", 3, _relate, deterministic=True)
    con.create_function("geo_intersects_bbox", 5, _intersects_bbox, deterministic=True)


__all__ = ["decode", "wkb_of", "table_info", "table_columns", "TableInfo", "json_type", "register_functions"]
