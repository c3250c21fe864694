"""The application's registry: every source layer (``layers.LAYERS``) and every analysis, collected at the edge."""

import analyses
from geo.core.registry import AnalysisSpec, ProcessSpec, Registry
from layers import LAYERS


def build_registry() -> Registry:
    """The registry the ``geo`` command and the WSGI app hand down to the machinery."""
    return Registry.of(LAYERS, _analyses())


def _analyses() -> list[AnalysisSpec]:
    """An adapter from the analyses' current registries (``analyses.ANALYSES``, ``PROCESSES``,
    ``INTERNAL_PROCESSES``, ``AFTER_BUILD``) to one ``AnalysisSpec`` per analysis.

    A process belongs to the analysis its id names (``wnb-op-locatie``: ``op_locatie``), a hook to the analysis
    of its package (``analyses.stikstof.run``: ``stikstof``); one without a registered analysis (kwaliteit,
    monitoring) gets a spec of its own. The order is that of ``ANALYSES``, then ``PROCESSES``, then
    ``AFTER_BUILD``: the order of the results, processes and hooks as before.
    """
    specs = {n: {"title": m.TITLE, "results": tuple(m.RESULTS)} for n, m in analyses.ANALYSES.items()}
    for pid, path in analyses.PROCESSES.items():
        name = next((n for n in analyses.ANALYSES if n.replace("_", "-") in pid), pid)
        process = ProcessSpec(pid, path, internal=pid in analyses.INTERNAL_PROCESSES)
        specs.setdefault(name, {"title": name, "results": ()})["process"] = process
    for hook in analyses.AFTER_BUILD:
        name = hook.__module__.split(".")[1]
        specs.setdefault(name, {"title": name, "results": ()})["after_build"] = hook
    return [AnalysisSpec(name=n, **spec) for n, spec in specs.items()]
