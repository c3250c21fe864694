"""pygeoapi's PostgreSQL provider without its per-request costs (the provider of ``pygeoapi-config-postgis.yml``).

Profiled on ``pand`` (24,018 polygons, Flask test client, see benchmarks/README.md): pygeoapi's provider spends
~20 ms of every request building a ``pyproj.Transformer`` from WKT (``get_transform_from_spec``), then per row
an ORM object, a shapely geometry and a per-ring ``shapely.ops.transform``; a single item takes three queries.
Reflection and the engine are already cached by pygeoapi (``functools.cache``) and cost ~0.3 ms.

``PostGISProvider`` keeps the parent for everything it does not speed up (CQL2 ``filter``, ``sortby``, ``q``,
``datetime``, property filters, ``resulttype=hits``, writes) and answers the hot paths itself with parameterised
SQL on an autocommit engine (no BEGIN/ROLLBACK round trips): ``get`` by id in one statement (with the previous
and next ids), ``query`` with bbox, limit, offset, ``properties`` and ``skipGeometry`` in one statement for the
page plus a count only when the page is full (of the whole table: once per publish). Geometries come as WKB in
the storage CRS and are transformed in one vectorised call with a cached transformer built from the same
``CrsTransformSpec`` as the parent's, so coordinates are the same doubles as the parent's before both are rounded
to the output CRS's decimals and written once by ``geo.serve.geometry_json`` (the parent's answers too).
"""

import functools
import logging

import numpy as np
import pyproj
import shapely
from pygeoapi.crs import DEFAULT_STORAGE_CRS, get_srid
from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.provider.sql import POOL_OPTION_DEFAULTS, PostgreSQLProvider
from pygeofilter import ast as cql_ast
from shapely.geometry import shape
from sqlalchemy import create_engine, false, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from geo.serve import geometry_json
from geo.serve.pygeoapi_patches import cache_sql_transforms
from geo.store.postgis import PUBLISH_COUNTER_SQL

log = logging.getLogger(__name__)

__all__ = ["PostGISProvider"]

_STATE: dict[str, dict] = {}  # provider_def (as text) -> the attributes of a provider built from it
_COUNTS: dict[tuple[str, str], tuple[int, int]] = {}  # (database, table) -> (publish counter, rows)


