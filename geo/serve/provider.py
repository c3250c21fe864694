"""A pygeoapi feature provider for our GeoPackage store, with plain sqlite3 (no SpatiaLite, no GDAL).

Named in the pygeoapi config as ``geo.serve.provider.GeoPackageProvider``. Provider options:
``data`` (the GeoPackage), ``table``, ``id_field``, ``properties`` (the public columns: nothing
else is ever selected), ``time_field`` (a DATE, DATETIME or ISO-dated TEXT column ``datetime`` selects on) and the usual
``storage_crs``/``crs``.

``datetime`` (OGC API Features /req/core/fc-time-response): a feature matches when its ``time_field`` value
intersects the instant or interval; a DATE value is its whole day, and a date in the query is its whole day too
(``2018-01-01/2019-01-01`` holds both days). Open ends are ``..`` or empty. A feature without a value (e.g. a
Wnb application without a decision) has no temporal geometry and never matches; ``../..`` selects nothing out.
Without a ``time_field`` the parameter selects on nothing: every feature is in the result (the abstract test
/ats/core/fc-time-response: features without a temporal geometry are included), as pygeoapi's PostgreSQL provider.

bbox queries use the GeoPackage R-tree, then an exact shapely test only for features whose envelope is
not inside the bbox. Each request reopens the file if it was replaced (atomic publish), so a response
comes wholly from one version of the store.
"""

import logging
import os
import sqlite3
import threading

import shapely
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from geo.core.crs import CRS84_URI, crs_from_uri, stored_axis_order, transform_geometries
from geo.formats import gpkg
from geo.serve import geometry_json
from geo.serve.cql import FilterError, to_sql

log = logging.getLogger(__name__)
_local = threading.local()


