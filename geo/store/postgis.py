"""The production store: the same layers in PostGIS (EPSG:28992), for a server with many workers.

``PostGISStore`` offers the interface of ``geo.store.geopackage.GeoPackageStore`` that build, config and ``geo info``
use. Layout in the database:

- schema ``geo``: one table per layer (primary key = the layer's ``SCHEMA.key``, GiST index on ``geom``)
  plus the store's metadata tables (``geo_layers``, ``geo_sources``, ``geo_quarantine``,
  ``geo_build_history``, same columns as in the GeoPackage);
- schema ``geo_public``: one view per layer selecting only its public fields; the public server reads
  only these views, so a private column cannot reach a response, a filter or the queryables.

Publishing is atomic per build: each layer is first written to a staging table (and indexed and counted),
then one transaction drops the old tables and views, renames the staging tables and writes the metadata.
A build that fails before or during that transaction leaves the published tables as they were.

Raster layers stay files: COGs are written to ``rasters`` (``$GEO_RASTERS``); without it they are skipped
with a warning. A URL without a password takes ``password`` (``$GEO_PG_PASSWORD``, or libpq's ``~/.pgpass``).
The values come from the settings at the edge (``geo.store.open_store(url, settings)``).
"""

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.errors import StoreError
from geo.core.source_file import SourceFile
from geo.formats.raster import Grid, write_cog
from geo.store import is_postgres_url  # noqa: F401  (kept importable from here)
from geo.store.geopackage import (
    HISTORY,
    LAYER_COLUMNS,
    META_LAYERS,
    META_SOURCES,
    QUARANTINE,
    history_sources,
    layer_row,
    quarantine_rows,
    source_rows,
)
from geo.store.publish_lock import publishing

log = logging.getLogger(__name__)

SCHEMA = "geo"  # layer and metadata tables
PUBLIC_SCHEMA = "geo_public"  # one view per layer with only its public fields
RASTERS_ENV = "GEO_RASTERS"  # named in messages; read by geo.core.settings
PASSWORD_ENV = "GEO_PG_PASSWORD"
OUTPUT_ENV = "GEO_OUTPUT"  # maps, reports and the catalogue of a PostGIS store
GEOMETRY = "geom"

# a layer's bounds in RD New, written at publish as a GeoPackage keeps them in gpkg_contents: a server reads them
# at start-up instead of ST_Extent over every row (~30 s for 10 M panden)
BOUNDS = ("min_x", "min_y", "max_x", "max_y")
BOUNDS_DDL = ", ".join(f"{c} DOUBLE PRECISION" for c in BOUNDS)
BOUNDS_SQL = f"SELECT {', '.join(BOUNDS)} FROM {SCHEMA}.{META_LAYERS} WHERE name = :name"
META_DDL = {
    META_LAYERS: f"""name TEXT PRIMARY KEY, title TEXT, features INTEGER, built_at TEXT, gemeente TEXT,
                    public_fields TEXT, quarantined INTEGER, repaired INTEGER, seq BIGSERIAL,
                    internal INTEGER DEFAULT 0, {BOUNDS_DDL}""",
    META_SOURCES: "layer TEXT, key TEXT, path TEXT, sha256 TEXT, modified TEXT",
    QUARANTINE: "layer TEXT, source TEXT, reason TEXT, record TEXT, wkt TEXT, built_at TEXT",
    HISTORY: "built_at TEXT, gemeente TEXT, layer TEXT, features INTEGER, quarantined INTEGER, sources TEXT, "
             "seq BIGSERIAL",
}
# a number that grows with every publish, read in the reader's own transaction (``max`` of a row written by the
# publishing transaction, so never ahead of the tables it published, unlike a sequence's ``last_value``)
PUBLISH_COUNTER_SQL = f"SELECT max(seq) FROM {SCHEMA}.{HISTORY}"
QUARANTINE_VIEW = "geo_quarantine_items"  # the quarantine as a collection of the internal server
# pygeoapi's PostgreSQL provider needs an id and a geometry column: rows numbered, geometry empty (the record's
# WKT may be the very reason it was rejected)
QUARANTINE_VIEW_SQL = f"""CREATE OR REPLACE VIEW {SCHEMA}.{QUARANTINE_VIEW} AS
    SELECT row_number() OVER (ORDER BY built_at, layer, source, reason) AS rowid, layer, source, reason, record,
           wkt, built_at, NULL::geometry(Geometry, 28992) AS {GEOMETRY}
    FROM {SCHEMA}.{QUARANTINE}"""