class PostGISProvider(PostgreSQLProvider):
    """pygeoapi's ``PostgreSQL`` provider with cached set-up, cached CRS transformers and one-statement hot paths."""

    def __init__(self, provider_def: dict):
        """pygeoapi builds a provider per request; build each (connection, table) once per process."""
        key = repr(sorted(provider_def.items(), key=lambda kv: kv[0]))
        state = _STATE.get(key)
        if state is None:
            cache_sql_transforms()  # geo.serve.pygeoapi_patches: for the paths left to the parent
            super().__init__(provider_def)
            self._table_sql = _qualified(self.table_model.__table__)
            self._columns = [c.name for c in self.table_model.__table__.columns]
            self._reader = _autocommit(self._engine, tuple(sorted(self.db_options.items())))
            self._srid = get_srid(self.storage_crs)
            self._storage_crs_uri = provider_def.get("storage_crs", DEFAULT_STORAGE_CRS)
            state = _STATE.setdefault(key, dict(self.__dict__))
        self.__dict__.update(state)

    def _in_days(self, datetime_: str | None) -> str | None:
        """``datetime`` on a day-valued ``time_field`` (a date, or ISO dates as text, as the build writes them) as
        days, the GeoPackage provider's semantics: a date-time stands for the day it is written in, an instant for
        that day (the parent compares an instant with ``=`` and text with text, so ``2024-11-19T12:00:00Z`` missed
        the decisions of 19 November and a begin ``2018-01-01T00:00:00Z`` those of 1 January)."""
        import sqlalchemy

        column = getattr(self.table_model, self.time_field, None)
        if datetime_ in (None, "../..") or column is None or isinstance(column.type, sqlalchemy.DateTime) or not \
                isinstance(column.type, (sqlalchemy.Date, sqlalchemy.String)):
            return datetime_
        begin, _, end = datetime_.partition("/") if "/" in datetime_ else (datetime_, "", datetime_)
        return "/".join(".." if v in ("", "..") else v.strip()[:10] for v in (begin, end))

    def query(self, offset=0, limit=10, resulttype="results", bbox=None, datetime_=None, properties=None,
              sortby=None, select_properties=None, skip_geometry=False, q=None, filterq=None, crs_transform_spec=None,
              **kwargs):
        """The parent's answer; requests with only bbox/limit/offset/properties/skipGeometry without the ORM."""
        _check_filter_properties(filterq, set(self._columns))
        # no temporal property: datetime selects on nothing, as on a GeoPackage (the parent raises a bare
        # ProviderQueryError: 500); with one, in days as on a GeoPackage
        datetime_ = None if self.time_field is None else self._in_days(datetime_)
        bbox, properties, sortby = bbox or [], properties or [], sortby or []
        select_properties = select_properties or []
        if (filterq or sortby or q or properties or resulttype != "results" or datetime_ not in (None, "../..")
                or (bbox and len(bbox) != 4)):
            answer = super().query(offset=offset, limit=limit, resulttype=resulttype, bbox=bbox, datetime_=datetime_,
                                   properties=properties, sortby=sortby, select_properties=select_properties,
                                   skip_geometry=skip_geometry, q=q, filterq=filterq,
                                   crs_transform_spec=crs_transform_spec, **kwargs)
            return self._rounded(answer, crs_transform_spec)
        loaded = self._loaded_columns(select_properties)
        keys = [k for k in (select_properties or self.fields.keys()) if k in loaded]
        where, params = "TRUE", {"offset": int(offset), "limit": int(limit)}
        if bbox:
            where, bbox_params = _bbox_filter(_q(self.geom), bbox, self._srid)
            params.update(bbox_params)
        rows, matched = self._rows(loaded, skip_geometry, where, params)
        geometries = self._geometries([r[-1] for r in rows] if not skip_geometry else [None] * len(rows),
                                      crs_transform_spec)
        index = {name: i for i, name in enumerate(loaded)}
        features = [_feature(r[index[self.id_field]], {k: r[index[k]] for k in keys}, g)
                    for r, g in zip(rows, geometries)]
        response = {"type": "FeatureCollection", "features": features, "numberReturned": len(features)}
        if self.count:
            response["numberMatched"] = matched
        return response

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        """One statement for the item and its previous and next ids (the parent runs three)."""
        columns = [c for c in self.fields if not self.properties or c in self.properties]
        select = ", ".join([_q(self.id_field), *map(_q, columns), f"ST_AsBinary({_q(self.geom)})"])
        idq, table = _q(self.id_field), self._table_sql
        sql = (f"SELECT {select}, (SELECT {idq} FROM {table} WHERE {idq} < %(id)s ORDER BY {idq} DESC LIMIT 1), "
               f"(SELECT {idq} FROM {table} WHERE {idq} > %(id)s ORDER BY {idq} LIMIT 1) "
               f"FROM {table} WHERE {idq} = %(id)s")
        try:
            with self._reader.connect() as con:
                row = con.exec_driver_sql(sql, {"id": identifier}).first()
        except SQLAlchemyError as e:  # e.g. a text id for an integer key: the parent answers 404 too
            log.debug("get %s failed: %s", identifier, e)
            row = None
        if row is None:
            raise ProviderItemNotFoundError(f"No such item: {self.id_field}={identifier}.")
        geometry = self._geometries([row[-3]], crs_transform_spec)[0]
        feature = _feature(row[0], dict(zip(columns, row[1:-3])), geometry)
        feature["prev"] = row[-2] if row[-2] is not None else identifier
        feature["next"] = row[-1] if row[-1] is not None else identifier
        return feature

    def _get_bbox_filter(self, bbox: list[float]):
        """The parent's paths (CQL2, sortby, ...) with a box from another CRS: test its exact outline."""
        outline = getattr(bbox, "polygon", None)
        if outline is None:
            return super()._get_bbox_filter(bbox)
        if outline.is_empty:
            return false()
        geom_column = getattr(self.table_model, self.geom)
        return func.ST_Intersects(func.ST_GeomFromWKB(outline.wkb, self._srid), geom_column)

    def _loaded_columns(self, select_properties: list[str]) -> list[str]:
        """The columns the parent loads (``_select_properties_clause``): the config's ``properties`` when set,
        else the requested ones or all; always the key."""
        wanted = self.properties or list(dict.fromkeys(select_properties)) or list(self.fields)
        return [self.id_field, *(c for c in wanted if c in self._columns and c not in (self.id_field, self.geom))]

    def _rows(self, loaded: list[str], skip_geometry: bool, where: str, params: dict) -> tuple[list, int | None]:
        """The page ordered by key like the parent, and numberMatched: without a count when the page is not full
        (it is then offset + rows), else with a count as the parent does."""
        select = ", ".join([*map(_q, loaded), *([] if skip_geometry else [f"ST_AsBinary({_q(self.geom)})"])])
        page = (f"SELECT {select} FROM {self._table_sql} WHERE {where} ORDER BY {_q(self.id_field)} "
                "LIMIT %(limit)s OFFSET %(offset)s")
        with self._reader.connect() as con:
            rows = [tuple(r) for r in con.exec_driver_sql(page, params)]
            if not self.count:
                return rows, None
            if params["limit"] > 0 and (0 < len(rows) < params["limit"] or (not rows and not params["offset"])):
                return rows, params["offset"] + len(rows)
            if where == "TRUE":
                return rows, self._table_count(con)
            return rows, con.exec_driver_sql(f"SELECT count(*) FROM {self._table_sql} WHERE {where}", params).scalar()

    def _table_count(self, con) -> int:
        """The rows of the whole table, counted once per publish (``count(*)`` of ~10 M panden takes about a second
        and an unfiltered page asks for it on every request). The publish counter is read before the count, so a
        count is never kept under an older publish than the table it counted; without the counter (a role that
        may not read the store's metadata) every request counts."""
        key = (str(self._reader.url), self._table_sql)
        try:
            version = con.exec_driver_sql(PUBLISH_COUNTER_SQL).scalar()
        except SQLAlchemyError as e:
            log.debug("publish counter unreadable (%s): counting every time", type(e).__name__)
            version = None
        cached = _COUNTS.get(key)
        if version is not None and cached is not None and cached[0] == version:
            return cached[1]
        n = con.exec_driver_sql(f"SELECT count(*) FROM {self._table_sql}").scalar()
        if version is not None:
            _COUNTS[key] = (version, n)
        return n

    def _rounded(self, answer: dict, crs_transform_spec) -> dict:
        """The parent's features with their geometries written as ours are (``geo.serve.geometry_json``)."""
        features = answer.get("features", [])
        geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
        for feature, geometry in zip(features, geometry_json.encode(geoms, self._output_crs(crs_transform_spec))):
            feature["geometry"] = geometry
        return answer

    def _output_crs(self, crs_transform_spec) -> str:
        return crs_transform_spec.target_crs_uri if crs_transform_spec is not None else self._storage_crs_uri

    def _geometries(self, wkbs: list, crs_transform_spec) -> list:
        """GeoJSON geometries in the requested CRS, rounded to its decimals (``geo.serve.geometry_json``): one
        vectorised transform with a cached transformer."""
        geoms = shapely.from_wkb([bytes(w) if w is not None else None for w in wkbs])
        if crs_transform_spec is not None and len(geoms):
            tr = _transformer(crs_transform_spec.source_crs_wkt, crs_transform_spec.target_crs_wkt,
                              crs_transform_spec.always_xy)
            flat = ~shapely.has_z(geoms)  # 2D in one call; 3D ones keep and transform z, as the parent does
            geoms[flat] = shapely.transform(geoms[flat], lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
            geoms[~flat] = shapely.transform(geoms[~flat], lambda c: np.column_stack(tr.transform(*c.T)),
                                             include_z=True)
        return geometry_json.encode(geoms, self._output_crs(crs_transform_spec))


def _check_filter_properties(filterq, columns: set[str]) -> None:
    """The parent matches nothing (200, empty) on a CQL2 property the table lacks; that is a 400, as on a
    GeoPackage (``geo.serve.cql``)."""
    unknown = sorted(_attribute_names(filterq) - columns) if filterq is not None else []
    if unknown:
        raise ProviderInvalidQueryError(user_msg=f"filter: unknown property {unknown[0]!r}; "
                                                 f"queryables: {', '.join(sorted(columns))}")


def _attribute_names(node) -> set[str]:
    if isinstance(node, cql_ast.Attribute):
        return {node.name}
    if isinstance(node, cql_ast.Node):
        return set().union(*map(_attribute_names, node.get_sub_nodes()))
    if isinstance(node, (list, tuple)):
        return set().union(*map(_attribute_names, node))
    return set()


def _bbox_filter(geom: str, bbox: list[float], srid: int) -> tuple[str, dict]:
    """The features that intersect the box, with a cheap exact shortcut.

    A box from another CRS (``geo.core.crs.TransformedBBox``) is tested by its outline in the storage CRS, after the
    index on its bounds; a box in the storage CRS is the parent's ``ST_Intersects(ST_MakeEnvelope(bbox), geom)``.
    A geometry whose bounding box lies inside the box (or inside ``bbox.inner``) intersects it, so ``geom @ inner``
    skips the GEOS test for most rows of a map view (count and page: ~1 ms of PostgreSQL time per 100-feature
    bbox request here). ``@`` compares float4 boxes rounded outward, so ``inner`` is shrunk by far more than one
    float4 step: whatever ``@`` accepts lies inside the box itself. Boxes too small to shrink use no shortcut.
    """
    outline = getattr(bbox, "polygon", None)
    if outline is not None and outline.is_empty:
        return "FALSE", {}
    x0, y0, x1, y1 = (float(v) for v in bbox[:4])
    params = {"x0": x0, "y0": y0, "x1": x1, "y1": y1, "srid": srid}
    envelope = "ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, %(srid)s)"
    exact = envelope
    inner = (x0, y0, x1, y1)
    if outline is not None:
        params["outline"] = outline.wkb
        exact = "ST_GeomFromWKB(%(outline)s, %(srid)s)"
        inner = getattr(bbox, "inner", None)
    test = f"{geom} && {envelope} AND ST_Intersects({exact}, {geom})"
    if inner is None:
        return test, params
    eps = max(map(abs, inner)) * 2.0 ** -20  # 8 float4 steps
    if inner[2] - inner[0] <= 4 * eps or inner[3] - inner[1] <= 4 * eps:
        return test, params
    params.update(ix0=inner[0] + eps, iy0=inner[1] + eps, ix1=inner[2] - eps, iy1=inner[3] - eps)
    inside = "ST_MakeEnvelope(%(ix0)s, %(iy0)s, %(ix1)s, %(iy1)s, %(srid)s)"
    return f"{geom} && {envelope} AND ({geom} @ {inside} OR ST_Intersects({exact}, {geom}))", params


@functools.cache
def _autocommit(engine: Engine, options: tuple) -> Engine:
    """An engine like the parent's (same URL, connect and pool options, pre-ping) in autocommit: each hot path
    is read-only, so it needs no BEGIN/ROLLBACK round trips nor an isolation switch per checkout."""
    connect_args = dict(options)
    pool = {key: connect_args.pop(key, default) for key, default in POOL_OPTION_DEFAULTS.items()}
    return create_engine(engine.url, connect_args=connect_args, isolation_level="AUTOCOMMIT", **pool)


@functools.lru_cache(maxsize=64)
def _transformer(source_wkt: str, target_wkt: str, always_xy: bool) -> pyproj.Transformer:
    """The transformer pygeoapi's ``get_transform_from_spec`` builds (~20 ms) on every request, built once."""
    return pyproj.Transformer.from_crs(pyproj.CRS.from_wkt(source_wkt), pyproj.CRS.from_wkt(target_wkt),
                                       always_xy=always_xy)


def _feature(identifier, properties: dict, geometry: dict | None) -> dict:
    """The parent's feature, keys in the parent's order (``_sqlalchemy_to_feature``)."""
    return {"type": "Feature", "properties": properties, "id": identifier, "geometry": geometry}


def _q(name: str) -> str:
    """A quoted SQL identifier (names come from the reflected table, never from a request)."""
    return '"' + name.replace('"', '""').replace("%", "%%") + '"'


def _qualified(table) -> str:
    return f"{_q(table.schema)}.{_q(table.name)}" if table.schema else _q(table.name)
