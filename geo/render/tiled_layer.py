"""A map layer drawn from the server's vector tiles, for layers too big to inline in an offline map.

An offline map inlines every feature as GeoJSON: ~360 bytes of HTML per pand. Schagen's 24k panden make a 10.4 MB
page (1.8 MB without them) with a 110 MB JavaScript heap (14 MB without); Alkmaar's ~58k or several
municipalities' panden make pages of 20 MB to 100 MB that browsers choke on. Above :data:`MAX_INLINE_FEATURES` a
layer is drawn by Leaflet.VectorGrid from the server's OGC API Tiles
(``/collections/<c>/tiles/WebMercatorQuad/{z}/{y}/{x}``), in the colours of the layer's style, with a popup of its
public fields. Such a map needs the server: when a tile cannot be fetched the map says so in Dutch, and
below the layer's first tile level it says to zoom in; the other, inlined layers draw as before.

Leaflet.VectorGrid (npm ``leaflet.vectorgrid``, Beerware licence; it bundles pbf and vector-tile, BSD-3) is
installed by ``scripts/setup.sh`` and inlined by ``geo.render.offline`` like every other script.
"""

from dataclasses import dataclass, field

import folium
import jinja2
from folium.elements import JSCSSMixin

from geo.core.registry import LayerSpec

__all__ = ["FIRST_ZOOM_OF_BIG_LAYERS", "MAX_INLINE_FEATURES", "VECTORGRID_URL", "ColourClasses", "TiledLayer",
           "first_zoom", "too_big_to_inline"]

# Measured on Schagen's overview map (2026-11-28, headless Chromium on the shared 2-core test machine under load):
# inlined, the page took 60 s to its load event against 7 s with tiles, 8x as long. 30,000 features (~11 MB of
# GeoJSON) is the most we inline: the embedded default (Schagen, 24k) stays a map that needs no server, Alkmaar
# (~58k) and every multi-municipality store go to tiles.
MAX_INLINE_FEATURES = 30_000
FIRST_ZOOM_OF_BIG_LAYERS = 12  # the server's first WebMercatorQuad level of a ``LayerSpec.vector_tiles`` layer
# (geo.serve.tiles, which render may not import; tests/test_maps_tiles.py checks the two agree)
VECTORGRID_URL = "https://unpkg.com/leaflet.vectorgrid@1.3.0/dist/Leaflet.VectorGrid.bundled.js"


def too_big_to_inline(features: int, limit: int = MAX_INLINE_FEATURES) -> bool:
    """Whether a layer of ``features`` features is drawn from vector tiles rather than inlined.

    >>> too_big_to_inline(24_000), too_big_to_inline(58_000)
    (False, True)
    """
    return features > limit


@dataclass(frozen=True)
class ColourClasses:
    """A fill colour by ``field < upper`` classes (``VectorStyle.classes``), else ``otherwise``: the same rule
    as the inlined layer's style function."""

    field: str
    classes: list[tuple[float, str]]
    otherwise: str
    path: dict = field(default_factory=dict)  # the other Leaflet path options (weight, fillOpacity, ...)


def first_zoom(spec: LayerSpec) -> int:
    """The first tile level the server serves of ``spec``'s collection in WebMercatorQuad."""
    return FIRST_ZOOM_OF_BIG_LAYERS if spec.vector_tiles else 0


