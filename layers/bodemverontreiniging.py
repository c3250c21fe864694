"""Bodemverontreiniging: locations of (suspected) soil contamination with their Wbb status and contours.

Shaped after Bodemloket and its successor BRO SLD: one record per contour of a location
(``verontreinigingscontour``, ``saneringscontour``, ``nazorgcontour``), each carrying the location's
``locatiecode`` (provincie + CBS gemeentecode + number, e.g. ``NH044100123``), its status under the Wet
bodembescherming (Wbb) and the use restriction that follows from it. The source is read record by
record, so one corrupt feature is quarantined instead of sinking the file.

``eigenaar_naam`` (a natural person) is kept in the store for the omgevingsdienst but is not public.
"""

from datetime import date

import geopandas as gpd
from shapely.geometry import MultiPolygon

from geo.build.inputs import Base, Sources
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import Condition, Label, Rule, Symbol, VectorStyle
from geo.core.validate import Quarantine, reject_unknown_codes, reject_where, screen
from geo.formats.records import read_records
from layers.common import add_natura2000_distance, flag_gemeente

SOURCE = "generated/bodem_{gemeente}.gpkg"
SOURCE_LAYER = "bodemlocaties"

# Wbb status of a location, in Bodemloket's wording ("ernst en spoed" of the Wbb beschikking).
STATUSES = {
    "onverdacht", "verdacht", "niet ernstig", "ernstig, niet spoedeisend", "ernstig, spoedeisend",
    "gesaneerd", "nazorg",
}
CONTOURTYPES = {"verontreinigingscontour", "saneringscontour", "nazorgcontour"}
VERVOLGEN = {"geen", "verkennend onderzoek", "nader onderzoek", "sanering", "nazorg"}

SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="identificatie",
    required=("identificatie", "locatiecode", "contourtype", "status", "statusdatum"),
    columns={
        "identificatie": "str", "locatiecode": "str", "locatienaam": "str", "contourtype": "str",
        "status": "str", "statusdatum": "date", "vervolg": "str", "stoffen": "str",
        "voormalige_activiteit": "str", "gebruiksbeperking": "str", "onderzoek_datum": "date",
        "eigenaar_naam": "str",
        "afstand_natura2000_m": "float", "natura2000_nr": "int", "binnen_gemeente": "bool", "opp_m2": "float",
    },
    descriptions={
        "identificatie": "locatiecode and contourtype, e.g. NH044100123-verontreinigingscontour",
        "locatiecode": "Bodemloket locatiecode: provincie, CBS gemeentecode, volgnummer",
        "stoffen": "substances found or suspected, comma separated",
        "eigenaar_naam": "owner (natural person); not public",
    },
)
DERIVED = ("afstand_natura2000_m", "natura2000_nr", "binnen_gemeente", "opp_m2")
REGISTER_COLUMNS = tuple(c for c in SCHEMA.columns if c not in DERIVED)
PRIVATE_FIELDS = ("eigenaar_naam",)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("bodem", SOURCE)
    source, quarantine = str(path), sources.quarantine
    gdf = read_records(path, SPEC.name, quarantine, layer=SOURCE_LAYER)
    gdf = reject_bad_statusdatum(gdf, source, quarantine)  # before conform, which blanks what is not a date
    gdf = screen(conform(gdf, SCHEMA), SCHEMA, SPEC.name, source, quarantine)
    gdf = reject_unknown_codes(gdf, "status", STATUSES, SPEC.name, source, quarantine)
    gdf = reject_unknown_codes(gdf, "contourtype", CONTOURTYPES, SPEC.name, source, quarantine)
    gdf = _derive(gdf, base)
    return conform(gdf.sort_values("identificatie"), SCHEMA)


BODEM_STATUS_COLOURS = {  # Wbb status, from no concern to serious and urgent
    "onverdacht": "#d9f0a3", "verdacht": "#fed976", "niet ernstig": "#feb24c", "ernstig, niet spoedeisend": "#f03b20",
    "ernstig, spoedeisend": "#bd0026", "gesaneerd": "#74a9cf", "nazorg": "#2b8cbe",
}


