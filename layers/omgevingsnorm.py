"""Omgevingsnormen and omgevingswaarden of the omgevingsplan, one feature per location of each normwaarde.

From a DSO delivery (STOP/TPOD, ``geo.formats.dso``): e.g. the maximum bouwhoogte per area, or an omgevingswaarde
for geluid. ``type``, ``groep`` and ``eenheid`` are TPOD code-list URIs, with their labels beside them; a value in
no TPOD waardelijst is quarantined, as are norms whose location cannot be resolved. ``normwaarde_label`` is the
value as an advisor reads it (Dutch number format, with the unit). The omgevingsplan's other sources (IMOW-shaped
GeoPackage, IMRO2012) hold no norms: the layer is then published empty, with a warning (``LayerSpec.optional``).
"""

import logging

import geopandas as gpd
import pandas as pd

from geo.build.inputs import Base, Sources
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import UNKNOWN_COLOUR, Condition, Label, Rule, Symbol, VectorStyle
from geo.core.validate import screen
from layers import omgevingsplan_dso as dso
from layers.common import as_multipolygons, clip_to_gemeente
from layers.omgevingsplan_functie import SOURCE

log = logging.getLogger(__name__)

NAME = "omgevingsnorm"
SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="normlocatie_id",
    required=("normlocatie_id", "identificatie", "soort", "type"),
    columns={
        "normlocatie_id": "str", "identificatie": "str", "naam": "str", "soort": "str", "type": "str",
        "type_label": "str", "groep": "str", "groep_label": "str", "normwaarde_kwantitatief": "float",
        "normwaarde_kwalitatief": "str", "waarde_in_regeltekst": "str", "eenheid": "str", "eenheid_label": "str",
        "normwaarde_label": "str", "normwaarde_id": "str", "locatie_id": "str", "opp_ha": "float",
    },
    descriptions={
        "normlocatie_id": "normwaarde identificatie @ locatie identificatie: one feature per location of a value",
        "identificatie": "IMOW identificatie of the Omgevingsnorm or Omgevingswaarde",
        "soort": "omgevingsnorm or omgevingswaarde",
        "type": "TPOD code-list URI of the type of norm (waardelijst 'type norm')",
        "groep": "TPOD code-list URI of the omgevingsnormgroep or omgevingswaardegroep",
        "normwaarde_kwantitatief": "the value, when quantitative",
        "normwaarde_kwalitatief": "the value, when qualitative",
        "waarde_in_regeltekst": "the value is in the regeltekst (text) instead",
        "eenheid": "TPOD code-list URI of the unit",
        "normwaarde_label": "the value as shown on maps, e.g. '12,5 meter'",
        "opp_ha": "area within the municipality, hectares",
    },
)
GROEP_LISTS = ("omgevingsnormgroep", "omgevingswaardegroep")


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("omgevingsplan", SOURCE)
    if not dso.is_delivery(path):
        log.warning("%s: %s is not a DSO delivery (folder or .zip); it holds no omgevingsnormen", NAME, path)
        return conform(gpd.GeoDataFrame({c: [] for c in SCHEMA.columns}, geometry=[], crs=SCHEMA.crs), SCHEMA)
    found = dso.delivery(sources, path, base)
    dso.quarantine_problems(found, {"Omgevingsnorm", "Omgevingswaarde"}, NAME, sources)
    gdf = conform(_records(found.normen), SCHEMA)
    gdf = screen(gdf, SCHEMA, NAME, str(path), sources.quarantine)
    gdf = _reject_codes(gdf, str(path), sources)
    gdf = as_multipolygons(clip_to_gemeente(gdf, base))
    gdf = gdf.assign(opp_ha=(gdf.geometry.area / 10_000).round(4))
    return conform(gdf.sort_values("normlocatie_id").reset_index(drop=True), SCHEMA)


