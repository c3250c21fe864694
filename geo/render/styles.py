"""Layer styles for QGIS and OGC clients: a layer's ``SPEC.style`` (``geo.core.style``) written as QML or SLD.

Each layer declares its style with its spec (rules of symbols, a label, or a colour ramp for a raster); the
Folium maps read their colours from the same style, so a municipality sees one map in both. A layer or
analysis result without a style of its own gets one symbol for its geometry type (``default_style``). Written
as QGIS QML by ``geo.render.qml`` and as OGC SLD 1.1 / SE by ``geo.render.sld``; the QGIS project embeds the
same QML.
"""

from geo.core.registry import LayerSpec
from geo.core.style import RasterStyle, Rule, Symbol, VectorStyle
from geo.render import qml as qml_writer
from geo.render import sld as sld_writer

__all__ = ["default_style", "qml", "sld", "style"]

RESULT_COLOUR = "#ff7f00"


def style(spec: LayerSpec) -> VectorStyle | RasterStyle:
    """The style of a published layer or analysis result; a plain symbol for those without their own."""
    return spec.style if spec.style is not None else default_style(spec)


def qml(spec: LayerSpec) -> str:
    """The QGIS style file (QML) of a layer."""
    return qml_writer.document(style(spec))


def sld(spec: LayerSpec) -> str:
    """The OGC Styled Layer Descriptor of a layer (SLD 1.1 / SE for vectors, SLD 1.0 ColorMap for rasters)."""
    return sld_writer.document(style(spec))


def default_style(spec: LayerSpec) -> VectorStyle:
    """An analysis result or a layer without its own style: one symbol for its geometry type."""
    geometry = spec.schema.geometry if spec.schema is not None else "Polygon"
    kind = {"Point": "marker", "MultiPoint": "marker", "LineString": "line",
            "MultiLineString": "line"}.get(geometry, "fill")
    symbol = Symbol(kind, fill=RESULT_COLOUR, fill_opacity=0.4, stroke=RESULT_COLOUR, stroke_width_mm=0.1,
                    size_mm=1.6)
    if kind == "line":
        symbol = Symbol(kind, stroke=RESULT_COLOUR, stroke_width_mm=0.5)
    return VectorStyle(spec.name, spec.name, (Rule(spec.name, symbol),))
