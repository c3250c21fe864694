"""The overview map draws panden from the server's vector tiles when they are too many to inline.

The threshold is lowered for the test (``inline_limit``) instead of generating a huge store: Schagen's 24k panden
then go over it. The map is opened in headless Chromium (no network but loopback) against a real ``geo serve``;
what the browser drew per tile (SVG paths and the features behind them) is compared with an oracle that shares
no code with the server: the store's panden read with pyogrio, reprojected by geopandas to Web Mercator, and
intersected with shapely against each tile's square computed here from the WebMercatorQuad numbers.
"""

import math
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo.core.style import VectorStyle
from geo.render.maps import overview_map
from geo.render.tiled_layer import MAX_INLINE_FEATURES, first_zoom, too_big_to_inline
from geo.serve.tiles import zoom_range
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

from helpers.browser import CHROMIUM
from helpers.cdp import Browser
from helpers.map_check import ARTEFACTS, drawn, open_map
from helpers.server import free_port

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")

WEB_HALF = 20037508.342789244  # WebMercatorQuad: half the world's width in metres
ZOOM = 15  # ≥ the first tile level of pand (12); ~1.2 m pixels: a town centre in a 1280×900 window
LIMIT = 1000  # below Schagen's 24k panden: the test's store is "too big to inline"
LAYER = "Object.keys(window).find(k => k.startsWith('tiled_layer_'))"
NOTE = f"document.getElementById({LAYER} + '_melding')"
# Per loaded tile of the tiled layer: its key, the features behind its paths, and the SVG paths the browser drew.
TILES = f"""(() => {{
  const layer = window[{LAYER}];
  return Object.values(layer._tiles).filter(t => t.current).map(t => {{
    const renderer = layer._vectorTiles[layer._tileCoordsToKey(t.coords)];
    const paths = [...t.el.querySelectorAll('path')].filter(p => (p.getAttribute('d') || '').length > 2);
    const features = Object.entries(renderer._features).map(([id, f]) => (
      {{id: id, bouwjaar: f.feature.properties.bouwjaar, fill: f.feature._path.getAttribute('fill')}}));
    return {{x: t.coords.x, y: t.coords.y, z: t.coords.z, paths: paths.length, features: features}};
  }});
}})()"""


# The centre (in window pixels) of a drawn pand well inside the window: where a reader would click.
TARGET = f"""(() => {{
  const layer = window[{LAYER}];
  for (const p of layer.getContainer().querySelectorAll('path')) {{
    const r = p.getBoundingClientRect();
    if (r.width > 8 && r.height > 8 && r.left > 400 && r.right < 900 && r.top > 250 && r.bottom < 800)
      return [r.left + r.width / 2, r.top + r.height / 2];
  }}
  return null;
}})()"""


def click(page, x: float, y: float) -> None:
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})


def popup_rows(page) -> dict[str, str]:
    """The open popup's table: field -> value."""
    page.wait_for("document.querySelector('.leaflet-popup-content table')", timeout=10)
    return page.evaluate("Object.fromEntries([...document.querySelectorAll('.leaflet-popup-content tr')]"
                         ".map(r => [r.querySelector('th').textContent, r.querySelector('td').textContent]))")


def web_square(z: int, row: int, col: int) -> shapely.Polygon:
    side = 2 * WEB_HALF / 2**z
    left, top = -WEB_HALF + col * side, WEB_HALF - row * side
    return shapely.box(left, top - side, left + side, top)


def web_tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    col = int((lon + 180) / 360 * n)
    row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return row, col


def tiles_in_view(west: float, south: float, east: float, north: float, z: int) -> set[tuple[int, int, int]]:
    """(col, row, z) of every tile the view touches."""
    top, left = web_tile_of(west, north, z)
    bottom, right = web_tile_of(east, south, z)
    return {(col, row, z) for col in range(left, right + 1) for row in range(top, bottom + 1)}


@pytest.fixture(scope="module")
def panden(store) -> gpd.GeoDataFrame:
    return gpd.read_file(store, layer="pand", engine="pyogrio", columns=["identificatie", "bouwjaar"])


@pytest.fixture(scope="module")
def centre(panden) -> tuple[float, float]:
    """(lat, lon) in the densest tile of panden at ``ZOOM``: a view full of buildings. Off the tile's centre, so
    that the view's edges do not fall on tile edges (the tiles touched would then be a matter of rounding)."""
    points = panden.geometry.representative_point().to_crs("EPSG:4326")
    tiles = [web_tile_of(p.x, p.y, ZOOM) for p in points]
    row, col = max(set(tiles), key=tiles.count)
    left, _, right, top = web_square(ZOOM, row, col).bounds
    point = shapely.Point(left + 0.3 * (right - left), top - 0.4 * (right - left))
    middle = gpd.GeoSeries([point], crs="EPSG:3857").to_crs("EPSG:4326").iloc[0]
    return middle.y, middle.x


