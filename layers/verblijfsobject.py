"""BAG verblijfsobject: addressable units (homes, shops, offices) with their main address."""

import geopandas as gpd

from geo.core.layer import Base, Sources
from geo.core.schema import LayerSchema, conform
from geo.core.validate import reject_unknown_codes, reject_where, screen
from layers.pand import SOURCE, read_bag_cached

NAME = "verblijfsobject"
TITLE = "BAG verblijfsobjecten"
DESCRIPTION = "Verblijfsobjecten uit de BAG met hoofdadres en gebruiksdoel, binnen de gemeente."
GROUP = "Basisregistratie"
REGISTER = "BAG (Kadaster)"
LICENCE = "CC0-1.0"
ATTRIBUTION = "Bron: Kadaster, Basisregistratie Adressen en Gebouwen"
NEEDS = ("gemeentegebied",)  # layers this one is derived from: rebuilt after them by geo refresh
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
PUBLIC_FIELDS = tuple(SCHEMA.columns)


def build(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    path = sources.path("bag", SOURCE)
    bag = read_bag_cached(sources, path, base)
    gdf = conform(bag["verblijfsobject"], SCHEMA)
    gdf = screen(gdf, SCHEMA, NAME, str(path), sources.quarantine)
    gdf = reject_unknown_codes(gdf, "status", STATUSES, NAME, str(path), sources.quarantine)
    first_doel = gdf["gebruiksdoel"].str.split(",").str[0]
    unknown = first_doel.notna() & ~first_doel.isin(GEBRUIKSDOELEN)
    gdf = reject_where(gdf, unknown, "gebruiksdoel not in the code list", NAME, str(path), sources.quarantine)
    return gdf[gdf.within(base.gebied)]
