"""The one registry of the application: every layer and every analysis, in build and run order."""

from functools import cache

import analyses
from geo.core.registry import AnalysisSpec, Registry


@cache
def build_registry() -> Registry:
    """The layers and analyses of this application; built once per process and handed down."""
    return Registry(layers=_layers(), analyses={a.name: a for a in _analyses()})


def _layers() -> dict:
    """The source layers as today (name -> layer module); engineer A's LayerSpec version replaces this."""
    from geo.build.builder import registry

    return dict(registry())


def _analyses() -> list[AnalysisSpec]:
    return list(analyses.ANALYSES)
