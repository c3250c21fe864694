"""Coordinate reference systems: RD New for storage, CRS84 on the web."""

from functools import lru_cache

import numpy as np
import pyproj
import shapely

RD_NEW = "EPSG:28992"
WGS84 = "EPSG:4326"
CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
RD_NEW_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
WGS84_URI = "http://www.opengis.net/def/crs/EPSG/0/4326"

# Generous envelope of the Netherlands in RD New (land, coast and territorial sea).
NL_BOUNDS_RD = (-7000.0, 289000.0, 300000.0, 629000.0)


@lru_cache(maxsize=32)
def transformer(source: str, target: str, always_xy: bool = True) -> pyproj.Transformer:
    """A cached transformer (building one costs milliseconds).

    ``always_xy=False`` keeps each CRS's own axis order, as OGC API Features Part 2 asks for
    output: EPSG:4326 is then latitude, longitude; CRS84 stays longitude, latitude.
    """
    return pyproj.Transformer.from_crs(source, target, always_xy=always_xy)


def transform_geometries(geoms: np.ndarray, source: str, target: str, always_xy: bool = True) -> np.ndarray:
    """Transform an array of shapely geometries in one vectorised call."""
    if source == target or len(geoms) == 0:
        return geoms
    tr = transformer(source, target, always_xy)

    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _xy)


def inside_netherlands_rd(x: float, y: float) -> bool:
    """True when an RD New coordinate lies in the Netherlands' envelope."""
    minx, miny, maxx, maxy = NL_BOUNDS_RD
    return minx <= x <= maxx and miny <= y <= maxy


def crs_from_uri(uri: str) -> str:
    """'http://www.opengis.net/def/crs/EPSG/0/28992' -> 'EPSG:28992'; CRS84 -> 'OGC:CRS84'."""
    parts = uri.replace("urn:ogc:def:crs:", "").replace(":", "/").rstrip("/").split("/")
    authority, code = parts[-3], parts[-1]
    return f"{authority}:{code}"
