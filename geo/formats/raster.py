"""Raster layers: a grid cut from a national raster, written as a Cloud Optimized GeoTIFF in RD New."""

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.errors import RasterioIOError
from rasterio.windows import Window, from_bounds

from geo.core.crs import RD_NEW
from geo.core.errors import CRSMismatchError, SourceError
from geo.formats.readers import require_file


@dataclass
class Grid:
    """One band of values with its georeference; what a raster layer's build returns."""

    data: np.ndarray
    transform: rasterio.Affine
    nodata: float
    crs: str = RD_NEW
    units: str = ""
    description: str = ""

    @property
    def cells(self) -> int:
        return int((self.data != self.nodata).sum())


def clip(path: Path, bounds: tuple[float, float, float, float]) -> Grid:
    """The cells of ``path`` (band 1) covering ``bounds`` (RD New), snapped outward to whole cells."""
    path = require_file(path)
    try:
        with rasterio.open(path) as src:
            if src.crs is None or src.crs.to_epsg() != 28992:
                raise CRSMismatchError(f"{path}: raster CRS {src.crs}, expected EPSG:28992 (add a .prj)")
            exact = from_bounds(*bounds, transform=src.transform)
            col, row = math.floor(exact.col_off), math.floor(exact.row_off)
            window = Window(col, row, math.ceil(exact.col_off + exact.width) - col,
                            math.ceil(exact.row_off + exact.height) - row)
            window = window.intersection(Window(0, 0, src.width, src.height))
            data = src.read(1, window=window, masked=False).astype("float32")
            nodata = -9999.0 if src.nodata is None else float(src.nodata)
            return Grid(data, src.window_transform(window), nodata)
    except RasterioIOError as err:
        raise SourceError(f"{path}: not a readable raster ({err})") from err


def write_cog(grid: Grid, path: Path) -> Path:
    """Write a single-band Cloud Optimized GeoTIFF (deflate, internal tiles), band named and with units."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {"driver": "GTiff", "dtype": "float32", "count": 1, "height": grid.data.shape[0],
               "width": grid.data.shape[1], "crs": grid.crs, "transform": grid.transform, "nodata": grid.nodata}
    plain = path.with_suffix(".plain.tif")
    with rasterio.open(plain, "w", **profile) as dst:
        dst.write(grid.data, 1)
        dst.set_band_description(1, grid.description)
        dst.update_tags(1, units=grid.units)
    rasterio.shutil.copy(plain, path, driver="COG", compress="deflate")
    plain.unlink()
    return path
