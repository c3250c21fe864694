"""How the screening is drawn: AERIUS Monitor's classes of overbelasting, one palette for the Folium maps,
the QGIS/SLD style of ``stikstof_hexagon`` and the report legends."""

import numpy as np

from geo.core import palette
from geo.core.style import Condition, Relative, Rule, Symbol, VectorStyle

# AERIUS Monitor's classes of overbelasting: total deposition relative to the KDW of the hexagon, in mol N/ha/jr.
# (class, legend label, colour, lower bound as (factor on KDW, offset)); the colours from geo.core.palette.
OVERBELASTING_CLASSES = [(name, label, palette.OVERBELASTING[name], bound) for name, label, bound in (
    ("geen stikstofprobleem", "geen stikstofprobleem (meer dan 70 onder de KDW)", None),
    ("evenwicht", "evenwicht (KDW ± 70 mol/ha/jr)", (1.0, -70.0)),
    ("matige overbelasting", "matige overbelasting (KDW + 70 tot 2 × KDW)", (1.0, 70.0)),
    ("sterke overbelasting", "sterke overbelasting (meer dan 2 × KDW)", (2.0, 0.0)),
)]


def overbelasting(totaal, kdw):
    """AERIUS Monitor class of each total deposition against its KDW (arrays or scalars; mol N/ha/jr).

    >>> list(overbelasting([500, 700, 900, 1500], [700, 700, 700, 700]))
    ['geen stikstofprobleem', 'evenwicht', 'matige overbelasting', 'sterke overbelasting']
    """
    totaal, kdw = np.asarray(totaal, dtype=float), np.asarray(kdw, dtype=float)
    out = np.full(totaal.shape, OVERBELASTING_CLASSES[0][0], dtype=object)
    for name, _, _, (factor, offset) in OVERBELASTING_CLASSES[1:]:
        out[totaal > kdw * factor + offset] = name  # classes ascend: the last bound passed wins
    return out


def overbelasting_colour(name: str) -> str:
    return next(c for n, _, c, _ in OVERBELASTING_CLASSES if n == name)


def hexagon_style() -> VectorStyle:
    """Hexagons by AERIUS Monitor class of overbelasting (total deposition against the hexagon's KDW)."""
    bounds = [None if b is None else Relative("kdw_mol_ha_jr", *b) for *_, b in OVERBELASTING_CLASSES]
    rules = []
    for i, (_, label, colour, _) in enumerate(OVERBELASTING_CLASSES):
        where = [Condition("totaal_mol_ha_jr", ">", bounds[i])] if bounds[i] else []
        if i + 1 < len(bounds):
            where.append(Condition("totaal_mol_ha_jr", "<=", bounds[i + 1]))
        rules.append(Rule(label, Symbol("fill", fill=colour, fill_opacity=0.75, stroke=colour,
                                        stroke_width_mm=0.1), tuple(where)))
    return VectorStyle("stikstof_hexagon", "Stikstof: mate van overbelasting t.o.v. de KDW (AERIUS Monitor)",
                       tuple(rules))


# Classes of a contribution or decrease in mol N/ha/jr: (upper bound, legend label, colour), ascending.
BIJDRAGE_CLASSES = [(upper, label, colour) for (upper, label), colour in zip((
    (0.01, "< 0,01 mol/ha/jr"), (0.1, "0,01 – 0,1 mol/ha/jr"), (1.0, "0,1 – 1 mol/ha/jr"),
    (10.0, "1 – 10 mol/ha/jr"), (np.inf, "> 10 mol/ha/jr")), palette.BIJDRAGE)]


def bijdrage_style() -> VectorStyle:
    """Each source by its largest contribution to one hexagon of the area (``bijdrage_max_mol_ha_jr``)."""
    field, rules, lower = "bijdrage_max_mol_ha_jr", [], None
    for upper, label, colour in BIJDRAGE_CLASSES:
        where = ([Condition(field, ">=", lower)] if lower is not None else []) + (
            [Condition(field, "<", upper)] if np.isfinite(upper) else [])
        rules.append(Rule(label, Symbol("marker", fill=colour, stroke="#252525", stroke_width_mm=0.2, size_mm=2.6),
                          tuple(where)))
        lower = upper
    return VectorStyle("stikstof_bron_bijdrage", "Bijdrage per stikstofbron: grootste bijdrage aan één hexagon",
                       tuple(rules), draw_last=field)  # a source has a point per area: its largest on top


def klassen_tekst(totaal, kdw) -> str:
    """How many hexagons fall in each AERIUS Monitor class, in the classes' order, for a report's sentence.

    >>> klassen_tekst([700, 900, 1500, 1600], [700, 700, 700, 700])
    '1 evenwicht, 1 matige overbelasting, 2 sterke overbelasting'
    """
    klassen = list(overbelasting(totaal, kdw))
    return ", ".join(f"{klassen.count(name)} {name}" for name, *_ in OVERBELASTING_CLASSES if name in klassen)