class GeoPackageProvider(BaseProvider):
    def __init__(self, provider_def: dict):
        super().__init__(provider_def)
        self.storage_crs_uri = provider_def.get("storage_crs", CRS84_URI)
        self.table = provider_def.get("table")
        if not self.table:
            raise ProviderConnectionError(user_msg="provider needs a 'table'")
        con, info = self._open()
        self.info = info
        self.id_field = self.id_field or info.pk or "rowid"
        if self.id_field != "rowid" and self.id_field not in info.columns:
            raise ConfigurationError(user_msg=f"configuration error: id_field {self.id_field!r} is not a column of "
                                              f"{info.table}; columns: {', '.join(info.columns)}")
        public = list(provider_def.get("properties") or [])
        self.public = [c for c in public if c in info.columns] if public else [
            c for c in info.columns if c not in (info.pk, info.geometry_column)]
        self.properties = list(self.public)
        self._fields = self.get_fields()

    # --- pygeoapi interface ---------------------------------------------------------------------

    def get_fields(self) -> dict:
        return {name: gpkg.json_type(self.info.columns[name]) for name in self.public}

    def query(self, offset=0, limit=10, resulttype="results", bbox=None, datetime_=None, properties=None,
              sortby=None, select_properties=None, skip_geometry=False, q=None, filterq=None,
              crs_transform_spec=None, **kwargs) -> dict:
        con, _ = self._open()
        where, params = self._where(bbox or [], properties or [], filterq, q, datetime_)
        matched = None
        if self.count or resulttype == "hits":
            matched = self._execute(con, f"SELECT COUNT(*) FROM {self._table} t {where}", params)[0][0]
        if resulttype == "hits":
            return _collection([], matched)
        columns = list(select_properties or self.public)
        skip_geometry = skip_geometry or self.info.geometry_column is None
        sql = (f"SELECT {self._select(columns, skip_geometry)} FROM {self._table} t {where} "
               f"{self._order(sortby or [])} LIMIT ? OFFSET ?")
        try:
            page = [_bounded("limit", limit), _bounded("offset", offset)]
        except ValueError as err:
            raise ProviderInvalidQueryError(user_msg=str(err)) from err
        rows = self._execute(con, sql, [*params, *page])
        return _collection(self._features(rows, columns, skip_geometry, crs_transform_spec), matched)

    def get(self, identifier, crs_transform_spec=None, **kwargs) -> dict:
        con, _ = self._open()
        key = self._typed(self.id_field, identifier, not_found=True)
        no_geometry = self.info.geometry_column is None
        sql = (f"SELECT {self._select(self.public, no_geometry)} FROM {self._table} t "
               f"WHERE t.{_quote(self.id_field)} = ?")
        rows = self._execute(con, sql, [key])
        if not rows:
            raise ProviderItemNotFoundError(user_msg=f"no feature with id {identifier!r} in {self.table}")
        return self._features(rows[:1], self.public, no_geometry, crs_transform_spec)[0]

    # --- SQL building ---------------------------------------------------------------------------

    def _select(self, columns: list[str], skip_geometry: bool) -> str:
        cols = [f"t.{_quote(self.id_field)}"] + [f"t.{_quote(c)}" for c in columns]
        if not skip_geometry:
            cols.append(f"t.{_quote(self.info.geometry_column)}")
        return ", ".join(cols)

    def _where(self, bbox, properties, filterq, q, datetime_=None) -> tuple[str, list]:
        clauses, params = [], []
        if datetime_ and self.time_field:
            sql, args = self._time_clause(datetime_)
            if sql:
                clauses.append(sql)
                params += args
        if bbox:
            sql, args = self._bbox_clause(bbox)
            clauses.append(sql)
            params += args
        for name, value in properties:
            clauses.append(f"t.{_quote(name)} = ?")
            params.append(self._typed(name, value))
        if filterq is not None:
            try:
                sql, args = to_sql(filterq, set(self.public), self.info.geometry_column)
            except FilterError as err:
                raise ProviderInvalidQueryError(user_msg=str(err)) from err
            clauses.append(sql)
            params += args
        if q:
            text = [c for c in self.public if self._fields[c]["type"] == "string"]
            if text:
                clauses.append("(" + " OR ".join(f"t.{_quote(c)} LIKE ?" for c in text) + ")")
                params += [f"%{q}%"] * len(text)
        return ("WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _time_clause(self, datetime_: str) -> tuple[str, list]:
        """The features whose ``time_field`` intersects an instant or interval (see the module docstring)."""
        if self.time_field not in self.info.columns:
            raise ProviderInvalidQueryError(user_msg=f"configuration error: time_field {self.time_field!r} is not a "
                                                     f"column of {self.table}")
        begin, _, end = datetime_.partition("/") if "/" in datetime_ else (datetime_, "", datetime_)
        begin, end = (None if v in ("", "..") else v.strip() for v in (begin, end))
        if begin is None and end is None:
            return "", []
        column = f"t.{_quote(self.time_field)}"
        clauses, params = [f"{column} IS NOT NULL"], []
        if self.info.columns[self.time_field].upper() != "DATETIME":
            # DATE (or TEXT, as the build writes dates): ISO days compare as text; a query's date-time stands for
            # the day it is written in, as PostgreSQL casts it to a date
            if begin is not None:
                clauses.append(f"substr({column}, 1, 10) >= ?")
                params.append(begin[:10])
            if end is not None:
                clauses.append(f"substr({column}, 1, 10) <= ?")
                params.append(end[:10])
        else:  # DATETIME: a date in the query is its whole day
            if begin is not None:
                clauses.append(f"julianday({column}) >= julianday(?)")
                params.append(_iso(begin))
            if end is not None:
                clauses.append(f"julianday({column}) {'<' if len(end) == 10 else '<='} julianday(?)"
                               + (" + 1" if len(end) == 10 else ""))
                params.append(_iso(end))
        return "(" + " AND ".join(clauses) + ")", params

    def _bbox_clause(self, bbox) -> tuple[str, list]:
        """Features whose geometry intersects the box: the R-tree on the box's bounds, then, unless a feature's
        envelope lies inside the box (or inside ``bbox.inner`` for a box from another CRS), the exact test
        against the box's outline (``bbox.polygon``, see ``geo.core.crs.TransformedBBox``)."""
        if self.info.geometry_column is None:
            raise ProviderInvalidQueryError(user_msg=f"{self.table} has no geometry: bbox does not apply")
        outline = getattr(bbox, "polygon", None)
        if outline is not None and outline.is_empty:
            return "0", []
        box = [bbox[0], bbox[1], bbox[3], bbox[4]] if len(bbox) == 6 else list(bbox)
        minx, miny, maxx, maxy = (float(v) for v in box)
        inner = getattr(bbox, "inner", None) if outline is not None else (minx, miny, maxx, maxy)
        exact = (outline if outline is not None else shapely.box(minx, miny, maxx, maxy)).wkb
        geom, key = _quote(self.info.geometry_column), _quote(self._row_key)
        if self.info.rtree is None:
            return f"geo_relate(t.{geom}, 'intersects', ?)", [exact]
        envelope_inside, inside_params = "", []
        if inner is not None:
            envelope_inside = "(r.minx >= ? AND r.maxx <= ? AND r.miny >= ? AND r.maxy <= ?) OR "
            inside_params = [inner[0], inner[2], inner[1], inner[3]]
        sql = (f"t.{key} IN (SELECT r.id FROM {_quote(self.info.rtree)} r WHERE r.maxx >= ? AND r.minx <= ? "
               f"AND r.maxy >= ? AND r.miny <= ? AND ({envelope_inside}"
               f"geo_relate((SELECT g.{geom} FROM {self._table} g WHERE g.{key} = r.id), 'intersects', ?)))")
        return sql, [minx, maxx, miny, maxy, *inside_params, exact]

    def _order(self, sortby: list[dict]) -> str:
        terms = [f"t.{_quote(s['property'])} {'DESC' if s.get('order') == '-' else 'ASC'}"
                 for s in sortby if s["property"] in self.public]
        return "ORDER BY " + ", ".join([*terms, f"t.{_quote(self._row_key)}"])

    @property
    def _row_key(self) -> str:
        """The stable order of rows: the table's integer primary key (the R-tree's id), else SQLite's rowid."""
        return self.info.pk or "rowid"

    @property
    def _table(self) -> str:
        return _quote(self.info.table)

    def _typed(self, name: str, value, not_found: bool = False):
        """A query-string value as the column's type; 400 (or 404 for ids) when it cannot be."""
        kind = gpkg.json_type(self.info.columns.get(name, "TEXT"))["type"]
        try:
            if kind == "integer":
                return _bounded(name, value)
            if kind == "number":
                return float(value)
            if kind == "boolean":
                return {"true": 1, "false": 0, "1": 1, "0": 0}[str(value).lower()]
        except (ValueError, KeyError) as err:
            if not_found:
                raise ProviderItemNotFoundError(user_msg=f"no feature with id {value!r}") from err
            raise ProviderInvalidQueryError(user_msg=f"{name}: {value!r} is not a valid {kind}") from err
        return str(value)

    # --- rows to GeoJSON ------------------------------------------------------------------------

    def _in_output_crs(self, geoms, crs_transform_spec):
        """Stored geometries in the response's CRS. Without a transform (pygeoapi asks none when the response is in
        the storage CRS) a store in EPSG:4326 still needs its stored lon, lat turned into 4326's lat, lon."""
        if crs_transform_spec is not None:
            source, target = crs_transform_spec.source_crs_uri, crs_transform_spec.target_crs_uri
        else:
            source = target = self.storage_crs_uri
        return transform_geometries(geoms, stored_axis_order(crs_from_uri(source)), crs_from_uri(target),
                                    always_xy=False)

    def _output_crs(self, crs_transform_spec) -> str:
        return crs_transform_spec.target_crs_uri if crs_transform_spec is not None else self.storage_crs_uri

    def _features(self, rows, columns, skip_geometry, crs_transform_spec) -> list[dict]:
        geometries = [None] * len(rows)
        if not skip_geometry and rows:
            geoms = self._in_output_crs(gpkg.decode([r[-1] for r in rows]), crs_transform_spec)
            geometries = geometry_json.encode(geoms, self._output_crs(crs_transform_spec))
        booleans = [i for i, c in enumerate(columns) if self._fields.get(c, {}).get("type") == "boolean"]
        features = []
        for row, geometry in zip(rows, geometries):
            values = list(row[1:1 + len(columns)])
            for i in booleans:
                values[i] = None if values[i] is None else bool(values[i])
            features.append({"type": "Feature", "id": row[0], "geometry": geometry,
                             "properties": dict(zip(columns, values))})
        return features

    # --- connection -----------------------------------------------------------------------------

    def _open(self) -> tuple[sqlite3.Connection, gpkg.TableInfo]:
        """A read-only connection for this thread, reopened when the file was replaced."""
        try:
            st = os.stat(self.data)
        except OSError as err:
            raise ProviderConnectionError(user_msg="the store is not available") from err
        version = (st.st_ino, st.st_mtime_ns, st.st_size)
        cache = _local.__dict__.setdefault("stores", {})
        entry = cache.get(self.data)
        if entry is None or entry["version"] != version:
            if entry is not None:
                entry["con"].close()
            con = sqlite3.connect(f"file:{self.data}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            con.execute("PRAGMA case_sensitive_like = ON")
            gpkg.register_functions(con)
            entry = {"version": version, "con": con, "tables": {}}
            cache[self.data] = entry
        tables = entry["tables"]
        if self.table not in tables:
            tables[self.table] = _table_info_or_error(entry["con"], self.table, self.data)
        return entry["con"], tables[self.table]

    def _execute(self, con, sql: str, params: list) -> list:
        try:
            return con.execute(sql, params).fetchall()
        except (sqlite3.Error, OverflowError) as err:  # OverflowError: an integer beyond SQLite's 64 bits
            log.error("query failed on %s: %s", self.table, err)
            raise ProviderInvalidQueryError(user_msg="the query could not be evaluated on this collection") from err

    def __repr__(self) -> str:
        return f"<GeoPackageProvider> {self.data}:{self.table}"


def _table_info_or_error(con: sqlite3.Connection, table: str, path: str) -> gpkg.TableInfo:
    """The table's info; a table missing from our store is 'not published yet' (a result collection before
    its analysis ran), from any other GeoPackage a configuration error."""
    try:
        return _table_info(con, table)
    except (LookupError, sqlite3.Error) as err:
        if _is_our_store(con):
            raise NotYetPublished(user_msg=f"collection {table} is not in the store yet; it appears after "
                                           f"the next 'geo build'") from err
        log.error("configuration error: no feature or attribute table %r in %s", table, path)
        raise ConfigurationError(user_msg=f"configuration error: the GeoPackage has no table {table!r}") from err


def _is_our_store(con: sqlite3.Connection) -> bool:
    return con.execute("SELECT 1 FROM sqlite_master WHERE name = 'geo_layers'").fetchone() is not None


def _table_info(con: sqlite3.Connection, table: str) -> gpkg.TableInfo:
    """A feature table, or a GeoPackage attribute table (no geometry, e.g. the quarantine)."""
    try:
        return gpkg.table_info(con, table)
    except LookupError:
        row = con.execute("SELECT table_name FROM gpkg_contents WHERE table_name = ? COLLATE NOCASE "
                          "AND data_type = 'attributes'", (table,)).fetchone()
        if row is None:
            raise
    columns, pk = gpkg.table_columns(con, row[0])
    return gpkg.TableInfo(row[0], None, 0, columns, None, pk)


def _bounded(name: str, value) -> int:
    """An integer that SQLite can bind (64-bit signed); ValueError otherwise."""
    number = int(value)
    if not -2**63 <= number < 2**63:
        raise ValueError(f"{name}: {value} is out of range")
    return number


class ConfigurationError(ProviderConnectionError):
    """The provider's configuration does not fit the GeoPackage (no such table, no such id_field)."""


class NotYetPublished(ProviderConnectionError):
    """A configured collection whose table the store does not hold (yet): 503, not a crash."""

    http_status_code = 503
    ogc_exception_code = "ServiceUnavailable"


def _iso(text: str) -> str:
    """An RFC 3339 date or date-time as SQLite's julianday() reads it (UTC; 'T' and 'Z' upper case)."""
    from datetime import UTC, datetime

    if len(text) == 10:
        return text
    value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    value = value.astimezone(UTC) if value.tzinfo else value
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _collection(features: list[dict], matched: int | None) -> dict:
    """A FeatureCollection; without numberMatched when the collection is configured with ``count: false``."""
    collection = {"type": "FeatureCollection", "features": features, "numberReturned": len(features)}
    if matched is not None:
        collection["numberMatched"] = matched
    return collection
