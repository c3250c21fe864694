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
from geo.render.maps import base_map, write_offline
from geo.render.tabel import CSS as TABLE_CSS
from geo.render.tabel import SCRIPT as TABLE_SCRIPT
from geo.render.tabel import Html, nl_number, sortable_table
from geo.render.voorbeelddata import BANNER_CSS, banner_html

KIND_COLOURS = palette.BEVINDING
AREA_COLOUR = "#252525"
LARGE_M2 = 1_000_000.0
PRIVACY = ("Privacy (AVG): dit rapport bevat alleen openbare gegevens. Namen, adressen en contactgegevens van "
           "aanvragers, eigenaren en bedrijven staan wel in de registers van de omgevingsdienst, maar niet in "
           "kaarten, rapporten of antwoorden van deze server.")


@dataclass
class ContextLayer:
    """A layer drawn under the findings for orientation (Natura 2000, plan functions), with its legend entries."""

    name: str  # overlay name and legend heading
    frame: gpd.GeoDataFrame  # RD New, public fields only
    tooltip: list[tuple[str, str]]  # (column, label)
    colour: str
    colour_by: str | None = None  # a column whose values pick the colour from ``colours``
    colours: dict[str, str] = field(default_factory=dict)

    def colour_of(self, value) -> str:
        return self.colours.get(value, self.colour)

    def legend(self) -> list[tuple[str, str]]:
        if not self.colour_by:
            return [(self.name, self.colour)]
        present = sorted(set(self.frame[self.colour_by].dropna()))
        return [(f"{self.name}: {v}", self.colour_of(v)) for v in present]


@dataclass
class Report:
    """What a findings report shows; ``findings`` in RD New with columns soort, regel, regel_titel, reden."""

    title: str
    subtitle: str
    findings: gpd.GeoDataFrame
    area: shapely.Geometry
    kinds: tuple[str, ...]
    columns: dict[str, str]  # column -> table header, in order (the table of each group of findings)
    rules: list[tuple[str, str, str]] = field(default_factory=list)  # (regel, titel, uitleg)
    provenance: str = ""
    notes: list[str] = field(default_factory=list)
    voorbeelddata: str = ""  # geo.render.voorbeelddata.notice: shown as a banner above everything when not empty
    header: list[tuple[str, str]] = field(default_factory=list)  # (label, value): gemeente, datum, build
    groups: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (regel, soort) -> (één, meer)
    kind_titles: dict[str, str] = field(default_factory=dict)  # soort -> section heading (plural)
    context: list[ContextLayer] = field(default_factory=list)
    decimals: dict[str, int] = field(default_factory=dict)  # column -> decimals of its numbers (default 0)


def write_report(report: Report, out: Path) -> Path:
    """Write ``report`` as one HTML file that opens offline."""
    m = findings_map(report)
    m.get_root().header.add_child(branca.element.Element(
        f"<title>{_e(report.title)}</title><style>{CSS}{TABLE_CSS}</style>"))
    m.get_root().html.add_child(branca.element.Element(_head(report)))
    page = m.get_root().render().replace("</body>", _tail(report) + TABLE_SCRIPT + "</body>", 1)
    return write_offline(page, out)


def findings_map(report: Report) -> folium.Map:
    """The area outline, the context layers, one layer per kind of finding, with popups, layer control and
    legend (and the metric scale bar of ``base_map``)."""
    area = gpd.GeoSeries([report.area], crs="EPSG:28992").to_crs("EPSG:4326")
    m = base_map(list(area.total_bounds))
    m.get_root().width, m.get_root().height = "100%", "auto"
    m.options["preferCanvas"] = False  # SVG paths: every finding is an element a test can count
    m.height, m.position = (520.0, "px"), "relative"
    for layer in report.context:
        _context_layer(layer).add_to(m)
    folium.GeoJson(area.to_json(), name="Geanalyseerd gebied",
                   style_function=lambda f: {"color": AREA_COLOUR, "weight": 2, "fill": False, "dashArray": "6 4"},
                   ).add_to(m)
    layers = [_kind_layer(report, kind) for kind in report.kinds]
    for layer in layers:
        layer.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    context = [item for layer in report.context for item in layer.legend()]
    MapLegend("Bevindingen", [(k, KIND_COLOURS.get(k, "#777")) for k in report.kinds]
              + [("geanalyseerd gebied (rand)", "#ffffff")] + context).add_to(m)
    FeatureCounter(layers).add_to(m)
    return m


