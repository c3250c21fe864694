"""Natura 2000-gebieden around the municipality (RVO geometry, RCE attributes), with nitrogen facts.

Joined per area: the designated habitat types and the lowest of their critical deposition values (KDW,
2023 revision, WEnR 3272), and the total nitrogen deposition of the RIVM AERIUS Monitor 2023 (mean over
the area's relevant habitat, measured year 2021 and prognosis 2030). Without a habitat map the
conservative rule applies: the area's lowest KDW, so ``overschrijding_2021_mol_ha_jr`` is the
exceedance for its most sensitive habitat type.
"""

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiPolygon

from geo.build.inputs import Base, Sources
from geo.core import palette
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import Condition, Label, Rule, Symbol, VectorStyle
from geo.core.validate import screen
from geo.formats.readers import read_vector
from geo.formats.tables import read_table

SOURCE = "sources/natura2000/natura2000_nhn_rd.gpkg"
DEPOSITIE = "sources/aerius-monitor/depositie_totaal_per_n2000_gebied.csv"
KDW = "sources/kdw/kdw_habitattypen_nhn.csv"
HABITATTYPEN = "sources/kdw/habitattypen_per_gebied_nhn.csv"
NEARBY_M = 10_000  # areas within this distance of the municipal boundary are the municipality's concern
SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="nr",
    required=("nr", "naam"),
    columns={
        "nr": "int", "naam": "str", "richtlijn": "str", "sitecode_vr": "str", "sitecode_hr": "str",
        "stikstofgevoelig": "bool", "status": "str", "opp_ha": "float", "afstand_gemeente_m": "float",
        "habitattypen": "str", "laagste_kdw_mol_ha_jr": "float", "kdw_habitattype": "str",
        "depositie_2021_mol_ha_jr": "float", "depositie_2030_mol_ha_jr": "float",
        "overschrijding_2021_mol_ha_jr": "float",
    },
)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("natura2000", SOURCE)
    gdf = conform(read_vector(path), SCHEMA)
    gdf = screen(gdf, SCHEMA, SPEC.name, str(path), sources.quarantine)
    gdf = gdf.assign(afstand_gemeente_m=gdf.distance(base.gebied).round(1))
    gdf = gdf[gdf["afstand_gemeente_m"] <= NEARBY_M]
    gdf = gdf.set_geometry(gdf.geometry.map(lambda g: MultiPolygon([g]) if g.geom_type == "Polygon" else g))
    gdf = _join_habitats(gdf, sources)
    gdf = _join_deposition(gdf, sources)
    exceedance = gdf["depositie_2021_mol_ha_jr"] - gdf["laagste_kdw_mol_ha_jr"]
    gdf = gdf.assign(overschrijding_2021_mol_ha_jr=exceedance.round(1))
    return conform(gdf.sort_values("nr"), SCHEMA)


NATURA2000_COLOUR = palette.NATURA2000
NIET_STIKSTOFGEVOELIG = "niet stikstofgevoelig"


