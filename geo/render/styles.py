"""Layer styles for QGIS and OGC clients, from the colour tables of our Folium maps (``geo.render.maps``).

One description per layer (``style(name)``: rules of symbols, a label, or a colour ramp for a raster),
written as QGIS QML by ``geo.render.qml`` and as OGC SLD 1.1 / SE by ``geo.render.sld``; the QGIS project embeds the
same QML. Colours and classes are those of the overview map, so a municipality sees one map in both.

>>> style("pand").rules[0].label
'voor 1900'
"""

from dataclasses import dataclass

from geo.render.maps import (BODEM_STATUS_COLOURS, BOUWJAAR_CLASSES, FUNCTIE_COLOURS, GEMEENTE_COLOUR,
                      NATURA2000_COLOUR, OVERBELASTING_CLASSES, STIKSTOFBRON_COLOUR)

__all__ = ["Relative", "Condition", "Label", "RasterStyle", "Rule", "Symbol", "VectorStyle", "qml", "sld", "style"]

UNKNOWN_COLOUR = "#bdbdbd"  # the overview map's colour for a missing value
MILIEUZONE_COLOUR = "#e31a1c"
VERBLIJFSOBJECT_COLOUR = "#525252"
RESULT_COLOUR = "#ff7f00"
WNB_BESLUIT_COLOURS = {  # Wnb-besluittype, from pending to final
    "aanvraag": "#fdb462", "ontwerpbesluit": "#ffed6f", "vergunning verleend": "#1a9850",
    "geweigerd": "#d73027", "ingetrokken": "#969696", "buiten behandeling": "#f0f0f0",
}
NH3_RAMP = (  # µg/m³ NH3 (RIVM GCN): interpolated, blue (low) to red (high)
    (0.5, "#2c7bb6", "0,5"), (2.0, "#abd9e9", "2"), (4.0, "#ffffbf", "4"),
    (7.0, "#fdae61", "7"), (12.0, "#d7191c", "12 µg/m³"),
)


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
    colour: str = "#000000"
    size_pt: float = 8.0
    max_scale: int | None = None  # shown only at scales larger than 1:max_scale


@dataclass(frozen=True)
class VectorStyle:
    name: str
    title: str
    rules: tuple[Rule, ...]
    label: Label | None = None


@dataclass(frozen=True)
class RasterStyle:
    name: str
    title: str
    ramp: tuple[tuple[float, str, str], ...]  # (value, colour, legend label), interpolated
    opacity: float = 1.0
    units: str = ""


def style(name: str) -> VectorStyle | RasterStyle:
    """The style of a published layer or analysis result; a plain symbol for layers without their own."""
    builder = _STYLES.get(name)
    if builder is not None:
        return builder()
    return _default_style(name)


def qml(name: str) -> str:
    """The QGIS style file (QML) of a layer."""
    from geo.render import qml as writer

    return writer.document(style(name))


def sld(name: str) -> str:
    """The OGC Styled Layer Descriptor of a layer (SLD 1.1 / SE for vectors, SLD 1.0 ColorMap for rasters)."""
    from geo.render import sld as writer

    return writer.document(style(name))


def _gemeentegebied() -> VectorStyle:
    outline = Symbol("fill", stroke=GEMEENTE_COLOUR, stroke_width_mm=0.6)
    return VectorStyle("gemeentegebied", "Gemeentegebied", (Rule("gemeentegrens", outline),))


def _pand() -> VectorStyle:
    rules, lower = [], None
    for upper, label, colour in BOUWJAAR_CLASSES:  # the overview map's rule: bouwjaar < upper
        where = (() if lower is None else (Condition("bouwjaar", ">=", lower),)) + (Condition("bouwjaar", "<", upper),)
        rules.append(Rule(label, _building(colour), where))
        lower = upper
    rules.append(Rule("bouwjaar onbekend", _building(UNKNOWN_COLOUR), otherwise=True))
    return VectorStyle("pand", "BAG panden naar bouwjaar", tuple(rules))


def _building(colour: str) -> Symbol:
    return Symbol("fill", fill=colour, fill_opacity=0.8, stroke=colour, stroke_width_mm=0.1)


def _verblijfsobject() -> VectorStyle:
    dot = Symbol("marker", fill=VERBLIJFSOBJECT_COLOUR, stroke=None, size_mm=0.8)
    return VectorStyle("verblijfsobject", "BAG verblijfsobjecten", (Rule("verblijfsobject", dot),))


def _natura2000_gebied() -> VectorStyle:
    area = Symbol("fill", fill=NATURA2000_COLOUR, fill_opacity=0.35, stroke=NATURA2000_COLOUR, stroke_width_mm=0.3)
    return VectorStyle("natura2000_gebied", "Natura 2000-gebieden", (Rule("Natura 2000-gebied", area),),
                       Label("naam", colour="#00441b", size_pt=9))


