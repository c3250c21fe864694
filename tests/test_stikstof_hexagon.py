"""The AERIUS receptor grid: our hexagons are AERIUS's (real subset), ids and points round-trip."""

import geopandas as gpd
import numpy as np
import shapely

from geo.core import hexagon

from helpers.paths import TESTDATA

AERIUS = TESTDATA / "aerius" / "aerius_overijssel_subset.gpkg"


def aerius_hexagons() -> gpd.GeoDataFrame:
    return gpd.read_file(AERIUS, layer="receptor_hexagons")


def test_constants_are_one_hectare_flat_top():
    assert round(hexagon.RADIUS_M, 2) == 62.04 and round(hexagon.HEIGHT_M, 2) == 107.46
    assert abs(hexagon.hexagons([1])[0].area - 10_000) < 1e-6


def test_every_vertex_matches_aerius_within_1_m():
    real = aerius_hexagons()
    ours = shapely.get_coordinates(hexagon.hexagons(real["receptor_id"])).reshape(-1, 7, 2)
    theirs = shapely.get_coordinates(real.geometry.values).reshape(-1, 7, 2)
    assert len(real) == 200
    assert np.abs(ours - theirs).max() < 1.0  # AERIUS's file rounds vertices to whole metres


def test_centre_and_point_give_back_the_id():
    real = aerius_hexagons()
    ids = real["receptor_id"].to_numpy()
    x, y = hexagon.centres(ids)
    assert (hexagon.ids_at(x, y) == ids).all()
    inside = real.geometry.representative_point()  # any point inside the hexagon, not only its centre
    assert (hexagon.ids_at(inside.x, inside.y) == ids).all()


def test_first_ids_by_hand():
    x, y = hexagon.centres([1, 2, 1530, 1529 * 2 + 1])
    r, h = hexagon.RADIUS_M, hexagon.HEIGHT_M
    np.testing.assert_allclose(x, [3604, 3604 + 3 * r, 3604 + 1.5 * r, 3604])
    np.testing.assert_allclose(y, [296800, 296800, 296800 + h / 2, 296800 + h])


def test_covering_tiles_the_area_without_gaps():
    area = shapely.Point(120_000, 500_000).buffer(600)
    ids = hexagon.covering(area)
    cells = hexagon.hexagons(ids)
    assert area.difference(shapely.union_all(cells, grid_size=0.01)).area < 1.0  # float slivers only
    assert shapely.intersects(area, cells).all()
    centre_ids = hexagon.covering(area, predicate="centre")
    assert set(centre_ids) < set(ids)
    assert abs(len(centre_ids) - area.area / 10_000) < 6
