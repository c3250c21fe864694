"""How ``toezicht_prioriteit`` is drawn in QGIS: the score classes of the ranking map (``geo.render.reports``)."""

from geo.core.style import Condition, Rule, Symbol, VectorStyle
from geo.render.reports import SCORE_CLASSES


def prioriteit_style() -> VectorStyle:
    """Establishments by risicoscore class (``SCORE_CLASSES``: lower bound, label, colour; highest first)."""
    rules, upper = [], None
    for lower, label, colour in SCORE_CLASSES:
        where = [Condition("risicoscore", ">=", lower)] + ([Condition("risicoscore", "<", upper)] if upper else [])
        rules.append(Rule(label, Symbol("marker", fill=colour, stroke="#333333", stroke_width_mm=0.2, size_mm=3.0),
                          tuple(where)))
        upper = lower
    return VectorStyle("toezicht_prioriteit", "Toezichtprioriteit naar risicoscore (intern)", tuple(rules))