def _records(normen: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gdf = normen.rename(columns={"kwantitatief": "normwaarde_kwantitatief", "kwalitatief": "normwaarde_kwalitatief"})
    gdf = gdf.assign(normlocatie_id=gdf["normwaarde_id"].fillna(gdf["identificatie"]) + "@" + gdf["locatie_id"],
                     type_label=dso.labels(gdf["type"]), groep_label=dso.labels(gdf["groep"]),
                     eenheid_label=dso.labels(gdf["eenheid"]))
    return gdf.assign(normwaarde_label=[_value_label(row) for _, row in gdf.iterrows()])


def _value_label(row: pd.Series) -> str | None:
    """'12,5 meter', the qualitative value, or 'zie regeltekst'."""
    if pd.notna(row["normwaarde_kwantitatief"]):
        unit = row["eenheid_label"] if isinstance(row["eenheid_label"], str) else ""
        return f"{dso.nl_number(row['normwaarde_kwantitatief'])} {unit}".strip()
    if isinstance(row["normwaarde_kwalitatief"], str):
        return row["normwaarde_kwalitatief"]
    return "zie regeltekst" if isinstance(row["waarde_in_regeltekst"], str) else None


def _reject_codes(gdf: gpd.GeoDataFrame, source: str, sources: Sources) -> gpd.GeoDataFrame:
    gdf = dso.reject_unknown_uris(gdf, "type", ("type norm",), NAME, source, sources)
    gdf = dso.reject_unknown_uris(gdf, "groep", GROEP_LISTS, NAME, source, sources, optional=True)
    return dso.reject_unknown_uris(gdf, "eenheid", ("eenheid",), NAME, source, sources, optional=True)


# Quantitative values in classes (e.g. a maximum bouwhoogte in metres), each [lower, upper); qualitative ones grey.
VALUE_CLASSES = ((5, "< 5", "#fff5eb"), (10, "5 – 10", "#fdd0a2"), (15, "10 – 15", "#fd8d3c"),
                 (25, "15 – 25", "#d94801"), (None, "25 of meer", "#7f2704"))


def _value_rules() -> list[Rule]:
    rules, lower = [], None
    for upper, label, colour in VALUE_CLASSES:
        where = () if lower is None else (Condition("normwaarde_kwantitatief", ">=", lower),)
        where += () if upper is None else (Condition("normwaarde_kwantitatief", "<", upper),)
        rules.append(Rule(label, _fill(colour, 0.6), where))
        lower = upper
    return rules


def _fill(colour: str, opacity: float) -> Symbol:
    return Symbol("fill", fill=colour, fill_opacity=opacity, stroke="#636363", stroke_width_mm=0.2)


def _style() -> VectorStyle:
    rules = [*_value_rules(), Rule("kwalitatief of in regeltekst", _fill(UNKNOWN_COLOUR, 0.4), otherwise=True)]
    return VectorStyle(NAME, "Omgevingsnormen naar waarde", tuple(rules),
                       Label("normwaarde_label", colour="#252525", size_pt=7, max_scale=25_000))


SPEC = LayerSpec(
    name=NAME,
    title="Omgevingsplan: omgevingsnormen en omgevingswaarden",
    description="Omgevingsnormen en omgevingswaarden uit het omgevingsplan (IMOW, DSO-levering): per locatie de "
               "normwaarde, bijvoorbeeld de maximum bouwhoogte per gebied. Type, groep en eenheid als "
               "TPOD-waardelijst-URI met hun label.",
    group="Omgevingsplan",
    schema=SCHEMA,
    public_fields=tuple(SCHEMA.columns),  # a published plan: everything is public
    needs=("gemeentegebied",),
    source=SOURCE,
    register="Omgevingsplan (STOP/TPOD, DSO)",
    licence="CC0-1.0",
    attribution="Bron: gemeente, omgevingsplan (DSO)",
    title_field="naam",
    style=_style(),
    draw_order=75,  # QGIS: lower is drawn on top
    hidden=True,  # off when a map or QGIS project opens
    optional=True,  # a plan without norms (or a source other than a DSO delivery): published empty
    build=build,
)
