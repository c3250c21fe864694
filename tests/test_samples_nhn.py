"""The seeded sample generators for the other municipalities of Noord-Holland Noord (samples.kernen).

Texel (GM0448: two islands' worth of multipolygon, large Natura 2000) and Dijk en Waard (GM1980: urban) are
generated into tmp_path and built; Schagen's sample (the session ``data_dir``) must stay what it always was.
"""

import hashlib
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

import geo.build.builder
from geo.build.builder import build
from omgevingsgeo.registry import build_registry
from samples import generate_all
from samples.kernen import sample_gemeente

from helpers.dso import delivery_files, schema_errors

REGISTRY = build_registry()

DATA = Path(__file__).resolve().parents[1] / "data"
BOUNDARIES = "sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nhn_rd.gpkg"
OTHERS = ("GM0448", "GM1980")
# Barns beside a farmhouse, stables 20-60 m from it and building footprints on lots at the edge may cross
# the boundary by a few metres (Schagen's sample does the same); addresses, contours and decisions may not.
EDGE_M = 100.0


@pytest.fixture(scope="module")
def nhn(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("nhn")
    shutil.copytree(DATA / "sources", target / "sources")
    for code in OTHERS:
        generate_all(target, code)
    return target


def area_of(data_dir: Path, code: str):
    gemeenten = gpd.read_file(data_dir / BOUNDARIES)
    return gemeenten[gemeenten["statcode"] == code].geometry.union_all()


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", encoding="cp1252", decimal=",")


def digest(df: pd.DataFrame, columns: list[str]) -> str:
    text = df[columns].astype(str).agg("|".join, axis=1).str.cat(sep="\n")
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("code", OTHERS)
def test_everything_lies_in_the_municipality(nhn, code):
    area = area_of(nhn, code)
    generated = nhn / "generated"
    vbo = gpd.read_file(generated / f"bag_{code}.gpkg", layer="verblijfsobject")
    assert vbo.within(area).all()
    assert vbo["identificatie"].str.fullmatch(rf"{code[2:]}01\d{{10}}").all()
    assert vbo["postcode"].str.fullmatch(r"1[78]\d\d[A-Z]{2}").all()
    assert gpd.read_file(generated / f"bodem_{code}.gpkg").within(area).all()
    assert gpd.read_file(generated / f"wnb_besluiten_{code}.gpkg").within(area.buffer(EDGE_M)).all()
    assert gpd.read_file(generated / f"omgevingsplan_{code}.gpkg").within(area.buffer(1)).all()
    assert gpd.read_file(generated / f"bag_{code}.gpkg", layer="pand").within(area.buffer(EDGE_M)).all()
    for name in (f"stikstofbronnen_{code}.csv", f"vth_toezicht_{code}.csv"):
        rows = read_csv(generated / name).dropna(subset=["X", "Y"])
        assert gpd.GeoSeries(gpd.points_from_xy(rows["X"], rows["Y"])).within(area.buffer(EDGE_M)).all()


def test_texel_kernen_are_on_land_and_named_after_it(nhn):
    natura2000 = gpd.read_file(nhn / "sources/natura2000/natura2000_nhn_rd.gpkg").geometry.union_all()
    spec = sample_gemeente("GM0448", "Texel", area_of(nhn, "GM0448"), natura2000)
    assert len(spec.villages) == 7 and spec.villages[0][0] == "Texel"
    assert all(name.startswith("Texel") for name, *_ in spec.villages)
    vbo = gpd.read_file(nhn / "generated/bag_GM0448.gpkg", layer="verblijfsobject")
    assert set(vbo["woonplaats_naam"]) == {name for name, *_ in spec.villages}
    assert read_csv(nhn / "generated/stikstofbronnen_GM0448.csv")["Bevoegdgezag"].eq("Texel").all()


@pytest.mark.parametrize("code", OTHERS)
def test_geo_build_takes_the_sample(nhn, tmp_path, monkeypatch, code):
    """Every layer builds with nothing quarantined (the after-build analyses are left out here to stay fast;
    benchmarks/scale.py runs the whole `geo build` on all 17 municipalities)."""
    monkeypatch.setattr(geo.build.builder, "_after_build", lambda *args: None)
    report = build(REGISTRY, None, code, tmp_path / "store.gpkg", nhn)
    counts = {r.name: (r.features, r.quarantined) for r in report.layers}
    assert counts["pand"][0] > 5_000 and counts["stikstofbron"][0] > 50
    assert all(quarantined == 0 for _, quarantined in counts.values()), counts


def test_same_seed_same_output(nhn, tmp_path):
    shutil.copytree(DATA / "sources", tmp_path / "sources")
    generate_all(tmp_path, "GM0448")
    for layer in ("pand", "verblijfsobject"):
        assert_geodataframe_equal(gpd.read_file(nhn / "generated/bag_GM0448.gpkg", layer=layer),
                                  gpd.read_file(tmp_path / "generated/bag_GM0448.gpkg", layer=layer))
    for name in ("bodem_GM0448.gpkg", "omgevingsplan_GM0448.gpkg", "wnb_besluiten_GM0448.gpkg"):
        assert_geodataframe_equal(gpd.read_file(nhn / "generated" / name), gpd.read_file(tmp_path / "generated" / name))
    for name in ("stikstofbronnen_GM0448.csv", "vth_toezicht_GM0448.csv"):
        assert (nhn / "generated" / name).read_bytes() == (tmp_path / "generated" / name).read_bytes()
    dso = nhn / "generated" / "omgevingsplan_GM0448_dso"
    for path in delivery_files(dso):
        assert (tmp_path / path.relative_to(nhn)).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("code", OTHERS)
def test_dso_delivery_of_other_municipalities_is_valid(nhn, code):
    """Without the canal and roads, with or without Natura 2000: the official schemas still accept it."""
    files = delivery_files(nhn / "generated" / f"omgevingsplan_{code}_dso")
    assert len(files) > 8 and [e for p in files for e in schema_errors(p)] == []


def test_schagen_sample_is_unchanged(data_dir):
    """Counts and digests of the GM0441 sample as generated before the generators took other municipalities."""
    generated = data_dir / "generated"
    vbo = gpd.read_file(generated / "bag_GM0441.gpkg", layer="verblijfsobject")
    vbo["x"], vbo["y"] = vbo.geometry.x.round(2), vbo.geometry.y.round(2)
    pand = gpd.read_file(generated / "bag_GM0441.gpkg", layer="pand")
    pand["area"] = pand.geometry.area.round(1)
    bodem = gpd.read_file(generated / "bodem_GM0441.gpkg")
    plan = gpd.read_file(generated / "omgevingsplan_GM0441.gpkg")
    plan["area"] = plan.geometry.area.round(0)
    wnb = gpd.read_file(generated / "wnb_besluiten_GM0441.gpkg")
    assert (len(pand), len(vbo), len(bodem), len(plan), len(wnb)) == (24_018, 26_955, 305, 119, 69)
    assert digest(vbo, ["identificatie", "postcode", "huisnummer", "woonplaats_naam", "x", "y"]) == (
        "6781a01a3e624ed158a249918bd067864c7da5c19ed674509e672bb70b727972")
    assert digest(pand, ["identificatie", "bouwjaar", "area"]) == (
        "730f9fe7253acf732f7fba1375267f123d8ef16ea7ce1720cd7431d779c6f079")
    assert digest(bodem, ["identificatie", "status", "locatienaam"]) == (
        "6b95a373d37bb9b21e2b87953b9dd4dbc1c8135f4856ce0874f18418abf36c53")
    assert digest(plan, ["identificatie", "naam", "area"]) == (
        "cdc3e8c6960fe024f765e8ab25b9933c888e74e22c0eb2d1b4fd5df7d4550717")
    assert digest(wnb, ["zaaknummer", "natura2000_nrs", "max_depositie_mol_ha_jr"]) == (
        "5f50fae49177300f54194f1e71648d9fdc4ce9fbeae8528425ddf12db38e322f")
    assert hashlib.sha256((generated / "stikstofbronnen_GM0441.csv").read_bytes()).hexdigest() == (
        "4d4979504e318c70a4a2e7318a7a868489bf9619bee3334bb515789f64a53534")
