"""Self-contained HTML reports: a Folium map of findings, summary counts, an SVG chart and tables, in one file.

The report opens without a network: Leaflet's JS and CSS are inlined (as ``geo.render.maps.save_offline`` does),
the chart is inline SVG, and there is no link to a CDN; only the base map tiles need a network and the
data show without them. Every map feature is counted into ``#kaart-status[data-features]`` once drawn,
so a test (or a reader) can see that the map holds what the tables list. Only the columns passed in reach
the page: callers pass public fields only.
"""

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import branca
import folium
import geopandas as gpd
import shapely
from jinja2 import Template

from geo.core import palette
from geo.render.maps import add_legend, base_map, stikstof_text, write_offline
from geo.render.voorbeelddata import BANNER_CSS, MAP_BANNER_CSS, banner_html

KIND_COLOURS = palette.BEVINDING
AREA_COLOUR = "#252525"
LARGE_M2 = 1_000_000.0
BESLUITTYPE_COLOURS = palette.BESLUITTYPE
NATURA2000_COLOUR = palette.NATURA2000
BRON_COLOUR = palette.STIKSTOFBRON
PRIVACY = ("Privacy (AVG): dit rapport bevat alleen openbare gegevens. Namen, adressen en contactgegevens van "
           "aanvragers, eigenaren en bedrijven staan wel in de registers van de omgevingsdienst, maar niet in "
           "kaarten, rapporten of antwoorden van deze server.")


@dataclass
class Report:
    """What a findings report shows; ``findings`` in RD New with columns soort, regel, regel_titel, reden."""

    title: str
    subtitle: str
    findings: gpd.GeoDataFrame
    area: shapely.Geometry
    kinds: tuple[str, ...]
    columns: dict[str, str]  # column -> table header, in order
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # (regel, titel, uitleg)
    provenance: str = ""
    notes: list[str] = field(default_factory=list)
    voorbeelddata: str = ""  # geo.render.voorbeelddata.notice: shown as a banner above everything when not empty


def write_report(report: Report, out: Path) -> Path:
    """Write ``report`` as one HTML file that opens offline."""
    m = findings_map(report)
    m.get_root().header.add_child(branca.element.Element(f"<title>{_e(report.title)}</title><style>{CSS}</style>"))
    m.get_root().html.add_child(branca.element.Element(_head(report)))
    page = m.get_root().render().replace("</body>", _tail(report) + "</body>", 1)
    return write_offline(page, out)


def findings_map(report: Report) -> folium.Map:
    """The area outline and one layer per kind of finding, with popups, layer control and legend."""
    area = gpd.GeoSeries([report.area], crs="EPSG:28992").to_crs("EPSG:4326")
    m = base_map(list(area.total_bounds))
    m.get_root().width, m.get_root().height = "100%", "auto"
    m.options["preferCanvas"] = False  # SVG paths: every finding is an element a test can count
    m.height, m.position = (520.0, "px"), "relative"
    folium.GeoJson(area.to_json(), name="Geanalyseerd gebied",
                   style_function=lambda f: {"color": AREA_COLOUR, "weight": 2, "fill": False, "dashArray": "6 4"},
                   ).add_to(m)
    layers = [_kind_layer(report, kind) for kind in report.kinds]
    for layer in layers:
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    MapLegend("Bevindingen", [(k, KIND_COLOURS.get(k, "#777")) for k in report.kinds]
              + [("geanalyseerd gebied (rand)", "#ffffff")]).add_to(m)
    FeatureCounter(layers).add_to(m)
    return m


def _kind_layer(report: Report, kind: str) -> folium.GeoJson:
    gdf = report.findings[report.findings["soort"] == kind]
    columns = [c for c in report.columns if c in gdf.columns]
    gdf = gdf[columns + ["geometry"]].to_crs("EPSG:4326")
    gdf = gdf.set_geometry(shapely.set_precision(gdf.geometry.values, 1e-6))
    colour = KIND_COLOURS.get(kind, "#777")
    popup_fields = [c for c in columns if c not in ("soort",)]
    return folium.GeoJson(
        gdf.to_json(na="null", drop_id=True) if len(gdf) else {"type": "FeatureCollection", "features": []},
        name=f"{kind} ({len(gdf)})",
        style_function=lambda f, c=colour: _finding_style(f, c),
        popup=folium.GeoJsonPopup(fields=popup_fields, aliases=[report.columns[c] for c in popup_fields],
                                  max_width=420) if len(gdf) else None,
    )


