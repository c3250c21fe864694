"""The embedded store: one GeoPackage per build, every layer a table in RD New with an R-tree index.

Publishing is atomic: the new store is written beside the old one and moved over it with one
``os.replace``; a build that fails half-way leaves the published file as it was. A server that has the
old file open keeps reading the old version until it reopens (see ``geo.serve.provider``).
"""

import json
import logging
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.errors import StoreError
from geo.core.source_file import SourceFile
from geo.formats.raster import Grid, write_cog
from geo.store.publish_lock import publishing

log = logging.getLogger(__name__)

META_LAYERS = "geo_layers"
META_SOURCES = "geo_sources"
QUARANTINE = "geo_quarantine"
HISTORY = "geo_build_history"  # one row per layer per build, never overwritten: what refresh and monitoring read
LAYER_COLUMNS = "name, title, features, built_at, gemeente, public_fields, quarantined, repaired, internal"


def layer_row(name: str, meta: dict, size: int, built_at: str) -> tuple:
    """The layer-metadata row of one built layer, in ``LAYER_COLUMNS`` order (both backends write this).

    ``meta["internal"]`` (default False): the layer is served by the internal instance only."""
    return (name, meta["title"], size, built_at, meta["gemeente"], json.dumps(meta["public_fields"]),
            meta["quarantined"], meta["repaired"], int(bool(meta.get("internal", False))))


def source_rows(used: list[SourceFile], built) -> list[tuple]:
    """The ``geo_sources`` rows (layer, key, path, sha256, modified) of the layers in ``built``."""
    return [(u.layer, u.key, u.path, u.sha256, u.modified) for u in used if u.layer in built]


def history_sources(used: list[SourceFile], name: str) -> str:
    """The ``sources`` column of a ``geo_build_history`` row: the files layer ``name`` was built from (JSON)."""
    return json.dumps([{"key": u.key, "path": u.path, "sha256": u.sha256, "modified": u.modified}
                       for u in used if u.layer == name])


def quarantine_rows(quarantine: pd.DataFrame, built_at: str) -> list[tuple]:
    """The ``geo_quarantine`` rows (layer, source, reason, record, wkt, built_at)."""
    return [(*row, built_at) for row in quarantine[["layer", "source", "reason", "record", "wkt"]]
            .itertuples(index=False, name=None)]


