"""The offline map of one place (``geo op-locatie``): numbered Wnb-besluiten beside a numbered list, like a loket.

Natura 2000-gebieden, the radius, stikstofbronnen and the place are Folium layers; the decisions are drawn by
``assets/besluitenlijst.js``, the same code the page ``/op-locatie/`` uses, into two Folium feature groups
(the numbered markers, and a count badge where decisions share a place), so both outputs number, spread and
link markers and list the same way. Beside the map: the list, the Natura 2000-gebieden, the data date, the
disclaimer and the sources; the voorbeelddata banner when any source is generated. An A4 print view
(``@media print``) puts map, list and date on one page. The file opens offline: every script is inlined.
"""

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

import branca
import folium
import geopandas as gpd
import jinja2

from geo.core import palette
from geo.render.maps import add_legend, base_map, stikstof_text, write_offline
from geo.render.voorbeelddata import BANNER_CSS, MAP_BANNER_CSS, banner_html

__all__ = ["Place", "location_map", "BESLUITTYPE_COLOURS", "DISCLAIMER"]

ASSETS = Path(__file__).parent / "assets"
BESLUITTYPE_COLOURS = palette.BESLUITTYPE
NATURA2000_COLOUR = palette.NATURA2000
BRON_COLOUR = palette.STIKSTOFBRON
DISCLAIMER = "Aan deze kaart kunnen geen rechten worden ontleend."
PRIVACY = ("Alleen openbare gegevens: namen en contactgegevens van aanvragers en bedrijven (AVG) worden niet "
           "getoond. Achtergrondkaart: OpenStreetMap (alleen met internet).")
DECISION_FIELDS = ("zaaknummer", "besluittype", "besluitdatum", "activiteit", "natura2000_gebieden",
                   "max_depositie_mol_ha_jr", "afstand_m", "publicatie_url")


@dataclass
class Place:
    """What the map shows about its place and data, beside the features."""

    label: str
    point: object  # shapely Point, RD New
    radius_m: float
    data_date: str = "onbekend"  # e.g. "28 november 2026"
    sources: list[tuple[str, str]] = field(default_factory=list)  # (title, herkomst)
    voorbeelddata: str = ""  # geo.render.voorbeelddata.notice: a banner when not empty
    provenance: str = ""


def location_map(place: Place, besluiten: gpd.GeoDataFrame, natura2000: gpd.GeoDataFrame,
                 bronnen: gpd.GeoDataFrame, out: Path) -> Path:
    """Write the map; the frames in RD New with only public fields and ``afstand_m``."""
    circle = gpd.GeoSeries([place.point.buffer(place.radius_m)], crs="EPSG:28992").to_crs("EPSG:4326")
    m = base_map(list(circle.total_bounds))
    m.options["preferCanvas"] = False
    m.options["zoomSnap"] = 0.25
    _natura2000_layer(natura2000).add_to(m)
    folium.GeoJson(circle.to_json(), name=f"straal {_nl(place.radius_m)} m", interactive=False,
                   style_function=lambda f: {"color": "#333", "weight": 1.5, "fill": False, "dashArray": "6 4"}
                   ).add_to(m)
    _sources_layer(bronnen).add_to(m)
    numbered = folium.FeatureGroup(name=f"Wnb-besluiten ({len(besluiten)})").add_to(m)
    shared = folium.FeatureGroup(name=f"Wnb-besluiten op één plek ({_shared_places(besluiten)})").add_to(m)
    xy = gpd.GeoSeries([place.point], crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
    folium.Marker([xy.y, xy.x], tooltip=place.label, popup=_e(place.label)).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    NumberedDecisions(numbered, shared, _decisions(besluiten), list(circle.total_bounds)).add_to(m)
    add_legend(m, "Legenda", [*BESLUITTYPE_COLOURS.items(), ("cijfer: nummer in de lijst", "#222"),
                              ("stikstofbron", BRON_COLOUR), ("Natura 2000-gebied", NATURA2000_COLOUR),
                              ("gezochte locatie (blauwe speld)", "#2a81cb"), ("straal (stippellijn)", "#ffffff")])
    root = m.get_root()
    root.header.add_child(branca.element.Element(f"<title>Wnb-besluiten op locatie — {_e(place.label)}</title>"
                                                 f"<style>{BANNER_CSS}{MAP_BANNER_CSS}{CSS}</style>"))
    root.html.add_child(branca.element.Element(banner_html(place.voorbeelddata)))
    root.html.add_child(branca.element.Element(side_panel(place, besluiten, natura2000)))
    return write_offline(root.render(), out)


def _natura2000_layer(natura2000: gpd.GeoDataFrame) -> folium.GeoJson:
    natura = natura2000.assign(geometry=natura2000.geometry.simplify(10), stikstof=stikstof_text(natura2000),
                               afstand=[f"{_nl(a)} m" for a in natura2000["afstand_m"]])
    return folium.GeoJson(
        natura[["nr", "naam", "stikstof", "afstand", "geometry"]].to_crs("EPSG:4326").to_json(na="null", drop_id=True),
        name=f"Natura 2000-gebieden ({len(natura2000)})",
        style_function=lambda f: {"color": NATURA2000_COLOUR, "fillColor": NATURA2000_COLOUR, "weight": 1,
                                  "fillOpacity": 0.3},
        tooltip=folium.GeoJsonTooltip(["nr", "naam", "stikstof", "afstand"],
                                      ["Natura 2000-gebied", "naam", "stikstof", "afstand"]))


def _sources_layer(bronnen: gpd.GeoDataFrame) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=f"Stikstofbronnen ({len(bronnen)})")
    for row, geom in zip(bronnen.itertuples(), bronnen.to_crs("EPSG:4326").geometry):
        text = _e(f"stikstofbron {row.vthobject_id}: {row.bedrijfstype}, NH3 {_nl(row.nh3_emissie)} kg/jr, "
                  f"{_nl(row.afstand_m)} m")
        folium.CircleMarker([geom.y, geom.x], radius=4, color="#222", weight=1, fill=True, fill_color=BRON_COLOUR,
                            fill_opacity=0.9, tooltip=text, popup=folium.Popup(text, max_width=360)).add_to(group)
    return group


