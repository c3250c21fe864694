"""Labels for column names on pages an advisor reads: words and units instead of raw identifiers."""

import re

__all__ = ["field_label"]

UNITS = [("_mol_ha_jr", " (mol N/ha/jr)"), ("_m2", " (m²)"), ("_km2", " (km²)"), ("_ha", " (ha)"), ("_pct", " (%)"),
         ("_kg", " (kg)"), ("_km", " (km)"), ("_m", " (m)"), ("_5jr", " (5 jaar)"), ("_1km", " (binnen 1 km)"),
         ("_250m", " (binnen 250 m)")]
WORDS = {"statcode": "gemeentecode (CBS)", "contourtype": "soort contour",
         "risicoscore": "prioriteitsscore toezicht (0-100)"}


def field_label(column: str) -> str:
    """A readable label for a column: underscores become spaces, a unit suffix a unit in brackets.

    >>> field_label("afstand_natura2000_m"), field_label("nh3_emissie"), field_label("overschrijding_mol_ha_jr")
    ('afstand natura2000 (m)', 'nh3 emissie', 'overschrijding (mol N/ha/jr)')
    """
    if column in WORDS:
        return WORDS[column]
    unit = ""
    for suffix, text in UNITS:
        if column.endswith(suffix) and len(column) > len(suffix):
            column, unit = column[: -len(suffix)], text
            break
    return re.sub(r"_+", " ", column).strip() + unit
