"""bbox in every CRS selects exactly the features whose geometry intersects the box, on both backends.

The oracle shares no code with the server: the stored geometries as GDAL reads them (pyogrio), reprojected by
geopandas into the box's own CRS, tested with shapely against the box built in that CRS. The server transforms
the box instead (geo.core.crs.transform_bbox_exact); a lon/lat box is a curved quadrilateral in RD New, so a server
that transformed two corners (as pygeoapi does) loses or adds features along the edges and fails here.
"""

import random
import shutil
import subprocess
import zlib

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import requests
import shapely
import yaml

from helpers.paths import ROOT

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
SIZES_M = (400, 2500, 9000)  # a street, a village, a map of the municipality
BOXES_PER_SIZE = 2
EDGE_TOLERANCE_DEG = 1e-7  # ~1 cm: closer to the edge than this, vertex-wise and outline reprojection may differ


def _feature_collections() -> dict[str, str]:
    """Collection id -> id_field of every feature collection of the public config."""
    config = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text(encoding="utf-8"))
    return {name: p["id_field"] for name, r in config["resources"].items() for p in r.get("providers", [])
            if p.get("type") == "feature" and p.get("table") and not name.startswith("toezicht")}


COLLECTIONS = _feature_collections()


@pytest.fixture(scope="module")
def stored(store) -> dict[str, gpd.GeoDataFrame]:
    """Every published feature table as GDAL reads it (RD New), keyed by its id field."""
    published = set(pyogrio.list_layers(store)[:, 0])
    frames = {}
    for name, key in COLLECTIONS.items():
        if name in published:
            frame = pyogrio.read_dataframe(store, layer=name, columns=[key])
            frames[name] = frame[~frame.geometry.isna()].set_index(key)
    return frames


def _boxes(frame: gpd.GeoDataFrame, seed: int) -> list[tuple[float, float, float, float]]:
    """Seeded random boxes in CRS84 of several sizes, centred on random features (so they cut through data)."""
    rng = random.Random(seed)
    centres = frame.geometry.to_crs("OGC:CRS84").representative_point()
    boxes = []
    for size in SIZES_M:
        for _ in range(BOXES_PER_SIZE):
            c = centres.iloc[rng.randrange(len(centres))]
            half_lon, half_lat = size / 2 / 67_000 * rng.uniform(0.6, 1.4), size / 2 / 111_000 * rng.uniform(0.6, 1.4)
            boxes.append((c.x - half_lon, c.y - half_lat, c.x + half_lon, c.y + half_lat))
    return boxes


def _expected(frame: gpd.GeoDataFrame, box: tuple, crs: str) -> tuple[set, set]:
    """(ids that certainly intersect, ids within the edge tolerance) for a box given in ``crs``'s own axis order.

    geopandas reprojects to x = longitude, y = latitude in EPSG:4326 too, so a 4326 box (lat, lon) is turned."""
    geoms = frame.geometry if crs == "EPSG:28992" else frame.geometry.to_crs(crs)
    outline = shapely.box(box[1], box[0], box[3], box[2]) if crs == "EPSG:4326" else shapely.box(*box)
    hits = shapely.intersects(geoms.values, outline)
    tolerance = 0.01 if crs == "EPSG:28992" else EDGE_TOLERANCE_DEG
    near_edge = shapely.dwithin(geoms.values, outline.boundary, tolerance)
    return set(frame.index[hits & ~near_edge]), set(frame.index[near_edge])


def _served_ids(base: str, name: str, box: tuple, bbox_crs: str | None) -> list:
    params = {"bbox": ",".join(f"{v:.10f}" for v in box), "skipGeometry": "true", "limit": 10000, "f": "json"}
    if bbox_crs:
        params["bbox-crs"] = bbox_crs
    ids, offset = [], 0
    while True:
        page = requests.get(f"{base}/collections/{name}/items", params={**params, "offset": offset}, timeout=120)
        assert page.status_code == 200, page.text[:300]
        features = page.json()["features"]
        ids += [f["id"] for f in features]
        if len(features) < 10000:
            return ids
        offset += 10000


def _in_crs(box84: tuple, crs: str) -> tuple:
    """The CRS84 box expressed as a box of its own in ``crs`` (4326: lat, lon order; RD: a projected box)."""
    if crs == "EPSG:4326":
        return box84[1], box84[0], box84[3], box84[2]
    from pyproj import Transformer

    return Transformer.from_crs("OGC:CRS84", crs, always_xy=True).transform_bounds(*box84)


def _check_exact(base: str, stored: dict, name: str) -> None:
    frame = stored[name]
    for seed, box84 in enumerate(_boxes(frame, seed=zlib.crc32(name.encode()))):
        for crs, bbox_crs in (("OGC:CRS84", None), ("EPSG:4326", WGS84), ("EPSG:28992", RD)):
            box = box84 if crs == "OGC:CRS84" else _in_crs(box84, crs)
            certain, edge = _expected(frame, box, crs)
            served = _served_ids(base, name, box, bbox_crs)
            assert len(served) == len(set(served)), f"{name}: a feature served twice"
            missing, extra = certain - set(served), set(served) - certain - edge
            assert not missing and not extra, (f"{name} box {seed} in {crs} {box}: {len(missing)} missing, "
                                               f"{len(extra)} extra of {len(certain)}")


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_bbox_is_exact_in_crs84_4326_and_rd_on_the_geopackage(server, stored, name):
    if name not in stored:
        pytest.skip(f"{name} is not published by the default build")
    _check_exact(server, stored, name)