class PostGISStore:
    def __init__(self, url: str, *, password: str | None = None, output: "Path | str | None" = None,
                 rasters: "Path | str | None" = None, publish_wait_s: float = 3600.0):
        """``password`` for a URL without one (keeps it out of `ps`); ``output``: where maps, reports and the
        catalogue go (default ``build/`` in the working directory); ``rasters``: the COG folder (None: rasters
        are skipped)."""
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.url = make_url(url.replace("postgresql://", "postgresql+psycopg2://", 1))
        if self.url.password is None and password:
            self.url = self.url.set(password=password)
        self._output = Path(output) if output else None
        self._rasters = Path(rasters) if rasters else None
        self.publish_wait_s = publish_wait_s
        self.path = make_url(url).render_as_string(hide_password=True)  # for messages, like GeoPackageStore.path
        self.engine = create_engine(self.url, pool_pre_ping=True)
        self._tile_engine = create_engine(self.url, pool_pre_ping=False)  # mvt_tile's; connects on first use

    # --- reading -----------------------------------------------------------------------------------

    def exists(self) -> bool:
        try:
            return self._published()
        except StoreError:
            return False

    def _published(self) -> bool:
        """Whether a build has published here; StoreError when the database cannot be reached."""
        return self._has_table(META_LAYERS)

    def layers(self) -> list[str]:
        """Names of the layers published in the store."""
        if not self._published():
            return []
        return list(self._frame(f"SELECT name FROM {SCHEMA}.{META_LAYERS} ORDER BY seq")["name"])

    def read(self, name: str, columns: list[str] | None = None, where: str | None = None,
             bbox: tuple | None = None) -> gpd.GeoDataFrame:
        """A layer, optionally only ``columns``, rows matching the SQL ``where`` and/or intersecting ``bbox`` (RD).

        ``where`` is SQL written by our analyses (the same text works on a GeoPackage), never user input.
        Rows come in the order they were published, as from a GeoPackage."""
        if name not in self.layers():
            raise StoreError(f"{self.path}: layer {name!r} is not in the store; run 'geo build {name}'")
        from sqlalchemy import text

        select = ", ".join(f'"{c}"' for c in columns) + f", {GEOMETRY}" if columns else "*"
        clauses, params = [], {}
        if where:
            clauses.append(f"({where})")
        if bbox is not None:
            clauses.append(f"{GEOMETRY} && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 28992)")
            params = dict(zip(("x0", "y0", "x1", "y1"), map(float, bbox)))
        sql = f'SELECT {select} FROM {SCHEMA}."{name}"' + (" WHERE " + " AND ".join(clauses) if clauses else "")
        sql += " ORDER BY ctid"  # the order rows were written in (tables are only ever loaded, never updated),
        # like a GeoPackage's fid order: analyses then give the same answers on both stores
        with self.engine.connect() as con:
            gdf = gpd.read_postgis(text(sql), con, geom_col=GEOMETRY, params=params)
        return gdf.rename_geometry("geometry")

    def mvt_tile(self, name: str, fields: list[str], square_rd_wkb: bytes, bounds: tuple, srid: int, *,
                 extent: int = 4096, buffer: int = 64) -> bytes:
        """One Mapbox vector tile built by the database: layer ``name`` with only ``fields``, the rows whose
        geometry intersects ``square_rd_wkb`` (the tile's square in RD New, densified, as ``geo.render.mvt.
        tile_polygon`` gives it: the GiST index by ``&&``, then ``ST_Intersects`` exactly), clipped and quantised
        by ``ST_AsMVTGeom`` to the tile ``bounds`` in EPSG ``srid`` (``extent`` grid units a side, ``buffer`` beyond
        each edge), as ``geo.render.mvt.encode_tile`` does for a GeoPackage. ``b""`` when no feature is in the
        tile. Values are bound parameters; identifiers are quoted by the dialect."""
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        quote = self.engine.dialect.identifier_preparer.quote
        columns = "".join(f"{quote(f)}, " for f in dict.fromkeys(fields) if f != GEOMETRY)
        sql = f"""
            WITH square AS (SELECT ST_GeomFromWKB(:square, 28992) AS rd,
                                   ST_MakeEnvelope(:x0, :y0, :x1, :y1, :srid) AS tile)
            SELECT ST_AsMVT(q, :layer, :extent, 'geom') FROM (
                SELECT {columns}ST_AsMVTGeom(ST_Transform(t.{quote(GEOMETRY)}, :srid), square.tile,
                                             :extent, :buffer, true) AS geom
                FROM {quote(SCHEMA)}.{quote(name)} t, square
                WHERE t.{quote(GEOMETRY)} && square.rd AND ST_Intersects(t.{quote(GEOMETRY)}, square.rd)
                ORDER BY t.ctid
            ) q WHERE q.geom IS NOT NULL"""
        params = {"square": square_rd_wkb, "srid": int(srid), "layer": name, "extent": int(extent),
                  "buffer": int(buffer), **dict(zip(("x0", "y0", "x1", "y1"), map(float, bounds)))}
        try:
            body = self._tile_query(text(sql), params)
        except SQLAlchemyError as err:
            if not self._has_table(name):  # asked only on failure: one round trip per tile, not two
                raise StoreError(f"{self.path}: layer {name!r} is not in the store; run 'geo build {name}'") from err
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise StoreError(f"{self.path}: cannot make tile of {name} ({reason})") from err
        return bytes(body) if body else b""

    def _tile_query(self, statement, params: dict):
        """The tile's one round trip: on a pool without the pre-ping (``SELECT 1`` before every use, a second
        round trip per tile); a connection the database has dropped since is replaced and the tile asked once
        more."""
        from sqlalchemy.exc import DBAPIError

        for attempt in (1, 2):
            try:
                with self._tile_engine.connect() as con:
                    return con.execute(statement, params).scalar()
            except DBAPIError as err:
                if attempt == 2 or not err.connection_invalidated:
                    raise
        return None  # not reached

    def extent(self, name: str) -> tuple[float, float, float, float] | None:
        """The layer's bounds in RD New; None when unknown, empty or a raster (its COG is not a table). The bounds
        the publish recorded, else (a store published before they were) ``ST_Extent`` of the table."""
        if not self._has_table(name):
            return None
        recorded = self.recorded_extent(name)
        if recorded is not None:
            return recorded
        row = self._frame(f'SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 '
                          f'FROM (SELECT ST_Extent({GEOMETRY}) e FROM {SCHEMA}."{name}") t')
        values = tuple(row.iloc[0]) if len(row) else ()
        return None if not values or any(pd.isna(v) for v in values) else tuple(float(v) for v in values)

    def recorded_extent(self, name: str) -> tuple[float, float, float, float] | None:
        """The bounds in RD New the publish recorded for layer ``name``; None when it recorded none (an empty
        layer, a raster, a store published before bounds were recorded, a table that is no layer)."""
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as con:
                row = con.execute(text(BOUNDS_SQL), {"name": name}).first()
        except SQLAlchemyError:  # metadata without the bounds columns
            return None
        return None if row is None or None in row else tuple(float(v) for v in row)

    def version(self) -> str:
        """Changes with every publish: a cache key for files derived from the store."""
        row = self._frame(f"SELECT max(seq) seq, max(built_at) built FROM {SCHEMA}.{META_LAYERS}")
        return f"{row.iloc[0]['seq']}-{row.iloc[0]['built']}"

    @property
    def stem(self) -> str:
        """Short name of the store for files written for it (catalogue, downloads)."""
        return f"postgis-{self.url.database}"

    @property
    def output_dir(self) -> Path:
        """Where maps, reports, pages and the catalogue of this store are written: ``output`` (``$GEO_OUTPUT``),
        else ``build/`` in the working directory."""
        return self._output or Path.cwd() / "build"

    def read_table(self, table: str) -> pd.DataFrame:
        """A non-spatial table kept across builds (e.g. ``geo_monitoring``); empty when it does not exist yet."""
        if not self._has_table(table):
            return pd.DataFrame()
        return self._frame(f'SELECT * FROM {SCHEMA}."{table}" ORDER BY ctid')  # appended order, as in a GeoPackage

    def append_rows(self, table: str, rows: pd.DataFrame) -> None:
        """Append ``rows`` to a table kept across builds, in one transaction."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as con:
                rows.to_sql(table, con, schema=SCHEMA, if_exists="append", index=False)
        except SQLAlchemyError as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise StoreError(f"{self.path}: appending to {table} failed, store left unchanged ({reason})") from err

    def info(self) -> pd.DataFrame:
        """One row per layer: features, build time, gemeente, quarantined records."""
        if not self._published():
            raise StoreError(f"{self.path}: no store yet; run 'geo build --store {self.path}'")
        columns = LAYER_COLUMNS if self._has_internal_column() else LAYER_COLUMNS.replace(", internal", "")
        return self._frame(f"SELECT {columns} FROM {SCHEMA}.{META_LAYERS} ORDER BY seq")

    def sources(self) -> pd.DataFrame:
        return self._frame(f"SELECT * FROM {SCHEMA}.{META_SOURCES}")

    def history(self) -> pd.DataFrame:
        """Every build of every layer so far: built_at, gemeente, layer, features, quarantined, sources (JSON)."""
        return self._frame(f"SELECT built_at, gemeente, layer, features, quarantined, sources "
                           f"FROM {SCHEMA}.{HISTORY} ORDER BY seq")

    def internal_layers(self) -> set[str]:
        """Layers only the internal instance may serve (column ``internal`` of the layer metadata)."""
        if not self._published() or not self._has_internal_column():
            return set()
        return set(self._frame(f"SELECT name FROM {SCHEMA}.{META_LAYERS} WHERE internal = 1")["name"])

    def _has_internal_column(self) -> bool:
        """False for a store published before the layer metadata had column ``internal``."""
        return self._scalar("SELECT count(*) > 0 FROM information_schema.columns WHERE table_schema = :s "
                            "AND table_name = :t AND column_name = 'internal'", s=SCHEMA, t=META_LAYERS)

    def quarantine(self, layer: str | None = None) -> pd.DataFrame:
        sql = f"SELECT * FROM {SCHEMA}.{QUARANTINE}" + (" WHERE layer = :layer" if layer else "")
        return self._frame(sql, {"layer": layer} if layer else None)

    @property
    def raster_dir(self) -> Path | None:
        """Raster layers are COGs in ``rasters`` (``$GEO_RASTERS``; None: rasters are skipped)."""
        return self._rasters

    def raster_path(self, name: str) -> Path:
        if self.raster_dir is None:
            raise StoreError(f"{self.path}: raster layers of a PostGIS store need ${RASTERS_ENV} (a folder)")
        return self.raster_dir / f"{name}.tif"

    # --- publishing --------------------------------------------------------------------------------

    def publish(self, built: dict[str, gpd.GeoDataFrame | Grid], meta: dict[str, dict],
                used: list[SourceFile], quarantine: pd.DataFrame) -> None:
        """Write ``built`` layers (keeping the store's other layers) and swap them in in one transaction,
        under the store's publish lock (``geo.store.publish_lock``, an advisory lock)."""
        with publishing(self):
            self._publish(self._without_skipped_rasters(built), meta, used, quarantine)

    def _publish(self, built, meta, used, quarantine) -> None:
        vectors = {n: g for n, g in built.items() if not isinstance(g, Grid)}
        rasters = {n: self.raster_dir / f".{n}.{os.getpid()}.tmp.tif" for n, g in built.items() if isinstance(g, Grid)}
        staged: dict[str, str] = {}
        try:
            self._prepare()
            for name, gdf in vectors.items():
                staged[name] = self._stage(name, gdf, meta[name].get("key"))
            for name, path in rasters.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                write_cog(built[name], path)
            with self.engine.begin() as con:
                for name, table in staged.items():
                    _swap(con, name, table, meta[name])
                _write_meta(con, built, meta, used, quarantine)
            staged = {}
            for name, path in rasters.items():
                os.replace(path, self.raster_path(name))
        except Exception as err:
            self._drop(staged.values())
            for path in rasters.values():
                path.unlink(missing_ok=True)
            if isinstance(err, StoreError):
                raise
            reason = str(err).strip().splitlines()[0]
            raise StoreError(f"{self.path}: publishing failed, store left unchanged ({reason})") from err

    def _without_skipped_rasters(self, built: dict) -> dict:
        skipped = [n for n, g in built.items() if isinstance(g, Grid)] if self.raster_dir is None else []
        for name in skipped:
            log.warning("%s: raster layer %s skipped; set $%s to a folder for its COG", self.path, name, RASTERS_ENV)
        return {n: g for n, g in built.items() if n not in skipped}

    def _prepare(self) -> None:
        from sqlalchemy import text

        with self.engine.begin() as con:
            con.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
            for schema in (SCHEMA, PUBLIC_SCHEMA):
                con.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
            for table, columns in META_DDL.items():
                con.execute(text(f"CREATE TABLE IF NOT EXISTS {SCHEMA}.{table} ({columns})"))
            # a store published before the column existed
            con.execute(text(f"ALTER TABLE {SCHEMA}.{META_LAYERS} ADD COLUMN IF NOT EXISTS internal INTEGER DEFAULT 0"))
            for column in BOUNDS:
                con.execute(text(f"ALTER TABLE {SCHEMA}.{META_LAYERS} ADD COLUMN IF NOT EXISTS {column} "
                                 "DOUBLE PRECISION"))
            con.execute(text(QUARANTINE_VIEW_SQL))

    def _stage(self, name: str, gdf: gpd.GeoDataFrame, key: str | None) -> str:
        """Write ``gdf`` to a staging table with its primary key and GiST index; check the count."""
        from sqlalchemy import text

        table = f"{name}__staging_{os.getpid()}"
        gdf = gdf.to_crs(28992) if gdf.crs is not None and gdf.crs.to_epsg() != 28992 else gdf
        gdf = gdf.rename_geometry(GEOMETRY) if gdf.geometry.name != GEOMETRY else gdf
        try:
            _write_table(gdf, table, self.engine)
            with self.engine.begin() as con:
                con.execute(text(f'DROP INDEX IF EXISTS {SCHEMA}."idx_{table}_{GEOMETRY}"'))  # GeoAlchemy2's own
                con.execute(text(f'CREATE INDEX "{table}_gist" ON {SCHEMA}."{table}" USING GIST ({GEOMETRY})'))
                if key:
                    con.execute(text(f'ALTER TABLE {SCHEMA}."{table}" ADD CONSTRAINT "{table}_pkey" '
                                     f'PRIMARY KEY ("{key}")'))
                n = con.execute(text(f'SELECT count(*) FROM {SCHEMA}."{table}"')).scalar()
            if n != len(gdf):
                raise StoreError(f"{self.path}: layer {name} staged {n} rows, expected {len(gdf)}")
        except Exception:
            self._drop([table])
            raise
        return table

    def _drop(self, tables) -> None:
        from sqlalchemy import text

        with self.engine.begin() as con:
            for table in tables:
                con.execute(text(f'DROP TABLE IF EXISTS {SCHEMA}."{table}"'))

    def _frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as con:
                return pd.read_sql(text(sql), con, params=params)
        except SQLAlchemyError as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise StoreError(f"{self.path}: cannot read store ({reason})") from err

    def _has_table(self, name: str) -> bool:
        """Whether schema ``geo`` has table (or view) ``name``; StoreError when the database cannot be reached."""
        return self._scalar("SELECT to_regclass(:t) IS NOT NULL", t=f'{SCHEMA}."{name}"')

    def _scalar(self, sql: str, **params):
        from sqlalchemy import text
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.connect() as con:
                return con.execute(text(sql), params).scalar()
        except SQLAlchemyError as err:
            reason = str(getattr(err, "orig", None) or err).strip().splitlines()[0]
            raise StoreError(f"{self.path}: cannot open store ({reason})") from err


def _swap(con, name: str, staging: str, meta: dict) -> None:
    """Inside the publishing transaction: replace table and public view of ``name`` by ``staging``."""
    from sqlalchemy import text

    con.execute(text(f'DROP VIEW IF EXISTS {PUBLIC_SCHEMA}."{name}"'))
    con.execute(text(f'DROP TABLE IF EXISTS {SCHEMA}."{name}"'))
    con.execute(text(f'ALTER TABLE {SCHEMA}."{staging}" RENAME TO "{name}"'))
    con.execute(text(f'ALTER INDEX {SCHEMA}."{staging}_gist" RENAME TO "{name}_gist"'))
    if meta.get("key"):
        con.execute(text(f'ALTER TABLE {SCHEMA}."{name}" RENAME CONSTRAINT "{staging}_pkey" TO "{name}_pkey"'))
    if meta.get("internal"):
        return  # an internal result (e.g. toezicht_prioriteit) gets no public view at all
    fields = [f for f in [meta.get("key"), *meta["public_fields"]] if f]
    columns = ", ".join(f'"{f}"' for f in dict.fromkeys(fields))
    con.execute(text(f'CREATE VIEW {PUBLIC_SCHEMA}."{name}" AS SELECT {columns}, {GEOMETRY} FROM {SCHEMA}."{name}"'))


def _write_meta(con, built, meta, used, quarantine) -> None:
    from sqlalchemy import text

    now = datetime.now(UTC).isoformat(timespec="seconds")
    names = list(built)
    for name, layer in built.items():
        m = meta[name]
        size = layer.cells if isinstance(layer, Grid) else len(layer)
        con.execute(text(f"""INSERT INTO {SCHEMA}.{META_LAYERS} ({LAYER_COLUMNS})
                             VALUES (:n, :t, :f, :b, :g, :p, :q, :r, :i)
                             ON CONFLICT (name) DO UPDATE SET title = :t, features = :f, built_at = :b,
                             gemeente = :g, public_fields = :p, quarantined = :q, repaired = :r, internal = :i"""),
                    dict(zip("ntfbgpqri", layer_row(name, m, size, now))))
        bounds = None if isinstance(layer, Grid) else _bounds(layer)
        con.execute(text(f"UPDATE {SCHEMA}.{META_LAYERS} SET {', '.join(f'{c} = :{c}' for c in BOUNDS)} "
                         "WHERE name = :n"), {"n": name, **dict(zip(BOUNDS, bounds or (None,) * 4))})
        con.execute(text(f"INSERT INTO {SCHEMA}.{HISTORY} (built_at, gemeente, layer, features, quarantined, "
                         "sources) VALUES (:b, :g, :n, :f, :q, :s)"),
                    {"b": now, "g": m["gemeente"], "n": name, "f": size, "q": m["quarantined"],
                     "s": history_sources(used, name)})
    for table in (META_SOURCES, QUARANTINE):
        con.execute(text(f"DELETE FROM {SCHEMA}.{table} WHERE layer = ANY(:names)"), {"names": names})
    rows = [dict(zip("lkpsm", row)) for row in source_rows(used, built)]
    if rows:
        con.execute(text(f"INSERT INTO {SCHEMA}.{META_SOURCES} VALUES (:l, :k, :p, :s, :m)"), rows)
    columns = ["layer", "source", "reason", "record", "wkt", "built_at"]
    rows = [dict(zip(columns, r)) for r in quarantine_rows(quarantine, now)]
    if rows:
        con.execute(text(f"INSERT INTO {SCHEMA}.{QUARANTINE} VALUES (:layer, :source, :reason, :record, :wkt, "
                         ":built_at)"), rows)


def _bounds(gdf: gpd.GeoDataFrame) -> tuple[float, ...] | None:
    """Bounds in RD New of the layer as it is stored; None when it has no geometry."""
    if gdf.crs is not None and gdf.crs.to_epsg() != 28992:
        gdf = gdf.to_crs(28992)
    bounds = gdf.total_bounds if len(gdf) else [np.nan] * 4
    return None if np.isnan(bounds).any() else tuple(float(v) for v in bounds)


def _write_table(gdf: gpd.GeoDataFrame, table: str, engine) -> None:
    """``gdf`` (RD New, geometry column ``geom``) as a new table, loaded with COPY.

    Not ``GeoDataFrame.to_postgis``: its COPY writes an empty text and a missing value alike, so every ""
    arrived as NULL (e.g. ``wnb_besluit.natura2000_nrs`` of a decision near no area). Here only missing
    values are left unquoted (``csv.QUOTE_NOTNULL``), which PostgreSQL's CSV format reads as NULL."""
    import shapely
    from geoalchemy2 import Geometry

    from geo.store.geopackage import geometry_type

    kind = geometry_type(gdf)
    frame = pd.DataFrame(gdf.drop(columns=GEOMETRY))
    geoms = shapely.set_srid(np.asarray(gdf.geometry), 28992)
    frame[GEOMETRY] = shapely.to_wkb(geoms, hex=True, include_srid=True)
    column = Geometry(geometry_type="GEOMETRY" if kind == "Unknown" else kind.upper(), srid=28992)
    frame.to_sql(table, engine, schema=SCHEMA, if_exists="replace", index=False, method=_copy_csv,
                 dtype={GEOMETRY: column})


def _copy_csv(table, con, keys, rows) -> None:
    """pandas ``to_sql`` method: one ``COPY ... FROM STDIN (FORMAT csv)``; missing values unquoted (NULL)."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(rows)
    buffer.seek(0)
    quote = con.dialect.identifier_preparer.quote
    columns = ", ".join(quote(k) for k in keys)
    with con.connection.cursor() as cur:
        cur.copy_expert(f'COPY {SCHEMA}.{quote(table.table.name)} ({columns}) FROM STDIN WITH (FORMAT csv)', buffer)
