"""Record-by-record reading with fiona, for exports where one bad record must not sink the file.

pyogrio reads a layer in one go and fails on the first unreadable feature; here every feature is read
on its own, and one that cannot be read or whose geometry cannot be decoded goes to the quarantine
with the reason, while the rest load.
"""

import logging
from pathlib import Path

import fiona
import geopandas as gpd
import pandas as pd
import shapely.geometry

from geo.core.errors import SourceError
from geo.core.validate import Quarantine
from geo.formats.readers import require_file, to_rd

log = logging.getLogger(__name__)


def read_records(path: Path, layer_name: str, quarantine: Quarantine, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read ``layer`` of ``path`` feature by feature; unreadable features are quarantined for ``layer_name``."""
    path = require_file(path)
    rows, geoms = [], []
    try:
        with fiona.open(path, layer=layer) as src:
            crs = src.crs.to_wkt() if src.crs else None
            for fid in list(src.keys()):
                record = _read_one(src, fid, path, layer_name, quarantine)
                if record is not None:
                    rows.append(record[0])
                    geoms.append(record[1])
    except fiona.errors.FionaError as err:
        raise SourceError(f"{path}: cannot open layer {layer or '(first)'}: {err}") from err
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=crs)
    return to_rd(gdf, path)


def _read_one(src, fid, path, layer_name, quarantine):
    try:
        feature = src[fid]
        properties = dict(feature.properties)
    except Exception as err:  # a corrupt record: fiona/GDAL raise many kinds
        _reject(quarantine, layer_name, path, {"fid": fid}, f"unreadable record: {err}")
        return None
    try:
        geometry = shapely.geometry.shape(feature.geometry) if feature.geometry else None
    except Exception as err:
        _reject(quarantine, layer_name, path, properties, f"undecodable geometry: {err}")
        return None
    return properties, geometry


def _reject(quarantine: Quarantine, layer_name: str, path: Path, properties: dict, reason: str) -> None:
    quarantine.reject(layer_name, str(path), pd.DataFrame([properties]), reason)
