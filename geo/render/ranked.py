"""A ranking on a map: numbered markers (1 = first) and, beside the map, the ranked list; clicking one highlights
the other.

The markers are Folium markers with a numbered ``L.divIcon`` in one overlay of the layer control (so the page's
features can be counted like any other map's); the list is a fixed panel to the right of the map. One small script
links them by rank: a click on a list entry centres the map on its marker, enlarges it and opens its tooltip; a
click on a marker marks its entry and scrolls it into view. No library beyond Leaflet.
"""

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

import branca
import folium
import jinja2

__all__ = ["RankedPoint", "add_ranked_markers", "PANEL_WIDTH_PX"]

PANEL_WIDTH_PX = 360


@dataclass(frozen=True)
class RankedPoint:
    """One entry: its rank, place (WGS84), the two lines of the list entry, its colour and its tooltip (HTML)."""

    rank: int
    lat: float
    lon: float
    heading: str
    detail: str
    colour: str
    tooltip: str


def add_ranked_markers(m: folium.Map, overlay: str, points: Sequence[RankedPoint], title: str,
                       intro: str = "") -> folium.FeatureGroup:
    """Numbered markers in the overlay ``overlay`` and the ranked list titled ``title`` beside the map."""
    group = folium.FeatureGroup(name=overlay)
    last = max((p.rank for p in points), default=0)
    for p in sorted(points, key=lambda p: p.rank):
        _marker(p, last).add_to(group)
    group.add_to(m)
    root = m.get_root()
    root.header.add_child(branca.element.Element(f"<style>{PANEL_CSS}</style>"))
    root.html.add_child(branca.element.Element(_panel(points, title, intro)))
    RankLink(m, group).add_to(m)
    return group


def _marker(p: RankedPoint, last: int) -> folium.Marker:
    width = 14 + 8 * len(str(p.rank))
    icon = folium.DivIcon(html=(f'<div class="rang-icoon" style="background:{p.colour};color:{text_colour(p.colour)}">'
                                f"{p.rank}</div>"),
                          class_name=f"rang-marker rang-{p.rank}", icon_size=(width, 20),
                          icon_anchor=(width // 2, 10))
    return folium.Marker([p.lat, p.lon], icon=icon, z_index_offset=1000 * (last - p.rank),
                         tooltip=folium.Tooltip(p.tooltip, sticky=False, direction="top", offset=(0, -10),
                                                class_name="rang-tooltip"))


def _panel(points: Sequence[RankedPoint], title: str, intro: str) -> str:
    items = "".join(
        f'<li data-rang="{p.rank}" tabindex="0"><span class="rang-nummer" style="background:{p.colour};'
        f'color:{text_colour(p.colour)}">{p.rank}</span><span><b>{html.escape(p.heading)}</b><br>'
        f'<span class="rang-detail">{html.escape(p.detail)}</span></span></li>'
        for p in sorted(points, key=lambda p: p.rank))
    lead = f"<p>{html.escape(intro)}</p>" if intro else ""
    return f'<aside id="ranglijst"><h2>{html.escape(title)}</h2>{lead}<ol>{items}</ol></aside>'


def text_colour(background: str) -> str:
    """Black on light, white on dark backgrounds (``#rrggbb``).

    >>> text_colour("#b2182b"), text_colour("#fddbc7")
    ('#fff', '#000')
    """
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


PANEL_CSS = f"""
.folium-map {{ width: calc(100% - {PANEL_WIDTH_PX}px) !important; }}
#ranglijst {{ position: fixed; top: 0; right: 0; bottom: 0; width: {PANEL_WIDTH_PX}px; overflow-y: auto;
  background: #fff; border-left: 1px solid #999; font: 13px/1.35 system-ui, sans-serif; z-index: 1000; }}
#ranglijst h2 {{ font-size: 15px; margin: 10px 12px 4px; }}
#ranglijst p {{ margin: 0 12px 8px; color: #444; }}
#ranglijst ol {{ list-style: none; margin: 0; padding: 0; }}
#ranglijst li {{ display: flex; gap: 8px; align-items: flex-start; padding: 5px 12px; border-top: 1px solid #eee;
  cursor: pointer; }}
#ranglijst li:hover {{ background: #f3f3f3; }}
#ranglijst li.actief {{ background: #ffe08a; outline: 2px solid #b8860b; }}
.rang-detail {{ color: #555; }}
.rang-nummer {{ flex: none; min-width: 26px; height: 20px; line-height: 20px; border-radius: 10px;
  border: 1px solid #333; text-align: center; font-weight: 700; font-size: 12px; }}
.rang-marker .rang-icoon {{ height: 18px; line-height: 18px; border-radius: 9px; border: 1px solid #222;
  text-align: center; font: 700 11px system-ui, sans-serif; box-shadow: 0 1px 2px rgba(0,0,0,.4); }}
.rang-marker.actief .rang-icoon {{ transform: scale(1.6); border: 2px solid #000; outline: 3px solid #ffd400; }}
.leaflet-tooltip.rang-tooltip {{ white-space: normal; width: 340px; font-size: 12px; }}
body > .voorbeelddata {{ max-width: calc(100% - {PANEL_WIDTH_PX + 300}px) !important; }}
"""


class RankLink(folium.MacroElement):
    """The script that links markers and list entries by rank (see the module docstring)."""

    _template = jinja2.Template("""{% macro script(this, kwargs) %}
    (function () {
      const map = {{ this._parent.get_name() }}, group = {{ this.group }}, markers = {};
      let previous = null;
      group.eachLayer(function (l) {
        const found = /rang-(\\d+)/.exec(l.options.icon.options.className);
        if (!found) return;
        markers[found[1]] = l;
        l.options.rangOffset = l.options.zIndexOffset;
        l.on('click', function () { select(found[1], false); });
      });
      function select(rank, fromList) {
        document.querySelectorAll('#ranglijst li.actief, .rang-marker.actief')
          .forEach(function (e) { e.classList.remove('actief'); });
        const item = document.querySelector('#ranglijst li[data-rang="' + rank + '"]'), marker = markers[rank];
        if (item) { item.classList.add('actief'); if (!fromList) item.scrollIntoView({block: 'nearest'}); }
        if (previous) { previous.setZIndexOffset(previous.options.rangOffset); previous.closeTooltip(); }
        previous = marker || null;
        if (!marker) return;
        if (fromList) map.setView(marker.getLatLng(), Math.max(map.getZoom(), {{ this.zoom }}));
        marker.setZIndexOffset(1e7);
        if (marker._icon) marker._icon.classList.add('actief');
        if (fromList) marker.openTooltip();
        document.body.dataset.gekozen = rank;
      }
      document.querySelectorAll('#ranglijst li').forEach(function (li) {
        li.addEventListener('click', function () { select(li.dataset.rang, true); });
        li.addEventListener('keydown', function (e) { if (e.key === 'Enter') select(li.dataset.rang, true); });
      });
      window.rangKiezen = select;
    })();
    {% endmacro %}""")

    def __init__(self, m: folium.Map, group: folium.FeatureGroup, zoom: int = 14):
        super().__init__()
        self._name = "RankLink"
        self.group = group.get_name()
        self.zoom = json.dumps(int(zoom))
