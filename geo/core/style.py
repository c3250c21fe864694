"""How a layer is drawn: one description shared by the Folium maps, QGIS (QML), OGC SLD and the QGIS project.

A layer module declares its style in ``SPEC.style`` (``geo.core.registry.LayerSpec``): rules of symbols and an
optional label for a vector layer, a colour ramp for a raster. ``geo.render.qml`` and ``geo.render.sld`` write it;
``geo.render.maps`` reads the colours of its legends and features from it (``colours``, ``classes``, ``colour``),
so the overview map and the GIS styles cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Condition", "Label", "RasterStyle", "Relative", "Rule", "Symbol", "VectorStyle", "UNKNOWN_COLOUR"]

UNKNOWN_COLOUR = "#bdbdbd"  # the colour of a missing value, on the maps and in the GIS styles


@dataclass(frozen=True)
class Relative:
    """``factor × field + offset``: a bound taken from another field of the same feature (e.g. the KDW)."""

    field: str
    factor: float = 1.0
    offset: float = 0.0


@dataclass(frozen=True)
class Condition:
    """``field op value``; op is one of ``=``, ``<``, ``<=``, ``>``, ``>=``."""

    field: str
    op: str
    value: str | int | float | Relative


@dataclass(frozen=True)
class Symbol:
    """A simple QGIS symbol: fill (polygons), line, or marker (points; size in mm or a pixel expression)."""

    kind: str  # "fill" | "line" | "marker"
    fill: str | None = None  # "#rrggbb"; None draws no fill
    fill_opacity: float = 1.0
    stroke: str | None = "#333333"
    stroke_width_mm: float = 0.26
    stroke_style: str = "solid"  # "solid" | "dash" | "dot"
    shape: str = "circle"  # marker: "circle" | "triangle" | "square"
    size_mm: float = 2.0
    size_px_sqrt_of: str | None = None  # marker diameter 2 * (2 + sqrt(field) / 25) px, as the overview map


@dataclass(frozen=True)
class Rule:
    """Features matching all ``where`` conditions (or, with ``otherwise``, those no other rule took)."""

    label: str
    symbol: Symbol
    where: tuple[Condition, ...] = ()
    otherwise: bool = False


@dataclass(frozen=True)
class Label:
    field: str
    expression: str | None = None  # a QGIS expression shown instead of ``field`` (SLD, which cannot, shows ``field``)
    colour: str = "#000000"
    size_pt: float = 8.0
    max_scale: int | None = None  # shown only at scales larger than 1:max_scale


@dataclass(frozen=True)
class VectorStyle:
    name: str
    title: str
    rules: tuple[Rule, ...]
    label: Label | None = None
    draw_last: str | None = None  # features drawn in ascending order of this field: the largest on top

    def colours(self, field: str) -> dict:
        """``value -> colour`` of the rules that pick one value of ``field`` (e.g. a Wbb status)."""
        return {c.value: _colour(r.symbol) for r in self.rules for c in r.where if c.field == field and c.op == "="}

    def classes(self, field: str) -> list[tuple]:
        """``(upper bound, label, colour)`` of the rules that class ``field`` by ``field < bound``, in order."""
        return [(c.value, r.label, _colour(r.symbol)) for r in self.rules for c in r.where
                if c.field == field and c.op == "<"]

    def legend(self) -> list[tuple[str, str]]:
        """``(label, colour)`` of every rule, in order: the legend of a map drawn with this style."""
        return [(r.label, _colour(r.symbol)) for r in self.rules]

    def rule_for(self, properties: dict) -> Rule | None:
        """The first rule whose conditions ``properties`` meet (else the ``otherwise`` rule, else None)."""
        match = next((r for r in self.rules if not r.otherwise and all(_holds(c, properties) for c in r.where)), None)
        return match or next((r for r in self.rules if r.otherwise), None)

    @property
    def colour(self) -> str:
        """The colour of the first rule (the one colour of a single-symbol layer)."""
        return _colour(self.rules[0].symbol)

    @property
    def otherwise_colour(self) -> str:
        """The colour of the rule for features no other rule took."""
        return next((_colour(r.symbol) for r in self.rules if r.otherwise), UNKNOWN_COLOUR)


@dataclass(frozen=True)
class RasterStyle:
    name: str
    title: str
    ramp: tuple[tuple[float, str, str], ...]  # (value, colour, legend label), interpolated
    opacity: float = 1.0
    units: str = ""
    classes: bool = False  # a legend of classes: each colour up to and including its value (the last: inf)


def _holds(c: Condition, properties: dict) -> bool:
    value = properties.get(c.field)
    bound = c.value
    if isinstance(bound, Relative):
        base = properties.get(bound.field)
        if base is None:
            return False
        bound = bound.factor * base + bound.offset
    if value is None or (c.op != "=" and isinstance(value, str)):
        return False
    return {"=": value == bound, "<": value < bound, "<=": value <= bound, ">": value > bound,
            ">=": value >= bound}[c.op]


def _colour(symbol: Symbol) -> str:
    return symbol.fill or symbol.stroke
