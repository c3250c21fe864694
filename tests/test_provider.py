"""The GeoPackage provider directly: CQL2, injection attempts, replaced files."""

import shutil

import pytest
from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeofilter import ast
from pygeofilter.parsers.cql2_text import parse

from geo.serve.provider import GeoPackageProvider

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def provider(store, table="pand", key="identificatie", properties=None):
    return GeoPackageProvider({"name": "x", "type": "feature", "data": str(store), "table": table,
                               "id_field": key, "storage_crs": RD, "properties": properties or []})


@pytest.mark.parametrize("text", [
    "gebruiksdoel LIKE 'woon%'", "bouwjaar BETWEEN 1900 AND 1950", "status IN ('Bouw gestart', 'Verbouwing pand')",
    "gebruiksdoel IS NULL", "NOT bouwjaar > 1950", "S_INTERSECTS(geom, POLYGON((114000 533000, 115000 533000, "
    "115000 534000, 114000 534000, 114000 533000)))", "bouwjaar + 10 < 1900",
])
def test_cql2_counts_match_geopandas(store, text):
    import geopandas as gpd
    import shapely

    gdf = gpd.read_file(store, layer="pand")
    expected = {
        "gebruiksdoel LIKE 'woon%'": gdf.gebruiksdoel.fillna("").str.startswith("woon"),
        "bouwjaar BETWEEN 1900 AND 1950": gdf.bouwjaar.between(1900, 1950),
        "status IN ('Bouw gestart', 'Verbouwing pand')": gdf.status.isin(["Bouw gestart", "Verbouwing pand"]),
        "gebruiksdoel IS NULL": gdf.gebruiksdoel.isna(),
        "NOT bouwjaar > 1950": ~(gdf.bouwjaar > 1950),
        "bouwjaar + 10 < 1900": gdf.bouwjaar + 10 < 1900,
    }.get(text)
    if expected is None:
        expected = gdf.intersects(shapely.box(114000, 533000, 115000, 534000))
    got = provider(store).query(resulttype="hits", filterq=parse(text))["numberMatched"]
    assert got == int(expected.sum())


@pytest.mark.parametrize("value", ["x' OR '1'='1", "x\"; DROP TABLE pand; --", "%' OR 1=1 --"])
def test_injection_in_values_matches_nothing_and_changes_nothing(store, value):
    p = provider(store)
    before = p.query(resulttype="hits")["numberMatched"]
    assert p.query(properties=[("status", value)], resulttype="hits")["numberMatched"] == 0
    crafted = ast.Equal(ast.Attribute("status"), value)  # as a parser would hand it over
    assert p.query(filterq=crafted, resulttype="hits")["numberMatched"] == 0
    assert p.query(resulttype="hits")["numberMatched"] == before


def test_private_columns_cannot_be_filtered_or_selected(store):
    p = provider(store, properties=["identificatie", "bouwjaar"])
    with pytest.raises(ProviderInvalidQueryError, match="unknown property 'status'"):
        p.query(filterq=parse("status = 'x'"))
    feature = p.query(limit=1)["features"][0]
    assert set(feature["properties"]) == {"identificatie", "bouwjaar"}
    assert set(p.get(feature["id"])["properties"]) == {"identificatie", "bouwjaar"}


def test_crafted_property_names_are_refused(store):
    with pytest.raises(ProviderInvalidQueryError, match="unknown property"):
        provider(store).query(filterq=ast.Equal(ast.Attribute('status" OR 1=1 --'), "x"))


def test_ids_with_path_characters_are_not_found(store):
    with pytest.raises(ProviderItemNotFoundError):
        provider(store).get("../../etc/passwd")


def test_a_replaced_store_is_reopened(store, tmp_path):
    copy = tmp_path / "s.gpkg"
    shutil.copyfile(store, copy)
    p = provider(copy, table="natura2000_gebied", key="nr")
    assert p.query(resulttype="hits")["numberMatched"] == 5
    other = tmp_path / "other.gpkg"
    shutil.copyfile(store, other)
    import sqlite3
    with sqlite3.connect(other) as con:
        con.execute("DELETE FROM natura2000_gebied WHERE nr = 84")
    other.replace(copy)
    assert provider(copy, table="natura2000_gebied", key="nr").query(resulttype="hits")["numberMatched"] == 4
