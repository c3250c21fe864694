"""The RIVM NH3 grid: cut from the national ASCII grid, stored as a COG, served as an OGC API coverage."""

import numpy as np
import pytest
import rasterio
import requests

from geo.core.errors import SourceError
from geo.formats.raster import clip
from geo.store.geopackage import GeoPackageStore

from helpers.paths import DATA

SOURCE = DATA / "sources" / "rivm-gcn" / "conc_NH3_2023.asc"


def test_cog_holds_the_source_cells_around_schagen(store):
    path = GeoPackageStore(store).raster_path("nh3_concentratie")
    with rasterio.open(path) as cog, rasterio.open(SOURCE) as src:
        assert cog.crs.to_epsg() == 28992 and cog.res == (1000.0, 1000.0)
        assert cog.tags(ns="IMAGE_STRUCTURE")["LAYOUT"] == "COG"
        window = rasterio.windows.from_bounds(*cog.bounds, transform=src.transform)
        assert np.array_equal(cog.read(1), src.read(1, window=window.round_offsets().round_lengths()))
        x, y = 113500, 535500  # Schagen
        assert 0 < next(cog.sample([(x, y)]))[0] == next(src.sample([(x, y)]))[0]


def test_coverage_is_served(server):
    c = requests.get(f"{server}/collections/nh3_concentratie/coverage", params={"f": "json"}, timeout=60).json()
    assert c["type"] == "Coverage"
    values = [v for v in next(iter(c["ranges"].values()))["values"] if v is not None and v > 0]
    assert len(values) > 500 and max(values) < 60


def test_a_raster_without_crs_is_refused(tmp_path):
    bad = tmp_path / "grid.asc"
    bad.write_bytes(SOURCE.read_bytes())
    with pytest.raises(Exception, match="expected EPSG:28992"):
        clip(bad, (100000, 520000, 120000, 540000))


def test_a_truncated_grid_is_a_source_error(tmp_path):
    bad = tmp_path / "grid.asc"
    bad.write_bytes(b"ncols 3\nnrows")
    (tmp_path / "grid.prj").write_bytes((SOURCE.with_suffix(".prj")).read_bytes())
    with pytest.raises(SourceError, match="grid.asc"):
        clip(bad, (100000, 520000, 120000, 540000))