def _stikstofbron() -> VectorStyle:
    circle = Symbol("marker", fill=STIKSTOFBRON_COLOUR, fill_opacity=0.7, stroke=STIKSTOFBRON_COLOUR,
                    stroke_width_mm=0.26, size_px_sqrt_of="nh3_emissie")
    return VectorStyle("stikstofbron", "Stikstofbronnen (grootte: NH3 kg/jr)",
                       (Rule("stikstofbron (grootte: NH3 kg/jr)", circle),))


def _wnb_besluit() -> VectorStyle:
    rules = tuple(Rule(besluittype, _triangle(colour), (Condition("besluittype", "=", besluittype),))
                  for besluittype, colour in WNB_BESLUIT_COLOURS.items())
    other = Rule("ander besluittype", _triangle(UNKNOWN_COLOUR), otherwise=True)
    return VectorStyle("wnb_besluit", "Wnb-besluiten naar besluittype", (*rules, other))


def _triangle(colour: str) -> Symbol:
    return Symbol("marker", fill=colour, stroke="#252525", stroke_width_mm=0.2, shape="triangle", size_mm=2.6)


def _bodemverontreiniging() -> VectorStyle:
    contour = Condition("contourtype", "=", "verontreinigingscontour")
    rules = [Rule(status, Symbol("fill", fill=colour, fill_opacity=0.8, stroke="#333333", stroke_width_mm=0.15),
                  (contour, Condition("status", "=", status)))
             for status, colour in BODEM_STATUS_COLOURS.items()]
    rules += [
        Rule("saneringscontour", Symbol("fill", stroke=BODEM_STATUS_COLOURS["gesaneerd"], stroke_width_mm=0.4,
                                        stroke_style="dash"), (Condition("contourtype", "=", "saneringscontour"),)),
        Rule("nazorgcontour", Symbol("fill", stroke=BODEM_STATUS_COLOURS["nazorg"], stroke_width_mm=0.4,
                                     stroke_style="dot"), (Condition("contourtype", "=", "nazorgcontour"),)),
        Rule("andere status", Symbol("fill", fill="#999999", fill_opacity=0.8), otherwise=True),
    ]
    return VectorStyle("bodemverontreiniging", "Bodemverontreiniging naar status (Wbb)", tuple(rules),
                       Label("locatienaam", colour="#333333", size_pt=7, max_scale=10_000))


def _omgevingsplan_functie() -> VectorStyle:
    functie = Condition("type", "=", "functie")
    rules = [Rule(groep, Symbol("fill", fill=colour, fill_opacity=0.5, stroke="#777777", stroke_width_mm=0.15),
                  (functie, Condition("groep", "=", groep)))
             for groep, colour in FUNCTIE_COLOURS.items()]
    rules += [
        Rule("milieuzone", Symbol("fill", stroke=MILIEUZONE_COLOUR, stroke_width_mm=0.5, stroke_style="dash"),
             (Condition("type", "=", "milieuzone"),)),
        Rule("andere functie", Symbol("fill", fill="#ffffff", fill_opacity=0.5, stroke="#777777",
                                      stroke_width_mm=0.15), otherwise=True),
    ]
    return VectorStyle("omgevingsplan_functie", "Omgevingsplan: functies naar groep", tuple(rules),
                       Label("naam", colour="#252525", size_pt=7, max_scale=25_000))


def _stikstof_hexagon() -> VectorStyle:
    """Hexagons by AERIUS Monitor class of overbelasting (total deposition against the hexagon's KDW), in the
    colours of the Folium maps (``geo.render.maps.OVERBELASTING_CLASSES``)."""
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


def _nh3_concentratie() -> RasterStyle:
    return RasterStyle("nh3_concentratie", "NH3-concentratie 2023 (µg/m³)", NH3_RAMP, opacity=0.6, units="µg/m³")


def _default_style(name: str) -> VectorStyle:
    """An analysis result or a layer without its own style: one symbol for its geometry type."""
    kind = {"Point": "marker", "MultiPoint": "marker", "LineString": "line",
            "MultiLineString": "line"}.get(_geometry(name), "fill")
    symbol = Symbol(kind, fill=RESULT_COLOUR, fill_opacity=0.4, stroke=RESULT_COLOUR, stroke_width_mm=0.1,
                    size_mm=1.6)
    if kind == "line":
        symbol = Symbol(kind, stroke=RESULT_COLOUR, stroke_width_mm=0.5)
    return VectorStyle(name, name, (Rule(name, symbol),))


def _geometry(name: str) -> str:
    from analyses import result_layers
    from geo.build.builder import registry

    module = {**registry(), **result_layers(include_internal=True)}.get(name)
    schema = getattr(module, "SCHEMA", None)
    return getattr(schema, "geometry", "Polygon")


_STYLES = {
    "gemeentegebied": _gemeentegebied, "pand": _pand, "verblijfsobject": _verblijfsobject,
    "natura2000_gebied": _natura2000_gebied, "stikstofbron": _stikstofbron, "wnb_besluit": _wnb_besluit,
    "bodemverontreiniging": _bodemverontreiniging, "omgevingsplan_functie": _omgevingsplan_functie,
    "nh3_concentratie": _nh3_concentratie, "stikstof_hexagon": _stikstof_hexagon,
}
