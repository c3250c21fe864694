"""Natura 2000-gebieden around the municipality (RVO geometry, RCE attributes)."""

import geopandas as gpd
from shapely.geometry import MultiPolygon

from geo.layer import Base, Sources
from geo.readers import read_vector
from geo.schema import LayerSchema, conform
from geo.validate import screen

NAME = "natura2000_gebied"
TITLE = "Natura 2000-gebieden"
DESCRIPTION = ("Natura 2000-gebieden binnen 10 km van de gemeente (RVO via PDOK; attributen RCE, CC BY 4.0), "
               "met afstand tot de gemeente.")
GROUP = "Natuur en stikstof"
SOURCE = "sources/natura2000/natura2000_nhn_rd.gpkg"
NEARBY_M = 10_000  # areas within this distance of the municipal boundary are the municipality's concern
EXTENT_BUFFER_DEG = 0.15  # collection extent: the municipality plus ~10 km
SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="nr",
    required=("nr", "naam"),
    columns={
        "nr": "int", "naam": "str", "richtlijn": "str", "sitecode_vr": "str", "sitecode_hr": "str",
        "stikstofgevoelig": "bool", "status": "str", "opp_ha": "float", "afstand_gemeente_m": "float",
    },
)
PUBLIC_FIELDS = tuple(SCHEMA.columns)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("natura2000", SOURCE)
    gdf = conform(read_vector(path), SCHEMA)
    gdf = screen(gdf, SCHEMA, NAME, str(path), sources.quarantine)
    gdf = gdf.assign(afstand_gemeente_m=gdf.distance(base.gebied).round(1))
    gdf = gdf[gdf["afstand_gemeente_m"] <= NEARBY_M]
    gdf = gdf.set_geometry(gdf.geometry.map(lambda g: MultiPolygon([g]) if g.geom_type == "Polygon" else g))
    return conform(gdf.sort_values("nr"), SCHEMA)
