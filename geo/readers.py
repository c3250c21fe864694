"""Reading register files in bulk (pyogrio), with one clear error per unusable file."""

import logging
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataSourceError, DataLayerError

from geo.crs import RD_NEW
from geo.errors import CRSMismatchError, SourceError

log = logging.getLogger(__name__)


def require_file(path: Path) -> Path:
    """The path, if it exists and is not empty; else a SourceError naming it."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: source not found")
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(f"{path}: file is empty")
    return path


def list_layers(path: Path) -> list[str]:
    """Layer names in a vector file; SourceError if GDAL cannot open it."""
    require_file(path)
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError) as err:
        raise SourceError(f"{path}: not a readable vector file ({_first_line(err)})") from err


def read_vector(path: Path, layer: str | None = None, **kwargs) -> gpd.GeoDataFrame:
    """Read one layer and return it in RD New; a file without CRS is refused."""
    path = require_file(path)
    try:
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio", **kwargs)
    except (DataSourceError, DataLayerError, ValueError) as err:
        raise SourceError(f"{path}: cannot read layer {layer or '(first)'}: {_first_line(err)}") from err
    return to_rd(gdf, path)


def to_rd(gdf: gpd.GeoDataFrame, path: Path | str) -> gpd.GeoDataFrame:
    """Reproject to RD New; refuse data without a CRS rather than guess."""
    if gdf.crs is None:
        if gdf.geometry.isna().all():
            return gdf.set_crs(RD_NEW)
        raise CRSMismatchError(f"{path}: no CRS in the file; expected EPSG:28992 (RD New)")
    if gdf.crs.to_epsg() != 28992:
        log.info("%s: reprojecting from %s to %s", path, gdf.crs.to_string(), RD_NEW)
        gdf = gdf.to_crs(RD_NEW)
    return gdf


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
