"""Append rows to a table of the store, atomically: write a copy, check it, swap it in with os.replace.

Never writes the published file in place, so a server reading the store sees either the old or the new
version. Used for histories that must survive rebuilds (e.g. ``geo_monitoring``): ``GeoPackageStore.publish``
copies the whole file, so tables it does not know are carried along.
"""

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geo.core.errors import StoreError

__all__ = ["append_rows", "read_table"]


def append_rows(store_path: Path, table: str, rows: pd.DataFrame) -> None:
    """Append ``rows`` to ``table`` (created from the frame's columns on first use) in one atomic step."""
    store_path = Path(store_path)
    if not store_path.exists():
        raise StoreError(f"{store_path}: no store yet; run 'geo build'")
    tmp = store_path.with_name(f".{store_path.stem}.{os.getpid()}.{table}.tmp.gpkg")
    try:
        shutil.copyfile(store_path, tmp)
        with sqlite3.connect(tmp) as con:
            _append(con, table, rows)
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise StoreError(f"{tmp}: integrity check failed")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, store_path)
    except (OSError, sqlite3.Error) as err:
        tmp.unlink(missing_ok=True)
        raise StoreError(f"{store_path}: appending to {table} failed, store left unchanged ({err})") from err


def _append(con: sqlite3.Connection, table: str, rows: pd.DataFrame) -> None:
    columns = ", ".join(f'"{c}"' for c in rows.columns)
    con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})')
    marks = ", ".join("?" for _ in rows.columns)
    values = [tuple(_plain(v) for v in row) for row in rows.itertuples(index=False)]
    con.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', values)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    con.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, last_change) "
                "VALUES (?, 'attributes', ?, ?)", (table, table, now))


def _plain(value):
    """A value sqlite3 can bind: numpy scalars become Python ones, missing values NULL."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def read_table(store_path: Path, table: str) -> pd.DataFrame:
    """The whole table, or an empty frame when the store does not have it (yet)."""
    with sqlite3.connect(f"file:{store_path}?mode=ro", uri=True) as con:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            return pd.DataFrame()
        return pd.read_sql(f'SELECT * FROM "{table}" ORDER BY rowid', con)
