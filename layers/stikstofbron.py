"""Stikstofbronnen: livestock farms and companies emitting ammonia (NH3) or nitrogen oxides (NOx).

Read from an omgevingsdienst VTH export (CSV or GeoPackage with the attribute names of the IGO
'veehouderijen' layer the omgevingsdiensten publish) or from an AERIUS IMAER GML file. Emissions in kg/jr.
Privacy: ``adres`` and ``naam`` can identify a natural person (a farm is often also a home): internal only.
"""

from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.build.inputs import Base, Sources
from geo.core import palette
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import Rule, Symbol, VectorStyle
from geo.core.validate import reject_unknown_codes, reject_where, screen
from geo.formats.imaer import read_imaer
from geo.formats.vth import read_vth
from layers.common import add_natura2000_distance, flag_gemeente

SOURCE = "generated/stikstofbronnen_{gemeente}.csv"
TYPES = {"Meldingsplicht", "Vergunning", "Geen plicht"}
NUMERIC = ("aantal_stallen", "nh3_emissie", "nox_emissie", "geur_emissie", "fijnstof_emissie", "geiten", "kippen",
           "rundvee", "schapen", "varkens", "sectorid", "sector_id")
SCHEMA = LayerSchema(
    geometry="Point",
    key="vthobject_id",
    required=("vthobject_id",),
    columns={
        "vthobject_id": "str", "od": "str", "bevoegdgezag": "str", "naam": "str", "adres": "str", "type": "str",
        "ippc_installatie": "str", "aantal_stallen": "int", "nh3_emissie": "float", "nox_emissie": "float",
        "geur_emissie": "float", "fijnstof_emissie": "float", "geiten": "int", "kippen": "int", "rundvee": "int",
        "schapen": "int", "varkens": "int", "overige_dieren": "str", "bedrijfstype": "str", "sector_id": "int",
        "bron": "str", "afstand_natura2000_m": "float", "natura2000_nr": "int", "binnen_gemeente": "bool",
    },
)
PRIVATE_FIELDS = ("naam", "adres")


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("stikstofbron", SOURCE)
    gdf = _read(path, sources)
    gdf = screen(conform(gdf, SCHEMA), SCHEMA, SPEC.name, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "type", TYPES, SPEC.name, str(path), sources.quarantine)
    negative = (gdf["nh3_emissie"] < 0) | (gdf["nox_emissie"] < 0)
    gdf = reject_where(gdf, negative, "negative emission", SPEC.name, str(path), sources.quarantine)
    gdf = flag_gemeente(add_natura2000_distance(gdf, base), base)
    return conform(gdf, SCHEMA)


STIKSTOFBRON_COLOUR = palette.STIKSTOFBRON


def _style() -> VectorStyle:
    circle = Symbol("marker", fill=STIKSTOFBRON_COLOUR, fill_opacity=0.7, stroke=STIKSTOFBRON_COLOUR,
                    stroke_width_mm=0.26, size_px_sqrt_of="nh3_emissie")
    return VectorStyle("stikstofbron", "Stikstofbronnen (grootte: NH3 kg/jr)",
                       (Rule("stikstofbron (grootte: NH3 kg/jr)", circle),))


SPEC = LayerSpec(
    name="stikstofbron",
    title="Stikstofbronnen",
    description="Veehouderijen en bedrijven met emissie van ammoniak (NH3) of stikstofoxiden (NOx), kg/jr, uit de "
               "VTH-registratie van de omgevingsdienst of AERIUS (IMAER); met afstand tot Natura 2000.",
    group="Natuur en stikstof",
    schema=SCHEMA,
    public_fields=tuple(c for c in SCHEMA.columns if c not in PRIVATE_FIELDS),
    needs=("gemeentegebied", "natura2000_gebied"),
    source=SOURCE,
    register="VTH-registratie omgevingsdienst / AERIUS IMAER",
    licence="CC-BY-4.0",
    attribution="Bron: omgevingsdienst (VTH-systeem)",
    title_field="bedrijfstype",
    style=_style(),
    draw_order=20,  # QGIS: lower is drawn on top
    build=build,
)


def _read(path: Path, sources: Sources) -> gpd.GeoDataFrame:
    if path.suffix.lower() in (".gml", ".xml"):
        return _from_imaer(read_imaer(path))
    gdf = read_vth(path, SPEC.name, sources.quarantine, NUMERIC)
    gdf = gdf.rename(columns={"sectorid": "sector_id"})
    gdf["type"] = gdf.get("type", pd.Series(index=gdf.index, dtype=object)).map(_full_type)
    gdf["bron"] = "vth"
    return _points(gdf)


def _full_type(value):
    """Shapefile-era exports cut the value to 10 characters ('Meldingspl', 'Geen plich')."""
    if not isinstance(value, str) or not value.strip():
        return None
    return next((t for t in TYPES if t.lower().startswith(value.strip().lower())), value)


def _points(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Single-point MultiPoints (as the IGO layers deliver) become Points; others are left for the check."""
    single = gdf.geometry.map(lambda g: g is not None and g.geom_type == "MultiPoint" and len(g.geoms) == 1)
    gdf.loc[single, "geometry"] = gdf.loc[single].geometry.map(lambda g: g.geoms[0])
    return gdf


def _from_imaer(imaer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return imaer.assign(vthobject_id=imaer["imaer_id"], bedrijfstype=imaer["label"], bron="imaer")
