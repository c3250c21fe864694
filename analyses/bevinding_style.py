"""How ``gebiedsanalyse_bevinding`` is drawn in QGIS: by soort, in the colours of the report's map."""

from geo.core import palette
from geo.core.style import Condition, Rule, Symbol, VectorStyle


def bevinding_style() -> VectorStyle:
    rules = tuple(Rule(soort, Symbol("fill", fill=colour, fill_opacity=0.5, stroke=colour, stroke_width_mm=0.4),
                       (Condition("soort", "=", soort),)) for soort, colour in palette.BEVINDING.items())
    return VectorStyle("gebiedsanalyse_bevinding", "Gebiedsanalyse: bevindingen naar soort", rules)
