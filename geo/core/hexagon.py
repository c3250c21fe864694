"""The AERIUS receptor grid: level-1 hexagons of 1 ha, flat top, in RD New (EPSG:28992).

Receptor ids run row by row from the origin (x=3604, y=296800), 1529 per row; rows are half a hexagon
height apart and odd rows are shifted 1.5 radius to the east. Every function is vectorised over ids or
coordinates.

>>> centres([1, 1530])
(array([3604.       , 3697.0593...]), array([296800.       , 296853.7...]))
"""

import numpy as np
import shapely
from numpy.typing import ArrayLike

__all__ = ["AREA_M2", "RADIUS_M", "HEIGHT_M", "centres", "ids_at", "hexagons", "covering"]

ORIGIN_X = 3604.0
ORIGIN_Y = 296800.0
PER_ROW = 1529
AREA_M2 = 10_000.0
RADIUS_M = float(np.sqrt(2 * AREA_M2 / (3 * np.sqrt(3))))  # ≈ 62.04 m, centre to vertex
HEIGHT_M = float(np.sqrt(3) * RADIUS_M)  # ≈ 107.46 m, flat side to flat side
_VERTICES = np.array([(0.5, 0.5), (1.0, 0.0), (0.5, -0.5), (-0.5, -0.5), (-1.0, 0.0), (-0.5, 0.5), (0.5, 0.5)])


def centres(ids: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Centre x and y (m, RD New) of receptor ``ids``."""
    i = np.asarray(ids, dtype=np.int64) - 1
    col, row = i % PER_ROW, i // PER_ROW
    x = ORIGIN_X + col * 3 * RADIUS_M + (row % 2) * 1.5 * RADIUS_M
    return x, ORIGIN_Y + row * HEIGHT_M / 2


def ids_at(x: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Id of the receptor hexagon holding each point (the nearest centre: hexagons are its Voronoi cells)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    low = np.floor((y - ORIGIN_Y) / (HEIGHT_M / 2)).astype(np.int64)
    best, best_d2 = None, None
    for row in (low, low + 1):  # the holding centre lies less than half a height away: one of two rows
        col = np.rint((x - ORIGIN_X - (row % 2) * 1.5 * RADIUS_M) / (3 * RADIUS_M)).astype(np.int64)
        ids = row * PER_ROW + col + 1
        cx, cy = centres(ids)
        d2 = (cx - x) ** 2 + (cy - y) ** 2
        best = ids if best is None else np.where(d2 < best_d2, ids, best)
        best_d2 = d2 if best_d2 is None else np.minimum(d2, best_d2)
    return best


def hexagons(ids: ArrayLike) -> np.ndarray:
    """Hexagon polygons (shapely array) of receptor ``ids``; vertices clockwise from the north-east."""
    x, y = centres(ids)
    dx, dy = _VERTICES[:, 0] * RADIUS_M, _VERTICES[:, 1] * HEIGHT_M
    coords = np.stack([x[:, None] + dx, y[:, None] + dy], axis=-1)
    return shapely.polygons(coords)


def covering(area, predicate: str = "intersects") -> np.ndarray:
    """Sorted ids of the receptor hexagons that intersect ``area`` (a shapely geometry in RD New).

    ``predicate="centre"`` keeps only hexagons whose centre lies in the area.
    """
    minx, miny, maxx, maxy = shapely.bounds(area)
    rows = np.arange(np.floor((miny - ORIGIN_Y) / (HEIGHT_M / 2)) - 1, np.ceil((maxy - ORIGIN_Y) / (HEIGHT_M / 2)) + 2)
    cols = np.arange(np.floor((minx - ORIGIN_X) / (3 * RADIUS_M)) - 1, np.ceil((maxx - ORIGIN_X) / (3 * RADIUS_M)) + 2)
    grid_rows, grid_cols = np.meshgrid(rows.astype(np.int64), cols.astype(np.int64), indexing="ij")
    ids = (grid_rows * PER_ROW + grid_cols + 1).ravel()
    shapely.prepare(area)
    near = shapely.dwithin(area, shapely.points(*centres(ids)), 0.0 if predicate == "centre" else RADIUS_M)
    ids = ids[near]
    if predicate != "centre":
        ids = ids[shapely.intersects(area, hexagons(ids))]
    return np.sort(ids)