class GeoPackageStore:
    def __init__(self, path: Path | str, *, publish_wait_s: float = 3600.0):
        self.path = Path(path)
        self.publish_wait_s = publish_wait_s  # how long a build waits for another's publish lock

    def exists(self) -> bool:
        return self.path.exists()

    def layers(self) -> list[str]:
        """Names of the layers published in the store."""
        if not self.exists():
            return []
        with self._connect() as con:
            rows = con.execute(f"SELECT name FROM {META_LAYERS} ORDER BY rowid").fetchall()
        return [r[0] for r in rows]

    def read(self, name: str, columns: list[str] | None = None, where: str | None = None,
             bbox: tuple | None = None) -> gpd.GeoDataFrame:
        """A layer, optionally only ``columns``, rows matching the SQL ``where`` and/or intersecting ``bbox`` (RD)."""
        if name not in self.layers():
            raise StoreError(f"{self.path}: layer {name!r} is not in the store; run 'geo build {name}'")
        return gpd.read_file(self.path, layer=name, engine="pyogrio", fid_as_index=False, columns=columns,
                             where=where, bbox=bbox)

    def extent(self, name: str) -> tuple[float, float, float, float] | None:
        """The layer's bounds in RD New from the GeoPackage metadata (no full read); None when unknown."""
        with self._connect() as con:
            row = con.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?",
                              (name,)).fetchone()
        return None if not row or None in row else tuple(row)

    def version(self) -> str:
        """Changes with every publish: a cache key for files derived from the store."""
        try:
            stat = self.path.stat()
        except OSError as err:
            raise StoreError(f"{self.path}: no store yet; run 'geo build'") from err
        return f"{stat.st_mtime_ns}-{stat.st_size}"

    @property
    def stem(self) -> str:
        """Short name of the store for files written beside it (catalogue, downloads)."""
        return self.path.stem

    @property
    def output_dir(self) -> Path:
        """Where maps, reports and pages derived from this store are written: beside the GeoPackage."""
        return self.path.parent

    def read_table(self, table: str) -> pd.DataFrame:
        """A non-spatial table kept across builds (e.g. ``geo_monitoring``); empty when it does not exist yet."""
        from geo.store.history import read_table

        return read_table(self.path, table)

    def append_rows(self, table: str, rows: pd.DataFrame) -> None:
        """Append ``rows`` to a table kept across builds, atomically (``geo.store.history``)."""
        from geo.store.history import append_rows

        with publishing(self):
            append_rows(self.path, table, rows)

    def info(self) -> pd.DataFrame:
        """One row per layer: features, build time, gemeente, quarantined records."""
        if not self.exists():
            raise StoreError(f"{self.path}: no store yet; run 'geo build'")
        with self._connect() as con:
            return pd.read_sql(f"SELECT * FROM {META_LAYERS} ORDER BY rowid", con)

    def sources(self) -> pd.DataFrame:
        with self._connect() as con:
            return pd.read_sql(f"SELECT * FROM {META_SOURCES}", con)

    def history(self) -> pd.DataFrame:
        """Every build of every layer so far: built_at, gemeente, layer, features, quarantined, sources (JSON)."""
        with self._connect() as con:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (HISTORY,)).fetchone():
                return pd.DataFrame(columns=["built_at", "gemeente", "layer", "features", "quarantined", "sources"])
            return pd.read_sql(f"SELECT * FROM {HISTORY} ORDER BY rowid", con)

    def internal_layers(self) -> set[str]:
        """Layers only the internal instance may serve (column ``internal`` of the layer metadata)."""
        if not self.exists():
            return set()
        with self._connect() as con:
            if "internal" not in _columns(con, META_LAYERS):
                return set()  # published before the column existed
            return {r[0] for r in con.execute(f"SELECT name FROM {META_LAYERS} WHERE internal = 1")}

    def quarantine(self, layer: str | None = None) -> pd.DataFrame:
        with self._connect() as con:
            sql, args = f"SELECT * FROM {QUARANTINE}", ()
            if layer:
                sql, args = sql + " WHERE layer = ?", (layer,)
            return pd.read_sql(sql, con, params=args)

    @property
    def raster_dir(self) -> Path:
        """Raster layers live beside the GeoPackage as Cloud Optimized GeoTIFFs."""
        return self.path.parent / f"{self.path.stem}-rasters"

    def raster_path(self, name: str) -> Path:
        return self.raster_dir / f"{name}.tif"

    def publish(self, built: dict[str, gpd.GeoDataFrame | Grid], meta: dict[str, dict],
                used: list[SourceFile], quarantine: pd.DataFrame) -> None:
        """Write ``built`` layers (keeping the store's other layers) and swap the new files in atomically,
        under the store's publish lock (``geo.store.publish_lock``): the copy starts from the latest store."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with publishing(self):
            self._publish(built, meta, used, quarantine)

    def _publish(self, built, meta, used, quarantine) -> None:
        self.remove_stale_temporaries()
        tmp = self.path.with_name(f".{self.path.stem}.{os.getpid()}.tmp.gpkg")
        vectors = {n: g for n, g in built.items() if not isinstance(g, Grid)}
        rasters = {n: self.raster_dir / f".{n}.{os.getpid()}.tmp.tif" for n, g in built.items() if isinstance(g, Grid)}
        try:
            if self.exists():
                shutil.copyfile(self.path, tmp)
            for name, gdf in vectors.items():
                _write_layer(tmp, name, gdf)
            for name, path in rasters.items():
                write_cog(built[name], path)
            with sqlite3.connect(tmp) as con:
                _write_meta(con, built, meta, used, quarantine)
            _verify(tmp, vectors)
            _fsync(tmp)
            os.replace(tmp, self.path)
            for name, path in rasters.items():
                os.replace(path, self.raster_path(name))
        except Exception as err:
            tmp.unlink(missing_ok=True)
            for path in rasters.values():
                path.unlink(missing_ok=True)
            if isinstance(err, StoreError):
                raise
            raise StoreError(f"{self.path}: publishing failed, store left unchanged ({err})") from err

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete the temporary files of builds that were killed before they could clean up (their
        process is gone); a build that is still running keeps its own."""
        candidates = [*self.path.parent.glob(f".{self.path.stem}.*.tmp.gpkg*"), *self.raster_dir.glob(".*.*.tmp.tif")]
        stale = [p for p in candidates if not _pid_alive(p.name.split(".")[-3])]  # .{stem}.{pid}.tmp.gpkg
        for path in stale:
            log.warning("removing %s, left by a build that was stopped", path)
            path.unlink(missing_ok=True)
        return stale

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open store ({err})") from err


