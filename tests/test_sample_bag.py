"""The generated BAG follows the register: identificatie, code lists, vbo inside its pand, inside Schagen."""

import geopandas as gpd

from layers.pand import STATUSES as PAND_STATUSES
from layers.verblijfsobject import GEBRUIKSDOELEN
from layers.verblijfsobject import STATUSES as VBO_STATUSES


def read(data_dir, layer):
    return gpd.read_file(data_dir / "generated" / "bag_GM0441.gpkg", layer=layer)


def test_identificatie_is_16_digits_with_gemeentecode_and_type(data_dir):
    pand, vbo = read(data_dir, "pand"), read(data_dir, "verblijfsobject")
    assert pand["identificatie"].str.fullmatch(r"044110\d{10}").all()
    assert vbo["identificatie"].str.fullmatch(r"044101\d{10}").all()
    assert pand["identificatie"].is_unique and vbo["identificatie"].is_unique


def test_code_lists(data_dir):
    pand, vbo = read(data_dir, "pand"), read(data_dir, "verblijfsobject")
    assert set(pand["status"]) <= PAND_STATUSES
    assert set(vbo["status"]) <= VBO_STATUSES
    assert set(vbo["gebruiksdoel"]) <= GEBRUIKSDOELEN
    assert vbo["postcode"].str.fullmatch(r"\d{4}[A-Z]{2}").all()


def test_each_verblijfsobject_lies_in_its_pand(data_dir):
    pand = read(data_dir, "pand").set_index("identificatie")
    vbo = read(data_dir, "verblijfsobject")
    inside = [pand.loc[v.pandidentificatie].geometry.contains(v.geometry) for v in vbo.itertuples()]
    assert all(inside)


def test_plausible_size_for_schagen(data_dir):
    vbo = read(data_dir, "verblijfsobject")
    homes = (vbo["gebruiksdoel"] == "woonfunctie").sum()
    assert 20_000 < homes < 30_000  # Schagen has about 22,000 dwellings (CBS)
