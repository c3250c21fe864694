"""Analyses: one module per analysis. Each reads layers from the store (never raw sources) and returns result
GeoDataFrames that the store publishes like any layer, under the result layers it declares.

An analysis module (or package) has ``NAME``, ``TITLE``, ``RESULTS`` (a tuple of ``ResultLayer``),
``run(store, **inputs) -> dict[str, GeoDataFrame]`` and a ``SPEC`` (``geo.core.registry.AnalysisSpec``) naming
its results, its OGC API Process (a ``geo.serve.processing.AnalysisProcessor`` subclass), its ``geo`` command
and its after-build hook. Register it with one line in ``ANALYSES`` below; the edge (``omgevingsgeo``) does
the rest.
"""

from dataclasses import dataclass

from geo.core.schema import LayerSchema


@dataclass(frozen=True)
class ResultLayer:
    """A published analysis result: the same contract as a layer module (upper-case names on purpose)."""

    NAME: str
    TITLE: str
    DESCRIPTION: str
    SCHEMA: LayerSchema
    PUBLIC_FIELDS: tuple[str, ...]
    GROUP: str = "Analyses"
    TITLE_FIELD: str | None = None
    INTERNAL: bool = False  # internal results are never part of the public server's config


# --- the registered analyses (imported last: they use ResultLayer above) --------------------------------------
from analyses import gebiedsanalyse, kwaliteit, monitoring, op_locatie, stikstof, toezicht  # noqa: E402
from geo.core.registry import AnalysisSpec  # noqa: E402

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


def result_layers(include_internal: bool = False) -> dict[str, ResultLayer]:
    """Every result layer the analyses publish. Temporary: goes when the registry is handed down (issue 15)."""
    return {r.NAME: r for a in ANALYSES for r in a.results if include_internal or not r.INTERNAL}
