"""Analyses: one module (or package) per analysis. Each reads layers from the store (never raw sources) and
returns result GeoDataFrames that the store publishes like any layer, under the result layers it declares.

An analysis has ``NAME``, ``TITLE``, ``RESULTS`` (a tuple of ``geo.core.registry.LayerSpec``),
``run(store, **inputs) -> dict[str, GeoDataFrame]`` and a ``SPEC`` (``geo.core.registry.AnalysisSpec``) naming
its results, its OGC API Process (a ``geo.serve.processing.AnalysisProcessor`` subclass), its ``geo`` command
and its after-build hook. Register it with one line in ``ANALYSES`` below; the edge (``omgevingsgeo``) does
the rest.
"""

from analyses import gebiedsanalyse, kwaliteit, monitoring, op_locatie, stikstof, toezicht
from geo.core.registry import AnalysisSpec, LayerSpec

# in run order: the after-build hooks run in this order (the nitrogen screening first: others read its
# hexagons; monitoring last); the processes are listed in it
ANALYSES: list[AnalysisSpec] = [
    stikstof.SPEC,
    stikstof.NATIONAAL,
    op_locatie.SPEC,
    gebiedsanalyse.SPEC,
    toezicht.SPEC,
    kwaliteit.SPEC,
    monitoring.SPEC,
]


def result_layers(include_internal: bool = False) -> dict[str, LayerSpec]:
    """Every result layer the analyses publish (for analyses that look up another analysis's results)."""
    return {r.name: r for a in ANALYSES for r in a.results if include_internal or not r.internal}
