"""OGC Styled Layer Descriptors for the styles of ``geo.render.styles``: SLD 1.1 / Symbology Encoding for
vector layers (as QGIS exports them), SLD 1.0 with a ColorMap for rasters (as GeoServer and QGIS read them).

Sizes are in pixels of the OGC standard rendering pixel (0.28 mm).
"""

import xml.etree.ElementTree as ET

from geo.core.style import Condition, Label, RasterStyle, Relative, Rule, Symbol, VectorStyle

__all__ = ["document"]

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"
SCHEMA_LOCATION = f"{SLD} http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"
MM_PER_PIXEL = 0.28
UNBOUNDED = "1e9"  # the upper bound of an open last class of a raster (SLD has no infinity)
OPERATORS = {"=": "PropertyIsEqualTo", "<": "PropertyIsLessThan", "<=": "PropertyIsLessThanOrEqualTo",
             ">": "PropertyIsGreaterThan", ">=": "PropertyIsGreaterThanOrEqualTo"}
DASHES = {"dash": "4 2", "dot": "1 2"}
SYMBOLIZERS = {"fill": "PolygonSymbolizer", "line": "LineSymbolizer", "marker": "PointSymbolizer"}

for _prefix, _uri in (("sld", SLD), ("se", SE), ("ogc", OGC), ("xsi", XSI), ("xlink", XLINK)):
    ET.register_namespace(_prefix, _uri)


def document(style: VectorStyle | RasterStyle) -> str:
    root = _raster(style) if isinstance(style, RasterStyle) else _vector(style)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _vector(style: VectorStyle) -> ET.Element:
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", {"version": "1.1.0", f"{{{XSI}}}schemaLocation":
                                                           SCHEMA_LOCATION})
    layer = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    _se(layer, "Name", style.name)
    user = ET.SubElement(layer, f"{{{SLD}}}UserStyle")
    _se(user, "Name", style.name)
    _se(ET.SubElement(user, f"{{{SE}}}Description"), "Title", style.title)
    features = ET.SubElement(user, f"{{{SE}}}FeatureTypeStyle")
    for rule in style.rules:
        features.append(_rule(rule))
    if style.label:
        features.append(_label_rule(style.label))
    return root


def _rule(rule: Rule) -> ET.Element:
    element = ET.Element(f"{{{SE}}}Rule")
    _se(element, "Name", rule.label)
    _se(ET.SubElement(element, f"{{{SE}}}Description"), "Title", rule.label)
    if rule.otherwise:
        ET.SubElement(element, f"{{{SE}}}ElseFilter")
    elif rule.where:
        element.append(_filter(rule.where))
    element.append(_symbolizer(rule.symbol))
    return element


def _filter(conditions: tuple[Condition, ...]) -> ET.Element:
    element = ET.Element(f"{{{OGC}}}Filter")
    parent = ET.SubElement(element, f"{{{OGC}}}And") if len(conditions) > 1 else element
    for c in conditions:
        comparison = ET.SubElement(parent, f"{{{OGC}}}{OPERATORS[c.op]}")
        _ogc(comparison, "PropertyName", c.field)
        _value(comparison, c.value)
    return element


def _value(parent: ET.Element, value) -> None:
    """A literal, or ``factor × field + offset`` as OGC filter arithmetic (ogc:Add of ogc:Mul)."""
    if not isinstance(value, Relative):
        _ogc(parent, "Literal", str(value).lower() if isinstance(value, bool) else str(value))
        return
    add = ET.SubElement(parent, f"{{{OGC}}}Add")
    mul = ET.SubElement(add, f"{{{OGC}}}Mul")
    _ogc(mul, "PropertyName", value.field)
    _ogc(mul, "Literal", f"{value.factor:g}")
    _ogc(add, "Literal", f"{value.offset:g}")


def _symbolizer(sym: Symbol) -> ET.Element:
    element = ET.Element(f"{{{SE}}}{SYMBOLIZERS[sym.kind]}")
    if sym.kind == "marker":
        graphic = ET.SubElement(element, f"{{{SE}}}Graphic")
        mark = ET.SubElement(graphic, f"{{{SE}}}Mark")
        _se(mark, "WellKnownName", sym.shape)
        _paint(mark, sym)
        graphic.append(_size(sym))
        return element
    _paint(element, sym)
    return element


