"""Folium maps that open offline: every script and stylesheet is inlined (``geo.render.offline``); only base tiles
need a network.

Every map gets a legend and a provenance line (sources and build date). Only public fields reach a map.
"""

import html
from collections.abc import Mapping
from pathlib import Path

import branca
import folium
import geopandas as gpd
import jinja2
import shapely

from geo.core.registry import LayerSpec
from geo.core.style import UNKNOWN_COLOUR, VectorStyle
from geo.render.offline import inline
from geo.render.tiled_layer import MAX_INLINE_FEATURES, ColourClasses, TiledLayer, first_zoom, too_big_to_inline
from geo.store.geopackage import Store

# The libraries a map loads (Folium's own URLs; geo.render.offline maps them to installed copies): Leaflet, and
# jQuery for Folium's popups. Bootstrap and the awesome-markers icon fonts are left out: no map uses them.
MAP_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
          ("jquery", "https://code.jquery.com/jquery-3.7.1.min.js")]
MAP_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]
DEFAULT_SERVER_URL = "http://127.0.0.1:5000"  # geo serve's default host and port
NIET_STIKSTOFGEVOELIG = "niet stikstofgevoelig"


def nl(value, decimals: int = 0) -> str:
    """A number as Dutch readers write it: 1.234,5; "–" for a missing value.

    >>> nl(1234.5, 1), nl(1200), nl(0.256, 2), nl(None)
    ('1.234,5', '1.200', '0,26', '–')
    """
    if value is None or value != value:
        return "–"
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def stikstof_text(natura2000: gpd.GeoDataFrame) -> list[str]:
    """Per Natura 2000 area "stikstofgevoelig (KDW 786 mol N/ha/jr)" or "niet stikstofgevoelig" (e.g. 162
    Abtskolk & De Putten, a bird area without nitrogen-sensitive habitat)."""
    if "stikstofgevoelig" not in natura2000.columns:
        return [""] * len(natura2000)
    kdw = natura2000["laagste_kdw_mol_ha_jr"] if "laagste_kdw_mol_ha_jr" in natura2000 else [None] * len(natura2000)
    return [("stikstofgevoelig" + (f" (KDW {nl(k)} mol N/ha/jr)" if k is not None and k == k else ""))
            if g else NIET_STIKSTOFGEVOELIG for g, k in zip(natura2000["stikstofgevoelig"], kdw)]


def leaflet_style(style: VectorStyle, properties: dict) -> dict:
    """Leaflet path options of the rule of ``style`` that a feature's properties meet: the GIS style's colour,
    opacity and dashes on the web map."""
    rule = style.rule_for(properties)
    if rule is None:
        return {"color": UNKNOWN_COLOUR, "fillColor": UNKNOWN_COLOUR, "weight": 1, "fillOpacity": 0.35}
    sym = rule.symbol
    return {"color": sym.stroke or sym.fill, "fillColor": sym.fill or sym.stroke, "fill": sym.fill is not None,
            "fillOpacity": sym.fill_opacity, "weight": max(1.0, round(sym.stroke_width_mm * 3.78, 1)),
            "dashArray": {"dash": "6 4", "dot": "1 4"}.get(sym.stroke_style)}


def base_map(bounds_wgs84: list[float]) -> folium.Map:
    """A map fitted to ``[minlon, minlat, maxlon, maxlat]`` whose only scripts are Leaflet and jQuery."""
    m = folium.Map(tiles=None, prefer_canvas=True)
    folium.TileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", name="OpenStreetMap (achtergrond)",
                     attr="© OpenStreetMap-bijdragers", max_zoom=19).add_to(m)
    m.default_js = list(MAP_JS)
    m.default_css = list(MAP_CSS)
    MetricScale().add_to(m)
    minx, miny, maxx, maxy = bounds_wgs84
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


class MetricScale(folium.MacroElement):
    """Leaflet's scale bar in metres and kilometres only (Folium's ``control_scale`` adds feet and miles),
    bottom right, clear of the legends at the bottom left."""

    _template = jinja2.Template("""{% macro script(this, kwargs) %}
        L.control.scale({metric: true, imperial: false, position: "bottomright"})
            .addTo({{ this._parent.get_name() }});
    {% endmacro %}""")

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


def add_sample_banner(m: folium.Map, store: Store, layers: list[str]) -> str:
    """The voorbeelddata banner across the top of a full-page map when any of ``layers`` is generated;
    returns its text ("" when all are real)."""
    from geo.render.voorbeelddata import BANNER_CSS, MAP_BANNER_CSS, banner

    html_banner = banner(store, layers)
    if html_banner:
        m.get_root().header.add_child(branca.element.Element(f"<style>{BANNER_CSS}{MAP_BANNER_CSS}</style>"))
        m.get_root().html.add_child(branca.element.Element(html_banner))
    return html_banner


