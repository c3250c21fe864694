"""Omgevingsplan: functies and milieuzones (IMOW Gebiedsaanwijzingen), from a DSO delivery, an IMOW-shaped
GeoPackage or IMRO2012.

The source is one of: a DSO delivery of the omgevingsplan (STOP/TPOD: a folder or .zip of OW and GIO files; bron
``dso``), whose Gebiedsaanwijzingen of type Functie (and Natuur) become functies and those of type Geluid, Geur,
Externe veiligheid, Bodem and Lucht milieuzones (``DSO_TYPE``, ``DSO_FUNCTIE_GROEP``); our generated IMOW-shaped
GeoPackage (layer ``gebiedsaanwijzing``, bron ``imow``); or the GML of an IMRO2012 bestemmingsplan
(``.gml``/``.xml``; bron ``imro2012``), whose Enkelbestemmingen become functies: their ``bestemmingshoofdgroep``
maps to a functie ``groep`` through ``IMRO_GROEP``. The TPOD groep URI is kept in ``groep_uri``. Gebiedsaanwijzingen
of other types (beperkingengebied, erfgoed, landschap …) are not functies: they are left out with a log line.

Mapping choices: ``groen`` (public green in built-up areas: plantsoenen, parks) becomes recreatie, not natuur,
since natuur in an omgevingsplan carries a protection regime that public green lacks; kantoor, horeca and
dienstverlening become gemengd; detailhandel centrum; bos natuur; tuin and woongebied wonen. ``leiding``,
``waarde`` and ``waterstaat`` are dubbelbestemmingen, not functies, and ``overig`` says nothing: they have no
mapping, keep their IMRO value and are quarantined by the code-list check.
"""

import logging
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon

from geo.build.inputs import Base, Sources
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import Condition, Label, Rule, Symbol, VectorStyle
from geo.core.validate import reject_unknown_codes, screen
from geo.formats import tpod_codes
from geo.formats.imro import read_enkelbestemming, read_plan_identificatie
from geo.formats.readers import read_vector
from layers import omgevingsplan_dso as dso
from layers.common import clip_to_gemeente

log = logging.getLogger(__name__)

SOURCE = "generated/omgevingsplan_{gemeente}_dso"  # a STOP/TPOD delivery (OW + GIO)
IMOW_LAYER = "gebiedsaanwijzing"
GML_SUFFIXES = {".gml", ".xml"}

TYPES = {"functie", "milieuzone"}
FUNCTIE_GROEPEN = {"wonen", "bedrijf", "agrarisch", "natuur", "gemengd", "maatschappelijk", "recreatie",
                   "verkeer", "water", "centrum", "bedrijventerrein"}
MILIEUZONE_GROEPEN = {"geluidzone", "geurzone", "veiligheidszone", "bodemzone", "luchtkwaliteitzone"}
GROEPEN = {"functie": FUNCTIE_GROEPEN, "milieuzone": MILIEUZONE_GROEPEN}

# IMRO2012 bestemmingshoofdgroep -> functie groep (see the module docstring for the choices).
IMRO_GROEP = {
    "wonen": "wonen", "woongebied": "wonen", "tuin": "wonen",
    "bedrijf": "bedrijf", "bedrijventerrein": "bedrijventerrein",
    "agrarisch": "agrarisch", "agrarisch met waarden": "agrarisch",
    "natuur": "natuur", "bos": "natuur",
    "groen": "recreatie", "sport": "recreatie", "recreatie": "recreatie",
    "maatschappelijk": "maatschappelijk", "cultuur en ontspanning": "maatschappelijk",
    "verkeer": "verkeer", "water": "water",
    "centrum": "centrum", "detailhandel": "centrum",
    "gemengd": "gemengd", "kantoor": "gemengd", "horeca": "gemengd", "dienstverlening": "gemengd",
}

# DSO: the label of a Gebiedsaanwijzing's type (TPOD waardelijst "type gebiedsaanwijzing") -> our type, and for a
# functie its functiegroep label -> our groep (the same choices as IMRO_GROEP); a milieuzone's groep follows its type.
DSO_TYPE = {"functie": "functie", "natuur": "functie", "geluid": "milieuzone", "geur": "milieuzone",
            "externe veiligheid": "milieuzone", "bodem": "milieuzone", "lucht": "milieuzone"}
DSO_MILIEUZONE_GROEP = {"geluid": "geluidzone", "geur": "geurzone", "externe veiligheid": "veiligheidszone",
                        "bodem": "bodemzone", "lucht": "luchtkwaliteitzone"}
