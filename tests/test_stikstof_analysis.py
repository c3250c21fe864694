"""The screening on the Schagen store: relevant hexagons, no double counting, measures, CLI and OGC API Process."""

import hashlib
import shutil

import numpy as np
import pytest
import rasterio
import requests
from click.testing import CliRunner

from analyses.stikstof import BOVENGRENS_FACTOR, DISCLAIMER, NIET_GEVOELIG, depositie, reductions, report, screen
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main


@pytest.fixture(scope="module")
def screening(store):
    return screen(store)


@pytest.fixture()
def store_copy(store, tmp_path):
    target = tmp_path / "store.gpkg"
    shutil.copyfile(store, target)
    return target


def biggest_source(s) -> str:
    per_source = s.pairs.groupby("bron")["mol_ha_jr"].sum()
    return s.bronnen["vthobject_id"].iloc[per_source.idxmax()]


def test_relevant_hexagons_per_area(screening):
    hexes, areas = screening.hexagons, screening.gebieden.set_index("nr")
    assert set(hexes["natura2000_nr"]) == {84, 85, 86, 87}  # 162 has no nitrogen-sensitive habitat
    assert hexes["receptor_id"].is_unique
    kdw = hexes["natura2000_nr"].map(areas["laagste_kdw_mol_ha_jr"])
    assert (hexes["kdw_mol_ha_jr"] == kdw).all()  # the conservative rule: the area's lowest KDW
    area_162 = next(a for a in report(screening)["gebieden"] if a["natura2000_nr"] == 162)
    assert area_162["hexagons"] == 0 and area_162["opmerking"] == NIET_GEVOELIG


def test_no_double_counting_the_area_mean_is_the_monitor_total(screening):
    per_area = screening.hexagons.groupby("natura2000_nr")[["totaal_mol_ha_jr", "achtergrond_mol_ha_jr"]].mean()
    np.testing.assert_allclose(per_area["totaal_mol_ha_jr"], per_area["achtergrond_mol_ha_jr"])
    assert (screening.hexagons["bijdrage_bronnen_mol_ha_jr"] >= 0).all()


def test_upper_value_and_possibly_overloaded_flag(screening):
    """bovengrens = factor × bijdrage; the flag covers every hexagon in exceedance and adds those that the upper
    value of the contribution would lift above the KDW; the report and the rule say so."""
    hexes = screening.hexagons
    bijdrage = hexes["bijdrage_bronnen_mol_ha_jr"].to_numpy()
    np.testing.assert_allclose(hexes["bijdrage_bovengrens_mol_ha_jr"], BOVENGRENS_FACTOR * bijdrage)
    flag = hexes["mogelijk_overbelast"].to_numpy(dtype=bool)
    over = hexes["overschrijding_mol_ha_jr"].to_numpy() > 0
    assert flag[over].all()
    high = hexes["totaal_mol_ha_jr"].to_numpy() + (BOVENGRENS_FACTOR - 1) * bijdrage
    np.testing.assert_array_equal(flag, high > hexes["kdw_mol_ha_jr"].to_numpy())
    assert f"{BOVENGRENS_FACTOR:g} × bijdrage" in report(screening)["bovengrens_regel"]
    assert all("ha_mogelijk_overbelast" in a for a in report(screening)["gebieden"] if a["hexagons"])


def test_measure_removes_exactly_the_named_sources_contribution(screening):
    bron = biggest_source(screening)
    afname = reductions(screening, {bron: 40.0})
    cut = screening.bronnen.assign(nh3_emissie=np.where(screening.bronnen["vthobject_id"] == bron,
                                                        0.4 * screening.bronnen["nh3_emissie"], 0.0),
                                   nox_emissie=np.where(screening.bronnen["vthobject_id"] == bron,
                                                        0.4 * screening.bronnen["nox_emissie"].fillna(0), 0.0))
    np.testing.assert_allclose(afname, depositie(cut, screening.hexagons).to_numpy(), rtol=1e-9, atol=1e-12)
    assert afname.max() > 1.0
    summary = report(screening, {bron: 40.0})["gebieden"]
    for area in (a for a in summary if a["hexagons"]):
        assert area["na"]["gemiddeld_mol_ha_jr"] <= area["voor"]["gemiddeld_mol_ha_jr"]
        left = area["voor"]["ha_overschrijding"] - area["hexagons_uit_overschrijding"]
        assert area["na"]["ha_overschrijding"] == left