def add_legend(m: folium.Map, title: str, items: list[tuple[str, str]], footer: str = "") -> None:
    rows = "".join(f'<div><span style="display:inline-block;width:14px;height:14px;background:{c};'
                   f'border:1px solid #444;margin-right:6px;vertical-align:middle"></span>{html.escape(t)}</div>'
                   for t, c in items)
    box = (f'<div id="legend" style="position:fixed;bottom:24px;left:12px;z-index:9999;background:white;'
           f'padding:8px 10px;border:1px solid #888;border-radius:4px;font:12px sans-serif;max-width:320px">'
           f'<b>{html.escape(title)}</b>{rows}<div style="margin-top:6px;color:#555">{html.escape(footer)}</div></div>')
    m.get_root().html.add_child(branca.element.Element(box))


def save_offline(m: folium.Map, path: Path) -> Path:
    """Write the map with every script, stylesheet and icon inlined, so it opens without a network."""
    return write_offline(m.get_root().render(), path)


def write_offline(page: str, path: Path) -> Path:
    """Write ``page`` with every script and stylesheet it references inlined (``geo.render.offline.inline``)."""
    page = inline(page)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def provenance(store: Store) -> str:
    """Build date and each source with its date: the publisher's peildatum where known (as in the catalogue),
    else the file's date."""
    from geo.store.catalogue import reference_date

    info = store.info()
    sources = store.sources()
    dates = ", ".join(f"{Path(p).name} ({reference_date(p) or d[:10]})" for p, d in
                      sources.drop_duplicates("path")[["path", "modified"]].itertuples(index=False))
    return f"Gebouwd {info['built_at'].max()[:10]} uit: {dates}"


OVERVIEW_LAYERS = ["gemeentegebied", "natura2000_gebied", "pand", "omgevingsplan_functie", "bodemverontreiniging",
                   "stikstofbron"]


def overview_map(store: Store, out: Path, collections: Mapping[str, LayerSpec], server_url: str = DEFAULT_SERVER_URL,
                 inline_limit: int = MAX_INLINE_FEATURES) -> Path:
    """Gemeentegebied, Natura 2000 and BAG panden by building year, with legend and sources.

    ``collections`` (``Registry.collections()``) give each layer's public fields and, from its style, its colours.
    More than ``inline_limit`` panden are drawn from the vector tiles of the server at ``server_url``
    (``geo.render.tiled_layer``); fewer are inlined, and the map needs no server.
    """
    gemeente = store.read("gemeentegebied").to_crs("EPSG:4326")
    m = base_map(list(gemeente.total_bounds))
    natura_style = collections["natura2000_gebied"].style
    natura = store.read("natura2000_gebied").to_crs("EPSG:4326")
    natura = natura.assign(stikstof=stikstof_text(natura))
    _public_geojson(natura, (*collections["natura2000_gebied"].public_fields, "stikstof"), "Natura 2000-gebieden",
                    lambda f: leaflet_style(natura_style, f["properties"]),
                    ["nr", "naam", "richtlijn", "stikstof"]).add_to(m)
    _pand_layer(store, collections["pand"], server_url, inline_limit).add_to(m)
    _optional_layers(store, m, collections)
    gemeente_colour = collections["gemeentegebied"].style.colour
    folium.GeoJson(gemeente[["statnaam", "geometry"]].to_json(), name="Gemeentegebied",
                   style_function=lambda f: {"color": gemeente_colour, "weight": 2, "fill": False}).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    add_legend(m, f"Gemeente {gemeente['statnaam'].iloc[0]}", _legend(collections) + [("gemeentegrens", "#ffffff")],
               provenance(store))
    add_sample_banner(m, store, OVERVIEW_LAYERS)
    return save_offline(m, out)


PAND_POPUP = ("identificatie", "bouwjaar", "gebruiksdoel", "status")
PAND_PATH = {"weight": 0.5, "fillOpacity": 0.8}