def _finding_style(feature: dict, colour: str) -> dict:
    """Findings of more than 100 ha (e.g. 'the whole area lacks data') as a dashed outline, not a fill."""
    large = (feature["properties"].get("opp_m2") or 0) > LARGE_M2
    return {"color": colour, "weight": 3 if large else 1.5, "fillColor": colour,
            "fillOpacity": 0.05 if large else 0.5, "dashArray": "10 6" if large else None}


class FeatureCounter(folium.MacroElement):
    """Writes the number of features the map drew into ``#kaart-status`` (``data-features``)."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function () {
            var n = 0;
            {% for layer in this.layers %}n += {{ layer.get_name() }}.getLayers().length;
            {% endfor %}
            var el = document.getElementById("kaart-status");
            if (el) { el.dataset.features = String(n); el.textContent = n + " bevindingen op de kaart"; }
        })();
    {% endmacro %}""")

    def __init__(self, layers: list[folium.GeoJson]):
        super().__init__()
        self._name = "FeatureCounter"
        self.layers = layers


class MapLegend(folium.MacroElement):
    """A legend as a Leaflet control inside the map (it scrolls with the map, unlike a fixed box)."""

    _template = Template("""{% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "kaart-legenda");
                div.innerHTML = {{ this.body|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
    {% endmacro %}""")

    def __init__(self, title: str, items: list[tuple[str, str]]):
        super().__init__()
        self._name = "MapLegend"
        rows = "".join(f'<div><span class="swatch" style="background:{c}"></span>{_e(t)}</div>' for t, c in items)
        self.body = f"<b>{_e(title)}</b>{rows}"


def _head(report: Report) -> str:
    counts = report.findings["soort"].value_counts()
    cards = "".join(f'<div class="card" style="border-color:{KIND_COLOURS.get(k, "#777")}">'
                    f'<div class="n" data-soort="{_e(k)}">{int(counts.get(k, 0))}</div><div>{_e(k)}</div></div>'
                    for k in report.kinds)
    notes = "".join(f"<p class=note>{_e(n)}</p>" for n in report.notes)
    return (f'{banner_html(report.voorbeelddata)}'
            f'<header><h1>{_e(report.title)}</h1><p>{_e(report.subtitle)}</p></header>'
            f'<section id="samenvatting"><h2>Samenvatting</h2><div class="cards">{cards}</div>{notes}'
            f'{bar_chart(report)}</section><h2 class="kaart">Kaart</h2>'
            f'<p id="kaart-status" data-features="-1">kaart laden…</p>')


def _tail(report: Report) -> str:
    tables = "".join(_table(report, kind) for kind in report.kinds)
    rules = "".join(f"<tr><td><code>{_e(r)}</code></td><td>{_e(t)}</td><td>{_e(u)}</td></tr>"
                    for r, t, u in report.rules)
    return (f'<main>{tables}<section id="regels"><h2>Regels</h2><table><tr><th>regel</th><th>titel</th>'
            f'<th>wat en waarom</th></tr>{rules}</table></section>'
            f'<section id="bronnen"><h2>Bronnen</h2><p>{_e(report.provenance)}</p></section>'
            f'<section id="privacy"><h2>Privacy</h2><p>{_e(PRIVACY)}</p></section></main>')


def _table(report: Report, kind: str) -> str:
    rows = report.findings[report.findings["soort"] == kind]
    columns = [c for c in report.columns if c in rows.columns and c != "soort"]
    head = "".join(f"<th>{_e(report.columns[c])}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(getattr(r, c))}</td>" for c in columns) + "</tr>"
                   for r in rows.itertuples())
    empty = "" if len(rows) else f'<p class="leeg">Geen bevindingen van de soort {_e(kind)}.</p>'
    slug = re.sub(r"\W+", "-", kind)
    return (f'<section class="soort" id="tabel-{slug}"><h2>{_e(kind.capitalize())} ({len(rows)})</h2>{empty}'
            f'<table>{"<tr>" + head + "</tr>" if len(rows) else ""}{body}</table></section>')


