"""NH3-concentratie: RIVM's large-scale concentration map (GCN) of ammonia, 2023, 1 km grid, in µg/m³.

A raster layer: served as an OGC API coverage, cut to the municipality plus 10 km (the Natura 2000
areas of concern). Concentration, not deposition: it shows where ammonia in the air is high.
"""

from geo.core.layer import Base, Sources
from geo.formats.raster import Grid, clip

NAME = "nh3_concentratie"
KIND = "raster"
TITLE = "NH3-concentratie 2023 (RIVM GCN, 1 km)"
DESCRIPTION = ("Grootschalige concentratie ammoniak in de lucht (RIVM GCN 2023), µg/m³, 1 km-raster, "
               "rond de gemeente (+10 km).")
GROUP = "Natuur en stikstof"
REGISTER = "RIVM GCN (Grootschalige Concentratiekaarten)"
LICENCE = "CC-BY-4.0"
ATTRIBUTION = "Bron: RIVM, GCN 2023"
NEEDS = ("gemeentegebied",)  # layers this one is derived from: rebuilt after them by geo refresh
SOURCE = "sources/rivm-gcn/conc_NH3_2023.asc"
MARGIN_M = 10_000
EXTENT_BUFFER_DEG = 0.15
PUBLIC_FIELDS = ("nh3_ug_m3",)


def build(base: Base, sources: Sources) -> Grid:
    minx, miny, maxx, maxy = base.gebied.bounds
    grid = clip(sources.path("gcn_nh3", SOURCE), (minx - MARGIN_M, miny - MARGIN_M, maxx + MARGIN_M, maxy + MARGIN_M))
    grid.units, grid.description = "ug/m3", "nh3_ug_m3"
    return grid
