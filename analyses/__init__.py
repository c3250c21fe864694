"""Analyses: one module per analysis. Each reads layers from the store (never raw sources) and returns result
GeoDataFrames that the store publishes like any layer, under the result layers it declares.

An analysis module has: ``NAME``, ``TITLE``, ``RESULTS`` (a tuple of ``ResultLayer``) and
``run(store, **inputs) -> dict[str, GeoDataFrame]``; it may also offer an OGC API Process (a
``BaseProcessor`` subclass named in ``PROCESSES``). Register it in ``ANALYSES`` below.
"""

from dataclasses import dataclass

from geo.schema import LayerSchema


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


ANALYSES: dict = {}  # name -> analysis module, in run order

# process id -> dotted path of its pygeoapi processor class
PROCESSES: dict[str, str] = {}

# functions f(store_path, gemeente) run after every `geo build` (e.g. a monitoring snapshot), in order
AFTER_BUILD: list = []


def result_layers(include_internal: bool = False) -> dict[str, ResultLayer]:
    """Every result layer the registered analyses publish."""
    return {r.NAME: r for a in ANALYSES.values() for r in a.RESULTS if include_internal or not r.INTERNAL}

from analyses import stikstof as _stikstof  # noqa: E402  (registered below; added by the stikstof screening)

ANALYSES[_stikstof.NAME] = _stikstof
PROCESSES["stikstof-scenario"] = "analyses.stikstof_process.StikstofScenarioProcessor"
AFTER_BUILD.append(_stikstof.after_build)

# --- advisory analyses (issue 5): Wnb-besluiten op locatie, gebiedsanalyse for the omgevingstafel ---
from analyses import gebiedsanalyse, op_locatie  # noqa: E402  (they use ResultLayer, defined above)

ANALYSES[op_locatie.NAME] = op_locatie
ANALYSES[gebiedsanalyse.NAME] = gebiedsanalyse
PROCESSES["wnb-op-locatie"] = "analyses.process.OpLocatieProcessor"
PROCESSES["gebiedsanalyse"] = "analyses.process.GebiedsanalyseProcessor"


# issue 6 (toezicht, datakwaliteit, monitoring): imported here, after the registries they are added to exist
from analyses import kwaliteit, monitoring, toezicht  # noqa: E402

ANALYSES[toezicht.NAME] = toezicht
AFTER_BUILD.extend([toezicht.after_build, kwaliteit.after_build, monitoring.after_build])