def _write_layer(path: Path, name: str, gdf: gpd.GeoDataFrame) -> None:
    pyogrio.write_dataframe(gdf, path, layer=name, driver="GPKG", geometry_type=geometry_type(gdf),
                            layer_options={"SPATIAL_INDEX": "YES", "FID": "fid", "GEOMETRY_NAME": "geom"})


def geometry_type(gdf: gpd.GeoDataFrame) -> str:
    """One geometry type per table: Polygon+MultiPolygon become MultiPolygon, etc."""
    types = set(gdf.geom_type.dropna())
    if len(types) == 1:
        return types.pop()
    if types <= {"Polygon", "MultiPolygon"}:
        return "MultiPolygon"
    if types <= {"Point", "MultiPoint"}:
        return "MultiPoint"
    if types <= {"LineString", "MultiLineString"}:
        return "MultiLineString"
    return "Unknown"


def _write_meta(con, built, meta, used, quarantine) -> None:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {META_LAYERS} (name TEXT PRIMARY KEY, title TEXT,
                    features INTEGER, built_at TEXT, gemeente TEXT, public_fields TEXT, quarantined INTEGER,
                    repaired INTEGER, internal INTEGER DEFAULT 0)""")
    if "internal" not in _columns(con, META_LAYERS):  # a store published before the column existed
        con.execute(f"ALTER TABLE {META_LAYERS} ADD COLUMN internal INTEGER DEFAULT 0")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {META_SOURCES} (layer TEXT, key TEXT, path TEXT,
                    sha256 TEXT, modified TEXT)""")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {QUARANTINE} (layer TEXT, source TEXT, reason TEXT,
                    record TEXT, wkt TEXT, built_at TEXT)""")
    con.execute(f"""CREATE TABLE IF NOT EXISTS {HISTORY} (built_at TEXT, gemeente TEXT, layer TEXT,
                    features INTEGER, quarantined INTEGER, sources TEXT)""")
    for name, layer in built.items():
        m = meta[name]
        if m.get("key"):  # the register's own id: unique, and looked up by /items/{id}
            key = m["key"]
            con.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS "idx_{name}_{key}" ON "{name}" ("{key}")')
        size = layer.cells if isinstance(layer, Grid) else len(layer)
        con.execute(f"INSERT OR REPLACE INTO {META_LAYERS} ({LAYER_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                    layer_row(name, m, size, now))
        con.execute(f"DELETE FROM {META_SOURCES} WHERE layer = ?", (name,))
        con.execute(f"DELETE FROM {QUARANTINE} WHERE layer = ?", (name,))
    con.executemany(f"INSERT INTO {META_SOURCES} VALUES (?,?,?,?,?)", source_rows(used, built))
    con.executemany(f"INSERT INTO {QUARANTINE} VALUES (?,?,?,?,?,?)", quarantine_rows(quarantine, now))
    for name, layer in built.items():
        size = layer.cells if isinstance(layer, Grid) else len(layer)
        con.execute(f"INSERT INTO {HISTORY} VALUES (?,?,?,?,?,?)", (now, meta[name]["gemeente"], name, size,
                                                                    meta[name]["quarantined"],
                                                                    history_sources(used, name)))
    for table in (META_LAYERS, META_SOURCES, QUARANTINE, HISTORY):  # register as GeoPackage attribute tables
        con.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, last_change) "
                    "VALUES (?, 'attributes', ?, ?)", (table, table, now))


def _columns(con, table: str) -> list[str]:
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


def _verify(path: Path, built: dict[str, gpd.GeoDataFrame]) -> None:
    with sqlite3.connect(path) as con:
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise StoreError(f"{path}: integrity check failed")
        for name, gdf in built.items():
            n = con.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            if n != len(gdf):
                raise StoreError(f"{path}: layer {name} has {n} rows, expected {len(gdf)}")


def _pid_alive(pid: str) -> bool:
    if not pid.isdigit():
        return True  # not one of ours: leave it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())



from geo.store.protocol import Store  # noqa: E402  (the interface; kept importable from here)


def open_store(location: "Path | str", settings=None) -> "Store":
    """``geo.store.open_store``: the store at ``location`` (a path or a postgresql:// URL)."""
    from geo.store import open_store as resolve

    return resolve(location, settings)


def as_store(store: "Store | Path | str", settings=None) -> "Store":
    """``store`` itself when it is a store, else the store at that location (``open_store``). For the edges
    only (tests, scripts): library functions take a ``Store``."""
    return store if hasattr(store, "publish") else open_store(store, settings)
