"""Bounded reader memory in ``geo build`` (issue 16): hostile tables are refused in one line before they
are parsed, huge geometries are quarantined, and a geometry of the wrong type is never repaired into
the right one."""

import hashlib
import math
import shutil
import subprocess

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from geo.core import validate
from geo.core.schema import LayerSchema
from geo.core.validate import Quarantine, screen

from helpers.paths import GEO

POINTS = LayerSchema(geometry="Point", columns={"id": "str"}, key="id", required=("id",))
POLYGONS = LayerSchema(geometry="MultiPolygon", columns={"id": "str"}, key="id", required=("id",))
IN_SCHAGEN = (113500.0, 535500.0)


@pytest.fixture
def own_store(store, tmp_path):
    target = tmp_path / "store" / store.name
    target.parent.mkdir()
    for item in store.parent.iterdir():
        if item.name.startswith(store.stem) and not item.name.endswith("-jobs"):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, target.parent / item.name)
    return target


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_from(csv, store, data_dir) -> subprocess.CompletedProcess:
    return subprocess.run([GEO, "-q", "build", "stikstofbron", "--store", str(store), "--data", str(data_dir),
                           "--source", f"stikstofbron={csv}"], capture_output=True, text=True, timeout=300)


def assert_one_line_refusal(result, csv, words: str) -> None:
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:") and str(csv) in lines[0] and words in lines[0], lines
    assert "Traceback" not in result.stderr + result.stdout


def test_a_csv_with_a_million_columns_is_refused_in_one_line(own_store, data_dir, tmp_path):
    csv = tmp_path / "wide.csv"
    header = ";".join(f"c{i}" for i in range(10**6))
    csv.write_text(header + "\n" + ";".join("1" for _ in range(10**6)) + "\n")
    before = digest(own_store)
    result = build_from(csv, own_store, data_dir)
    assert_one_line_refusal(result, csv, "columns in the header")
    assert digest(own_store) == before


def test_a_field_of_several_megabytes_is_refused_in_one_line(own_store, data_dir, tmp_path):
    source = data_dir / "generated" / "stikstofbronnen_GM0441.csv"
    lines = source.read_bytes().splitlines()  # Windows-1252, as the VTH systems write it
    cells = lines[1].split(b";")
    cells[3] = b"x" * (3 * 2**20)  # Naam
    csv = tmp_path / "long_field.csv"
    csv.write_bytes(b"\n".join([lines[0], b";".join(cells), *lines[2:]]) + b"\n")
    before = digest(own_store)
    result = build_from(csv, own_store, data_dir)
    assert_one_line_refusal(result, csv, "longer than")
    assert digest(own_store) == before


def frame(geoms) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": [str(i) for i in range(len(geoms))]}, geometry=geoms, crs="EPSG:28992")


def test_a_degenerate_line_in_a_point_layer_is_quarantined_not_repaired():
    x, y = IN_SCHAGEN
    degenerate = LineString([(x, y), (x, y)])
    assert not degenerate.is_valid and shapely.make_valid(degenerate).geom_type == "Point"  # the old "repair"
    quarantine = Quarantine()
    kept = screen(frame([Point(x, y), degenerate]), POINTS, "t", "src", quarantine)
    assert list(kept["id"]) == ["0"]
    rows = quarantine.frame("t")
    assert len(rows) == 1 and "geometry type is not Point" in rows["reason"].iloc[0]
    assert quarantine.repaired.get("t", 0) == 0


def test_an_invalid_polygon_of_the_declared_type_is_still_repaired():
    x, y = IN_SCHAGEN
    bowtie = Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10), (x, y)])
    quarantine = Quarantine()
    kept = screen(frame([bowtie]), POLYGONS, "t", "src", quarantine)
    assert len(quarantine.frame("t")) == 0 and quarantine.repaired["t"] == 1
    assert kept.geometry.iloc[0].is_valid


def test_a_huge_geometry_is_quarantined_and_kept_as_its_box(monkeypatch):
    monkeypatch.setattr(validate, "MAX_VERTICES", 1000)
    monkeypatch.setattr(validate, "QUARANTINE_VERTICES", 1000)
    x, y = IN_SCHAGEN
    huge = Polygon([(x + 100 * math.cos(t / 400), y + 100 * math.sin(t / 400)) for t in range(2513)])
    quarantine = Quarantine()
    kept = screen(frame([huge]), POLYGONS, "t", "src", quarantine)
    rows = quarantine.frame("t")
    assert kept.empty and "more than 1,000 vertices" in rows["reason"].iloc[0]
    assert shapely.from_wkt(rows["wkt"].iloc[0]).equals(shapely.box(*huge.bounds))
