"""BAG pand: buildings of the municipality, from a BAG delivery (LVBAG XML extract or PDOK-style GeoPackage)."""

import geopandas as gpd

from geo.formats.bag import read_bag
from geo.core.layer import Base, Sources
from geo.core.schema import LayerSchema, conform
from geo.core.validate import reject_unknown_codes, screen

NAME = "pand"
TITLE = "BAG panden"
DESCRIPTION = "Panden uit de Basisregistratie Adressen en Gebouwen (BAG), binnen de gemeente."
GROUP = "Basisregistratie"
REGISTER = "BAG (Kadaster)"
LICENCE = "CC0-1.0"
ATTRIBUTION = "Bron: Kadaster, Basisregistratie Adressen en Gebouwen"
NEEDS = ("gemeentegebied",)  # layers this one is derived from: rebuilt after them by geo refresh
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
PUBLIC_FIELDS = tuple(SCHEMA.columns)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("bag", SOURCE)
    bag = read_bag_cached(sources, path, base)
    gdf = screen(bag["pand"], SCHEMA, NAME, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "status", STATUSES, NAME, str(path), sources.quarantine)
    gdf = gdf[gdf.intersects(base.gebied)]
    return conform(gdf, SCHEMA)


def read_bag_cached(sources: Sources, path, base: Base) -> dict:
    """Pand and verblijfsobject come from the same delivery: read it once per build."""
    key = ("bag", str(path))
    if key not in sources.cache:
        sources.cache[key] = read_bag(path, bbox=tuple(base.gebied.bounds))
    return sources.cache[key]
