"""BAG verblijfsobject: addressable units (homes, shops, offices) with their main address."""

import geopandas as gpd

from geo.build.inputs import Base, Sources
from geo.core.errors import SourceError
from geo.core.registry import LayerSpec
from geo.core.schema import LayerSchema, conform
from geo.core.style import Rule, Symbol, VectorStyle
from geo.core.validate import reject_unknown_codes, reject_where, screen
from geo.formats.bag import BAG_COLLECTIONS
from layers.pand import SOURCE, read_bag_cached

STATUSES = {
    "Verblijfsobject gevormd", "Niet gerealiseerd verblijfsobject", "Verblijfsobject in gebruik (niet ingemeten)",
    "Verblijfsobject in gebruik", "Verbouwing verblijfsobject", "Verblijfsobject ingetrokken",
    "Verblijfsobject buiten gebruik", "Verblijfsobject ten onrechte opgevoerd",
}
GEBRUIKSDOELEN = {
    "woonfunctie", "bijeenkomstfunctie", "celfunctie", "gezondheidszorgfunctie", "industriefunctie",
    "kantoorfunctie", "logiesfunctie", "onderwijsfunctie", "sportfunctie", "winkelfunctie",
    "overige gebruiksfunctie",
}
SCHEMA = LayerSchema(
    geometry="Point",
    key="identificatie",
    required=("identificatie", "status", "gebruiksdoel"),
    columns={
        "identificatie": "str", "oppervlakte": "int", "status": "str", "gebruiksdoel": "str",
        "openbare_ruimte_naam": "str", "huisnummer": "int", "huisletter": "str", "toevoeging": "str",
        "postcode": "str", "woonplaats_naam": "str", "bouwjaar": "int", "pandidentificatie": "str",
        "pandstatus": "str", "rdf_seealso": "str",
    },
)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("bag", SOURCE, companions=BAG_COLLECTIONS)
    bag = read_bag_cached(sources, path, base)
    if "verblijfsobject" not in bag:
        raise SourceError(f"{path}: the BAG source has no verblijfsobjecten (a verblijfsobject layer or collection)")
    gdf = conform(bag["verblijfsobject"], SCHEMA)
    gdf = screen(gdf, SCHEMA, SPEC.name, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "status", STATUSES, SPEC.name, str(path), sources.quarantine)
    first_doel = gdf["gebruiksdoel"].str.split(",").str[0]
    unknown = first_doel.notna() & ~first_doel.isin(GEBRUIKSDOELEN)
    gdf = reject_where(gdf, unknown, "gebruiksdoel not in the code list", SPEC.name, str(path), sources.quarantine)
    return gdf[gdf.within(base.gebied)]


VERBLIJFSOBJECT_COLOUR = "#525252"


def _style() -> VectorStyle:
    dot = Symbol("marker", fill=VERBLIJFSOBJECT_COLOUR, stroke=None, size_mm=0.8)
    return VectorStyle("verblijfsobject", "BAG verblijfsobjecten", (Rule("verblijfsobject", dot),))


SPEC = LayerSpec(
    name="verblijfsobject",
    title="BAG verblijfsobjecten",
    description="Verblijfsobjecten uit de BAG met hoofdadres en gebruiksdoel, binnen de gemeente.",
    group="Basisregistratie",
    schema=SCHEMA,
    public_fields=tuple(SCHEMA.columns),
    needs=("gemeentegebied",),
    source=SOURCE,  # the BAG delivery pand is built from
    register="BAG (Kadaster)",
    licence="CC0-1.0",
    attribution="Bron: Kadaster, Basisregistratie Adressen en Gebouwen",
    style=_style(),
    draw_order=40,  # QGIS: lower is drawn on top
    vector_tiles=True,
    hidden=True,  # off when a map or QGIS project opens
    build=build,
)