def _context_layer(layer: ContextLayer) -> folium.GeoJson:
    columns = [c for c, _ in layer.tooltip] + ([layer.colour_by] if layer.colour_by else [])
    frame = layer.frame[list(dict.fromkeys(columns))].astype(str).set_geometry(
        layer.frame.geometry.simplify(2).values, crs=layer.frame.crs).to_crs("EPSG:4326")
    key = layer.colour_by

    def style(feature):
        colour = layer.colour_of(feature["properties"].get(key)) if key else layer.colour
        return {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": 0.25}

    return folium.GeoJson(
        frame.to_json(na="null", drop_id=True) if len(frame) else {"type": "FeatureCollection", "features": []},
        name=f"{layer.name} ({len(frame)})", style_function=style,
        tooltip=folium.GeoJsonTooltip([c for c, _ in layer.tooltip], [t for _, t in layer.tooltip])
        if len(frame) else None)


def _kind_layer(report: Report, kind: str) -> folium.GeoJson:
    gdf = report.findings[report.findings["soort"] == kind]
    fields = ["regel_titel", *[c for c in report.columns if c in gdf.columns]]
    labels = {"regel_titel": "bevinding", **report.columns}
    shown = {c: [_text(v, report.decimals.get(c, 0)) for v in gdf[c]] for c in fields}  # nl_NL, as the tables
    shown["groot"] = ["ja" if a > LARGE_M2 else "" for a in gdf.geometry.area]
    wgs = gpd.GeoDataFrame(shown, geometry=gdf.geometry.values, crs=gdf.crs).to_crs("EPSG:4326")
    wgs = wgs.set_geometry(shapely.set_precision(wgs.geometry.values, 1e-6))
    colour = KIND_COLOURS.get(kind, "#777")
    return folium.GeoJson(
        wgs.to_json(na="null", drop_id=True) if len(wgs) else {"type": "FeatureCollection", "features": []},
        name=f"{kind} ({len(wgs)})",
        style_function=lambda f, c=colour: _finding_style(f, c),
        popup=folium.GeoJsonPopup(fields=fields, aliases=[labels[c] for c in fields], max_width=420)
        if len(wgs) else None,
    )


def _finding_style(feature: dict, colour: str) -> dict:
    """Findings of more than 100 ha (e.g. 'the whole area lacks data') as a dashed outline, not a fill."""
    large = feature["properties"].get("groot") == "ja"
    return {"color": colour, "weight": 3 if large else 1.5, "fillColor": colour,
            "fillOpacity": 0.05 if large else 0.5, "dashArray": "10 6" if large else None}


def _text(value, decimals: int) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return nl_number(value, decimals)
    return str(value)


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
                    f'<div class="n" data-soort="{_e(k)}">{nl_number(int(counts.get(k, 0)))}</div>'
                    f'<div>{_e(k)}</div></div>' for k in report.kinds)
    notes = "".join(f"<p class=note>{_e(n)}</p>" for n in report.notes)
    header = "".join(f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>" for label, value in report.header)
    return (f'{banner_html(report.voorbeelddata)}'
            f'<header><h1>{_e(report.title)}</h1><dl class="kop">{header}</dl><p>{_e(report.subtitle)}</p></header>'
            f'<section id="samenvatting"><h2>Samenvatting</h2><div class="cards">{cards}</div>{notes}'
            f'{_overview(report)}{bar_chart(report)}</section><h2 class="kaart">Kaart</h2>'
            f'<p id="kaart-status" data-features="-1">kaart laden…</p>')


def groups(report: Report) -> list[tuple[str, str, gpd.GeoDataFrame]]:
    """(soort, regel, rows) of every group of findings, in the order of the kinds and then of the rules."""
    order = [r for r, _, _ in report.rules] or sorted(set(report.findings["regel"]))
    out = []
    for kind in report.kinds:
        of_kind = report.findings[report.findings["soort"] == kind]
        out += [(kind, regel, of_kind[of_kind["regel"] == regel]) for regel in order
                if (of_kind["regel"] == regel).any()]
    return out


def group_heading(report: Report, kind: str, regel: str, n: int) -> str:
    """'69 stikstofbronnen zonder verleende Wnb-vergunning': the count and what they are."""
    titles = {r: t for r, t, _ in report.rules}
    one, many = report.groups.get((regel, kind), (titles.get(regel, regel),) * 2)
    return f"{nl_number(n)} {one if n == 1 else many}"


def _group_id(kind: str, regel: str) -> str:
    return "groep-" + re.sub(r"\W+", "-", f"{kind}-{regel}")


def _overview(report: Report) -> str:
    rows = [[kind, Html(f'<a href="#{_group_id(kind, regel)}">{_e(group_heading(report, kind, regel, len(rows)))}'
                        f"</a>"), len(rows)] for kind, regel, rows in groups(report)]
    if not rows:
        return '<p class="leeg">Geen bevindingen.</p>'
    return ('<h3 id="overzicht-kop">Bevindingen, gegroepeerd</h3>'
            + sortable_table("overzicht", ["soort", "bevinding", "aantal"], rows, label="Zoek een bevinding"))


def _tail(report: Report) -> str:
    tables = "".join(_kind_section(report, kind) for kind in report.kinds)
    rules = "".join(f"<tr><td>{_e(t)}</td><td>{_e(u)}</td></tr>" for _, t, u in report.rules)
    return (f'<main>{tables}<section id="regels"><h2>Regels</h2><table><tr><th>regel</th>'
            f'<th>wat en waarom</th></tr>{rules}</table></section>'
            f'<section id="bronnen"><h2>Bronnen</h2><p>{_e(report.provenance)}</p></section>'
            f'<section id="privacy"><h2>Privacy</h2><p>{_e(PRIVACY)}</p></section></main>')


def _kind_section(report: Report, kind: str) -> str:
    mine = [(regel, rows) for k, regel, rows in groups(report) if k == kind]
    n = sum(len(rows) for _, rows in mine)
    title = report.kind_titles.get(kind, kind.capitalize())
    empty = "" if mine else f'<p class="leeg">Geen bevindingen van de soort {_e(kind)}.</p>'
    summary = f"{nl_number(n)} in {nl_number(len(mine))} {'groep' if len(mine) == 1 else 'groepen'}"
    slug = re.sub(r"\W+", "-", kind)
    return (f'<section class="soort" id="tabel-{slug}"><h2>{_e(title)} ({summary})</h2>{empty}'
            + "".join(_group(report, kind, regel, rows) for regel, rows in mine) + "</section>")


def _group(report: Report, kind: str, regel: str, rows: gpd.GeoDataFrame) -> str:
    """One finding of the meeting: the heading with the count, what the rule checks, and the table of its rows
    (only the columns that hold something for this group)."""
    columns = [c for c in report.columns if c in rows.columns and rows[c].notna().any()
               and (rows[c].astype(str).str.strip() != "").any()]
    uitleg = {r: u for r, _, u in report.rules}.get(regel, "")
    ident = _group_id(kind, regel)
    values = [[_value(getattr(r, c)) for c in columns] for r in rows.itertuples()]
    table = sortable_table(f"tabel-{ident}", [report.columns[c] for c in columns], values,
                           [report.decimals.get(c, 0) for c in columns])
    return (f'<section class="groep" id="{ident}" data-soort="{_e(kind)}" data-regel="{_e(regel)}" '
            f'data-rijen="{len(rows)}"><h3>{_e(group_heading(report, kind, regel, len(rows)))}</h3>'
            f'<p class="uitleg">{_e(uitleg)}</p>{table}</section>')


def _value(value):
    """A table value: numbers stay numbers (sorted by value), NaN becomes empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return value


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
dl.kop { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 4px 0 8px; }
dl.kop div { display: flex; gap: 6px; } dl.kop dt { color: #555; } dl.kop dd { margin: 0; font-weight: 600; }
section.groep { margin: 10px 0 24px; } section.groep h3 { margin: 18px 0 2px; font-size: 16px; }
p.uitleg { color: #555; margin: 2px 0 4px; font-size: 13px; }
"""
