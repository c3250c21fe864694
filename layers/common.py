"""Facts derived for every layer that records a location of activity (sources, decisions, contamination)."""

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPolygon

from geo.build.inputs import Base

NATURA2000_COLUMNS = {"afstand_natura2000_m": "float", "natura2000_nr": "int"}
GEMEENTE_COLUMNS = {"binnen_gemeente": "bool"}


def add_natura2000_distance(gdf: gpd.GeoDataFrame, base: Base) -> gpd.GeoDataFrame:
    """``afstand_natura2000_m`` (0 inside) and ``natura2000_nr`` of the nearest Natura 2000 area."""
    areas = base.layer("natura2000_gebied")
    if gdf.empty:
        return gdf.assign(afstand_natura2000_m=[], natura2000_nr=[])
    distances = np.column_stack([gdf.geometry.distance(geom).to_numpy() for geom in areas.geometry])
    nearest = distances.argmin(axis=1)
    return gdf.assign(afstand_natura2000_m=distances.min(axis=1).round(1),
                      natura2000_nr=areas["nr"].to_numpy()[nearest])


def flag_gemeente(gdf: gpd.GeoDataFrame, base: Base) -> gpd.GeoDataFrame:
    """``binnen_gemeente``: whether the location lies in (or touches) the municipal area."""
    return gdf.assign(binnen_gemeente=gdf.intersects(base.gebied).to_numpy())


def clip_to_gemeente(gdf: gpd.GeoDataFrame, base: Base) -> gpd.GeoDataFrame:
    """Polygons cut to the municipal area; parts outside are dropped."""
    clipped = gdf.clip(base.gebied)
    return clipped[~clipped.geometry.is_empty & clipped.geom_type.isin(["Polygon", "MultiPolygon"])]


def as_multipolygons(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every geometry as a MultiPolygon (a clip leaves a mix of Polygons and MultiPolygons)."""
    return gdf.set_geometry(gdf.geometry.map(_multipolygon))


def _multipolygon(geom) -> MultiPolygon:
    if geom.geom_type == "MultiPolygon":
        return geom
    return MultiPolygon([p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"])
