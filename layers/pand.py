"""BAG pand: buildings of the municipality, from a BAG delivery (LVBAG XML extract or PDOK-style GeoPackage)."""

import geopandas as gpd

from geo.build.inputs import Base, Sources
from geo.core.errors import SourceError
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import UNKNOWN_COLOUR, Condition, Rule, Symbol, VectorStyle
from geo.core.validate import reject_unknown_codes, screen
from geo.formats.bag import BAG_COLLECTIONS, read_bag

SOURCE = "generated/bag_{gemeente}.gpkg"
STATUSES = {
    "Bouwvergunning verleend", "Niet gerealiseerd pand", "Bouw gestart", "Pand in gebruik (niet ingemeten)",
    "Pand in gebruik", "Verbouwing pand", "Sloopvergunning verleend", "Pand gesloopt", "Pand buiten gebruik",
    "Pand ten onrechte opgevoerd",
}
SCHEMA = LayerSchema(
    geometry="Polygon",
    key="identificatie",
    required=("identificatie", "status"),
    columns={
        "identificatie": "str", "bouwjaar": "int", "status": "str", "gebruiksdoel": "str",
        "oppervlakte_min": "int", "oppervlakte_max": "int", "aantal_verblijfsobjecten": "int",
        "rdf_seealso": "str",
    },
)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("bag", SOURCE, companions=BAG_COLLECTIONS)
    bag = read_bag_cached(sources, path, base)
    if "pand" not in bag:
        raise SourceError(f"{path}: the BAG source has no panden (a pand layer or collection)")
    gdf = screen(bag["pand"], SCHEMA, SPEC.name, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "status", STATUSES, SPEC.name, str(path), sources.quarantine)
    gdf = gdf[gdf.intersects(base.gebied)]
    return conform(gdf, SCHEMA)


BOUWJAAR_CLASSES = [  # (upper bound, label, colour): the map classes buildings by bouwjaar < upper
    (1900, "voor 1900", "#7f2704"), (1945, "1900–1944", "#d94801"), (1975, "1945–1974", "#fd8d3c"),
    (2000, "1975–1999", "#fdbe85"), (9999, "2000 en later", "#6baed6"),
]


def _style() -> VectorStyle:
    rules, lower = [], None
    for upper, label, colour in BOUWJAAR_CLASSES:  # the overview map's rule: bouwjaar < upper
        where = (() if lower is None else (Condition("bouwjaar", ">=", lower),)) + (Condition("bouwjaar", "<", upper),)
        rules.append(Rule(label, _building(colour), where))
        lower = upper
    rules.append(Rule("bouwjaar onbekend", _building(UNKNOWN_COLOUR), otherwise=True))
    return VectorStyle("pand", "BAG panden naar bouwjaar", tuple(rules))


def _building(colour: str) -> Symbol:
    return Symbol("fill", fill=colour, fill_opacity=0.8, stroke=colour, stroke_width_mm=0.1)


SPEC = LayerSpec(
    name="pand",
    title="BAG panden",
    description="Panden uit de Basisregistratie Adressen en Gebouwen (BAG), binnen de gemeente.",
    group="Basisregistratie",
    schema=SCHEMA,
    public_fields=tuple(SCHEMA.columns),
    needs=("gemeentegebied",),
    source=SOURCE,
    register="BAG (Kadaster)",
    licence="CC0-1.0",
    attribution="Bron: Kadaster, Basisregistratie Adressen en Gebouwen",
    style=_style(),
    draw_order=70,  # QGIS: lower is drawn on top
    vector_tiles=True,
    build=build,
)


def read_bag_cached(sources: Sources, path, base: Base) -> dict:
    """Pand and verblijfsobject come from the same delivery: read it once per build."""
    key = ("bag", str(path))
    if key not in sources.cache:
        sources.cache[key] = read_bag(path, bbox=tuple(base.gebied.bounds))
    return sources.cache[key]