def test_cli_publishes_collections_rasters_and_maps(store_copy, screening, tmp_path):
    bron = biggest_source(screening)
    r = CliRunner().invoke(main, ["analyse", "stikstof", "--store", str(store_copy), "--maps", str(tmp_path / "maps"),
                                  "--maatregel", f"{bron}:100%"])
    assert r.exit_code == 0, r.output
    assert DISCLAIMER in r.output and "162 Abtskolk & De Putten" in r.output and NIET_GEVOELIG in r.output
    s = GeoPackageStore(store_copy)
    bijdrage = s.read("stikstof_bron_bijdrage")
    assert not {"naam", "adres"} & set(bijdrage.columns)
    assert bijdrage.groupby("natura2000_nr")["rang"].min().eq(1).all()
    page = (tmp_path / "maps" / "stikstof_84.html").read_text()
    assert DISCLAIMER in page and "mol/ha/jr" in page and '<script src="http' not in page
    assert (tmp_path / "maps" / "stikstof_84_maatregelen.html").exists()
    with rasterio.open(s.raster_dir / "stikstof_totaal.tif") as cog:
        assert cog.crs.to_epsg() == 28992 and cog.profile["tiled"] and DISCLAIMER in cog.descriptions[0]
        assert cog.read(1, masked=True).max() == pytest.approx(screening.hexagons["totaal_mol_ha_jr"].max(), rel=1e-4)


@pytest.mark.parametrize("measure, message", [
    ("ONBEKEND:30%", "Error: maatregel: unknown bron_id 'ONBEKEND'"),
    ("ODNHN2009E0001", "expected BRON_ID:REDUCTIE%"),
    ("ODNHN2009E0001:130%", "reductie 130.0% outside 0–100%"),
])
def test_bad_measure_is_one_line_and_changes_nothing(store_copy, tmp_path, measure, message):
    before = hashlib.sha256(store_copy.read_bytes()).hexdigest()
    r = CliRunner().invoke(main, ["analyse", "stikstof", "--store", str(store_copy), "--maps", str(tmp_path / "m"),
                                  "--maatregel", measure])
    assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert hashlib.sha256(store_copy.read_bytes()).hexdigest() == before and not (tmp_path / "m").exists()


def test_process_over_http(server, screening):
    bron = biggest_source(screening)
    r = requests.post(f"{server}/processes/stikstof-scenario/execution",
                      json={"inputs": {"maatregelen": [{"bron_id": bron, "reductie_pct": 50}]}}, timeout=60)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["disclaimer"] == DISCLAIMER
    areas = {a["natura2000_nr"]: a for a in body["gebieden"]}
    assert set(areas) == {84, 85, 86, 87, 162} and areas[162]["hexagons"] == 0
    expected = report(screening, {bron: 50.0})["gebieden"]
    assert [a["na"] for a in body["gebieden"] if a["hexagons"]] == [a["na"] for a in expected if a["hexagons"]]


def test_process_rejects_unknown_source_with_400(server):
    r = requests.post(f"{server}/processes/stikstof-scenario/execution",
                      json={"inputs": {"maatregelen": [{"bron_id": "ONBEKEND", "reductie_pct": 10}]}}, timeout=60)
    assert r.status_code == 400 and "unknown bron_id 'ONBEKEND'" in r.text


def test_collections_over_http(server):
    meta = requests.get(f"{server}/collections/stikstof_hexagon?f=json", timeout=30).json()
    assert DISCLAIMER in meta["description"]
    items = requests.get(f"{server}/collections/stikstof_hexagon/items?f=json&limit=3&natura2000_nr=84",
                         timeout=30).json()
    assert len(items["features"]) == 3 and items["features"][0]["geometry"]["type"] == "Polygon"
    expected = {"receptor_id", "kdw_mol_ha_jr", "totaal_mol_ha_jr", "top_bronnen"}
    assert expected <= set(items["features"][0]["properties"])
    bronnen = requests.get(f"{server}/collections/stikstof_bron_bijdrage/items?f=json&limit=5", timeout=30).json()
    assert bronnen["features"] and not {"naam", "adres"} & set(bronnen["features"][0]["properties"])
