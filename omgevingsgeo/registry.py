"""The application's registry: every source layer (``layers.LAYERS``) and every analysis
(``analyses.ANALYSES``), collected at the edge and handed down to the machinery."""

from functools import cache

import analyses
from geo.core.registry import Registry
from layers import LAYERS


@cache
def build_registry() -> Registry:
    """The registry the ``geo`` command and the WSGI app hand down; built once per process."""
    return Registry.of(LAYERS, analyses.ANALYSES)