def _pand_layer(store: Store, spec: LayerSpec, server_url: str, inline_limit: int) -> folium.map.Layer:
    """BAG panden coloured by building year: inlined, or from the server's vector tiles when too many."""
    pand = store.read("pand")
    if too_big_to_inline(len(pand), inline_limit):
        classes = ColourClasses("bouwjaar", [(upper, c) for upper, _, c in spec.style.classes("bouwjaar")],
                                spec.style.otherwise_colour, PAND_PATH)
        return TiledLayer(server_url, spec.name, "BAG panden (bouwjaar)", classes, key="identificatie",
                          popup_fields=PAND_POPUP, noun="panden", min_zoom=first_zoom(spec))
    pand = pand.set_geometry(pand.geometry.simplify(0.5)).to_crs("EPSG:4326")
    pand["klasse"] = pand["bouwjaar"].map(lambda year: _bouwjaar_colour(year, spec.style))
    return _public_geojson(pand, (*PAND_POPUP, "klasse"), "BAG panden (bouwjaar)",
                           lambda f: {"color": f["properties"]["klasse"], "fillColor": f["properties"]["klasse"],
                                      **PAND_PATH}, list(PAND_POPUP))


def _legend(collections: Mapping[str, LayerSpec]) -> list[tuple[str, str]]:
    """The overview map's legend, in the colours of the layers' styles."""
    items = collections["natura2000_gebied"].style.legend()
    items += [(f"pand {label}", c) for _, label, c in collections["pand"].style.classes("bouwjaar")]
    items += [("stikstofbron (grootte: NH3 kg/jr)", collections["stikstofbron"].style.colour)]
    return items + [(f"bodem: {status}", c)
                    for status, c in collections["bodemverontreiniging"].style.colours("status").items()]


def _optional_layers(store: Store, m: folium.Map, collections: Mapping[str, LayerSpec]) -> None:
    """Plan functions (hidden at first), soil contamination and nitrogen sources, when the store has them."""
    published = set(store.layers())
    if "omgevingsplan_functie" in published:
        spec = collections["omgevingsplan_functie"]
        functie_colours = spec.style.colours("groep")
        plan = store.read("omgevingsplan_functie").to_crs("EPSG:4326")
        plan = plan[plan["type"] == "functie"]
        _public_geojson(plan, spec.public_fields, "Omgevingsplan: functies",
                        lambda f: {"color": "#777", "weight": 0.5, "fillOpacity": 0.5,
                                   "fillColor": functie_colours.get(f["properties"]["groep"], "#ffffff")},
                        ["naam", "groep"], show=False).add_to(m)
    if "bodemverontreiniging" in published:
        spec = collections["bodemverontreiniging"]
        status_colours = spec.style.colours("status")
        bodem = store.read("bodemverontreiniging").to_crs("EPSG:4326")
        bodem = bodem[bodem["contourtype"] == "verontreinigingscontour"]
        _public_geojson(bodem, spec.public_fields, "Bodemverontreiniging (status)",
                        lambda f: {"color": "#333", "weight": 0.5, "fillOpacity": 0.8,
                                   "fillColor": status_colours.get(f["properties"]["status"], "#999")},
                        ["locatiecode", "locatienaam", "status", "stoffen"]).add_to(m)
    if "stikstofbron" in published:
        _add_sources(store.read("stikstofbron").to_crs("EPSG:4326"), m, collections["stikstofbron"].style.colour)


def _add_sources(bronnen: gpd.GeoDataFrame, m: folium.Map, colour: str) -> None:
    group = folium.FeatureGroup(name="Stikstofbronnen (NH3 kg/jr)")
    for b in bronnen.itertuples():
        nh3 = 0.0 if b.nh3_emissie != b.nh3_emissie or b.nh3_emissie is None else float(b.nh3_emissie)
        folium.CircleMarker([b.geometry.y, b.geometry.x], radius=2 + (nh3 ** 0.5) / 25, color=colour,
                            fill=True, fill_opacity=0.7, weight=1,
                            tooltip=f"{b.vthobject_id}: {b.bedrijfstype}, NH3 {nh3:,.0f} kg/jr").add_to(group)
    group.add_to(m)


def _bouwjaar_colour(year, pand_style: VectorStyle) -> str:
    if year is None or year != year:
        return pand_style.otherwise_colour
    return next(c for upper, _, c in pand_style.classes("bouwjaar") if year < upper)


def _public_geojson(gdf: gpd.GeoDataFrame, fields, name, style, tooltip_fields, show=True) -> folium.GeoJson:
    columns = [c for c in fields if c in gdf.columns]
    gdf = gdf.set_geometry(shapely.set_precision(gdf.geometry.values, 1e-6))  # ~10 cm: smaller pages
    data = gdf[[*columns, "geometry"]].to_json(drop_id=True)
    return folium.GeoJson(data, name=name, style_function=style, show=show,
                          tooltip=folium.GeoJsonTooltip(fields=tooltip_fields))
