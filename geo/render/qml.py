"""QGIS style XML (QML, QGIS 3.22 format) for the styles of ``geo.render.styles``, written without PyQGIS.

``document(style)`` is a QML file; ``elements(style)`` are the same elements for a ``<maplayer>`` of a
project (``geo.render.qgis``), with ``attributes(style)`` for the maplayer element itself. Rule keys are derived
from the layer name, so the same style always gives the same bytes.
"""

import uuid
import xml.etree.ElementTree as ET

from geo.core.style import Condition, Label, RasterStyle, Relative, Rule, Symbol, VectorStyle

__all__ = ["attributes", "document", "elements", "expression", "rgba"]

QGIS_VERSION = "3.22.0-Białowieża"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
MARKER_SHAPES = {"circle": "circle", "triangle": "triangle", "square": "square"}
PEN_STYLES = {"solid": "solid", "dash": "dash", "dot": "dot"}


def document(style: VectorStyle | RasterStyle) -> str:
    """A QML file: ``<qgis>`` with the renderer (and labels) or the raster pipe."""
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology|Labeling|Rendering",
                               **attributes(style)})
    root.extend(elements(style))
    ET.indent(root)
    return f"{DOCTYPE}\n{ET.tostring(root, encoding='unicode')}\n"


def attributes(style: VectorStyle | RasterStyle) -> dict[str, str]:
    if isinstance(style, RasterStyle):
        return {}
    return {"labelsEnabled": "1" if style.label else "0"}


def elements(style: VectorStyle | RasterStyle) -> list[ET.Element]:
    if isinstance(style, RasterStyle):
        return [_pipe(style), _text("blendMode", "0")]
    out = [_renderer(style)]
    if style.label:
        out.append(_labeling(style.label))
    return out + [_text("blendMode", "0"), _text("featureBlendMode", "0"), _text("layerOpacity", "1")]


def rgba(colour: str, opacity: float = 1.0) -> str:
    """``#rrggbb`` as QGIS's ``r,g,b,a``.

    >>> rgba("#238b45", 0.35)
    '35,139,69,89'
    """
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(opacity * 255)}"


def expression(conditions: tuple[Condition, ...]) -> str:
    """A QGIS expression that holds when all conditions hold.

    >>> expression((Condition("bouwjaar", ">=", 1900), Condition("status", "=", "nazorg")))
    '"bouwjaar" >= 1900 AND "status" = \\'nazorg\\''
    """
    return " AND ".join(f'"{c.field}" {c.op} {_literal(c.value)}' for c in conditions)


def _literal(value) -> str:
    if isinstance(value, Relative):
        sign = "-" if value.offset < 0 else "+"
        return f'("{value.field}" * {value.factor:g} {sign} {abs(value.offset):g})'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _renderer(style: VectorStyle) -> ET.Element:
    common = {"symbollevels": "0", "enableorderby": "0", "forceraster": "0", "referencescale": "-1"}
    if len(style.rules) == 1 and not style.rules[0].where:
        renderer = ET.Element("renderer-v2", {"type": "singleSymbol", **common})
        ET.SubElement(renderer, "symbols").append(_symbol(style.rules[0].symbol, "0"))
        ET.SubElement(renderer, "rotation")
        ET.SubElement(renderer, "sizescale")
        return renderer
    if style.draw_last:
        common["enableorderby"] = "1"
    renderer = ET.Element("renderer-v2", {"type": "RuleRenderer", **common})
    rules = ET.SubElement(renderer, "rules", {"key": _key(style.name, "root")})
    symbols = ET.SubElement(renderer, "symbols")
    for i, rule in enumerate(style.rules):
        ET.SubElement(rules, "rule", {"key": _key(style.name, str(i)), "label": rule.label,
                                      "filter": _filter(rule), "symbol": str(i)})
        symbols.append(_symbol(rule.symbol, str(i)))
    if style.draw_last:
        order = ET.SubElement(renderer, "orderby")
        clause = ET.SubElement(order, "orderByClause", {"asc": "1", "nullsFirst": "1"})
        clause.text = f'"{style.draw_last}"'
    return renderer


GEOMETRY_CODES = {"marker": "0", "line": "1", "fill": "2"}  # QgsWkbTypes::GeometryType of a tile style


