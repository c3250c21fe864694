"""Bad input files (tests/data/bad/, made by its make_bad.py): one clear line at the CLI and the store as it
was; record-level problems go to the quarantine with a reason while the rest loads."""

import shutil

import pytest
from click.testing import CliRunner

from geo.serve.provider import GeoPackageProvider
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.paths import TESTDATA
from helpers.reliability_helpers import sha256

BAD = TESTDATA / "bad"

FATAL = [  # (layer, source key, file, what the one line says)
    ("pand", "bag", "bag_empty.gpkg", "file is empty"),
    ("pand", "bag", "bag_truncated.gpkg", "not a readable vector file"),
    ("wnb_besluit", "wnb_besluit", "wnb_missing_columns.gpkg", "no features left"),
    ("omgevingsplan_functie", "omgevingsplan", "omgevingsplan_truncated.gml", "truncated GML"),
    ("wnb_besluit", "wnb_besluit", "does_not_exist.gpkg", "not found"),
]
RECORDS = [  # (layer, source key, file, features loaded, quarantine reasons)
    ("wnb_besluit", "wnb_besluit", "wnb_duplicate_ids.gpkg", 4, ["duplicate zaaknummer"] * 2),
    ("wnb_besluit", "wnb_besluit", "wnb_huge_coordinates.gpkg", 4,
     ["coordinates outside the Netherlands (RD New)"] * 2),
    ("stikstofbron", "stikstofbron", "stikstofbronnen_swapped_axes.csv", 2,
     ["coordinates outside the Netherlands (RD New)"] * 3),
    ("bodemverontreiniging", "bodem", "bodem_geometrycollection.gpkg", 3, ["geometry type is not MultiPolygon"]),
    ("wnb_besluit", "wnb_besluit", "wnb_3d.gpkg", 6, []),  # Z is dropped (a repair), not a rejection
    ("stikstofbron", "stikstofbron", "stikstofbronnen_utf16.csv", 5, []),  # Excel "Unicode text": read as UTF-16
]


@pytest.fixture
def published(store, tmp_path):
    copy = tmp_path / "store.gpkg"
    shutil.copyfile(store, copy)
    return copy


def build(layer, key, name, store, data_dir):
    args = ["-q", "build", layer, "--source", f"{key}={BAD / name}", "--store", str(store), "--data", str(data_dir)]
    return CliRunner().invoke(main, args)


def test_the_corpus_is_small():
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 200_000


@pytest.mark.parametrize("layer,key,name,says", FATAL, ids=[f[2] for f in FATAL])
def test_a_bad_file_gives_one_line_and_leaves_the_store(published, data_dir, layer, key, name, says):
    before = sha256(published)
    result = build(layer, key, name, published, data_dir)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], result.output
    assert "Traceback" not in result.output
    assert name in lines[0]
    assert sha256(published) == before
    assert not [p for p in published.parent.iterdir() if ".tmp." in p.name]


@pytest.mark.parametrize("layer,key,name,features,reasons", RECORDS, ids=[r[2] for r in RECORDS])
def test_bad_records_are_quarantined_and_the_rest_loads(published, data_dir, layer, key, name, features, reasons):
    result = build(layer, key, name, published, data_dir)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith(layer))
    assert f"{features} features" in " ".join(line.split()) and f"{len(reasons)} quarantined" in " ".join(line.split())
    store = GeoPackageStore(published)
    assert len(store.read(layer)) == features
    assert sorted(store.quarantine(layer)["reason"]) == sorted(reasons)
    assert not store.read(layer).has_z.any()


def test_the_quarantine_is_readable_as_a_collection_of_the_internal_instance(published, data_dir):
    build("wnb_besluit", "wnb_besluit", "wnb_duplicate_ids.gpkg", published, data_dir)
    provider = GeoPackageProvider({"name": "x", "type": "feature", "data": str(published),
                                   "table": "geo_quarantine", "id_field": "rowid"})
    page = provider.query(limit=10, filterq=None, properties=[("layer", "wnb_besluit")])
    assert page["numberMatched"] == 2
    assert {f["properties"]["reason"] for f in page["features"]} == {"duplicate zaaknummer"}
    assert provider.get(page["features"][0]["id"])["geometry"] is None
