"""Colours read back from what we wrote — QML (alone or inside a .qgz), SLD, a Folium legend, a script — with
plain XML/regex parsing and no call into the code that chose them: the oracle of the palette tests."""

import html
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

SE = "{http://www.opengis.net/se}"


def hex_of_rgba(value: str) -> str:
    """QGIS's ``r,g,b,a`` as ``#rrggbb``."""
    r, g, b = (int(v) for v in value.split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def qml_rule_colours(element: ET.Element) -> dict[str, str]:
    """Rule label -> fill colour (or line colour) of a rule-based ``renderer-v2`` under ``element``."""
    symbols = {s.get("name"): s for s in element.iter("symbol")}
    out = {}
    for rule in element.iter("rule"):
        options = {o.get("name"): o.get("value") for o in symbols[rule.get("symbol")].iter("Option")}
        colour = options.get("color") or options.get("line_color")
        out[rule.get("label")] = hex_of_rgba(colour)
    return out


def qml_ramp(element: ET.Element) -> list[tuple[str, str]]:
    """(label, colour) of a raster's colour ramp shader."""
    return [(i.get("label"), i.get("color").lower()) for i in element.iter("item")]


def project_layers(qgz: Path) -> dict[str, ET.Element]:
    """Each ``<maplayer>`` of a .qgz or .qgs, by its identifier (the collection name)."""
    path = Path(qgz)
    if path.suffix == ".qgz":
        with zipfile.ZipFile(path) as zf:
            text = zf.read(next(n for n in zf.namelist() if n.endswith(".qgs"))).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text.split("\n", 1)[1] if text.startswith("<!DOCTYPE") else text)
    return {m.findtext("resourceMetadata/identifier"): m for m in root.iter("maplayer")}


def sld_rule_colours(text: str) -> dict[str, str]:
    """Rule name -> fill (or stroke) colour of an SLD 1.1 / SE document."""
    out = {}
    for rule in ET.fromstring(text.encode("utf-8")).iter(f"{SE}Rule"):
        params = {p.get("name"): p.text for p in rule.iter(f"{SE}SvgParameter")}
        if "fill" in params or "stroke" in params:
            out[rule.findtext(f"{SE}Name")] = (params.get("fill") or params["stroke"]).lower()
    return out


LEGEND_ROW = re.compile(r'background:\s*(#[0-9a-fA-F]{6})[^>]*></span>([^<]+)</div>')


def legend_colours(html_text: str, box_id: str = "legend") -> dict[str, str]:
    """Label -> swatch colour of the legend box ``#legend`` of a Folium page (``add_legend``)."""
    start = html_text.index(f'id="{box_id}"')
    end = html_text.index("</div></div>", start)
    return {html.unescape(label).strip(): colour.lower() for colour, label in LEGEND_ROW.findall(html_text[start:end])}


def js_object(script: str, name: str) -> dict[str, str]:
    """A flat ``var NAME = {"key": "#colour", ...}`` of a script, as a dict."""
    body = re.search(rf"var {name} = \{{(.*?)\}};", script, re.S).group(1)
    return {k: v.lower() for k, v in re.findall(r'"([^"]+)":\s*"(#[0-9a-fA-F]{6})"', body)}
