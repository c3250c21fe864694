"""OGC API Tiles: vector tiles (MVT) of every public feature collection.

    /tileMatrixSets                                         the two tile matrix sets (WebMercatorQuad,
    /tileMatrixSets/<tms>                                   NetherlandsRDNewQuad), OGC TMS 2.0 JSON
    /collections/<c>/tiles                                  the collection's tilesets
    /collections/<c>/tiles/<tms>                            tileset metadata; ``?f=tilejson``: TileJSON 3.0
    /collections/<c>/tiles/<tms>/<z>/<row>/<col>            one tile, ``application/vnd.mapbox-vector-tile``

Tiles are made on request from the store (public fields only): a PostGIS store builds them in the database
(``ST_AsMVT``, ``DatabaseTiles``), a GeoPackage store's are encoded here (``geo.render.mvt``); both select the features
that intersect the same densified square in RD New. Tiles are kept in memory per store version: a
``geo build`` changes the version, so no tile outlives the data it was made from (the version is the one
``geo.serve.http_cache`` keeps for the ``ETag``, at most a second old; ``ETag``/``304`` and compression come from
there like for every other answer). A tile without features is ``204 No Content`` (OGC API
Tiles allows 204 or an empty tile); a tile outside the tile matrix is ``404`` naming the parameter, an index
that is no whole number ``400`` naming it. The paths are in the OpenAPI document (``geo.serve.openapi_tiles``).

pygeoapi has tile routes of its own (``/collections/<path:collection_id>/tiles...``) for its tile providers,
which only know WebMercatorQuad and WorldCRS84Quad; ``register`` puts ours first, by answering in a
``before_request`` hook for these paths, so pygeoapi's are never reached.
"""

import math
import re
from functools import lru_cache
from typing import Protocol, runtime_checkable

import shapely
from flask import Response, current_app, jsonify, request

from geo.core.errors import GeoError
from geo.core.registry import LayerSpec, Registry
from geo.render import mvt

__all__ = ["register"]

MVT = "application/vnd.mapbox-vector-tile"
TILES_PATH = re.compile(r"^/collections/(?P<c>[^/]+)/tiles"
                        r"(?:/(?P<tms>[^/]+)(?:/(?P<z>[^/]+)/(?P<y>[^/]+)/(?P<x>[^/]+))?)?/?$")
WHOLE_NUMBER = re.compile(r"[0-9]+")
BEYOND_EVERY_MATRIX = 10**12  # what a longer number counts as (int() refuses beyond 4,300 digits)
TMS_PATH = re.compile(r"^/tileMatrixSets(?:/(?P<tms>[^/]+))?/?$")
OGC_REL = "http://www.opengis.net/def/rel/ogc/1.0"
ZOOMS = {"WebMercatorQuad": (0, 18), "NetherlandsRDNewQuad": (0, 16)}  # levels served: to ~0.6 m and ~0.05 m pixels
FIRST_ZOOM_OF_BIG_LAYERS = {"WebMercatorQuad": 12, "NetherlandsRDNewQuad": 7}  # ~10 km / ~7 km tiles: a building
# layer (``LayerSpec.vector_tiles``) below these levels would put a whole region in one tile of many MB
CACHED_TILES = 1024  # tiles kept per worker (most are a few kB; a low-zoom tile of pand ~1 MB)


def register(app, registry: Registry, server_url: str, include_internal: bool = False) -> None:
    """Answer the tile paths before pygeoapi's routes see them (after the API key and size checks)."""
    collections = {n: s for n, s in registry.collections(include_internal).items() if not s.is_raster}
    base = server_url.rstrip("/")

    def answer_tiles():
        if request.method not in ("GET", "HEAD"):
            return None
        if match := TMS_PATH.match(request.path):
            return _tile_matrix_sets(base, match["tms"])
        if match := TILES_PATH.match(request.path):
            return _tiles(base, collections, **match.groupdict())
        return None

    app.before_request(answer_tiles)


def _tile_matrix_sets(base: str, tms_id: str | None):
    if tms_id is None:
        return jsonify({"tileMatrixSets": [
            {"id": t, "title": mvt.tile_matrix_set(t).title or t, "uri": _tms_uri(t),
             "links": [{"rel": "self", "type": "application/json", "href": f"{base}/tileMatrixSets/{t}"}]}
            for t in mvt.TILE_MATRIX_SETS]})
    if tms_id not in mvt.TILE_MATRIX_SETS:
        return _problem(404, f"tileMatrixSetId {tms_id!r} is not offered; choose {', '.join(mvt.TILE_MATRIX_SETS)}")
    body = mvt.tile_matrix_set(tms_id).model_dump_json(exclude_none=True, by_alias=True)
    return Response(body, mimetype="application/json")


