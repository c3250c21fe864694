"""`geo gebiedsanalyse --geometrie FILE` takes what GIS tools write: GeoJSON in RD with its legacy ``crs`` member (as
ogr2ogr writes it) and a GeoPackage; the analysed area equals the drawn polygon (shapely on the file's own numbers)."""

import re

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from omgevingsgeo.cli import main

DRAWN = shapely.box(112000, 530000, 114000, 532000)  # 400 ha inside Schagen, RD New


@pytest.mark.parametrize("fmt", ["GeoJSON", "GPKG"])
def test_a_file_from_a_gis_tool_is_analysed_as_drawn(fmt, store, tmp_path):
    path = tmp_path / ("gebied.geojson" if fmt == "GeoJSON" else "gebied.gpkg")
    gpd.GeoDataFrame({"naam": ["tekening"]}, geometry=[DRAWN], crs=28992).to_file(path, driver=fmt, engine="pyogrio")
    out = tmp_path / "rapport.html"
    result = CliRunner().invoke(main, ["gebiedsanalyse", "--geometrie", str(path), "--out", str(out),
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    hectares = re.search(r"getekend gebied van ([\d.,]+) ha", out.read_text(encoding="utf-8"))
    assert hectares and float(hectares[1].replace(".", "").replace(",", ".")) == pytest.approx(DRAWN.area / 1e4, 0.01)


def test_an_unreadable_file_is_one_line(store, tmp_path):
    path = tmp_path / "gebied.gpkg"
    path.write_bytes(b"\xd8\x00 not a geopackage")
    result = CliRunner().invoke(main, ["gebiedsanalyse", "--geometrie", str(path), "--out", str(tmp_path / "r.html"),
                                       "--store", str(store)])
    assert result.exit_code != 0 and result.output.strip().count("\n") == 0 and "--geometrie" in result.output
