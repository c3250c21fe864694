"""What a Folium page really draws, per layer, in headless Chromium with the network blocked.

``drawn(page)`` walks every Leaflet map on the page and, per overlay of its layer control (or per layer when
there is no control), counts the features the browser drew: SVG paths in the document, canvas paths with
pixel bounds, marker icons whose image loaded. A map whose scripts failed draws nothing and counts 0.
"""

import json
from pathlib import Path

from helpers.cdp import Browser

ARTEFACTS = Path(__file__).parents[1] / "artefacts"

COUNT = """(() => {
  function leaves(layer, out) {
    if (layer.getLayers) { layer.getLayers().forEach(l => leaves(l, out)); } else { out.push(layer); }
    return out;
  }
  function drawn(l) {
    if (l instanceof L.Path) {
      if (l._path) return l._path.isConnected && (l._path.getAttribute('d') || '').length > 2;
      return !!(l._renderer && l._pxBounds && l._map);
    }
    if (l instanceof L.Marker) {
      const icon = l._icon;
      if (!icon || !icon.isConnected) return false;
      return icon.tagName !== 'IMG' || (icon.complete && icon.naturalWidth > 0);
    }
    return false;
  }
  const result = {};
  const groups = [];
  for (const key of Object.keys(window)) {
    const value = window[key];
    if (key.startsWith('layer_control_') && value && value.overlays) {
      for (const [name, layer] of Object.entries(value.overlays)) groups.push([name, layer]);
    }
  }
  if (!groups.length) {  // no layer control: every group on a map, by variable name
    for (const key of Object.keys(window)) {
      const value = window[key];
      if (value instanceof L.LayerGroup && value._map) groups.push([key, value]);
    }
  }
  for (const [name, layer] of groups) {
    result[name.replace(/<[^>]+>/g, '').trim()] = leaves(layer, []).filter(drawn).length;
  }
  return result;
})()"""


def open_map(browser: Browser, path: Path, size=(1280, 900)):
    """``path`` (a local HTML file) opened with every request but the page itself failing."""
    page = browser.open(Path(path).resolve().as_uri(), size=size)
    page.wait_for("typeof L === 'object'", timeout=20)
    page.evaluate("new Promise(r => setTimeout(r, 500))")  # popups, icons, canvas redraws
    return page


def drawn(page) -> dict[str, int]:
    """Overlay name (HTML stripped) -> number of its features drawn."""
    return page.evaluate(COUNT)


class Drawn(dict):
    """Overlay name -> features drawn; ``banner``: the visible voorbeelddata banner's text ("" if none)."""

    banner: str = ""


BANNER = """(() => { const b = document.getElementById('voorbeelddata');
  if (!b) return '';
  const r = b.getBoundingClientRect();
  return r.width > 100 && r.height > 10 && getComputedStyle(b).visibility !== 'hidden' ? b.textContent : ''; })()"""


def check(path: Path, screenshot: str, size=(1280, 900)) -> Drawn:
    """Open, count, screenshot to tests/artefacts/<screenshot>, and fail on any console error."""
    with Browser() as browser:
        page = open_map(browser, path, size)
        counts = Drawn(drawn(page))
        counts.banner = page.evaluate(BANNER)
        page.screenshot(ARTEFACTS / screenshot)
        errors = page.errors()
    assert errors == [], f"{path.name}: console errors {json.dumps(errors)[:2000]}"
    return counts
