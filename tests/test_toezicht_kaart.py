"""The toezicht map: numbered markers (1 = highest priority) and the ranked list beside the map, linked both ways,
drawn offline in headless Chromium; internal, so never written where the server publishes.

The oracle is ``toezicht_prioriteit`` as GDAL reads it (pyogrio), its points reprojected by pyproj; the page is read
in the browser (the markers Leaflet drew, the list entries, what a click changes).
"""

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from pyproj import Transformer

from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.browser import CHROMIUM
from helpers.cdp import Browser
from helpers.map_check import ARTEFACTS, BANNER, drawn, open_map

SCREENSHOTS = ARTEFACTS / "screenshots"
MARKERS = "[...document.querySelectorAll('.rang-marker')].map(e => Number(e.textContent.trim()))"
LIST = "[...document.querySelectorAll('#ranglijst li')].map(li => [Number(li.dataset.rang), li.textContent])"
ACTIVE = ("[[...document.querySelectorAll('#ranglijst li.actief')].map(li => li.dataset.rang), "
          "[...document.querySelectorAll('.rang-marker.actief')].map(e => e.textContent.trim())]")
MARKER_AT = """(rank => { const m = Object.values(window).find(v => v instanceof L.FeatureGroup && v.getLayers().length
  && v.getLayers()[0].options.icon && /rang-/.test(v.getLayers()[0].options.icon.options.className));
  const l = m.getLayers().find(l => l.options.icon.options.className.split(' ').includes('rang-' + rank));
  return [l.getLatLng().lat, l.getLatLng().lng]; })"""


@pytest.fixture(scope="module")
def page_and_expected(store, tmp_path_factory):
    """The map ``geo toezicht`` writes beside its CSV (on a copy of the session store) and the ranking GDAL reads."""
    folder = tmp_path_factory.mktemp("toezicht-kaart")
    copy = folder / "store.gpkg"
    shutil.copyfile(store, copy)
    out = folder / "uit" / "prioriteit.csv"
    result = CliRunner().invoke(main, ["toezicht", "--store", str(copy), "--peildatum", "2025-01-01",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = gpd.read_file(copy, layer="toezicht_prioriteit", engine="pyogrio").sort_values("rang")
    return out.with_suffix(".html"), expected.reset_index(drop=True)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_map_numbers_every_establishment_and_lists_them_in_rank_order(page_and_expected):
    path, expected = page_and_expected
    to_wgs84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
    with Browser() as browser:
        page = open_map(browser, path)
        counts, numbers, entries = drawn(page), page.evaluate(MARKERS), page.evaluate(LIST)
        banner = page.evaluate(BANNER)
        top = page.evaluate(f"({MARKER_AT})(1)")
        panel_right = page.evaluate("document.getElementById('ranglijst').getBoundingClientRect().left")
        map_right = page.evaluate("document.querySelector('.folium-map').getBoundingClientRect().right")
        page.screenshot(SCREENSHOTS / "toezicht_kaart.png")
        errors = page.errors()
    assert errors == []
    assert counts["Toezichtprioriteit"] == len(expected) and sorted(numbers) == list(range(1, len(expected) + 1))
    assert [rank for rank, _ in entries] == expected["rang"].tolist()
    for (_, text), row in zip(entries, expected.itertuples()):
        assert row.vthobject_id in text and f"score {row.risicoscore} van 100" in text
    lon, lat = to_wgs84.transform(expected.geometry.x[0], expected.geometry.y[0])
    assert top == pytest.approx([lat, lon], abs=1e-6)  # number 1 stands on the highest-ranked establishment
    assert map_right <= panel_right + 1  # the list beside the map, not over it
    assert banner.startswith("Voorbeelddata:") and "Toezicht- en handhavingszaken" in banner


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_a_click_on_the_list_or_on_a_marker_highlights_the_other(page_and_expected):
    path, expected = page_and_expected
    with Browser() as browser:
        page = open_map(browser, path)
        page.click('#ranglijst li[data-rang="3"]')
        page.wait_for("document.querySelector('.leaflet-tooltip')")
        after_list = page.evaluate(ACTIVE)
        tooltip = page.evaluate("document.querySelector('.leaflet-tooltip').textContent")
        centre = page.evaluate("(() => { const c = Object.values(window).find(v => v instanceof L.Map).getCenter();"
                               " return [c.lat, c.lng]; })()")
        marker = page.evaluate(f"({MARKER_AT})(3)")
        page.screenshot(SCREENSHOTS / "toezicht_kaart_gekozen.png")
        page.evaluate("""(() => { const g = Object.values(window).find(v => v instanceof L.FeatureGroup
            && v.getLayers().length > 3 && v.getLayers()[0].options.icon);
            g.getLayers().find(l => / rang-10( |$)/.test(' ' + l.options.icon.options.className))
              .fire('click'); })()""")
        after_marker = page.evaluate(ACTIVE)
        visible = page.evaluate("(() => { const r = document.querySelector('#ranglijst li.actief')"
                                ".getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()")
        errors = page.errors()
    assert errors == []
    assert after_list == [["3"], ["3"]] and expected["vthobject_id"][2] in tooltip
    assert centre == pytest.approx(marker, abs=1e-6)
    assert after_marker == [["10"], ["10"]] and visible


def test_never_written_into_a_folder_the_server_publishes(store, tmp_path):
    copy = tmp_path / "store.gpkg"
    shutil.copyfile(store, copy)
    s = GeoPackageStore(copy)
    for folder in (tmp_path / "store-downloads", tmp_path / "store-jobs" / "public"):
        out = folder / "sub" / "prioriteit.xlsx"
        result = CliRunner().invoke(main, ["toezicht", "--store", str(copy), "--out", str(out)])
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert result.output.startswith(f"Error: --out {out}: ") and "internal" in result.output
        assert len(result.output.strip().splitlines()) == 1 and not folder.exists()
    assert "toezicht_prioriteit" in s.layers()  # (published by the build's after-build hook, not by these runs)


def test_the_build_writes_no_toezicht_map(store):
    """The after-build hook publishes the internal collection only: no page beside the store shows the ranking."""
    pages = list(Path(store).parent.rglob("*.html"))
    assert pages  # the build does write pages (e.g. the quality page): none of them shows the ranking
    showing = [p.name for p in pages if "van 100. Naleving (" in (text := p.read_text(errors="ignore"))
               or 'id="ranglijst"' in text]
    assert showing == []
