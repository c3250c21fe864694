"""Gemeentegebied: the municipal area, from CBS' gebiedsindelingen (generalised boundary)."""

import geopandas as gpd

from geo.build.inputs import Base, Sources
from geo.core.errors import SourceError
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import Rule, Symbol, VectorStyle
from geo.formats.readers import read_vector

SOURCE = "sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nhn_rd.gpkg"
NATIONAL = "sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nl_rd.gpkg"  # all 345: any other gemeente
SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="statcode",
    required=("statcode", "statnaam"),
    columns={"statcode": "str", "statnaam": "str", "jrstatcode": "str", "opp_ha": "float"},
)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    """The gemeente from the NHN boundaries (the embedded default); one outside NHN from CBS' national file,
    unless a boundary file was given with ``--source gemeentegrenzen=``."""
    path = sources.path("gemeentegrenzen", SOURCE)
    gemeenten = read_vector(path)
    if "gemeentegrenzen" not in sources.overrides and base.gemeentecode not in set(gemeenten.get("statcode", [])):
        path = sources.path("gemeentegrenzen", NATIONAL)
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


GEMEENTE_COLOUR = "#252525"


def _style() -> VectorStyle:
    outline = Symbol("fill", stroke=GEMEENTE_COLOUR, stroke_width_mm=0.6)
    return VectorStyle("gemeentegebied", "Gemeentegebied", (Rule("gemeentegrens", outline),))


SPEC = LayerSpec(
    name="gemeentegebied",
    title="Gemeentegebied",
    description="Grens van de gemeente (CBS gebiedsindelingen, gegeneraliseerd, 2022).",
    group="Basisregistratie",
    schema=SCHEMA,
    public_fields=("statcode", "statnaam", "jrstatcode", "opp_ha"),
    needs=(),
    source=SOURCE,
    register="CBS gebiedsindelingen (via PDOK)",
    licence="CC-BY-4.0",
    attribution="Bron: CBS / PDOK, Gebiedsindelingen 2022",
    style=_style(),
    draw_order=10,  # QGIS: lower is drawn on top
    build=build,
)