def bar_chart(report: Report, width: int = 760) -> str:
    """Inline SVG: findings per rule, stacked by kind."""
    table = report.findings.groupby(["regel_titel", "soort"]).size().unstack(fill_value=0)
    if table.empty:
        return '<p class="leeg">Geen bevindingen.</p>'
    label_w, bar_h, top = 380, 22, 8
    scale = (width - label_w - 50) / max(1, table.sum(axis=1).max())
    parts = []
    for i, (rule, row) in enumerate(table.iterrows()):
        y, x = top + i * (bar_h + 6), label_w
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{_e(rule)}</text>')
        for kind in report.kinds:
            n = int(row.get(kind, 0))
            if n:
                w = n * scale
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
                             f'fill="{KIND_COLOURS.get(kind, "#777")}"><title>{_e(kind)}: {n}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{int(row.sum())}</text>')
    height = top * 2 + len(table) * (bar_h + 6)
    return (f'<figure><svg id="grafiek" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif" font-size="12" role="img" aria-label="Bevindingen per regel">'
            f'{"".join(parts)}</svg><figcaption>Aantal bevindingen per regel, gekleurd naar soort.</figcaption>'
            f'</figure>')


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", ".")
    return _e(str(value))


def _e(text) -> str:
    return html.escape(str(text))


CSS = BANNER_CSS + """
.voorbeelddata { margin: 12px 0 0; border-radius: 4px; }
html, body { height: auto !important; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto !important; max-width: 1100px;
       padding: 0 16px 40px !important; color: #222; }
header h1 { margin: 16px 0 4px; font-size: 24px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { border-left: 6px solid; padding: 6px 14px; background: #f6f6f6; min-width: 150px; }
.card .n { font-size: 28px; font-weight: 700; }
.folium-map { height: 520px !important; position: relative !important; border: 1px solid #bbb; }
.kaart-legenda { background: white; padding: 6px 8px; border: 1px solid #888; border-radius: 4px;
                 font: 12px sans-serif; }
.kaart-legenda .swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #444; margin-right: 6px;
                         vertical-align: middle; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 20px; font-size: 13px; }
th, td { border: 1px solid #ddd; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
p.note { background: #fff7e0; padding: 6px 10px; border-left: 4px solid #fdae61; }
figure { margin: 12px 0; }
"""


def location_map(label: str, point, radius_m: float, besluiten: gpd.GeoDataFrame, natura2000: gpd.GeoDataFrame,
                 bronnen: gpd.GeoDataFrame, provenance: str, out: Path, voorbeelddata: str = "") -> Path:
    """Map of one place: the radius, Wnb-besluiten by besluittype, Natura 2000-gebieden and stikstofbronnen.

    All frames in RD New with only public fields and ``afstand_m``; the file opens offline. ``voorbeelddata``
    (``geo.render.voorbeelddata.notice``) is shown as a banner when not empty."""
    circle = gpd.GeoSeries([point.buffer(radius_m)], crs="EPSG:28992").to_crs("EPSG:4326")
    m = base_map(list(circle.total_bounds))
    m.options["preferCanvas"] = False
    natura = natura2000.assign(geometry=natura2000.geometry.simplify(10), stikstof=stikstof_text(natura2000),
                               afstand=[f"{_cell(float(a))} m" for a in natura2000["afstand_m"]])
    folium.GeoJson(natura[["nr", "naam", "stikstof", "afstand", "geometry"]].to_crs("EPSG:4326").to_json(
        na="null", drop_id=True), name=f"Natura 2000-gebieden ({len(natura2000)})",
        style_function=lambda f: {"color": NATURA2000_COLOUR, "fillColor": NATURA2000_COLOUR, "weight": 1,
                                  "fillOpacity": 0.3},
        tooltip=folium.GeoJsonTooltip(["nr", "naam", "stikstof", "afstand"],
                                      ["Natura 2000-gebied", "naam", "stikstof", "afstand"])).add_to(m)
    folium.GeoJson(circle.to_json(), name=f"straal {radius_m:,.0f} m".replace(",", "."),
                   style_function=lambda f: {"color": "#333", "weight": 1.5, "fill": False, "dashArray": "6 4"}
                   ).add_to(m)
    _points(bronnen, "Stikstofbronnen", lambda r: BRON_COLOUR, 3,
            lambda r: f"stikstofbron {r.vthobject_id}: {r.bedrijfstype}, NH3 {_cell(r.nh3_emissie)} kg/jr, "
                      f"{r.afstand_m:.0f} m").add_to(m)
    _points(besluiten, "Wnb-besluiten", lambda r: BESLUITTYPE_COLOURS.get(r.besluittype, "#777"), 7,
            _besluit_popup).add_to(m)
    _shared_places(besluiten, "Wnb-besluiten op één plek", _besluit_popup).add_to(m)
    xy = gpd.GeoSeries([point], crs="EPSG:28992").to_crs("EPSG:4326").iloc[0]
    folium.Marker([xy.y, xy.x], tooltip=label, popup=_e(label)).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    items = [(t, c) for t, c in BESLUITTYPE_COLOURS.items()] + [("stikstofbron", BRON_COLOUR),
                                                                ("Natura 2000-gebied", NATURA2000_COLOUR)]
    add_legend(m, f"Wnb-besluiten binnen {radius_m:,.0f} m van {label}".replace(",", "."), items, provenance)
    m.get_root().header.add_child(branca.element.Element(f"<style>{BADGE_CSS}</style>"))
    if voorbeelddata:
        m.get_root().header.add_child(branca.element.Element(f"<style>{BANNER_CSS}{MAP_BANNER_CSS}</style>"))
        m.get_root().html.add_child(branca.element.Element(banner_html(voorbeelddata)))
    return write_offline(m.get_root().render(), out)


