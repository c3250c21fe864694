"""Natura 2000 around Schagen, joined with habitat types, KDW 2023 and AERIUS Monitor deposition."""

import geopandas as gpd
import pytest

from geo.core.errors import SourceError
from layers import natura2000_gebied

from helpers.layer_helpers import build_layer
from helpers.paths import DATA


def test_the_five_areas_around_schagen_with_their_facts(store):
    gdf = gpd.read_file(store, layer="natura2000_gebied").set_index("nr")
    assert set(gdf.index) == {84, 85, 86, 87, 162}
    assert gdf.loc[84, "naam"] == "Duinen Den Helder-Callantsoog"
    assert gdf.loc[84, "depositie_2021_mol_ha_jr"] == pytest.approx(853.7)  # AERIUS Monitor 2023, year 2021
    assert gdf.loc[87, "depositie_2030_mol_ha_jr"] == pytest.approx(1080.4)
    # lowest KDW of area 84's twelve designated types: H2130C, 786 mol (11 kg N, WEnR 3272)
    assert gdf.loc[84, "kdw_habitattype"] == "H2130C" and gdf.loc[84, "laagste_kdw_mol_ha_jr"] == 786
    assert len(gdf.loc[84, "habitattypen"].split(",")) == 12
    assert gdf.loc[84, "overschrijding_2021_mol_ha_jr"] == pytest.approx(853.7 - 786, abs=0.05)
    kdw = gdf.loc[162, "laagste_kdw_mol_ha_jr"]
    assert gdf.loc[162, "stikstofgevoelig"] == 0 and kdw != kdw  # NaN
    assert gdf.loc[86, "afstand_gemeente_m"] > 1000 and gdf.loc[85, "afstand_gemeente_m"] == 0


def test_a_kdw_table_without_its_columns_names_the_file(store, tmp_path):
    bad = tmp_path / "kdw.csv"
    bad.write_text("code;waarde\nH2130C;786\n")
    with pytest.raises(SourceError, match=r"kdw\.csv: missing columns"):
        build_layer(natura2000_gebied, store, DATA, kdw=bad)


def test_a_habitat_type_without_kdw_is_quarantined(store, tmp_path):
    table = tmp_path / "habitattypen.csv"
    original = (DATA / natura2000_gebied.HABITATTYPEN).read_text()
    table.write_text(original + "84,Duinen Den Helder-Callantsoog,H9999X,test,,\n")
    gdf, sources = build_layer(natura2000_gebied, store, DATA, habitattypen=table)
    q = sources.quarantine.frame("natura2000_gebied")
    assert list(q["reason"]) == ["habitat type without KDW in the KDW table"] and "H9999X" in q["record"].iloc[0]
    assert len(gdf) == 5
