"""Wnb-besluiten: decisions on nature permits under the Wet natuurbescherming, since 1 January 2024
the 'Natura 2000-activiteit' of the Omgevingswet.

No public geo-register of these decisions exists; this is our model of what an omgevingsdienst's case
system holds: the zaak, the decision, the activity and where it takes place, the Natura 2000 areas
concerned, the AERIUS result and where the decision is published (``publicatie_url``, e.g. on
officielebekendmakingen.nl; empty when the case system does not know it). Privacy: the applicant's name and
contact details are internal.
"""

import geopandas as gpd

from geo.build.inputs import Base, Sources
from geo.core import palette
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import UNKNOWN_COLOUR, Condition, Rule, Symbol, VectorStyle
from geo.core.validate import reject_unknown_codes, reject_where, screen
from geo.formats.records import read_records
from layers.common import add_natura2000_distance, flag_gemeente

SOURCE = "generated/wnb_besluiten_{gemeente}.gpkg"
BESLUITTYPEN = {"aanvraag", "ontwerpbesluit", "vergunning verleend", "geweigerd", "ingetrokken",
                "buiten behandeling"}
SCHEMA = LayerSchema(
    geometry="Point",
    key="zaaknummer",
    required=("zaaknummer", "besluittype", "activiteit"),
    columns={
        "zaaknummer": "str", "aanvraagdatum": "date", "besluitdatum": "date", "besluittype": "str",
        "activiteit": "str", "wettelijk_kader": "str", "natura2000_nrs": "str", "max_depositie_mol_ha_jr": "float",
        "stikstofbron_id": "str", "aanvrager_naam": "str", "aanvrager_contact": "str",
        "afstand_natura2000_m": "float", "natura2000_nr": "int", "binnen_gemeente": "bool",
        "publicatie_url": "str",
    },
)
PRIVATE_FIELDS = ("aanvrager_naam", "aanvrager_contact")


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("wnb_besluit", SOURCE)
    gdf = conform(read_records(path, SPEC.name, sources.quarantine), SCHEMA)
    gdf = screen(gdf, SCHEMA, SPEC.name, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "besluittype", BESLUITTYPEN, SPEC.name, str(path), sources.quarantine)
    q = sources.quarantine
    gdf = reject_where(gdf, _decided_without_date(gdf), "besluitdatum missing for a decision", SPEC.name, str(path), q)
    gdf = reject_where(gdf, gdf["max_depositie_mol_ha_jr"] < 0, "negative AERIUS result", SPEC.name, str(path), q)
    gdf = flag_gemeente(add_natura2000_distance(gdf, base), base)
    return conform(gdf, SCHEMA)


WNB_BESLUIT_COLOURS = palette.BESLUITTYPE  # Wnb-besluittype, as on the op-locatie page and the reports


def _style() -> VectorStyle:
    rules = tuple(Rule(besluittype, _triangle(colour), (Condition("besluittype", "=", besluittype),))
                  for besluittype, colour in WNB_BESLUIT_COLOURS.items())
    other = Rule("ander besluittype", _triangle(UNKNOWN_COLOUR), otherwise=True)
    return VectorStyle("wnb_besluit", "Wnb-besluiten naar besluittype", (*rules, other))


def _triangle(colour: str) -> Symbol:
    return Symbol("marker", fill=colour, stroke="#252525", stroke_width_mm=0.2, shape="triangle", size_mm=2.6)


SPEC = LayerSpec(
    name="wnb_besluit",
    title="Wnb-besluiten (Natura 2000-activiteit)",
    description="Besluiten op aanvragen voor de Wnb-vergunning, sinds 2024 de Natura 2000-activiteit (Omgevingswet): "
               "zaak, besluit, activiteit, betrokken Natura 2000-gebieden en AERIUS-rekenresultaat.",
    group="Natuur en stikstof",
    schema=SCHEMA,
    public_fields=tuple(c for c in SCHEMA.columns if c not in PRIVATE_FIELDS),
    time_field="besluitdatum",  # ?datetime= selects on the decision date; applications (no decision) never match
    needs=("gemeentegebied", "natura2000_gebied"),
    source=SOURCE,
    register="Zaaksysteem omgevingsdienst (Wnb / Natura 2000-activiteit)",
    licence="CC-BY-4.0",
    attribution="Bron: omgevingsdienst",
    title_field="activiteit",
    style=_style(),
    draw_order=30,  # QGIS: lower is drawn on top
    build=build,
)


def _decided_without_date(gdf: gpd.GeoDataFrame):
    return ~gdf["besluittype"].isin(["aanvraag"]) & gdf["besluitdatum"].isna()