def _points(gdf: gpd.GeoDataFrame, name: str, colour, radius: int, text) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=f"{name} ({len(gdf)})")
    wgs = gdf.to_crs("EPSG:4326")
    for row, geom in zip(gdf.itertuples(), wgs.geometry):
        folium.CircleMarker([geom.y, geom.x], radius=radius, color="#222", weight=1, fill=True,
                            fill_color=colour(row), fill_opacity=0.9, tooltip=_e(text(row)),
                            popup=folium.Popup(_e(text(row)), max_width=360)).add_to(group)
    return group


def _shared_places(gdf: gpd.GeoDataFrame, name: str, text) -> folium.FeatureGroup:
    """A count badge beside each place that holds more than one feature (markers there lie on top of each
    other); its popup lists them all."""
    wgs = gdf.to_crs("EPSG:4326")
    keys = [(round(g.x, 6), round(g.y, 6)) for g in wgs.geometry]
    places: dict[tuple, list] = {}
    for key, row in zip(keys, gdf.itertuples()):
        places.setdefault(key, []).append(row)
    shared = {key: rows for key, rows in places.items() if len(rows) > 1}
    group = folium.FeatureGroup(name=f"{name} ({len(shared)})")
    for (x, y), rows in shared.items():
        items = "".join(f"<li>{_e(text(r))}</li>" for r in rows)
        folium.Marker([y, x], icon=folium.DivIcon(html=f'<div class="zelfde-plek">{len(rows)}</div>',
                                                  icon_size=(20, 20), icon_anchor=(-5, 24), class_name="aantal"),
                      tooltip=f"{len(rows)} besluiten op deze plek",
                      popup=folium.Popup(f"<b>{len(rows)} besluiten op deze plek</b><ul>{items}</ul>",
                                         max_width=420)).add_to(group)
    return group


BADGE_CSS = (".zelfde-plek { width: 20px; height: 20px; border-radius: 10px; background: #222; color: #fff; "
             "font: 700 12px/20px sans-serif; text-align: center; box-shadow: 0 0 0 2px #fff; }")


def _besluit_popup(r) -> str:
    return (f"{r.zaaknummer} — {r.besluittype} ({_cell(r.besluitdatum) or 'geen besluitdatum'}): {r.activiteit}; "
            f"AERIUS max {_aerius(r.max_depositie_mol_ha_jr)} mol N/ha/jr; afstand {r.afstand_m:.0f} m")


def _aerius(value) -> str:
    """AERIUS reports mol N/ha/jr with two decimals."""
    return "-" if value is None or value != value else f"{float(value):.2f}".replace(".", ",")