@pytest.mark.parametrize("name", sorted(COLLECTIONS))
def test_bbox_is_exact_in_crs84_4326_and_rd_on_postgis(pg_server, stored, name):
    if name not in stored:
        pytest.skip(f"{name} is not published by the default build")
    _check_exact(pg_server, stored, name)


def test_the_issues_example_box_counts_every_address(server, stored):
    """Issue 14: 707 of the 826 addresses in this box were served when only two corners were transformed."""
    certain, edge = _expected(stored["verblijfsobject"], (4.7, 52.75, 4.78, 52.8), "OGC:CRS84")
    hits = requests.get(f"{server}/collections/verblijfsobject/items",
                        params={"bbox": "4.7,52.75,4.78,52.8", "resulttype": "hits", "f": "json"}, timeout=60).json()
    assert len(certain) <= hits["numberMatched"] <= len(certain) + len(edge)


@pytest.mark.parametrize("backend", ["server", "pg_server"])
def test_a_world_bbox_returns_every_feature(request, stored, backend):
    base = request.getfixturevalue(backend)
    for name in ("pand", "natura2000_gebied", "stikstof_hexagon"):
        hits = requests.get(f"{base}/collections/{name}/items", timeout=60,
                            params={"bbox": "-180,-90,180,90", "resulttype": "hits", "f": "json"}).json()
        assert hits["numberMatched"] == len(stored[name])


def test_a_box_far_from_the_netherlands_returns_nothing(server):
    hits = requests.get(f"{server}/collections/pand/items", timeout=60,
                        params={"bbox": "100,10,101,11", "resulttype": "hits", "f": "json"}).json()
    assert hits["numberMatched"] == 0


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs Debian gdal-bin")
def test_ogrinfo_spat_counts_the_same_as_the_oracle(server, stored):
    """GDAL's OAPIF driver with a spatial filter in the layer's CRS (CRS84), as QGIS's view-extent mode asks."""
    box = (4.7, 52.75, 4.78, 52.8)
    for name in ("verblijfsobject", "pand"):
        certain, edge = _expected(stored[name], box, "OGC:CRS84")
        out = subprocess.run(["ogrinfo", "-ro", "-q", f"OAPIF:{server}", name, "-spat", *map(str, box),
                              "-oo", "PAGE_SIZE=5000"], capture_output=True, text=True, timeout=300, check=True).stdout
        count = out.count("OGRFeature(")
        assert len(certain) <= count <= len(certain) + len(edge), (name, count, len(certain))


@pytest.mark.parametrize("query, word", [
    ({"bbox": "4.8,52.7,4.7,52.8"}, "minx"),
    ({"bbox": "4.7,52.8,4.8,52.7"}, "miny"),
    ({"bbox": "4.7,nan,4.8,52.8"}, "finite"),
    ({"bbox": "4.7,52.7,inf,52.8"}, "finite"),
    ({"datetime": "gisteren"}, "datetime"),
    ({"datetime": "2024-13-01"}, "datetime"),
    ({"datetime": "2024-05-02/2024-05-01"}, "ends before"),
])
@pytest.mark.parametrize("backend", ["server", "pg_server"])
def test_bad_bbox_and_datetime_answer_400_naming_the_parameter(request, backend, query, word):
    base = request.getfixturevalue(backend)
    response = requests.get(f"{base}/collections/pand/items", params={**query, "f": "json"}, timeout=30)
    assert response.status_code == 400
    description = response.json()["description"]
    assert word in description and list(query)[0] in description and "Traceback" not in description


def test_transformed_box_contains_its_inner_rectangle_and_lies_in_its_bounds():
    """The shortcut rectangle lies inside the outline, and the outline inside the index bounds, in every CRS."""
    from geo.core.crs import transform_bbox_exact

    rng = np.random.default_rng(7)
    for _ in range(50):
        lon, lat, w, h = rng.uniform(3.4, 7.0), rng.uniform(50.8, 53.4), rng.uniform(1e-4, 0.5), rng.uniform(1e-4, 0.3)
        for source, box in (("OGC:CRS84", [lon, lat, lon + w, lat + h]), ("EPSG:4326", [lat, lon, lat + h, lon + w])):
            result = transform_bbox_exact(box, source, "EPSG:28992")
            assert shapely.box(*result).covers(result.polygon)
            if result.inner is not None:
                assert result.polygon.contains(shapely.box(*result.inner))


QGIS_PYTHON = "/usr/bin/python3"


@pytest.mark.skipif(subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode != 0,
                    reason="PyQGIS not installed (Debian python3-qgis)")
def test_qgis_in_view_extent_mode_gets_the_oracles_features(server, stored):
    """QGIS 3.22's OAPIF layer restricted to the view extent: the issue saw 878 of 1,004 buildings at the edges."""
    import json
    import os

    box = (4.7, 52.75, 4.78, 52.8)
    for name in ("pand", "verblijfsobject"):
        certain, edge = _expected(stored[name], box, "OGC:CRS84")
        done = subprocess.run([QGIS_PYTHON, str(ROOT / "tests" / "qgis_view_extent.py"), server, name,
                               *map(str, box)], capture_output=True, text=True, timeout=300,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert done.returncode == 0, done.stderr[-1500:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        assert len(certain) <= result["count"] <= len(certain) + len(edge), (name, result, len(certain))