def _style() -> VectorStyle:
    contour = Condition("contourtype", "=", "verontreinigingscontour")
    rules = [Rule(status, Symbol("fill", fill=colour, fill_opacity=0.8, stroke="#333333", stroke_width_mm=0.15),
                  (contour, Condition("status", "=", status)))
             for status, colour in BODEM_STATUS_COLOURS.items()]
    rules += [
        Rule("saneringscontour", Symbol("fill", stroke=BODEM_STATUS_COLOURS["gesaneerd"], stroke_width_mm=0.4,
                                        stroke_style="dash"), (Condition("contourtype", "=", "saneringscontour"),)),
        Rule("nazorgcontour", Symbol("fill", stroke=BODEM_STATUS_COLOURS["nazorg"], stroke_width_mm=0.4,
                                     stroke_style="dot"), (Condition("contourtype", "=", "nazorgcontour"),)),
        Rule("andere status", Symbol("fill", fill="#999999", fill_opacity=0.8), otherwise=True),
    ]
    return VectorStyle("bodemverontreiniging", "Bodemverontreiniging naar status (Wbb)", tuple(rules),
                       Label("locatienaam", colour="#333333", size_pt=7, max_scale=10_000))


SPEC = LayerSpec(
    name="bodemverontreiniging",
    title="Bodemverontreiniging",
    description="Locaties met (mogelijke) bodemverontreiniging naar het model van Bodemloket / BRO SLD: "
               "status volgens de Wet bodembescherming, verontreinigings-, saneringscontour en nazorgcontour, "
               "gebruiksbeperkingen en afstand tot Natura 2000. Gegenereerde voorbeelddata voor Schagen.",
    group="Bodem",
    schema=SCHEMA,
    public_fields=tuple(c for c in SCHEMA.columns if c not in PRIVATE_FIELDS),
    needs=("gemeentegebied", "natura2000_gebied"),
    source=SOURCE,
    register="Bodemloket / BRO SLD (Wbb)",
    licence="CC-BY-4.0",
    attribution="Bron: bevoegd gezag Wbb / BRO",
    title_field="locatienaam",
    time_field="statusdatum",  # ?datetime= selects on the date the current Wbb status was set
    style=_style(),
    draw_order=50,  # QGIS: lower is drawn on top
    build=build,
)


def reject_bad_statusdatum(gdf: gpd.GeoDataFrame, source: str, quarantine: Quarantine) -> gpd.GeoDataFrame:
    """Quarantine records whose statusdatum, as delivered, is not a date or lies in the future.

    An empty statusdatum is left to the required-field check.
    """
    if "statusdatum" not in gdf.columns:
        return gdf
    delivered = gdf["statusdatum"]
    given = delivered.notna() & (delivered.astype(str).str.strip() != "")
    invalid = given & delivered.map(parse_date).isna()
    gdf = reject_where(gdf, invalid, "statusdatum is not a valid date (YYYY-MM-DD)", SPEC.name, source, quarantine)
    future = gdf["statusdatum"].map(lambda v: (parse_date(v) or date.min) > date.today())
    return reject_where(gdf, future, "statusdatum lies in the future", SPEC.name, source, quarantine)


def parse_date(value) -> date | None:
    """A date from an ISO value ('2021-03-04' or '2021-03-04T00:00:00'); None when there is none.

    >>> parse_date("2021-03-04T00:00:00"), parse_date("2021-02-30")
    (datetime.date(2021, 3, 4), None)
    """
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _derive(gdf: gpd.GeoDataFrame, base: Base) -> gpd.GeoDataFrame:
    gdf = gdf.set_geometry(gdf.geometry.map(lambda g: MultiPolygon([g]) if g.geom_type == "Polygon" else g))
    gdf = add_natura2000_distance(gdf, base)
    gdf = flag_gemeente(gdf, base)
    return gdf.assign(opp_m2=gdf.geometry.area.round(1))