def vector_tile_renderer(style: VectorStyle, layer: str) -> ET.Element:
    """A vector tile layer's ``basic`` renderer: one style per rule on the tiles' layer ``layer``.

    The basic renderer has no ELSE rule: an otherwise rule gets "none of the other rules" as its expression.
    QGIS reads each style's symbol by the name "0" (``QgsVectorTileBasicRenderer::readXml``).
    """
    renderer = ET.Element("renderer", {"type": "basic"})
    styles = ET.SubElement(renderer, "styles")
    others = " OR ".join(f"({expression(r.where)})" for r in style.rules if not r.otherwise and r.where)
    for rule in style.rules:
        where = f"NOT ({others})" if rule.otherwise and others else expression(rule.where) if rule.where else ""
        element = ET.SubElement(styles, "style", {
            "name": rule.label, "layer": layer, "geometry": GEOMETRY_CODES[rule.symbol.kind], "expression": where,
            "enabled": "1", "min-zoom": "-1", "max-zoom": "-1"})
        ET.SubElement(element, "symbols").append(_symbol(rule.symbol, "0"))
    return renderer


def _filter(rule: Rule) -> str:
    return "ELSE" if rule.otherwise else expression(rule.where)


def _key(layer: str, part: str) -> str:
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"omgevingsgeo/{layer}/{part}")) + "}"


