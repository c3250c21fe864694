"""Activiteiten of the omgevingsplan where its rules locate them: one feature per ActiviteitLocatieaanduiding.

From a DSO delivery (STOP/TPOD, ``geo.formats.dso``): a juridische regel names an activiteit, where it applies and
how it is regulated (``regelkwalificatie``: toegestaan, vergunningplicht, verbod …). ``groep`` is the TPOD
activiteitengroep URI with its label. Activities whose location or activiteit cannot be resolved, and group URIs in
no TPOD waardelijst, are quarantined. Without a DSO delivery, or without located activities, the layer is published
empty, with a warning (``LayerSpec.optional``).
"""

import logging

import geopandas as gpd

from geo.build.inputs import Base, Sources
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import UNKNOWN_COLOUR, Condition, Label, Rule, Symbol, VectorStyle
from geo.core.validate import reject_where, screen
from geo.formats import tpod_codes
from layers import omgevingsplan_dso as dso
from layers.common import as_multipolygons, clip_to_gemeente
from layers.omgevingsplan_functie import SOURCE

log = logging.getLogger(__name__)

NAME = "activiteit_locatie"
SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="identificatie",
    required=("identificatie", "activiteit_id", "naam"),
    columns={
        "identificatie": "str", "activiteit_id": "str", "naam": "str", "groep": "str", "groep_label": "str",
        "regelkwalificatie": "str", "juridische_regel": "str", "opp_ha": "float",
    },
    descriptions={
        "identificatie": "IMOW identificatie of the ActiviteitLocatieaanduiding",
        "activiteit_id": "IMOW identificatie of the Activiteit",
        "naam": "name of the activiteit",
        "groep": "TPOD code-list URI of the activiteitengroep",
        "regelkwalificatie": "how the rule regulates the activity here (toegestaan, vergunningplicht, verbod …)",
        "juridische_regel": "IMOW identificatie of the juridische regel that locates the activity",
        "opp_ha": "area within the municipality, hectares",
    },
)

KWALIFICATIE_COLOURS = {  # regelkwalificatie -> fill: from allowed (green) to forbidden (red)
    "toegestaan": "#a1d99b", "informatieplicht": "#c6dbef", "meldingsplicht": "#9ecae1",
    "vergunningplicht": "#fdae6b", "gebod": "#bcbddc", "verbod": "#fb6a4a",
}

KWALIFICATIES = set(tpod_codes.values_of("activiteitregelkwalificatie").values())


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("omgevingsplan", SOURCE)
    if not dso.is_delivery(path):
        log.warning("%s: %s is not a DSO delivery (folder or .zip); it holds no located activities", NAME, path)
        return conform(gpd.GeoDataFrame({c: [] for c in SCHEMA.columns}, geometry=[], crs=SCHEMA.crs), SCHEMA)
    found = dso.delivery(sources, path, base)
    dso.quarantine_problems(found, {"ActiviteitLocatieaanduiding"}, NAME, sources)
    records = found.activiteit_locaties
    records = records.assign(groep_label=dso.labels(records["groep"]),
                             regelkwalificatie=records["regelkwalificatie"].map(_kwalificatie))
    gdf = screen(conform(records, SCHEMA), SCHEMA, NAME, str(path), sources.quarantine)
    gdf = dso.reject_unknown_uris(gdf, "groep", ("activiteitengroep",), NAME, str(path), sources, optional=True)
    gdf = reject_where(gdf, ~gdf["regelkwalificatie"].isin(KWALIFICATIES).to_numpy(),
                       "regelkwalificatie not in the TPOD waardelijst activiteitregelkwalificatie", NAME, str(path),
                       sources.quarantine)
    gdf = as_multipolygons(clip_to_gemeente(gdf, base))
    gdf = gdf.assign(opp_ha=(gdf.geometry.area / 10_000).round(4))
    return conform(gdf.sort_values("identificatie").reset_index(drop=True), SCHEMA)


def _kwalificatie(value: str | None) -> str | None:
    """The label of a regelkwalificatie URI (IMOW 2); older deliveries write the label itself."""
    if not isinstance(value, str):
        return None
    return tpod_codes.label(value) or (value.strip() if "://" in value else value.strip().lower())


def _style() -> VectorStyle:
    rules = [Rule(kwalificatie, Symbol("fill", fill=colour, fill_opacity=0.45, stroke="#525252",
                                       stroke_width_mm=0.2), (Condition("regelkwalificatie", "=", kwalificatie),))
             for kwalificatie, colour in KWALIFICATIE_COLOURS.items()]
    rules.append(Rule("andere kwalificatie", Symbol("fill", fill=UNKNOWN_COLOUR, fill_opacity=0.4, stroke="#525252",
                                                    stroke_width_mm=0.2), otherwise=True))
    return VectorStyle(NAME, "Activiteiten naar regelkwalificatie", tuple(rules),
                       Label("naam", colour="#252525", size_pt=7, max_scale=10_000))


SPEC = LayerSpec(
    name=NAME,
    title="Omgevingsplan: activiteiten en hun locaties",
    description="Activiteiten uit het omgevingsplan (IMOW, DSO-levering) op de locaties waar de regels ze "
               "noemen, met de regelkwalificatie (toegestaan, vergunningplicht, verbod …) en de "
               "activiteitengroep als TPOD-waardelijst-URI met label.",
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
    draw_order=78,  # QGIS: lower is drawn on top
    hidden=True,  # off when a map or QGIS project opens
    optional=True,  # a plan without located activities (or a source other than a DSO delivery): published empty
    build=build,
)
