"""Gemeentegebied: the municipal area, from CBS' gebiedsindelingen (generalised boundary)."""

import geopandas as gpd

from geo.core.layer import Base, Sources
from geo.core.errors import SourceError
from geo.formats.readers import read_vector
from geo.core.schema import LayerSchema, conform

NAME = "gemeentegebied"
TITLE = "Gemeentegebied"
DESCRIPTION = "Grens van de gemeente (CBS gebiedsindelingen, gegeneraliseerd, 2022)."
GROUP = "Basisregistratie"
REGISTER = "CBS gebiedsindelingen (via PDOK)"
LICENCE = "CC-BY-4.0"
ATTRIBUTION = "Bron: CBS / PDOK, Gebiedsindelingen 2022"
NEEDS = ()  # layers this one is derived from: rebuilt after them by geo refresh
SOURCE = "sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nhn_rd.gpkg"
SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="statcode",
    required=("statcode", "statnaam"),
    columns={"statcode": "str", "statnaam": "str", "jrstatcode": "str", "opp_ha": "float"},
)
PUBLIC_FIELDS = ("statcode", "statnaam", "jrstatcode", "opp_ha")


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("gemeentegrenzen", SOURCE)
    gemeenten = read_vector(path)
    if "statcode" not in gemeenten.columns:
        raise SourceError(f"{path}: no 'statcode' column; expected CBS gebiedsindelingen attributes")
    gdf = gemeenten[gemeenten["statcode"] == base.gemeentecode]
    if gdf.empty:
        known = ", ".join(sorted(gemeenten["statcode"].astype(str))[:20])
        raise SourceError(f"{path}: gemeente {base.gemeentecode} not found (has {known})")
    gdf = gdf.assign(opp_ha=(gdf.geometry.area / 10_000).round(2))
    gdf = gdf.set_geometry(gdf.geometry.make_valid())
    return conform(gdf, SCHEMA)
