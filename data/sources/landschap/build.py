"""Build ``landschap_250m.npz``: the landscape class of every 250 m cell inside a Natura 2000 area (RD New).

    python data/sources/landschap/build.py [natura2000_nl_rd.gpkg]

Reads the 160 Natura 2000 polygons (RVO/PDOK, public domain; ``$GEO_REAL_DATA/natura2000/natura2000_nl_rd.gpkg``)
and ``landschap_per_gebied.csv`` (area number → class), burns the class codes of ``KLASSEN`` into a 250 m grid
(cell centre inside the polygon), then gives each cell still unknown the highest class among its 8 neighbours
(one pass, 250 m: a receptor on an area's edge, whose cell centre falls just outside the polygon, takes the
area's class), and stores it as a compressed uint8 array with its origin. 0 = outside every known area and
more than one cell from it (the screening's fallback). Where areas overlap the higher code wins (rougher
surface).
"""

import os
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from rasterio import features
from rasterio.transform import from_origin

KLASSEN = ("onbekend", "water", "moeras", "overig", "duinen", "hoogveen", "bos_heide")
CELL_M, X0, Y0, NX, NY = 250.0, 0.0, 625_000.0, 1_200, 1_300  # RD New: x 0–300 km, y 300–625 km
HERE = Path(__file__).resolve().parent


def build(gpkg: Path) -> np.ndarray:
    areas = gpd.read_file(gpkg)[["nr", "geometry"]]
    table = pd.read_csv(HERE / "landschap_per_gebied.csv")
    areas["code"] = areas["nr"].map(dict(zip(table["natura2000_nr"], table["klasse"].map(KLASSEN.index))))
    areas = areas.dropna(subset=["code"]).sort_values("code")
    shapes = zip(areas.geometry, areas["code"].astype(int))
    grid = features.rasterize(shapes, out_shape=(NY, NX), transform=from_origin(X0, Y0, CELL_M, CELL_M),
                              fill=0, dtype="uint8", merge_alg=features.MergeAlg.replace)
    return fill_edges(grid)


def fill_edges(grid: np.ndarray) -> np.ndarray:
    """Unknown cells (0) take the highest class of their 8 neighbours; known cells are unchanged."""
    pad = np.pad(grid, 1)
    neighbours = np.max([pad[1 + dy:pad.shape[0] - 1 + dy, 1 + dx:pad.shape[1] - 1 + dx]
                         for dy in (-1, 0, 1) for dx in (-1, 0, 1)], axis=0)
    return np.where(grid == 0, neighbours, grid).astype(grid.dtype)


if __name__ == "__main__":
    real = Path(os.environ.get("GEO_REAL_DATA", "/work/shared/data/real"))
    gpkg = Path(sys.argv[1]) if len(sys.argv) > 1 else real / "natura2000" / "natura2000_nl_rd.gpkg"
    grid = build(gpkg)
    np.savez_compressed(HERE / "landschap_250m.npz", klasse=grid, x0=X0, y0=Y0, cell=CELL_M,
                        klassen=np.array(KLASSEN))
    print({k: int((grid == i).sum()) for i, k in enumerate(KLASSEN)})