@pytest.fixture(scope="module")
def tiled_map(store, server, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maps") / "overzicht_tegels.html"
    return overview_map(GeoPackageStore(store), out, build_registry().collections(), server, inline_limit=LIMIT)


def go_to(page, centre: tuple[float, float], zoom: int) -> None:
    """Move the map without animation and wait until the tiled layer has loaded its tiles."""
    page.evaluate(f"void {page_map()}.setView([{centre[0]}, {centre[1]}], {zoom}, {{animate: false}})")
    page.wait_for(f"!window[{LAYER}].isLoading() && Object.keys(window[{LAYER}]._tiles).length > 0", timeout=60)
    page.evaluate("new Promise(r => setTimeout(r, 300))")


def page_map() -> str:
    return "window[Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map)]"


def view_bounds(page) -> tuple[float, float, float, float]:
    b = page.evaluate(f"(() => {{ const b = {page_map()}.getBounds(); "
                      f"return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }})()")
    return tuple(b)


def note(page) -> str:
    """The tiled layer's note as the reader sees it ("" when hidden)."""
    return page.evaluate(f"(() => {{ const n = {NOTE}; return n && n.offsetHeight > 0 ? n.textContent : ''; }})()")


def test_the_threshold_and_the_first_tile_level_agree_with_the_server(panden):
    spec = build_registry().collections()["pand"]
    assert first_zoom(spec) == zoom_range(spec, "WebMercatorQuad")[0] == 12
    assert not too_big_to_inline(len(panden))  # Schagen (24k panden) stays inline by default
    assert too_big_to_inline(MAX_INLINE_FEATURES + 1) and too_big_to_inline(len(panden), LIMIT)


def test_a_tiled_map_inlines_no_panden(tiled_map, panden):
    page = tiled_map.read_text()
    assert "L.VectorGrid.Protobuf" in page and "unpkg.com" not in page  # the library is inlined, no CDN
    assert "/collections/pand/tiles/WebMercatorQuad/{z}/{y}/{x}" in page
    assert not any(i in page for i in panden["identificatie"].iloc[::997])  # no pand is inlined
    assert tiled_map.stat().st_size < 3_000_000  # Schagen inline: ~10 MB


def test_the_map_draws_exactly_the_panden_of_the_tiles_in_view(tiled_map, panden, centre):
    style: VectorStyle = build_registry().collections()["pand"].style
    web = panden.to_crs("EPSG:3857")
    with Browser() as browser:
        page = open_map(browser, tiled_map)
        zoom_in = note(page)  # the whole municipality: below the first tile level
        page.screenshot(ARTEFACTS / "overzicht_tegels_inzoomen.png")
        go_to(page, centre, ZOOM)
        tiles = page.evaluate(TILES)
        shown = note(page)
        page.screenshot(ARTEFACTS / "overzicht_tegels.png")
        click(page, *page.evaluate(TARGET))
        popup = popup_rows(page)
        page.screenshot(ARTEFACTS / "overzicht_tegels_popup.png")
        errors = page.errors()
        bounds = view_bounds(page)
    assert errors == []
    assert zoom_in == "Zoom in om panden te zien." and shown == ""
    assert {(t["x"], t["y"], t["z"]) for t in tiles} == tiles_in_view(*bounds, ZOOM)
    total = 0
    for t in tiles:
        expected = web[web.intersects(web_square(t["z"], t["y"], t["x"]))]
        assert {f["id"] for f in t["features"]} == set(expected["identificatie"]), (t["x"], t["y"])
        assert t["paths"] == len(expected)  # one drawn SVG path per feature
        for f in t["features"]:  # the colour of the layer's style for the building year
            assert f["fill"] == style.rule_for({"bouwjaar": f["bouwjaar"]}).symbol.fill, f
        total += len(expected)
    assert total > 100  # a town centre, not an empty corner
    assert list(popup) == ["identificatie", "bouwjaar", "gebruiksdoel", "status"]  # the public fields
    clicked = panden[panden["identificatie"] == popup["identificatie"]]
    assert len(clicked) == 1 and float(popup["bouwjaar"]) == float(clicked["bouwjaar"].iloc[0])


def test_without_the_server_the_map_says_so_and_draws_the_other_layers(store, centre, tmp_path):
    port = free_port()  # nothing listens here
    dead = f"http://127.0.0.1:{port}"
    out = overview_map(GeoPackageStore(store), tmp_path / "overzicht.html", build_registry().collections(), dead,
                       inline_limit=LIMIT)
    natura = len(gpd.read_file(store, layer="natura2000_gebied", engine="pyogrio"))
    with Browser() as browser:
        page = open_map(browser, out)
        go_to(page, centre, ZOOM)
        page.wait_for(f"{NOTE}.offsetHeight > 0", timeout=30)
        shown = note(page)
        counts = drawn(page)
        page.screenshot(ARTEFACTS / "overzicht_tegels_zonder_server.png")
        # The failed tile requests are the expected ones, to the server's address only: Chromium logs each
        # refused connection as a network error; the map turns them into the note, never an uncaught error.
        errors = page.errors(ignore_hosts=("tile.openstreetmap.org", f"127.0.0.1:{port}/collections/pand/tiles/"))
        refused = [e for e in page.errors(ignore_hosts=("tile.openstreetmap.org",)) if f"127.0.0.1:{port}" in e]
    assert shown == f"Panden worden getoond vanaf de server {dead}; die is nu niet bereikbaar."
    assert errors == []
    assert refused  # the tiles were really asked for, and failed
    assert counts["Natura 2000-gebieden"] == natura and counts["Gemeentegebied"] == 1
    assert counts["BAG panden (bouwjaar)"] == 0


def test_without_leaflet_vectorgrid_installed_a_tiled_map_is_refused_in_one_line(monkeypatch, tmp_path):
    from geo.render import offline
    from geo.render.tiled_layer import VECTORGRID_URL

    monkeypatch.setattr(offline, "ROOT", tmp_path)  # a checkout where scripts/setup.sh has not run
    with pytest.raises(offline.OfflineError, match=r"Leaflet\.VectorGrid\.bundled\.js: .*run scripts/setup\.sh"):
        offline.local_copy(VECTORGRID_URL)
