"""Reading register files in bulk (pyogrio), with one clear error per unusable file."""

import logging
from pathlib import Path

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.core.crs import RD_NEW
from geo.core.errors import CRSMismatchError, SourceError

log = logging.getLogger(__name__)


def require_file(path: Path) -> Path:
    """The path, if it exists and is not empty; else a SourceError naming it."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: source not found")
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(f"{path}: file is empty")
    return path


MAX_COLUMNS = 1000  # a register table has tens of columns
MAX_LINE_BYTES = 2**20  # one record; a field (even a WKT geometry) of a register fits well inside


def check_table_bounds(path: Path) -> Path:
    """A CSV's shape before it is parsed, read line by line in bounded memory: a hostile file (10^6
    columns, a field of a gigabyte) is refused in one line instead of filling the memory of the build."""
    with open(path, "rb") as fh:
        for number, line in enumerate(iter(lambda: fh.readline(MAX_LINE_BYTES + 1), b""), start=1):
            if number == 1:
                columns = max(line.count(sep) for sep in b",;\t") + 1
                if columns > MAX_COLUMNS:
                    at_least = "at least " if len(line) > MAX_LINE_BYTES else ""
                    raise SourceError(f"{path}: {at_least}{columns:,} columns in the header; at most {MAX_COLUMNS:,}")
            if len(line) > MAX_LINE_BYTES:
                raise SourceError(f"{path}: line {number} is longer than {MAX_LINE_BYTES:,} bytes; "
                                  "not a register table")
    return Path(path)


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