def _shared_places(besluiten: gpd.GeoDataFrame) -> int:
    """How many places hold more than one decision (each gets a count badge)."""
    wgs = besluiten.to_crs("EPSG:4326").geometry
    return int((wgs.map(lambda g: (round(g.x, 6), round(g.y, 6))).value_counts() > 1).sum())


def _decisions(besluiten: gpd.GeoDataFrame) -> dict:
    """The decisions in list order as GeoJSON (CRS84) with the fields the list shows."""
    columns = [c for c in DECISION_FIELDS if c in besluiten.columns]
    return json.loads(besluiten[[*columns, "geometry"]].to_crs("EPSG:4326").to_json(na="null", drop_id=True))


class NumberedDecisions(folium.MacroElement):
    """Runs ``Besluitenlijst.draw`` once the map and its two groups exist (it is the map's last child), and
    fits the radius again when the page is printed (the map has another size on paper)."""

    _template = jinja2.Template("""
{% macro header(this, kwargs) %}<style>{{ this.css }}</style><script>{{ this.js }}</script>{% endmacro %}
{% macro script(this, kwargs) %}
    Besluitenlijst.draw({map: {{ this._parent.get_name() }}, group: {{ this.group.get_name() }},
        places: {{ this.places.get_name() }}, list: document.getElementById("besluiten"),
        features: {{ this.features }}.features, colours: {{ this.colours }}});
    window.matchMedia("print").addEventListener("change", function () {
        {{ this._parent.get_name() }}.invalidateSize(false);
        {{ this._parent.get_name() }}.fitBounds({{ this.bounds }}, {animate: false});
    });
{% endmacro %}""")

    def __init__(self, group: folium.FeatureGroup, places: folium.FeatureGroup, features: dict, bounds: list):
        super().__init__()
        self._name = "NumberedDecisions"
        self.group, self.places = group, places
        self.features = _script_json(features)
        self.colours = _script_json(BESLUITTYPE_COLOURS)
        minx, miny, maxx, maxy = bounds
        self.bounds = _script_json([[miny, minx], [maxy, maxx]])
        self.js = (ASSETS / "besluitenlijst.js").read_text(encoding="utf-8").replace("</", "<\\/")
        self.css = (ASSETS / "besluitenlijst.css").read_text(encoding="utf-8")


def _script_json(value) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def side_panel(place: Place, besluiten: gpd.GeoDataFrame, natura2000: gpd.GeoDataFrame) -> str:
    """The numbered list (filled by the script), summary, Natura 2000-gebieden, date, disclaimer, sources."""
    counts = besluiten["besluittype"].value_counts()
    summary = "".join(f'<li><span class="swatch" style="background:{BESLUITTYPE_COLOURS.get(t, "#777")}"></span>'
                      f"{_e(t)}: {int(n)}</li>" for t, n in counts.items())
    areas = "".join(f"<li>{r.nr} {_e(r.naam)}{'' if _sensitive(r) else ' (niet stikstofgevoelig)'}: "
                    f"{'de locatie ligt erin' if r.afstand_m == 0 else _nl(r.afstand_m) + ' m'}</li>"
                    for r in natura2000.itertuples())
    sources = "; ".join(f"{_e(t)}: {_e(h)}" for t, h in place.sources)
    empty = "" if len(besluiten) else "<p>Geen Wnb-besluiten binnen de straal.</p>"
    return (f'<aside id="zijpaneel"><h1>Wnb-besluiten op locatie</h1>'
            f"<h2>{len(besluiten)} Wnb-besluiten binnen {_nl(place.radius_m)} m van {_e(place.label)}</h2>"
            f'<ul class="samenvatting">{summary}</ul>{empty}'
            f'<ol id="besluiten" class="besluitenlijst" aria-label="Wnb-besluiten, genummerd als op de kaart"></ol>'
            f'<h3>Natura 2000-gebieden in de buurt</h3><ul class="gebieden">{areas}</ul>'
            f'<footer><p id="gegevensdatum">Gegevensdatum: {_e(place.data_date)} (laatste opbouw van de gegevens).</p>'
            f'<p id="disclaimer"><strong>{DISCLAIMER}</strong> Het besluit zelf is bepalend.</p>'
            f'<p id="bronnen">Bronnen: {sources}.</p><p>{_e(place.provenance)}</p><p>{PRIVACY}</p></footer></aside>')


