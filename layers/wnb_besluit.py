"""Wnb-besluiten: decisions on nature permits under the Wet natuurbescherming, since 1 January 2024
the 'Natura 2000-activiteit' of the Omgevingswet.

No public geo-register of these decisions exists; this is our model of what an omgevingsdienst's case
system holds: the zaak, the decision, the activity and where it takes place, the Natura 2000 areas
concerned and the AERIUS result. Privacy: the applicant's name and contact details are internal.
"""

import geopandas as gpd

from geo.core.layer import Base, Sources
from geo.formats.records import read_records
from geo.core.schema import LayerSchema, conform
from geo.core.validate import reject_unknown_codes, reject_where, screen
from layers.common import add_natura2000_distance, flag_gemeente

NAME = "wnb_besluit"
TITLE = "Wnb-besluiten (Natura 2000-activiteit)"
DESCRIPTION = ("Besluiten op aanvragen voor de Wnb-vergunning, sinds 2024 de Natura 2000-activiteit (Omgevingswet): "
               "zaak, besluit, activiteit, betrokken Natura 2000-gebieden en AERIUS-rekenresultaat.")
GROUP = "Natuur en stikstof"
REGISTER = "Zaaksysteem omgevingsdienst (Wnb / Natura 2000-activiteit)"
LICENCE = "CC-BY-4.0"
ATTRIBUTION = "Bron: omgevingsdienst"
NEEDS = ("gemeentegebied", "natura2000_gebied")  # layers this one is derived from: rebuilt after them by geo refresh
SOURCE = "generated/wnb_besluiten_{gemeente}.gpkg"
TITLE_FIELD = "activiteit"
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
    },
)
PRIVATE_FIELDS = ("aanvrager_naam", "aanvrager_contact")
PUBLIC_FIELDS = tuple(c for c in SCHEMA.columns if c not in PRIVATE_FIELDS)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("wnb_besluit", SOURCE)
    gdf = conform(read_records(path, NAME, sources.quarantine), SCHEMA)
    gdf = screen(gdf, SCHEMA, NAME, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "besluittype", BESLUITTYPEN, NAME, str(path), sources.quarantine)
    q = sources.quarantine
    gdf = reject_where(gdf, _decided_without_date(gdf), "besluitdatum missing for a decision", NAME, str(path), q)
    gdf = reject_where(gdf, gdf["max_depositie_mol_ha_jr"] < 0, "negative AERIUS result", NAME, str(path), q)
    gdf = flag_gemeente(add_natura2000_distance(gdf, base), base)
    return conform(gdf, SCHEMA)


def _decided_without_date(gdf: gpd.GeoDataFrame):
    return ~gdf["besluittype"].isin(["aanvraag"]) & gdf["besluitdatum"].isna()
