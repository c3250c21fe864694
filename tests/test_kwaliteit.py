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
    """Planted: bron has 1 of 4 nh3 empty, an optional opmerking always empty, 1 record outside,
    2 equal geometries, 1 repaired, 3 quarantined
    (2 duplicate keys, 1 without geometry); vlak has 1 invalid polygon; the sources have known dates."""
    layers = {
        "gemeentegebied": gpd.GeoDataFrame({"statcode": ["GM9999"], "statnaam": ["Plantdorp"]}, geometry=[SQUARE],
                                           crs=RD_NEW),
        "bron": gpd.GeoDataFrame({"id": ["a", "b", "c", "d"], "nh3": [1.0, None, 3.0, 4.0],
                                  "opmerking": [None, None, None, ""], "binnen_gemeente": [True, True, True, False]},
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
    # overview + a completeness chart for the layers with verplichte velden: bron (nh3 watched by a threshold)
    # and gemeentegebied (its schema requires statcode, statnaam); vlak has none
    assert text.count("<svg") == 1 + 2
    assert "dubbele id" in text and "01-03-2024" in text and "bron.csv" in text
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
    assert 'id="banner"' in html and "<svg" in html and "<h1>Datakwaliteit gemeente Plantdorp (GM9999)</h1>" in html
    assert console_errors(url) == []


def test_every_build_writes_its_quality_page(store):
    folder = store.parent / kwaliteit.PAGES_DIR
    pages = sorted(folder.glob("kwaliteit_*.html"))
    assert pages and (folder / "laatste.html").exists()
    text = (folder / "laatste.html").read_text()
    assert "Alle lagen voldoen aan de drempels." in text  # the sample meets data/kwaliteit.yml
    assert 'id="laag-toezicht_zaak"' in text and "soort niet in de codelijst" in text  # the reason in Dutch


# --- not alarming wrongly: expected counts, optional fields, example norms -------------------------------------

def overview_cell(text: str, layer: str, column: str):
    """The overview's cell of ``layer`` (row id) under header ``column``, parsed with lxml."""
    import lxml.html

    doc = lxml.html.fromstring(text)
    headers = [th.text_content() for th in doc.get_element_by_id("overzicht").iter("th")]
    return doc.get_element_by_id(f"overzicht-{layer}").findall("td")[headers.index(column)]


def test_an_expected_count_is_shown_as_expected_and_a_breach_as_a_defect(planted, tmp_path):
    outside = int((planted.read("bron")["binnen_gemeente"] == False).sum())  # noqa: E712 (the planted record)
    expected = {**THRESHOLDS, "verwacht": {"bron": {"buiten_gemeente": "bronnen net over de grens tellen mee"}}}
    kwaliteit.write_report(planted, tmp_path / "k.html", expected)
    text = (tmp_path / "k.html").read_text()
    cell = overview_cell(text, "bron", "buiten gemeente")
    assert "verwacht" in cell.get("class") and "gebrek" not in cell.get("class")
    assert cell.text_content() == f"{outside} verwacht" and "bronnen net over de grens tellen mee" in text
    assert 'id="verwacht"' in text
    breached = {**expected, "lagen": {"bron": {"max_buiten_gemeente_pct": 10}}}  # 1 of 4 = 25 % > 10 %: a defect
    report = kwaliteit.write_report(planted, tmp_path / "k2.html", breached)
    cell = overview_cell((tmp_path / "k2.html").read_text(), "bron", "buiten gemeente")
    assert "gebrek" in cell.get("class") and cell.text_content() == str(outside)
    assert "max_buiten_gemeente_pct" in [b.check for b in report.breaches if b.layer == "bron"]


def test_an_empty_optional_field_is_information_not_a_defect(planted, tmp_path):
    report = kwaliteit.write_report(planted, tmp_path / "k.html", THRESHOLDS)
    text = (tmp_path / "k.html").read_text()
    assert report.required["bron"] == ("nh3",)  # watched by THRESHOLDS; opmerking and id are optional
    assert not [b for b in report.breaches if "opmerking" in b.check]
    section = text[text.index('id="laag-bron"'):text.index('id="laag-vlak"')]
    assert "Volledigheid van de verplichte velden: Laag bron" in section
    assert "Optionele velden (leeg is geen gebrek): 3, waarvan 2 volledig gevuld; deels gevuld: opmerking 0 %" \
        in section
    chart = section[section.index("<svg"):section.index("</svg>")]
    assert ">nh3<" in chart and "opmerking" not in chart


def test_example_norms_are_labelled_as_such(planted, tmp_path):
    kwaliteit.write_report(planted, tmp_path / "eigen.html", THRESHOLDS)
    assert "Voorbeeldnormen" not in (tmp_path / "eigen.html").read_text()
    kwaliteit.write_report(planted, tmp_path / "voorbeeld.html", kwaliteit.load_thresholds(kwaliteit.THRESHOLDS))
    assert '<span class="label">Voorbeeldnormen</span>' in (tmp_path / "voorbeeld.html").read_text()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_sample_page_names_the_municipality_and_marks_expected_counts(store, tmp_path):
    """The Schagen sample: hexagons of Natura 2000 outside the municipality are expected (counted here with
    pyogrio and shapely), optional BAG fields such as huisletter are no defect, and the page renders offline."""
    import pyogrio
    import shapely

    from helpers.cdp import Browser
    from helpers.paths import ROOT

    gemeente = shapely.union_all(pyogrio.read_dataframe(store, layer="gemeentegebied").geometry.values)
    hexagons = pyogrio.read_dataframe(store, layer="stikstof_hexagon")
    outside = int((~shapely.intersects(hexagons.geometry.values, gemeente)).sum())
    out = tmp_path / "kwaliteit.html"
    result = CliRunner().invoke(main, ["kwaliteit", "--store", str(store), "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    with Browser() as browser:
        page = browser.open(out.as_uri(), size=(1280, 2400))
        title = page.evaluate("document.querySelector('h1').textContent")
        defects = page.evaluate("document.querySelectorAll('td.gebrek').length")
        page.screenshot(ROOT / "tests" / "artefacts" / "kwaliteit_schagen.png")
        assert page.errors() == []
    assert title == "Datakwaliteit gemeente Schagen (GM0441)" and defects == 0
    cell = overview_cell(text, "stikstof_hexagon", "buiten gemeente")
    assert outside > 100 and cell.text_content() == f"{outside:,} verwacht".replace(",", ".")
    start = text.index('id="laag-verblijfsobject"')
    vbo = text[start:text.index('id="laag-', start + 9)]
    chart = vbo[vbo.index("<svg"):vbo.index("</svg>")]
    assert "huisletter" not in chart and "huisletter 0 %" in vbo and ">postcode<" in chart
    assert '<span class="label">Voorbeeldnormen</span>' in text


def test_the_thresholds_file_is_accepted_as_drempels_by_the_process():
    """data/kwaliteit.yml, with its voorbeeld and verwacht keys, is what the process's 'drempels' takes."""
    from analyses.invoer import InputError
    from analyses.kwaliteit.process import parse_thresholds

    default = kwaliteit.load_thresholds(kwaliteit.THRESHOLDS)
    assert default["voorbeeld"] is True and "stikstof_hexagon" in default["verwacht"]
    assert parse_thresholds(default) == default
    with pytest.raises(InputError, match="'verwacht' must be an object"):
        parse_thresholds({"verwacht": ["stikstof_hexagon"]})
