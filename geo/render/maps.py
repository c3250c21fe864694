"""Folium maps that open offline: every script and stylesheet is inlined (``geo.render.offline``); only base tiles
need a network.

Every map gets a legend and a provenance line (sources and build date). Only public fields reach a map.
"""

import html
import re
from pathlib import Path

import branca
import folium
import geopandas as gpd
import jinja2
import shapely

from geo.render.offline import inline
from geo.store.geopackage import Store

# The libraries a map loads (Folium's own URLs; geo.render.offline maps them to installed copies): Leaflet, and
# jQuery for Folium's popups. Bootstrap and the awesome-markers icon fonts are left out: no map uses them.
MAP_JS = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
          ("jquery", "https://code.jquery.com/jquery-3.7.1.min.js")]
MAP_CSS = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]
BOUWJAAR_CLASSES = [  # (upper bound, label, colour): colours shared with the QGIS styles
    (1900, "voor 1900", "#7f2704"), (1945, "1900–1944", "#d94801"), (1975, "1945–1974", "#fd8d3c"),
    (2000, "1975–1999", "#fdbe85"), (9999, "2000 en later", "#6baed6"),
]
NATURA2000_COLOUR = "#238b45"
GEMEENTE_COLOUR = "#252525"
STIKSTOFBRON_COLOUR = "#6a3d9a"
BODEM_STATUS_COLOURS = {  # Wbb status, from no concern to serious and urgent; shared with the QGIS styles
    "onverdacht": "#d9f0a3", "verdacht": "#fed976", "niet ernstig": "#feb24c", "ernstig, niet spoedeisend": "#f03b20",
    "ernstig, spoedeisend": "#bd0026", "gesaneerd": "#74a9cf", "nazorg": "#2b8cbe",
}
FUNCTIE_COLOURS = {  # omgevingsplan functie groep, after the Dutch SVBP/IMRO colour conventions
    "wonen": "#f3d27a", "centrum": "#f5a05a", "gemengd": "#f7b96b", "maatschappelijk": "#d3a9c7",
    "bedrijventerrein": "#b39ddb", "bedrijf": "#b39ddb", "agrarisch": "#e8f1d1", "natuur": "#82b36b",
    "recreatie": "#b5d88f", "verkeer": "#cdcdcd", "water": "#a6cee3",
}
# AERIUS Monitor's classes of overbelasting: total deposition relative to the KDW of the hexagon, in mol N/ha/jr.
# (class, legend label, colour, lower bound as (factor on KDW, offset)); one palette for the Folium maps, the
# QGIS/SLD styles (geo.render.styles) and the report legends.
OVERBELASTING_CLASSES = [
    ("geen stikstofprobleem", "geen stikstofprobleem (meer dan 70 onder de KDW)", "#1a9850", None),
    ("evenwicht", "evenwicht (KDW ± 70 mol/ha/jr)", "#fee08b", (1.0, -70.0)),
    ("matige overbelasting", "matige overbelasting (KDW + 70 tot 2 × KDW)", "#f46d43", (1.0, 70.0)),
    ("sterke overbelasting", "sterke overbelasting (meer dan 2 × KDW)", "#a50026", (2.0, 0.0)),
]
NIET_STIKSTOFGEVOELIG = "niet stikstofgevoelig"


def overbelasting(totaal, kdw):
    """AERIUS Monitor class of each total deposition against its KDW (arrays or scalars; mol N/ha/jr).

    >>> list(overbelasting([500, 700, 900, 1500], [700, 700, 700, 700]))
    ['geen stikstofprobleem', 'evenwicht', 'matige overbelasting', 'sterke overbelasting']
    """
    import numpy as np

    totaal, kdw = np.asarray(totaal, dtype=float), np.asarray(kdw, dtype=float)
    out = np.full(totaal.shape, OVERBELASTING_CLASSES[0][0], dtype=object)
    for name, _, _, (factor, offset) in OVERBELASTING_CLASSES[1:]:
        out[totaal > kdw * factor + offset] = name  # classes ascend: the last bound passed wins
    return out


def overbelasting_colour(name: str) -> str:
    return next(c for n, _, c, _ in OVERBELASTING_CLASSES if n == name)


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


def base_map(bounds_wgs84: list[float]) -> folium.Map:
    """A map fitted to ``[minlon, minlat, maxlon, maxlat]`` whose only scripts are Leaflet and jQuery."""
    m = folium.Map(tiles="OpenStreetMap", prefer_canvas=True)
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