def _tiles(base: str, collections: dict[str, LayerSpec], c: str, tms: str | None, z=None, y=None, x=None):
    if c not in collections:
        return _problem(404, f"collection {c!r} has no vector tiles; collections with tiles: "
                             f"{', '.join(sorted(collections))}")
    if tms is None:
        return jsonify({"title": collections[c].title, "links": [_link("self", f"{base}/collections/{c}/tiles")],
                        "tilesets": [_tileset(base, c, t) for t in mvt.TILE_MATRIX_SETS]})
    if tms not in mvt.TILE_MATRIX_SETS:
        return _problem(404, f"tileMatrixSetId {tms!r} is not offered; choose {', '.join(mvt.TILE_MATRIX_SETS)}")
    if z is None:
        if request.args.get("f") == "tilejson":
            return jsonify(_tilejson(base, collections[c], tms))
        return jsonify(_tileset(base, c, tms) | {"layers": [{"id": c, "dataType": "vector",
                                                             "title": collections[c].title}]})
    return _tile(collections[c], tms, z, y, x)


def _tile(spec: LayerSpec, tms_id: str, z: str, y: str, x: str):
    tms = mvt.tile_matrix_set(tms_id)
    checked = _tile_indices(tms, zoom_range(spec, tms_id), z, y, x)
    if isinstance(checked, Response):
        return checked
    try:
        body = _cached_tile(current_app.extensions["geo.settings"].store, _store_version(), spec.name,
                            tuple(spec.public_fields), tms_id, *checked)
    except GeoError as err:
        return _problem(404, str(err))
    if not body:
        return Response(status=204, mimetype=MVT)
    return Response(body, mimetype=MVT)


def zoom_range(spec: LayerSpec, tms_id: str) -> tuple[int, int]:
    """The tile levels served of a collection: big layers only from ``FIRST_ZOOM_OF_BIG_LAYERS`` in."""
    low, high = ZOOMS[tms_id]
    return (FIRST_ZOOM_OF_BIG_LAYERS[tms_id] if spec.vector_tiles else low), high


def _tile_indices(tms, zooms: tuple[int, int], z: str, y: str, x: str):
    """(z, row, col) as integers within the tile matrix set and the collection's levels; a 400 naming the parameter
    that is not a whole number (ASCII digits only: ``str.isdigit`` also takes ``²``, which ``int`` refuses), a 404
    naming the one outside the matrix."""
    for name, value in zip(("tileMatrix", "tileRow", "tileCol"), (z, y, x), strict=True):
        if not WHOLE_NUMBER.fullmatch(value):
            return _problem(400, f"{name} {value[:20]!r} is not a whole number ≥ 0")
    z, y, x = (int(v) if len(v.lstrip("0")) <= 12 else BEYOND_EVERY_MATRIX for v in (z, y, x))
    if not zooms[0] <= z <= zooms[1]:
        return _problem(404, f"tileMatrix {z} is not served for this collection in {tms.id} "
                             f"({zooms[0]}–{zooms[1]})")
    matrix = tms.matrix(z)
    for name, value, size in (("tileRow", y, matrix.matrixHeight), ("tileCol", x, matrix.matrixWidth)):
        if value >= size:
            return _problem(404, f"{name} {value} is outside tile matrix {z} of {tms.id} (0–{size - 1})")
    return z, y, x


def _store_version() -> str:
    """The store's version as ``geo.serve.http_cache`` last asked it (a PostGIS store at most once a second per
    worker, so a tile costs one database round trip, not two); asked here when that clock cannot say."""
    clock = current_app.extensions.get("geo.http_cache")
    version = clock.now()[0] if clock is not None else None
    return version if version is not None else _store().version()


@lru_cache(maxsize=CACHED_TILES)
def _cached_tile(location: str, version: str, name: str, fields: tuple, tms_id: str, z: int, y: int,
                 x: int) -> bytes:
    """The tile's bytes; ``version`` is part of the key, so a new build makes new tiles."""
    tms = mvt.tile_matrix_set(tms_id)
    square, bounds = mvt.tile_polygon(tms, z, y, x)
    if square.is_empty:
        return b""
    store = _store()
    if isinstance(store, DatabaseTiles):  # PostGIS: the database selects, clips and encodes (ST_AsMVT)
        return store.mvt_tile(name, list(fields), shapely.to_wkb(square), bounds, tms.crs.to_epsg(),
                              extent=mvt.EXTENT, buffer=mvt.BUFFER)
    gdf = store.read(name, columns=list(fields), bbox=square.bounds)
    return mvt.encode_tile(name, mvt.features_in_tile(gdf, square), tms, bounds)


