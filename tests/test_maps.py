"""The overview map opens offline in a real browser, with its data layers and legend."""

import re
from pathlib import Path

import pytest

from geo.render.maps import overview_map
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

from helpers.browser import CHROMIUM, dom, screenshot

ARTEFACTS = Path(__file__).parent / "artefacts"


@pytest.fixture(scope="module")
def overview(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maps") / "overzicht.html"
    return overview_map(GeoPackageStore(store), out, build_registry().collections())


def test_map_needs_no_network_but_for_base_tiles(overview):
    page = overview.read_text()
    external = set(re.findall(r'<script[^>]+src="(https?://[^"]+)"', page))
    external |= set(re.findall(r'<link[^>]+href="(https?://[^"]+)"', page))
    assert external == set()  # Leaflet is inlined; only tile URLs (in JS strings) point outside
    assert "L.map(" in page and "tile.openstreetmap.org" in page


def test_map_carries_legend_provenance_and_only_public_fields(overview):
    page = overview.read_text()
    assert 'id="legend"' in page and "Natura 2000-gebied" in page and "pand voor 1900" in page
    assert "Gebouwd " in page and "bag_GM0441.gpkg" in page
    assert "gemeente_gegeneraliseerd_2022_nhn_rd.gpkg (2022)" in page  # the register's peildatum, not the copy's


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_map_renders_its_data_offline_in_chromium(overview):
    html = dom(overview.as_uri())
    assert "leaflet-container" in html
    assert "leaflet-overlay-pane" in html and "<canvas" in html  # data drawn on canvas (prefer_canvas)
    assert "Natura 2000-gebieden" in html  # layer control lists the data layers
    ARTEFACTS.mkdir(exist_ok=True)
    screenshot(overview.as_uri(), ARTEFACTS / "overzicht.png")
    assert (ARTEFACTS / "overzicht.png").stat().st_size > 20_000


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_collection_items_page_renders_in_chromium(server):
    html = dom(f"{server}/collections/natura2000_gebied/items?f=html")
    assert "Duinen Den Helder-Callantsoog" in html