def _symbol(sym: Symbol, name: str) -> ET.Element:
    """A ``<symbol>`` with one simple symbol layer (SimpleFill, SimpleLine or SimpleMarker)."""
    element = ET.Element("symbol", {"type": sym.kind, "name": name, "alpha": "1", "clip_to_extent": "1",
                                    "force_rhr": "0"})
    element.append(_properties({}))
    cls, options = {"fill": ("SimpleFill", _fill), "line": ("SimpleLine", _line),
                    "marker": ("SimpleMarker", _marker)}[sym.kind]
    layer = ET.SubElement(element, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    layer.append(_options(options(sym)))
    size = None
    if sym.size_px_sqrt_of:
        size = f'2 * (2 + sqrt(coalesce("{sym.size_px_sqrt_of}", 0)) / 25)'
    layer.append(_properties({"size": size} if size else {}))
    return element


def _fill(sym: Symbol) -> dict[str, str]:
    return {
        "color": rgba(sym.fill or "#ffffff", sym.fill_opacity if sym.fill else 0.0),
        "style": "solid" if sym.fill else "no",
        "outline_color": rgba(sym.stroke or "#000000"),
        "outline_style": PEN_STYLES[sym.stroke_style] if sym.stroke else "no",
        "outline_width": str(sym.stroke_width_mm), "outline_width_unit": "MM",
        "joinstyle": "bevel", "offset": "0,0", "offset_unit": "MM",
    }


def _line(sym: Symbol) -> dict[str, str]:
    return {"line_color": rgba(sym.stroke or "#000000"), "line_style": PEN_STYLES[sym.stroke_style],
            "line_width": str(sym.stroke_width_mm), "line_width_unit": "MM", "capstyle": "round",
            "joinstyle": "round"}


def _marker(sym: Symbol) -> dict[str, str]:
    pixels = sym.size_px_sqrt_of is not None
    return {
        "name": MARKER_SHAPES[sym.shape],
        "color": rgba(sym.fill or "#ffffff", sym.fill_opacity if sym.fill else 0.0),
        "outline_color": rgba(sym.stroke or "#000000"),
        "outline_style": "solid" if sym.stroke else "no",
        "outline_width": "1" if pixels else str(sym.stroke_width_mm),
        "outline_width_unit": "Pixel" if pixels else "MM",
        "size": "4" if pixels else str(sym.size_mm), "size_unit": "Pixel" if pixels else "MM",
        "scale_method": "diameter", "angle": "0", "offset": "0,0", "offset_unit": "MM",
        "horizontal_anchor_point": "1", "vertical_anchor_point": "1", "joinstyle": "bevel",
    }


def _options(values: dict[str, str]) -> ET.Element:
    element = ET.Element("Option", {"type": "Map"})
    for key in sorted(values):
        ET.SubElement(element, "Option", {"type": "QString", "name": key, "value": values[key]})
    return element


def _properties(expressions: dict[str, str]) -> ET.Element:
    """``<data_defined_properties>``: each key driven by a QGIS expression."""
    element = ET.Element("data_defined_properties")
    collection = ET.SubElement(element, "Option", {"type": "Map"})
    ET.SubElement(collection, "Option", {"type": "QString", "name": "name", "value": ""})
    properties = ET.SubElement(collection, "Option", {"name": "properties"})
    if expressions:
        properties.set("type", "Map")
    for key, text in expressions.items():
        prop = ET.SubElement(properties, "Option", {"type": "Map", "name": key})
        ET.SubElement(prop, "Option", {"type": "bool", "name": "active", "value": "true"})
        ET.SubElement(prop, "Option", {"type": "QString", "name": "expression", "value": text})
        ET.SubElement(prop, "Option", {"type": "int", "name": "type", "value": "3"})
    ET.SubElement(collection, "Option", {"type": "QString", "name": "type", "value": "collection"})
    return element


def _labeling(label: Label) -> ET.Element:
    labeling = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    text = ET.SubElement(settings, "text-style", {
        "fieldName": label.expression or label.field, "isExpression": "1" if label.expression else "0",
        "fontSize": str(label.size_pt), "fontSizeUnit": "Point",
        "textColor": rgba(label.colour), "textOpacity": "1", "fontWeight": "50", "fontItalic": "0",
        "multilineHeight": "1", "blendMode": "0", "namedStyle": "",
    })
    ET.SubElement(text, "text-buffer", {"bufferDraw": "1", "bufferSize": "0.8", "bufferSizeUnits": "MM",
                                        "bufferColor": "255,255,255,255", "bufferOpacity": "0.8",
                                        "bufferNoFill": "1", "bufferJoinStyle": "128", "bufferBlendMode": "0"})
    ET.SubElement(settings, "text-format", {"wrapChar": "", "multilineAlign": "1", "autoWrapLength": "0",
                                            "formatNumbers": "0", "plussign": "0", "decimals": "3"})
    ET.SubElement(settings, "placement", {"placement": "1", "centroidInside": "1", "centroidWhole": "0",
                                          "fitInPolygonOnly": "0", "dist": "0", "priority": "5",
                                          "quadOffset": "4", "offsetType": "0", "polygonPlacementFlags": "2"})
    scaled = label.max_scale is not None
    ET.SubElement(settings, "rendering", {
        "drawLabels": "1", "scaleVisibility": "1" if scaled else "0", "scaleMin": "0",
        "scaleMax": str(label.max_scale or 0), "obstacle": "1", "obstacleType": "1", "obstacleFactor": "1",
        "displayAll": "0", "upsidedownLabels": "0", "labelPerPart": "0", "mergeLines": "0", "zIndex": "0",
        "limitNumLabels": "0", "maxNumLabels": "2000", "minFeatureSize": "0", "fontLimitPixelSize": "0",
    })
    return labeling


def _pipe(style: RasterStyle) -> ET.Element:
    """A single-band pseudocolour renderer with an interpolated ramp through ``style.ramp``."""
    finite = [value for value, _, _ in style.ramp if value != float("inf")]
    low, high = finite[0], finite[-1]
    pipe = ET.Element("pipe")
    renderer = ET.SubElement(pipe, "rasterrenderer", {
        "type": "singlebandpseudocolor", "band": "1", "opacity": str(style.opacity), "alphaBand": "-1",
        "classificationMin": str(low), "classificationMax": str(high), "nodataColor": "",
    })
    origin = ET.SubElement(renderer, "minMaxOrigin")
    for tag, value in (("limits", "None"), ("extent", "WholeRaster"), ("statAccuracy", "Estimated"),
                       ("cumulativeCutLower", "0.02"), ("cumulativeCutUpper", "0.98"), ("stdDevFactor", "2")):
        _sub_text(origin, tag, value)
    shader = ET.SubElement(ET.SubElement(renderer, "rastershader"), "colorrampshader", {
        "colorRampType": "DISCRETE" if style.classes else "INTERPOLATED", "classificationMode": "1", "clip": "0",
        "minimumValue": str(low), "maximumValue": str(high), "labelPrecision": "1",
    })
    for value, colour, label in style.ramp:
        ET.SubElement(shader, "item", {"value": "inf" if value == float("inf") else str(value), "color": colour,
                                       "alpha": "255", "label": label})
    ET.SubElement(pipe, "brightnesscontrast", {"brightness": "0", "contrast": "0", "gamma": "1"})
    ET.SubElement(pipe, "huesaturation", {"saturation": "0", "grayscaleMode": "0", "colorizeOn": "0",
                                          "invertColors": "0"})
    ET.SubElement(pipe, "rasterresampler", {"maxOversampling": "2"})
    return pipe


def _text(tag: str, value: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = value
    return element


def _sub_text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element