def _sensitive(row) -> bool:
    value = getattr(row, "stikstofgevoelig", None)
    return value is None or value != value or bool(value)  # unknown: not claimed to be insensitive


def _nl(value) -> str:
    """A whole number with a Dutch thousands separator: 2000.0 -> '2.000'."""
    return f"{float(value):,.0f}".replace(",", ".")


def _e(text) -> str:
    return html.escape(str(text))


PANEL_WIDTH = 420
CSS = f"""
body {{ margin: 0; }}
.folium-map {{ position: absolute !important; top: 0; bottom: 0; left: 0; right: {PANEL_WIDTH}px;
  width: auto !important; height: auto !important; }}
#zijpaneel {{ position: fixed; top: 0; right: 0; bottom: 0; width: {PANEL_WIDTH}px; overflow: auto;
  box-sizing: border-box; padding: 8px 12px; background: #fff; border-left: 1px solid #bbb;
  font: 13px/1.4 system-ui, sans-serif; color: #222; }}
#zijpaneel h1 {{ font-size: 17px; margin: 0 0 4px; }}
#zijpaneel h2 {{ font-size: 14px; margin: 0 0 4px; }}
#zijpaneel h3 {{ font-size: 13px; margin: 10px 0 2px; }}
#zijpaneel ul.samenvatting {{ list-style: none; padding: 0; margin: 4px 0 8px; display: flex; flex-wrap: wrap;
  gap: 2px 12px; }}
#zijpaneel ul.gebieden {{ margin: 0; padding-left: 18px; }}
#zijpaneel footer {{ font-size: 11px; color: #555; margin-top: 8px; }}
#zijpaneel footer p {{ margin: 3px 0; }}
#disclaimer {{ color: #222; }}
.swatch {{ display: inline-block; width: 11px; height: 11px; border-radius: 6px; border: 1px solid #333;
  margin-right: 4px; vertical-align: -1px; }}
body > .voorbeelddata {{ max-width: calc(100% - {PANEL_WIDTH + 160}px); }}
@page {{ size: A4 portrait; margin: 10mm; }}
@media print {{
  html, body {{ height: auto !important; }}
  body {{ display: flex !important; flex-direction: column; }}  /* Folium writes the map after the panel */
  body > .voorbeelddata {{ order: 0; position: static !important; max-width: none; margin: 0 0 1mm; padding: 0.5mm 2mm;
    font-size: 7.5pt; box-shadow: none; border-width: 1px; }}
  .folium-map {{ order: 1; position: relative !important; right: auto; width: 100% !important;
    height: 82mm !important; flex: none; border: 1px solid #999; box-sizing: border-box; }}
  #legend {{ order: 2; position: static !important; max-width: none !important; display: flex; flex-wrap: wrap;
    gap: 0 3mm; font-size: 6.5pt !important; padding: 0.5mm 0 !important; border: 0 !important; }}
  #legend span {{ width: 2.5mm !important; height: 2.5mm !important; }}
  #legend > div:last-child:empty {{ display: none; }}
  #zijpaneel {{ order: 3; position: static; width: auto; overflow: visible; border: 0; padding: 0; font-size: 8pt; }}
  .leaflet-control-layers, .leaflet-control-zoom, .leaflet-popup {{ display: none !important; }}
  #zijpaneel h1 {{ display: none; }}
  #zijpaneel h2 {{ font-size: 10pt; margin: 1mm 0 0; }}
  #zijpaneel h3 {{ font-size: 8.5pt; margin: 1.5mm 0 0.5mm; }}
  #zijpaneel ul.samenvatting {{ margin: 0.5mm 0 1mm; font-size: 7.5pt; }}
  #zijpaneel ul.gebieden {{ font-size: 7.5pt; }}
  #besluiten {{ column-count: 2; column-gap: 4mm; }}
  #zijpaneel ol.besluitenlijst li {{ font-size: 6.5pt; padding: 0.8mm 1.5mm; margin-bottom: 0.8mm; line-height: 1.2;
    gap: 1.5mm; }}
  #zijpaneel ol.besluitenlijst li .nr {{ flex-basis: 4.5mm; height: 4.5mm; line-height: 4.5mm; font-size: 7pt; }}
  #zijpaneel ol.besluitenlijst li > div > div {{ display: inline; }}
  #zijpaneel ol.besluitenlijst li > div > div + div::before {{ content: " · "; }}
  #zijpaneel ol.besluitenlijst li.actief {{ outline: none; background: none; }}
  #zijpaneel footer {{ font-size: 6.5pt; margin-top: 1mm; }}
  #zijpaneel footer p {{ margin: 0.5mm 0; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""