def stikstofgevoelige(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The areas with nitrogen-sensitive habitat (``stikstofgevoelig`` true; unknown counts as not, as in the
    screening): 162 Abtskolk & De Putten, a bird area, is not one of them."""
    if "stikstofgevoelig" not in areas.columns:
        return areas.iloc[:0]
    return areas[areas["stikstofgevoelig"].fillna(False).astype(bool)]


def _style() -> VectorStyle:
    """Nitrogen-sensitive areas filled; the others (e.g. 162) lighter with a dashed outline, named so in the
    legend. Both in the one Natura 2000 colour."""
    area = Symbol("fill", fill=NATURA2000_COLOUR, fill_opacity=0.35, stroke=NATURA2000_COLOUR, stroke_width_mm=0.3)
    niet = Symbol("fill", fill=NATURA2000_COLOUR, fill_opacity=0.1, stroke=NATURA2000_COLOUR, stroke_width_mm=0.4,
                  stroke_style="dash")
    rules = (Rule(f"Natura 2000-gebied, {NIET_STIKSTOFGEVOELIG}", niet,
                  (Condition("stikstofgevoelig", "=", False),)),
             Rule("Natura 2000-gebied, stikstofgevoelig", area, otherwise=True))
    label = Label("naam", expression=f"\"naam\" || if(\"stikstofgevoelig\" = false, ' ({NIET_STIKSTOFGEVOELIG})', '')",
                  colour="#00441b", size_pt=9)
    return VectorStyle("natura2000_gebied", "Natura 2000-gebieden", rules, label)


SPEC = LayerSpec(
    name="natura2000_gebied",
    title="Natura 2000-gebieden",
    description="Natura 2000-gebieden binnen 10 km van de gemeente (RVO via PDOK; attributen RCE, CC BY 4.0), "
               "met aangewezen habitattypen, laagste KDW (2023) en totale stikstofdepositie (AERIUS Monitor 2023).",
    group="Natuur en stikstof",
    schema=SCHEMA,
    public_fields=tuple(SCHEMA.columns),
    needs=("gemeentegebied",),
    source=SOURCE,
    register="Natura 2000 (RVO/PDOK), AERIUS Monitor 2023 (RIVM), KDW (WEnR 3272)",
    licence="CC-BY-4.0",
    attribution=("Natura 2000: RVO/PDOK; attributen: RCE (CC BY 4.0); depositie: RIVM AERIUS Monitor 2023; "
                 "KDW: WEnR rapport 3272"),
    title_field="naam",
    extent_buffer_deg=0.15,  # collection extent: the municipality plus ~10 km
    style=_style(),
    draw_order=60,  # QGIS: lower is drawn on top
    build=build,
)


def habitat_kdw(sources: Sources) -> pd.DataFrame:
    """One row per (area, habitat type) with the type's KDW (mol N/ha/jr, 2023 values)."""
    per_area = read_table(sources.path("habitattypen", HABITATTYPEN), ["natura2000_nr", "habitattype_code"])
    per_area = per_area.dropna(subset=["habitattype_code"])  # an area with no sensitive habitat (e.g. 162)
    kdw = read_table(sources.path("kdw", KDW), ["habitattype_code", "kdw_mol_ha_jr"])
    joined = per_area.merge(kdw[["habitattype_code", "habitattype_naam", "kdw_mol_ha_jr"]], how="left",
                            on="habitattype_code")
    unknown = joined[joined["kdw_mol_ha_jr"].isna()]
    if len(unknown):
        sources.quarantine.reject(SPEC.name, HABITATTYPEN, unknown, "habitat type without KDW in the KDW table")
    return joined.dropna(subset=["kdw_mol_ha_jr"])


def _join_habitats(gdf: gpd.GeoDataFrame, sources: Sources) -> gpd.GeoDataFrame:
    types = habitat_kdw(sources).sort_values(["natura2000_nr", "kdw_mol_ha_jr", "habitattype_code"])
    per_area = types.groupby("natura2000_nr").agg(
        habitattypen=("habitattype_code", lambda c: ",".join(sorted(c))),
        laagste_kdw_mol_ha_jr=("kdw_mol_ha_jr", "first"),
        kdw_habitattype=("habitattype_code", "first"),
    )
    return gdf.drop(columns=list(per_area.columns)).merge(per_area, how="left", left_on="nr", right_index=True)


def _join_deposition(gdf: gpd.GeoDataFrame, sources: Sources) -> gpd.GeoDataFrame:
    table = read_table(sources.path("depositie", DEPOSITIE), ["jaar", "nummer", "depositie"])
    for year in (2021, 2030):
        values = table[table["jaar"] == year].set_index("nummer")["depositie"]
        gdf = gdf.assign(**{f"depositie_{year}_mol_ha_jr": gdf["nr"].map(values)})
    return gdf
