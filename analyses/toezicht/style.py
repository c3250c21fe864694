"""How ``toezicht_prioriteit`` is drawn: the score classes shared by the ranking map and the QGIS style."""

from geo.core.style import Condition, Rule, Symbol, VectorStyle

SCORE_CLASSES = [(60, "score 60 of hoger", "#b2182b"), (40, "score 40–59", "#ef8a62"),
                 (20, "score 20–39", "#fddbc7"), (0, "score onder 20", "#d1e5f0")]


def prioriteit_style() -> VectorStyle:
    """Establishments by risicoscore class (``SCORE_CLASSES``: lower bound, label, colour; highest first)."""
    rules, upper = [], None
    for lower, label, colour in SCORE_CLASSES:
        where = [Condition("risicoscore", ">=", lower)] + ([Condition("risicoscore", "<", upper)] if upper else [])
        rules.append(Rule(label, Symbol("marker", fill=colour, stroke="#333333", stroke_width_mm=0.2, size_mm=3.0),
                          tuple(where)))
        upper = lower
    return VectorStyle("toezicht_prioriteit", "Toezichtprioriteit naar risicoscore (intern)", tuple(rules))