def overview_map(store: Store, out: Path) -> Path:
    """Gemeentegebied, Natura 2000 and BAG panden by building year, with legend and sources."""
    from layers import LAYERS

    gemeente = store.read("gemeentegebied").to_crs("EPSG:4326")
    m = base_map(list(gemeente.total_bounds))
    natura = store.read("natura2000_gebied").to_crs("EPSG:4326")
    natura = natura.assign(stikstof=stikstof_text(natura))
    _public_geojson(natura, (*LAYERS["natura2000_gebied"].PUBLIC_FIELDS, "stikstof"), "Natura 2000-gebieden",
                    lambda f: {"color": NATURA2000_COLOUR, "fillColor": NATURA2000_COLOUR, "weight": 1,
                               "fillOpacity": 0.35}, ["nr", "naam", "richtlijn", "stikstof"]).add_to(m)
    pand = store.read("pand")
    pand = pand.set_geometry(pand.geometry.simplify(0.5)).to_crs("EPSG:4326")
    pand["klasse"] = pand["bouwjaar"].map(_bouwjaar_colour)
    _public_geojson(pand, ("identificatie", "bouwjaar", "gebruiksdoel", "status", "klasse"), "BAG panden (bouwjaar)",
                    lambda f: {"color": f["properties"]["klasse"], "weight": 0.5,
                               "fillColor": f["properties"]["klasse"], "fillOpacity": 0.8},
                    ["identificatie", "bouwjaar", "gebruiksdoel", "status"]).add_to(m)
    _optional_layers(store, m)
    folium.GeoJson(gemeente[["statnaam", "geometry"]].to_json(), name="Gemeentegebied",
                   style_function=lambda f: {"color": GEMEENTE_COLOUR, "weight": 2, "fill": False}).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    items = [("Natura 2000-gebied", NATURA2000_COLOUR)] + [(f"pand {label}", c) for _, label, c in BOUWJAAR_CLASSES]
    items += [("stikstofbron (grootte: NH3 kg/jr)", STIKSTOFBRON_COLOUR)]
    items += [(f"bodem: {status}", c) for status, c in BODEM_STATUS_COLOURS.items()]
    add_legend(m, f"Gemeente {gemeente['statnaam'].iloc[0]}", items + [("gemeentegrens", "#ffffff")],
               provenance(store))
    add_sample_banner(m, store, OVERVIEW_LAYERS)
    return save_offline(m, out)


def _optional_layers(store: Store, m: folium.Map) -> None:
    """Plan functions (hidden at first), soil contamination and nitrogen sources, when the store has them."""
    from layers import LAYERS

    published = set(store.layers())
    if "omgevingsplan_functie" in published:
        plan = store.read("omgevingsplan_functie").to_crs("EPSG:4326")
        plan = plan[plan["type"] == "functie"]
        _public_geojson(plan, LAYERS["omgevingsplan_functie"].PUBLIC_FIELDS, "Omgevingsplan: functies",
                        lambda f: {"color": "#777", "weight": 0.5, "fillOpacity": 0.5,
                                   "fillColor": FUNCTIE_COLOURS.get(f["properties"]["groep"], "#ffffff")},
                        ["naam", "groep"], show=False).add_to(m)
    if "bodemverontreiniging" in published:
        bodem = store.read("bodemverontreiniging").to_crs("EPSG:4326")
        bodem = bodem[bodem["contourtype"] == "verontreinigingscontour"]
        _public_geojson(bodem, LAYERS["bodemverontreiniging"].PUBLIC_FIELDS, "Bodemverontreiniging (status)",
                        lambda f: {"color": "#333", "weight": 0.5, "fillOpacity": 0.8,
                                   "fillColor": BODEM_STATUS_COLOURS.get(f["properties"]["status"], "#999")},
                        ["locatiecode", "locatienaam", "status", "stoffen"]).add_to(m)
    if "stikstofbron" in published:
        _add_sources(store.read("stikstofbron").to_crs("EPSG:4326"), m)


def _add_sources(bronnen: gpd.GeoDataFrame, m: folium.Map) -> None:
    group = folium.FeatureGroup(name="Stikstofbronnen (NH3 kg/jr)")
    for b in bronnen.itertuples():
        nh3 = 0.0 if b.nh3_emissie != b.nh3_emissie or b.nh3_emissie is None else float(b.nh3_emissie)
        folium.CircleMarker([b.geometry.y, b.geometry.x], radius=2 + (nh3 ** 0.5) / 25, color=STIKSTOFBRON_COLOUR,
                            fill=True, fill_opacity=0.7, weight=1,
                            tooltip=f"{b.vthobject_id}: {b.bedrijfstype}, NH3 {nh3:,.0f} kg/jr").add_to(group)
    group.add_to(m)


def _bouwjaar_colour(year) -> str:
    if year is None or year != year:
        return "#bdbdbd"
    return next(c for upper, _, c in BOUWJAAR_CLASSES if year < upper)


def _public_geojson(gdf: gpd.GeoDataFrame, fields, name, style, tooltip_fields, show=True) -> folium.GeoJson:
    columns = [c for c in fields if c in gdf.columns]
    gdf = gdf.set_geometry(shapely.set_precision(gdf.geometry.values, 1e-6))  # ~10 cm: smaller pages
    data = gdf[[*columns, "geometry"]].to_json(drop_id=True)
    return folium.GeoJson(data, name=name, style_function=style, show=show,
                          tooltip=folium.GeoJsonTooltip(fields=tooltip_fields))