DSO_FUNCTIE_GROEP = {
    "wonen": "wonen", "woongebied": "wonen", "bedrijf": "bedrijf", "bedrijventerrein": "bedrijventerrein",
    "industrie": "bedrijventerrein", "industrieterrein": "bedrijventerrein",
    "agrarisch": "agrarisch", "landbouw": "agrarisch", "glastuinbouw": "agrarisch", "veehouderij": "agrarisch",
    "groen": "recreatie", "sport": "recreatie", "recreatie": "recreatie", "dagrecreatie": "recreatie",
    "verblijfsrecreatie": "recreatie", "ontspanning": "recreatie",
    "maatschappelijk": "maatschappelijk", "cultuur": "maatschappelijk",
    "verkeer": "verkeer", "spoorweg": "verkeer", "infrastructuur": "verkeer", "water": "water",
    "centrumgebied": "centrum", "detailhandel": "centrum",
    "kantoor": "gemengd", "horeca": "gemengd", "dienstverlening": "gemengd",
}

SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="identificatie",
    required=("identificatie", "naam", "type", "groep", "bron"),
    columns={
        "identificatie": "str", "naam": "str", "type": "str", "groep": "str", "artikelnummer": "str",
        "bron": "str", "plan_identificatie": "str", "opp_ha": "float", "groep_uri": "str",
    },
    descriptions={
        "identificatie": "IMOW identificatie (nl.imow-gm….gebiedsaanwijzing.…) or IMRO identificatie (NL.IMRO.…)",
        "type": "gebiedsaanwijzingtype: functie or milieuzone",
        "groep": "functiegroep or milieuzonegroep (code list)",
        "artikelnummer": "article of the regels",
        "bron": "dso (STOP/TPOD delivery), imow (GeoPackage) or imro2012",
        "plan_identificatie": "the plan: AKN work id (IMOW) or IMRO plan identificatie",
        "opp_ha": "area within the municipality, hectares",
        "groep_uri": "the TPOD code-list URI of the groep (DSO deliveries only)",
    },
)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("omgevingsplan", SOURCE)
    gdf = conform(read_source(path, sources, base), SCHEMA)
    gdf = screen(gdf, SCHEMA, SPEC.name, str(path), sources.quarantine)
    gdf = reject_codes(gdf, str(path), sources)
    gdf = clip_to_gemeente(gdf, base)
    gdf = gdf.set_geometry(gdf.geometry.map(_as_multipolygon))
    gdf = gdf.assign(opp_ha=(gdf.geometry.area / 10_000).round(4))
    return conform(gdf.sort_values("identificatie").reset_index(drop=True), SCHEMA)


FUNCTIE_COLOURS = {  # omgevingsplan functie groep, after the Dutch SVBP/IMRO colour conventions
    "wonen": "#f3d27a", "centrum": "#f5a05a", "gemengd": "#f7b96b", "maatschappelijk": "#d3a9c7",
    "bedrijventerrein": "#b39ddb", "bedrijf": "#b39ddb", "agrarisch": "#e8f1d1", "natuur": "#82b36b",
    "recreatie": "#b5d88f", "verkeer": "#cdcdcd", "water": "#a6cee3",
}
MILIEUZONE_COLOUR = "#e31a1c"


def _style() -> VectorStyle:
    functie = Condition("type", "=", "functie")
    rules = [Rule(groep, Symbol("fill", fill=colour, fill_opacity=0.5, stroke="#777777", stroke_width_mm=0.15),
                  (functie, Condition("groep", "=", groep)))
             for groep, colour in FUNCTIE_COLOURS.items()]
    rules += [
        Rule("milieuzone", Symbol("fill", stroke=MILIEUZONE_COLOUR, stroke_width_mm=0.5, stroke_style="dash"),
             (Condition("type", "=", "milieuzone"),)),
        Rule("andere functie", Symbol("fill", fill="#ffffff", fill_opacity=0.5, stroke="#777777",
                                      stroke_width_mm=0.15), otherwise=True),
    ]
    return VectorStyle("omgevingsplan_functie", "Omgevingsplan: functies naar groep", tuple(rules),
                       Label("naam", colour="#252525", size_pt=7, max_scale=25_000))