@runtime_checkable
class DatabaseTiles(Protocol):
    """A store that builds a tile itself (``geo.store.postgis.PostGISStore.mvt_tile``): the features that
    intersect ``square_rd_wkb`` (the tile's densified square in RD New, WKB), clipped and quantised to the tile
    ``bounds`` in EPSG ``srid``, public ``fields`` only, as MVT bytes (``b""`` when none)."""

    def mvt_tile(self, name: str, fields: list[str], square_rd_wkb: bytes, bounds: tuple, srid: int, *,
                 extent: int = 4096, buffer: int = 64) -> bytes: ...


def _tileset(base: str, c: str, tms: str) -> dict:
    href = f"{base}/collections/{c}/tiles/{tms}"
    return {"title": f"{c} ({tms})", "dataType": "vector", "crs": _crs_uri(tms), "tileMatrixSetURI": _tms_uri(tms),
            "links": [_link("self", href),
                      _link(f"{OGC_REL}/tiling-scheme", f"{base}/tileMatrixSets/{tms}"),
                      {"rel": "item", "type": MVT, "templated": True,
                       "href": f"{href}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"},
                      {"rel": "alternate", "type": "application/vnd.mapbox.tile+json", "title": "TileJSON",
                       "href": f"{href}?f=tilejson"}]}


def _tilejson(base: str, spec: LayerSpec, tms: str) -> dict:
    """TileJSON 3.0.0 (the form MapLibre and QGIS read); ``{z}/{y}/{x}`` as OGC API Tiles orders them."""
    low, high = zoom_range(spec, tms)
    return {"tilejson": "3.0.0", "name": spec.name, "description": spec.title, "scheme": "xyz",
            "tiles": [f"{base}/collections/{spec.name}/tiles/{tms}/{{z}}/{{y}}/{{x}}"],
            "minzoom": low, "maxzoom": high, "crs": _crs_uri(tms), **_bounds(spec.name),
            "vector_layers": [{"id": spec.name, "description": spec.title,
                               "fields": {f: _tilejson_type(spec.schema.columns.get(f, "str"))
                                          for f in spec.public_fields}}]}


def _tilejson_type(column_type: str) -> str:
    return {"int": "Number", "float": "Number", "bool": "Boolean"}.get(column_type, "String")


def _bounds(name: str) -> dict:
    """TileJSON ``bounds`` (CRS84) of the collection's data, when the store knows its extent."""
    try:
        extent = _store().extent(name)
    except GeoError:
        extent = None
    if not extent:
        return {}
    from pyproj import Transformer

    # RD New is turned against lon/lat: the corners alone would cut off features along the box's edges
    west, south, east, north = Transformer.from_crs(28992, 4326, always_xy=True).transform_bounds(*extent,
                                                                                               densify_pts=21)
    return {"bounds": [math.floor(west * 1e5) / 1e5, math.floor(south * 1e5) / 1e5,
                       math.ceil(east * 1e5) / 1e5, math.ceil(north * 1e5) / 1e5]}


def _tms_uri(tms: str) -> str:
    return f"http://www.opengis.net/def/tilematrixset/OGC/1.0/{tms}"


def _crs_uri(tms: str) -> str:
    epsg = mvt.tile_matrix_set(tms).crs.to_epsg()
    return f"http://www.opengis.net/def/crs/EPSG/0/{epsg}"


def _link(rel: str, href: str) -> dict:
    return {"rel": rel, "type": "application/json", "href": href}


def _store():
    """The store, opened once per app (per worker): a PostGIS store holds a connection pool, which a store opened
    per request would leave behind each time, until the database refuses connections."""
    extensions = current_app.extensions
    if "geo.tiles.store" not in extensions:
        from geo.store import open_store

        settings = extensions["geo.settings"]
        extensions["geo.tiles.store"] = open_store(settings.store, settings)
    return extensions["geo.tiles.store"]


def _problem(status: int, detail: str):
    response = jsonify({"type": "about:blank", "title": "Niet gevonden" if status == 404 else "Ongeldig verzoek",
                        "status": status, "detail": detail})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response
