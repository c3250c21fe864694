"""Analyses: one module per analysis. Each reads layers from the store (never raw sources) and returns result
GeoDataFrames that the store publishes like any layer, under the result layers it declares.

An analysis module has: ``NAME``, ``TITLE``, ``RESULTS`` (a tuple of ``geo.core.registry.LayerSpec``) and
``run(store, **inputs) -> dict[str, GeoDataFrame]``; it may also offer an OGC API Process (a
``BaseProcessor`` subclass named in ``PROCESSES``). Register it in ``ANALYSES`` below.
"""

from geo.core.registry import LayerSpec

ANALYSES: dict = {}  # name -> analysis module, in run order

# process id -> dotted path of its pygeoapi processor class
PROCESSES: dict[str, str] = {}
# processes whose answer is internal data: only in the internal config (geo config --internal)
INTERNAL_PROCESSES: set[str] = set()

# functions f(store_path, gemeente) run after every `geo build` (e.g. a monitoring snapshot), in order
AFTER_BUILD: list = []


def result_layers(include_internal: bool = False) -> dict[str, LayerSpec]:
    """Every result layer the registered analyses publish."""
    return {r.name: r for a in ANALYSES.values() for r in a.RESULTS if include_internal or not r.internal}


# --- the registered analyses (imported last: they use the registries above) ---------------
from analyses import gebiedsanalyse, kwaliteit, monitoring, op_locatie, stikstof, toezicht  # noqa: E402

for _module in (stikstof, op_locatie, gebiedsanalyse, toezicht):
    ANALYSES[_module.NAME] = _module

PROCESSES["stikstof-scenario"] = "analyses.stikstof.process.StikstofScenarioProcessor"
PROCESSES["wnb-op-locatie"] = "analyses.process.OpLocatieProcessor"
PROCESSES["gebiedsanalyse"] = "analyses.process.GebiedsanalyseProcessor"
PROCESSES["toezicht"] = "analyses.toezicht.process.ToezichtProcessor"
PROCESSES["kwaliteit"] = "analyses.kwaliteit.process.KwaliteitProcessor"
INTERNAL_PROCESSES.add("toezicht")

# after every build, in this order: the nitrogen screening first (others read its hexagons), monitoring last
AFTER_BUILD.extend([stikstof.after_build, gebiedsanalyse.after_build, toezicht.after_build, kwaliteit.after_build,
                    monitoring.after_build])
