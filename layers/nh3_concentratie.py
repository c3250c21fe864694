"""NH3-concentratie: RIVM's large-scale concentration map (GCN) of ammonia, 2023, 1 km grid, in µg/m³.

A raster layer: served as an OGC API coverage, cut to the municipality plus 10 km (the Natura 2000
areas of concern). Concentration, not deposition: it shows where ammonia in the air is high.
"""

from geo.build.inputs import Base, Sources
from geo.core.registry import LayerSpec
from geo.core.style import RasterStyle
from geo.formats.raster import Grid, clip

SOURCE = "sources/rivm-gcn/conc_NH3_2023.asc"
MARGIN_M = 10_000


def build(base: Base, sources: Sources) -> Grid:
    minx, miny, maxx, maxy = base.gebied.bounds
    grid = clip(sources.path("gcn_nh3", SOURCE), (minx - MARGIN_M, miny - MARGIN_M, maxx + MARGIN_M, maxy + MARGIN_M))
    grid.units, grid.description = "ug/m3", "nh3_ug_m3"
    return grid


NH3_CLASSES = (  # µg/m³ NH3 (RIVM GCN), blue (low) to red (high): each colour up to and including its value
    (2.0, "#2c7bb6", "tot 2 µg/m³"), (4.0, "#abd9e9", "2 – 4 µg/m³"), (7.0, "#ffffbf", "4 – 7 µg/m³"),
    (12.0, "#fdae61", "7 – 12 µg/m³"), (float("inf"), "#d7191c", "meer dan 12 µg/m³"),
)
STYLE = RasterStyle("nh3_concentratie", "NH3-concentratie 2023 (µg/m³)", NH3_CLASSES, opacity=0.6, units="µg/m³",
                    classes=True)


SPEC = LayerSpec(
    name="nh3_concentratie",
    title="NH3-concentratie 2023 (RIVM GCN, 1 km)",
    description="Grootschalige concentratie ammoniak in de lucht (RIVM GCN 2023), µg/m³, 1 km-raster, "
               "rond de gemeente (+10 km).",
    group="Natuur en stikstof",
    kind="raster",
    public_fields=("nh3_ug_m3",),
    needs=("gemeentegebied",),
    source=SOURCE,
    register="RIVM GCN (Grootschalige Concentratiekaarten)",
    licence="CC-BY-4.0",
    attribution="Bron: RIVM, GCN 2023",
    extent_buffer_deg=0.15,
    style=STYLE,
    draw_order=90,  # QGIS: lower is drawn on top
    hidden=True,  # off when a map or QGIS project opens
    build=build,
)
