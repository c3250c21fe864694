"""Building and publishing: atomic, validated, quarantining with reasons, failing with one clear line."""

import shutil
import sqlite3

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from geo.build.builder import build
from geo.core.errors import GeoError, SourceError
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

REGISTRY = build_registry()


@pytest.fixture
def small_data(data_dir, tmp_path):
    """data/ with a BAG of a few panden, to build quickly and break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(data_dir / "sources", target / "sources")
    shutil.copytree(data_dir / "generated", target / "generated")
    bag = data_dir / "generated" / "bag_GM0441.gpkg"
    pand = gpd.read_file(bag, layer="pand").iloc[:40]
    vbo = gpd.read_file(bag, layer="verblijfsobject")
    vbo = vbo[vbo.pandidentificatie.isin(pand.identificatie)]
    write_bag(target / "generated" / "bag_GM0441.gpkg", pand, vbo)
    return target


def write_bag(path, pand, vbo):
    path.unlink(missing_ok=True)
    pand.to_file(path, layer="pand")
    vbo.to_file(path, layer="verblijfsobject")


def bag_of(data):
    path = data / "generated" / "bag_GM0441.gpkg"
    return path, gpd.read_file(path, layer="pand"), gpd.read_file(path, layer="verblijfsobject")


def test_build_writes_every_layer_with_rtree_and_rd(small_data, tmp_path):
    store = tmp_path / "s.gpkg"
    report = build(REGISTRY, None, "GM0441", store, small_data)
    assert [r.name for r in report.layers] == list(REGISTRY.layers)
    with sqlite3.connect(store) as con:
        geoms = dict(con.execute("SELECT table_name, srs_id FROM gpkg_geometry_columns").fetchall())
        assert {n for n, m in REGISTRY.layers.items() if not m.is_raster} <= set(geoms)
        assert set(geoms.values()) == {28992}
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert {f"rtree_{n}_geom" for n in geoms} <= tables
    nrs = set(GeoPackageStore(store).read("natura2000_gebied")["nr"])
    assert nrs == {84, 85, 86, 87, 162}


def test_bad_records_are_quarantined_with_a_reason_and_nothing_else_is_lost(small_data, tmp_path):
    path, pand, vbo = bag_of(small_data)
    bowtie = Polygon([(114000, 533000), (114010, 533010), (114010, 533000), (114000, 533010)])
    spike = Polygon([(114100, 533000), (114110, 533000), (114110, 533010), (114110, 533030), (114110, 533010),
                     (114100, 533010)])
    bad = pand.iloc[:6].copy()
    bad["identificatie"] = ["0441109999999991", pand.identificatie.iloc[0], "0441109999999993",
                            "0441109999999994", "0441109999999995", "0441109999999996"]
    bad.loc[bad.index[0], "geometry"] = None                                              # no geometry
    bad.loc[bad.index[2], "status"] = "Pand misschien"                                    # unknown code
    bad.loc[bad.index[3], "geometry"] = Polygon([(5, 5), (6, 5), (6, 6), (5, 5)])         # outside NL
    bad.loc[bad.index[4], "geometry"] = bowtie                                            # two polygons
    bad.loc[bad.index[5], "geometry"] = spike                                             # repairable
    write_bag(path, gpd.GeoDataFrame(gpd.pd.concat([pand, bad]), crs=pand.crs), vbo)
    store = tmp_path / "s.gpkg"
    report = {r.name: r for r in build(REGISTRY, None, "GM0441", store, small_data).layers}
    q = GeoPackageStore(store).quarantine("pand")
    assert sorted(q["reason"]) == sorted(["no geometry", "duplicate identificatie", "status not in the code list",
                                          "coordinates outside the Netherlands (RD New)",
                                          "invalid geometry: repair gives MultiPolygon, expected Polygon"])
    assert report["pand"].features == len(pand) + 1  # all good ones plus the repaired spike
    assert report["pand"].repaired == 1
    published = GeoPackageStore(store).read("pand").set_index("identificatie")
    repaired = published.loc["0441109999999996"].geometry
    assert repaired.is_valid and repaired.area == pytest.approx(100)


def test_a_failed_build_leaves_the_published_store_untouched(small_data, tmp_path):
    store = tmp_path / "s.gpkg"
    build(REGISTRY, None, "GM0441", store, small_data)
    before = store.read_bytes()
    path, _, _ = bag_of(small_data)
    path.write_bytes(path.read_bytes()[:5000])  # truncated GeoPackage
    with pytest.raises(SourceError, match="bag_GM0441.gpkg"):
        build(REGISTRY, None, "GM0441", store, small_data)
    assert store.read_bytes() == before
    assert [p.name for p in tmp_path.glob(".s.*")] == [".s.gpkg.lock"]  # no temporary file; the publish lock stays


def test_an_empty_source_file_names_the_file(small_data, tmp_path):
    path, _, _ = bag_of(small_data)
    path.write_bytes(b"")
    with pytest.raises(SourceError, match=r"bag_GM0441\.gpkg: file is empty"):
        build(REGISTRY, None, "GM0441", tmp_path / "s.gpkg", small_data)


def test_a_source_without_crs_is_refused(small_data, tmp_path):
    path, pand, vbo = bag_of(small_data)
    write_bag(path, pand.set_crs(None, allow_override=True), vbo.set_crs(None, allow_override=True))
    with pytest.raises(GeoError, match="no CRS"):
        build(REGISTRY, None, "GM0441", tmp_path / "s.gpkg", small_data)


def test_a_source_in_wgs84_is_reprojected(small_data, tmp_path):
    path, pand, vbo = bag_of(small_data)
    write_bag(path, pand.to_crs(4326), vbo.to_crs(4326))
    store = tmp_path / "s.gpkg"
    build(REGISTRY, None, "GM0441", store, small_data)
    got = GeoPackageStore(store).read("pand").set_index("identificatie")
    for p in pand.itertuples():
        assert got.loc[p.identificatie].geometry.centroid.distance(p.geometry.centroid) < 0.01


def test_rebuilding_one_layer_keeps_the_others(small_data, tmp_path):
    store = tmp_path / "s.gpkg"
    build(REGISTRY, None, "GM0441", store, small_data)
    first = GeoPackageStore(store).info().set_index("name")
    build(REGISTRY, ["natura2000_gebied"], "GM0441", store, small_data)
    second = GeoPackageStore(store).info().set_index("name")
    assert set(second.index) == set(first.index)
    assert second.loc["pand", "features"] == first.loc["pand", "features"]


def test_an_unknown_gemeente_is_a_clear_error(small_data, tmp_path):
    with pytest.raises(SourceError, match="gemeente GM9999 not found"):
        build(REGISTRY, None, "GM9999", tmp_path / "s.gpkg", small_data)


def test_a_missing_sample_says_how_to_make_it(small_data, tmp_path):
    (small_data / "generated" / "bag_GM0441.gpkg").unlink()
    with pytest.raises(SourceError, match="run 'geo sample'"):
        build(REGISTRY, None, "GM0441", tmp_path / "s.gpkg", small_data)


def test_points_in_a_polygon_layer_are_quarantined(small_data, tmp_path):
    path, pand, vbo = bag_of(small_data)
    odd = pand.iloc[:1].copy()
    odd["identificatie"] = "0441109999999999"
    odd["geometry"] = [Point(114000, 533000)]
    write_bag(path, gpd.GeoDataFrame(gpd.pd.concat([pand, odd]), crs=pand.crs), vbo)
    store = tmp_path / "s.gpkg"
    build(REGISTRY, None, "GM0441", store, small_data)
    assert list(GeoPackageStore(store).quarantine("pand")["reason"]) == ["geometry type is not Polygon"]
