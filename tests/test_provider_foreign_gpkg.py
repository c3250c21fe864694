"""GeoPackageProvider on GeoPackages it did not write: other primary keys, a column named ``id``, table names
in another case, ``count: false``, and configuration errors named as such.

The files are written by GDAL (pyogrio), the way a user gets them from elsewhere; the expected features come
from shapely on the frame that was written.
"""

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from pygeoapi.provider.base import ProviderConnectionError

from geo.serve.provider import GeoPackageProvider

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def _buildings(n: int = 400, seed: int = 3) -> gpd.GeoDataFrame:
    """Square buildings scattered over 2 x 2 km with an ``id`` column that is not the primary key."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(110_000, 112_000, n), rng.uniform(530_000, 532_000, n)
    geoms = shapely.box(x, y, x + rng.uniform(5, 40, n), y + rng.uniform(5, 40, n))
    return gpd.GeoDataFrame({"id": (np.arange(n) * 7 + 1000).astype("int64"), "naam": [f"pand {i}" for i in range(n)]},
                            geometry=geoms, crs="EPSG:28992")


@pytest.fixture(params=["fid", "OBJECTID", "ogc_fid"])
def foreign(request, tmp_path):
    frame = _buildings()
    path = tmp_path / "elders.gpkg"
    pyogrio.write_dataframe(frame, path, layer="Gebouwen", layer_options={"FID": request.param})
    return path, request.param, frame


def _provider(path, **options) -> GeoPackageProvider:
    return GeoPackageProvider({"name": "geo.serve.provider.GeoPackageProvider", "type": "feature", "data": str(path),
                               "storage_crs": RD, **options})


def test_table_name_in_another_case_and_its_own_primary_key(foreign):
    path, key, frame = foreign
    provider = _provider(path, table="gebouwen")
    page = provider.query(limit=1000)
    assert page["numberMatched"] == len(frame) == len(page["features"])
    assert sorted(f["id"] for f in page["features"]) == list(range(1, len(frame) + 1))  # GDAL's keys: 1..n
    assert set(page["features"][0]["properties"]) == {"id", "naam"}  # the key is the feature id, not a property


def test_bbox_is_not_fooled_by_a_column_named_id(foreign):
    """The R-tree's id is the primary key; a subquery ``WHERE fid = id`` bound to the ``id`` column instead."""
    path, _, frame = foreign
    box = (110_500.0, 530_500.0, 111_300.0, 531_200.0)
    expected = set((frame.index[shapely.intersects(frame.geometry.values, shapely.box(*box))] + 1).tolist())
    page = _provider(path, table="Gebouwen").query(bbox=list(box), limit=1000)
    assert {f["id"] for f in page["features"]} == expected
    assert page["numberMatched"] == len(expected) > 20


def test_single_item_by_its_primary_key(foreign):
    path, _, frame = foreign
    feature = _provider(path, table="Gebouwen").get(5)
    assert feature["properties"]["naam"] == frame.iloc[4]["naam"]
    # served in RD to the millimetre (3 decimals): equal within half a unit of the last decimal
    assert shapely.equals_exact(shapely.geometry.shape(feature["geometry"]), frame.geometry.iloc[4], 5e-4)


def test_count_false_leaves_out_number_matched(foreign):
    path, _, _ = foreign
    page = _provider(path, table="Gebouwen", count=False).query(limit=10)
    assert "numberMatched" not in page and page["numberReturned"] == 10


def test_a_missing_table_is_a_configuration_error(foreign):
    path, _, _ = foreign
    with pytest.raises(ProviderConnectionError, match="configuration error.*'panden'"):
        _provider(path, table="panden")


def test_a_missing_id_field_is_a_configuration_error(foreign):
    path, _, _ = foreign
    with pytest.raises(ProviderConnectionError, match="configuration error: id_field .gebouw_nr."):
        _provider(path, table="Gebouwen", id_field="gebouw_nr")


@pytest.fixture
def in_wgs84(tmp_path):
    """The buildings stored in EPSG:4326, as GDAL writes them: x = longitude, y = latitude."""
    frame = _buildings().to_crs("EPSG:4326")
    path = tmp_path / "wgs84.gpkg"
    pyogrio.write_dataframe(frame, path, layer="panden")
    return path, frame


def test_a_geopackage_in_epsg_4326_is_served_with_the_right_axis_order(in_wgs84):
    """GeoPackage stores x = longitude even in EPSG:4326 (lat, lon): CRS84 output is lon, lat; 4326 output lat, lon."""
    from pygeoapi.crs import create_crs_transform_spec

    path, frame = in_wgs84
    wgs84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    provider_def = {"storage_crs": wgs84, "crs": [crs84, wgs84]}
    provider = _provider(path, table="panden", storage_crs=wgs84)
    lonlat = provider.get(1, crs_transform_spec=create_crs_transform_spec(provider_def, crs84))
    latlon = provider.get(1, crs_transform_spec=create_crs_transform_spec(provider_def, wgs84))
    x, y = frame.geometry.iloc[0].exterior.coords[0]
    half_unit = 5e-8  # degrees are served with 7 decimals
    assert lonlat["geometry"]["coordinates"][0][0] == pytest.approx([x, y], abs=half_unit)
    assert latlon["geometry"]["coordinates"][0][0] == pytest.approx([y, x], abs=half_unit)


def test_a_crs84_bbox_on_a_geopackage_in_epsg_4326_is_exact(in_wgs84):
    """The server's bbox path (geo.serve.pygeoapi_patches, as pygeoapi calls it) onto a 4326 store."""
    from pygeoapi.api import itemtypes

    from geo.serve.pygeoapi_patches import install_itemtypes_patches

    install_itemtypes_patches(itemtypes)
    path, frame = in_wgs84
    minx, miny, maxx, maxy = frame.total_bounds
    dx, dy = maxx - minx, maxy - miny
    box = (minx + 0.3 * dx, miny + 0.3 * dy, minx + 0.7 * dx, miny + 0.7 * dy)
    expected = set((frame.index[shapely.intersects(frame.geometry.values, shapely.box(*box))] + 1).tolist())
    bbox = itemtypes.transform_bbox(list(box), "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                                    "http://www.opengis.net/def/crs/EPSG/0/4326")
    page = _provider(path, table="panden", storage_crs="http://www.opengis.net/def/crs/EPSG/0/4326").query(
        bbox=bbox, limit=1000)
    assert {f["id"] for f in page["features"]} == expected and len(expected) > 10