class TiledLayer(JSCSSMixin, folium.map.Layer):
    """An overlay of ``collection``'s vector tiles from ``server_url``, from tile level ``min_zoom`` on.

    ``noun`` names the features in the map's notes ("panden"); ``popup_fields`` are the public fields shown on a
    click. The note (``#<name>_melding``) tells the reader to zoom in below ``min_zoom`` and says the server is
    not reachable when a tile request fails.
    """

    default_js = [("vectorgrid", VECTORGRID_URL)]
    _template = jinja2.Template("""{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (map) {
  var style = {{ this.style|tojson }}, minZoom = {{ this.min_zoom }}, fields = {{ this.popup_fields|tojson }};
  function colour(p) {
    var v = p[style.field];
    if (v === null || v === undefined || v === "") { return style.otherwise; }
    for (var i = 0; i < style.classes.length; i++) { if (v < style.classes[i][0]) { return style.classes[i][1]; } }
    return style.otherwise;
  }
  function escape(v) {
    return String(v === null || v === undefined ? "" : v).replace(/[&<>"]/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; });
  }
  // A failed tile fetch (server not reachable) becomes an empty tile and an event, not an uncaught error.
  var Tiles = L.VectorGrid.Protobuf.extend({
    _getVectorTilePromise: function (coords) {
      var layer = this;
      return L.VectorGrid.Protobuf.prototype._getVectorTilePromise.call(this, coords).then(
        function (tile) { layer.fire("tilereached"); return tile; },
        function () { layer.fire("tileunreachable"); return {layers: {}}; });
    }
  });
  var styles = {};
  styles[{{ this.collection|tojson }}] = function (p) {
    var c = colour(p);
    return L.extend({fill: true, color: c, fillColor: c}, style.path);
  };
  // Above the overlay pane: with prefer_canvas the inlined layers' canvas covers the map and would take every
  // click; tiles have no pointer events but their features' paths, so clicks elsewhere still reach the canvas.
  if (!map.getPane("tegels")) { map.createPane("tegels").style.zIndex = 450; }
  var layer = new Tiles({{ this.url|tojson }}, {
    pane: "tegels", rendererFactory: L.svg.tile, interactive: true, minZoom: minZoom,
    maxNativeZoom: {{ this.max_zoom }},
    vectorTileLayerStyles: styles, attribution: {{ this.attribution|tojson }},
    getFeatureId: function (f) { return f.properties[{{ this.key|tojson }}]; }
  });
  layer.on("click", function (e) {
    var rows = fields.map(function (f) {
      return "<tr><th>" + escape(f) + "</th><td>" + escape(e.layer.properties[f]) + "</td></tr>"; });
    L.popup().setLatLng(e.latlng).setContent("<table>" + rows.join("") + "</table>").openOn(map);
  });
  var note = L.control({position: "topleft"}), unreachable = false;
  note.onAdd = function () {
    var div = L.DomUtil.create("div", "tegels-melding");
    div.id = {{ (this.get_name() ~ "_melding")|tojson }};
    div.style.cssText = "background:#fff8e1;border:1px solid #b7950b;border-radius:4px;padding:6px 8px;" +
      "font:13px sans-serif;max-width:320px;display:none";
    return div;
  };
  note.addTo(map);
  function update() {
    var div = note.getContainer(), text = "";
    if (map.hasLayer(layer) && map.getZoom() < minZoom) { text = {{ this.zoom_text|tojson }}; }
    else if (map.hasLayer(layer) && unreachable) { text = {{ this.unreachable_text|tojson }}; }
    div.textContent = text;
    div.style.display = text ? "block" : "none";
  }
  layer.on("tileunreachable", function () { unreachable = true; update(); });
  layer.on("tilereached", function () { unreachable = false; update(); });
  layer.on("add remove", update);
  map.on("zoomend", update);
  return layer;
})({{ this._parent.get_name() }});
{% endmacro %}""")

    def __init__(self, server_url: str, collection: str, name: str, style: ColourClasses, *, key: str,
                 popup_fields: tuple[str, ...], noun: str, min_zoom: int, max_zoom: int = 18, show: bool = True):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "TiledLayer"
        base = server_url.rstrip("/")
        self.url = f"{base}/collections/{collection}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"
        self.collection, self.key, self.popup_fields = collection, key, list(popup_fields)
        self.style = {"field": style.field, "classes": style.classes, "otherwise": style.otherwise,
                      "path": style.path}
        self.min_zoom, self.max_zoom = min_zoom, max_zoom
        self.attribution = f'{noun.capitalize()}: <a href="{base}">{base}</a>'
        self.zoom_text = f"Zoom in om {noun} te zien."
        self.unreachable_text = f"{noun.capitalize()} worden getoond vanaf de server {base}; die is nu niet bereikbaar."