SPEC = LayerSpec(
    name="omgevingsplan_functie",
    title="Omgevingsplan: functies en milieuzones",
    description="Gebiedsaanwijzingen uit het omgevingsplan (IMOW): functies die samen het hele gemeentelijke "
               "grondgebied dekken, en milieuzones die daaroverheen liggen. Bron: het omgevingsplan (IMOW) of een "
               "bestemmingsplan (IMRO2012), waarvan de enkelbestemmingen als functie worden overgenomen.",
    group="Omgevingsplan",
    schema=SCHEMA,
    public_fields=tuple(SCHEMA.columns),  # a published plan: everything is public
    needs=("gemeentegebied",),
    source=SOURCE,
    register="Omgevingsplan (IMOW) / bestemmingsplan (IMRO2012)",
    licence="CC0-1.0",
    attribution="Bron: gemeente, omgevingsplan",
    style=_style(),
    draw_order=80,  # QGIS: lower is drawn on top
    hidden=True,  # off when a map or QGIS project opens
    build=build,
)


def read_source(path: Path, sources: Sources | None = None, base: Base | None = None) -> gpd.GeoDataFrame:
    """The source as Gebiedsaanwijzingen: a DSO delivery (folder or .zip), IMRO2012 GML by suffix, else the
    IMOW-shaped GeoPackage."""
    if dso.is_delivery(path):
        return from_dso(path, sources or Sources(root=Path(path).parent, gemeentecode=""), base)
    if Path(path).suffix.lower() in GML_SUFFIXES:
        return from_imro(path)
    return read_vector(path, layer=IMOW_LAYER).assign(bron="imow")


def from_imro(path: Path) -> gpd.GeoDataFrame:
    """Enkelbestemmingen as functies: groep mapped from bestemmingshoofdgroep, unmapped values kept as is."""
    gdf = read_enkelbestemming(path)
    groep = gdf["bestemmingshoofdgroep"].map(lambda g: IMRO_GROEP.get(str(g).strip().lower(), g))
    return gdf.assign(type="functie", groep=groep.astype("object"), bron="imro2012",
                      plan_identificatie=read_plan_identificatie(path))


def from_dso(path: Path, sources: Sources, base: Base | None = None) -> gpd.GeoDataFrame:
    """Gebiedsaanwijzingen of a DSO delivery as functies and milieuzones; other types are left out (log line),
    an unknown type or groep URI is kept as is, for the code-list check to quarantine."""
    found = dso.delivery(sources, path, base)
    dso.quarantine_problems(found, {"Gebiedsaanwijzing"}, SPEC.name, sources)
    gdf = found.gebiedsaanwijzingen
    type_label = dso.labels(gdf["type"])
    ours = type_label.isin(DSO_TYPE) | type_label.isna()
    _log_other_types(type_label[~ours], path)
    gdf, type_label = gdf[ours.to_numpy()], type_label[ours]
    groep = [_dso_groep(t, g) for t, g in zip(type_label, gdf["groep"])]
    kind = [DSO_TYPE.get(t, uri) for t, uri in zip(type_label, gdf["type"])]
    return gdf.assign(type=kind, groep=groep, groep_uri=gdf["groep"], bron="dso", artikelnummer=None,
                      plan_identificatie=None).drop(columns="bestand")


def _dso_groep(type_label: str | None, groep_uri: str | None) -> str | None:
    """Our groep: a milieuzone's by its type, a functie's from its functiegroep label; else the URI itself."""
    if type_label in DSO_MILIEUZONE_GROEP:
        return DSO_MILIEUZONE_GROEP[type_label]
    if type_label == "natuur":
        return "natuur"
    groep_label = tpod_codes.label(groep_uri)
    return DSO_FUNCTIE_GROEP.get(groep_label, groep_label or groep_uri)


def _log_other_types(labels, path: Path) -> None:
    if len(labels):
        counts = ", ".join(f"{n}x {t}" for t, n in labels.value_counts().items())
        log.info("%s: %d gebiedsaanwijzingen are no functie or milieuzone (%s); not in omgevingsplan_functie",
                 path, len(labels), counts)


def reject_codes(gdf: gpd.GeoDataFrame, source: str, sources: Sources) -> gpd.GeoDataFrame:
    """Quarantine unknown types, then per type the groepen outside its code list."""
    gdf = reject_unknown_codes(gdf, "type", TYPES, SPEC.name, source, sources.quarantine)
    parts = [reject_unknown_codes(gdf[gdf["type"] == kind], "groep", groepen, SPEC.name, source, sources.quarantine)
             for kind, groepen in sorted(GROEPEN.items())]
    return gpd.GeoDataFrame(pd.concat(parts), geometry="geometry", crs=gdf.crs)


def _as_multipolygon(geom) -> MultiPolygon:
    if geom.geom_type == "MultiPolygon":
        return geom
    return MultiPolygon([p for p in shapely.get_parts(geom) if p.geom_type == "Polygon"])