def _paint(parent: ET.Element, sym: Symbol) -> None:
    if sym.fill and sym.kind != "line":
        fill = ET.SubElement(parent, f"{{{SE}}}Fill")
        _svg(fill, "fill", sym.fill)
        _svg(fill, "fill-opacity", f"{sym.fill_opacity:g}")
    if sym.stroke:
        stroke = ET.SubElement(parent, f"{{{SE}}}Stroke")
        _svg(stroke, "stroke", sym.stroke)
        _svg(stroke, "stroke-width", _px(sym.stroke_width_mm))
        if sym.stroke_style in DASHES:
            _svg(stroke, "stroke-dasharray", DASHES[sym.stroke_style])


def _size(sym: Symbol) -> ET.Element:
    """The marker diameter; for ``size_px_sqrt_of`` the overview map's 2 * (2 + sqrt(v) / 25) px."""
    size = ET.Element(f"{{{SE}}}Size")
    if not sym.size_px_sqrt_of:
        size.text = _px(sym.size_mm)
        return size
    add = ET.SubElement(size, f"{{{OGC}}}Add")
    _ogc(add, "Literal", "4")
    div = ET.SubElement(add, f"{{{OGC}}}Div")
    sqrt = ET.SubElement(div, f"{{{OGC}}}Function", {"name": "sqrt"})
    _ogc(sqrt, "PropertyName", sym.size_px_sqrt_of)
    _ogc(div, "Literal", "12.5")
    return size


def _label_rule(label: Label) -> ET.Element:
    rule = ET.Element(f"{{{SE}}}Rule")
    _se(rule, "Name", f"label: {label.field}")
    if label.max_scale:
        _se(rule, "MaxScaleDenominator", str(label.max_scale))
    text = ET.SubElement(rule, f"{{{SE}}}TextSymbolizer")
    _ogc(ET.SubElement(text, f"{{{SE}}}Label"), "PropertyName", label.field)
    font = ET.SubElement(text, f"{{{SE}}}Font")
    _svg(font, "font-family", "Sans-Serif")
    _svg(font, "font-size", f"{round(label.size_pt * 0.3528 / MM_PER_PIXEL)}")
    halo = ET.SubElement(text, f"{{{SE}}}Halo")
    _se(halo, "Radius", "2")
    _svg(ET.SubElement(halo, f"{{{SE}}}Fill"), "fill", "#ffffff")
    _svg(ET.SubElement(text, f"{{{SE}}}Fill"), "fill", label.colour)
    return rule


def _raster(style: RasterStyle) -> ET.Element:
    """SLD 1.0 with an interpolated ColorMap, the form GeoServer and QGIS both read."""
    root = ET.Element(f"{{{SLD}}}StyledLayerDescriptor", {"version": "1.0.0"})
    layer = ET.SubElement(root, f"{{{SLD}}}NamedLayer")
    _sld(layer, "Name", style.name)
    user = ET.SubElement(layer, f"{{{SLD}}}UserStyle")
    _sld(user, "Name", style.name)
    _sld(user, "Title", style.title)
    rule = ET.SubElement(ET.SubElement(user, f"{{{SLD}}}FeatureTypeStyle"), f"{{{SLD}}}Rule")
    symbolizer = ET.SubElement(rule, f"{{{SLD}}}RasterSymbolizer")
    _sld(symbolizer, "Opacity", f"{style.opacity:g}")
    colour_map = ET.SubElement(symbolizer, f"{{{SLD}}}ColorMap", {"type": "intervals" if style.classes else "ramp"})
    for value, colour, label in style.ramp:
        quantity = UNBOUNDED if value == float("inf") else f"{value:g}"
        ET.SubElement(colour_map, f"{{{SLD}}}ColorMapEntry", {"color": colour, "quantity": quantity,
                                                              "label": label, "opacity": "1"})
    return root


def _px(mm: float) -> str:
    return f"{mm / MM_PER_PIXEL:.2f}"


def _se(parent: ET.Element, tag: str, text: str) -> ET.Element:
    return _child(parent, f"{{{SE}}}{tag}", text)


def _sld(parent: ET.Element, tag: str, text: str) -> ET.Element:
    return _child(parent, f"{{{SLD}}}{tag}", text)


def _ogc(parent: ET.Element, tag: str, text: str) -> ET.Element:
    return _child(parent, f"{{{OGC}}}{tag}", text)


def _svg(parent: ET.Element, name: str, text: str) -> ET.Element:
    return _child(parent, f"{{{SE}}}SvgParameter", text, {"name": name})


def _child(parent: ET.Element, tag: str, text: str, attrib: dict | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib or {})
    element.text = text
    return element
