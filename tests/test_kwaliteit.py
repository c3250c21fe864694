"""Datakwaliteit: the page reports exactly the defects planted in a tiny store, and says when it is below par."""

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point, Polygon

from analyses import kwaliteit
from geo.build.inputs import SourceFile
from geo.core.crs import RD_NEW
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.page_check import CHROMIUM, console_errors, dom

SQUARE = Polygon([(100000, 500000), (110000, 500000), (110000, 510000), (100000, 510000)])
BOWTIE = Polygon([(101000, 501000), (102000, 502000), (102000, 501000), (101000, 502000)])
THRESHOLDS = {"standaard": {"max_quarantaine_pct": 5, "max_ongeldig": 0},
              "lagen": {"bron": {"volledigheid": {"nh3": 90}}}}


@pytest.fixture()
def planted(tmp_path) -> GeoPackageStore:
    """Planted: bron has 1 of 4 nh3 empty, 1 record outside, 2 equal geometries, 1 repaired, 3 quarantined
    (2 duplicate keys, 1 without geometry); vlak has 1 invalid polygon; the sources have known dates."""
    layers = {
        "gemeentegebied": gpd.GeoDataFrame({"statcode": ["GM9999"]}, geometry=[SQUARE], crs=RD_NEW),
        "bron": gpd.GeoDataFrame({"id": ["a", "b", "c", "d"], "nh3": [1.0, None, 3.0, 4.0],
                                  "binnen_gemeente": [True, True, True, False]},
                                 geometry=[Point(101000, 501000), Point(101000, 501000), Point(103000, 503000),
                                           Point(120000, 503000)], crs=RD_NEW),
        "vlak": gpd.GeoDataFrame({"id": ["v1", "v2"]}, geometry=[SQUARE.buffer(-4000), BOWTIE], crs=RD_NEW),
    }
    meta = {n: {"title": f"Laag {n}", "gemeente": "GM9999", "public_fields": [], "key": None, "quarantined": 0,
                "repaired": 1 if n == "bron" else 0} for n in layers}
    used = [SourceFile("bron", "bron", "/bronnen/bron.csv", "x", "2024-03-01T10:00:00+00:00"),
            SourceFile("vlak", "vlak", "/bronnen/vlak.gpkg", "y", "2023-12-31T10:00:00+00:00")]
    quarantine = pd.DataFrame({"layer": ["bron"] * 3, "source": ["bron.csv"] * 3,
                               "reason": ["duplicate id", "duplicate id", "no geometry"],
                               "record": ["id=a; naam=Geheim", "id=b", "id=e"], "wkt": [None] * 3})
    store = GeoPackageStore(tmp_path / "planted.gpkg")
    store.publish(layers, meta, used, quarantine)
    return store


def test_report_holds_exactly_the_planted_defects(planted):
    report = kwaliteit.assess(planted, THRESHOLDS)
    q = {layer.name: layer for layer in report.layers}
    bron, vlak = q["bron"], q["vlak"]
    assert (bron.features, bron.completeness["nh3"], bron.outside, bron.duplicate_geometries) == (4, 75.0, 1, 1)
    assert (bron.repaired, bron.invalid, bron.duplicate_keys) == (1, 0, 2)
    assert bron.quarantine == {"duplicate id": 2, "no geometry": 1}
    assert [s["modified"][:10] for s in bron.sources] == ["2024-03-01"]
    assert (vlak.invalid, vlak.outside, vlak.quarantine, vlak.duplicate_geometries) == (1, 0, {}, 0)
    assert sorted(str(b) for b in report.breaches) == [
        "bron: max_quarantaine_pct = 42.86 (drempel 5)", "bron: volledigheid nh3 (%) = 75 (drempel 90)",
        "vlak: max_ongeldig = 1 (drempel 0)"]


def test_page_shows_banner_charts_and_no_quarantined_records(planted, tmp_path):
    page = kwaliteit.write_report(planted, tmp_path / "k.html", THRESHOLDS)
    text = (tmp_path / "k.html").read_text()
    assert not page.ok and 'class="banner fail"' in text and "onder de drempels: 3 overschrijding(en)" in text
    assert text.count("<svg") == 1 + 3  # overview + one completeness chart per layer
    assert "duplicate id" in text and "2024-03-01" in text and "bron.csv" in text
    assert "Geheim" not in text  # reasons and counts only, never the quarantined record
    assert "<script" not in text and "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_cli_exits_3_with_a_warning_below_thresholds(planted, tmp_path):
    limits = tmp_path / "drempels.yml"
    limits.write_text("standaard:\n  max_quarantaine_pct: 5\n", encoding="utf-8")
    out = tmp_path / "kwaliteit.html"
    result = CliRunner().invoke(main, ["kwaliteit", "--store", str(planted.path), "--out", str(out),
                                       "--thresholds", str(limits)])
    assert result.exit_code == 3
    assert "WARNING: data quality below thresholds (1): bron: max_quarantaine_pct" in result.output
    assert out.exists()
    limits.write_text("standaard:\n  max_quarantaine_pct: 50\n", encoding="utf-8")
    ok = CliRunner().invoke(main, ["kwaliteit", "--store", str(planted.path), "--out", str(out),
                                   "--thresholds", str(limits)])
    assert ok.exit_code == 0 and 'class="banner ok"' in out.read_text()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_page_renders_offline_in_chromium(planted, tmp_path):
    kwaliteit.write_report(planted, tmp_path / "k.html", THRESHOLDS)
    url = (tmp_path / "k.html").as_uri()
    html = dom(url)
    assert 'id="banner"' in html and "<svg" in html and "Datakwaliteit planted.gpkg" in html
    assert console_errors(url) == []


def test_every_build_writes_its_quality_page(store):
    folder = store.parent / kwaliteit.PAGES_DIR
    pages = sorted(folder.glob("kwaliteit_*.html"))
    assert pages and (folder / "laatste.html").exists()
    text = (folder / "laatste.html").read_text()
    assert "Alle lagen voldoen aan de drempels." in text  # the sample meets data/kwaliteit.yml
    assert "toezicht_zaak" in text and "soort not in the code list" in text
