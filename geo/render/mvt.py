"""Mapbox vector tiles (MVT) of a layer: the tile matrix sets we serve and the encoding of one tile.

Two tile matrix sets, as PDOK serves them: ``WebMercatorQuad`` (OGC TMS 2.0, for web maps and QGIS's XYZ
vector tiles) and ``NetherlandsRDNewQuad`` (RD New, EPSG:28992; origin −285401.92, 903401.92, level 0 one
256-px tile of 3440.64 m per pixel, scale 1:12,288,000 — PDOK's definition at
``https://api.pdok.nl/lv/bgt/ogc/v1/tileMatrixSets/NetherlandsRDNewQuad``; levels 0–16 as PDOK's). morecantile
(MIT) does the tile arithmetic and writes the OGC TMS JSON; mapbox-vector-tile (MIT) writes the protobuf.

A tile holds exactly the features whose geometry intersects the tile's square in the tile matrix set's CRS:
the square, densified along its edges, is transformed into RD New (where the store keeps the data and its
R-tree) and tested there exactly (``features_in_tile``), so a WebMercatorQuad tile is not widened to the RD box
around it. Geometries are clipped to the tile plus a buffer (so strokes do not end at tile edges) and
quantised to the tile's 4096 × 4096 grid.
"""

from functools import cache

import geopandas as gpd
import mapbox_vector_tile
import morecantile
import numpy as np
import shapely
from pyproj import CRS

from geo.core.crs import RD_NEW, transformer

__all__ = ["EXTENT", "TILE_MATRIX_SETS", "encode_tile", "features_in_tile", "tile_matrix_set", "tile_polygon"]

EXTENT = 4096  # MVT grid units per tile side
BUFFER = 64  # grid units of geometry kept beyond each tile edge
RD_QUAD_EXTENT = [-285401.92, 22598.08, 595401.92, 903401.92]
TILE_MATRIX_SETS = ("WebMercatorQuad", "NetherlandsRDNewQuad")
EDGE_POINTS = 64  # points per tile edge when the square is transformed into RD New


@cache
def tile_matrix_set(tms_id: str) -> morecantile.TileMatrixSet:
    """The tile matrix set named ``tms_id`` (one of ``TILE_MATRIX_SETS``); KeyError for another."""
    if tms_id == "WebMercatorQuad":
        return morecantile.tms.get("WebMercatorQuad")
    if tms_id == "NetherlandsRDNewQuad":
        return morecantile.TileMatrixSet.custom(
            RD_QUAD_EXTENT, CRS.from_epsg(28992), id="NetherlandsRDNewQuad", minzoom=0, maxzoom=16,
            title="Amersfoort / RD New (EPSG:28992), PDOK")
    raise KeyError(tms_id)


def tile_polygon(tms: morecantile.TileMatrixSet, z: int, y: int, x: int) -> tuple[shapely.Polygon, tuple]:
    """The tile's square in RD New (densified edges, transformed) and its bounds in the set's own CRS.

    A square of another CRS is first cut to the area where RD New is defined (``RD_AREA_LONLAT``): a world-wide
    tile transformed into RD as a whole gives no usable polygon.
    """
    bounds = tuple(tms.xy_bounds(morecantile.Tile(x, y, z)))
    epsg = _epsg(tms.id)
    if epsg == 28992:
        return shapely.box(*bounds), bounds
    square = shapely.box(*bounds)
    if not _rd_area(epsg).contains_properly(square):  # most tiles: inside, and the cut (~0.7 ms) changes nothing
        square = square.intersection(_rd_area(epsg))
    if square.is_empty:
        return shapely.Polygon(), bounds
    sb = square.bounds
    square = shapely.segmentize(square, max(sb[2] - sb[0], sb[3] - sb[1]) / EDGE_POINTS)
    to_rd = transformer(f"EPSG:{epsg}", RD_NEW)  # pyproj itself, not a GeoSeries (~1 ms a tile)
    return shapely.transform(square, lambda xy: np.column_stack(to_rd.transform(xy[:, 0], xy[:, 1]))), bounds


@cache
def _epsg(tms_id: str) -> int:
    """The EPSG code of a tile matrix set's CRS (pyproj's lookup costs ~0.3 ms each time)."""
    return tile_matrix_set(tms_id).crs.to_epsg()


RD_AREA_LONLAT = (2.5, 50.0, 7.9, 56.0)  # EPSG:28992's area of use (3.2–7.22 E, 50.75–55.77 N), with a margin


@cache
def _rd_area(epsg: int) -> shapely.Polygon:
    box = shapely.segmentize(shapely.box(*RD_AREA_LONLAT), 0.05)
    area = gpd.GeoSeries([box], crs="OGC:CRS84").to_crs(epsg).iloc[0]
    shapely.prepare(area)
    return area


def features_in_tile(gdf: gpd.GeoDataFrame, square_rd: shapely.Polygon) -> gpd.GeoDataFrame:
    """The rows of ``gdf`` (RD New) whose geometry intersects the tile's square."""
    if square_rd.is_empty:
        return gdf.iloc[:0]
    return gdf[gdf.geometry.notna() & gdf.geometry.intersects(square_rd)]


def encode_tile(name: str, gdf: gpd.GeoDataFrame, tms: morecantile.TileMatrixSet, bounds: tuple) -> bytes:
    """One MVT layer ``name`` of the rows of ``gdf`` (RD New), in the tile with ``bounds`` (the set's CRS)."""
    if gdf.empty:
        return b""
    geoms = gdf.geometry.to_crs(_pyproj(tms)) if tms.crs.to_epsg() != 28992 else gdf.geometry
    pad = (bounds[2] - bounds[0]) * BUFFER / EXTENT
    clipped = shapely.clip_by_rect(geoms.values, bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad)
    properties = gdf.drop(columns=gdf.geometry.name).to_dict("records")
    features = [{"geometry": geom, "properties": _mvt_values(props), "id": i + 1}
                for i, (geom, props) in enumerate(zip(clipped, properties, strict=True)) if not geom.is_empty]
    layer = {"name": name, "features": features}
    return mapbox_vector_tile.encode([layer], default_options={"quantize_bounds": bounds, "extents": EXTENT})


def _mvt_values(properties: dict) -> dict:
    """Values MVT can hold (string, number, boolean); missing values left out, dates and others as text."""
    out = {}
    for key, value in properties.items():
        if value is None or (isinstance(value, float) and value != value):
            continue
        if hasattr(value, "item"):
            value = value.item()
        out[key] = value if isinstance(value, (str, int, float, bool)) else str(value)
    return out


def _pyproj(tms: morecantile.TileMatrixSet) -> CRS:
    return CRS.from_epsg(tms.crs.to_epsg())
