"""The contracts between the machinery and the domain: what a layer and an analysis declare, and the registry.

The domain (``layers/``, ``analyses/``) declares a ``LayerSpec`` per source layer and an ``AnalysisSpec`` per
analysis; the edge (``omgevingsgeo/``: the ``geo`` command and the WSGI app) collects them into one ``Registry``
and hands it down to build, config, catalogue, styles, QGIS, downloads, routes and refresh. Nothing in ``geo``
imports the domain (checked by import-linter in the suite), so the machinery works for any registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from geo.core.schema import LayerSchema

DERIVED_LICENCE = "CC-BY-4.0"
DERIVED_ATTRIBUTION = "Analyseresultaat van de omgevingsdienst, afgeleid uit de lagen in deze catalogus"


@dataclass(frozen=True)
class LayerSpec:
    """One published collection: a source layer (with ``build``) or an analysis result (without).

    ``public_fields`` are the only columns a public collection, map, download or job answer ever shows;
    ``needs`` the layers this one is derived from (``geo refresh`` rebuilds it after them); ``style`` a
    ``geo.core.style.VectorStyle``/``RasterStyle`` shared by the Folium maps, QML/SLD and the QGIS project
    (``None``: a default style from the geometry type).
    """

    name: str
    title: str
    description: str
    group: str
    schema: LayerSchema | None = None
    public_fields: tuple[str, ...] = ()
    kind: Literal["vector", "raster"] = "vector"
    needs: tuple[str, ...] = ()
    build: Callable[..., Any] | None = None  # build(base, sources) -> GeoDataFrame | Grid; None for results
    source: str | None = None  # default source file under the data folder ("{gemeente}" filled in)
    register: str | None = None  # the register that delivers the source, e.g. "BAG (Kadaster)"
    licence: str = DERIVED_LICENCE
    attribution: str = DERIVED_ATTRIBUTION
    title_field: str | None = None  # the field a client shows as the feature's name
    time_field: str | None = None  # the DATE column the items' ``datetime`` selects on, e.g. a decision date
    extent_buffer_deg: float = 0.0  # the collection extent beyond the data (e.g. areas within 10 km)
    internal: bool = False  # internal results never reach the public server's config
    style: Any = None
    draw_order: int = 50  # QGIS drawing order: lower is drawn on top
    hidden: bool = False  # off when a map or QGIS project opens
    vector_tiles: bool = False  # too big for paged features: the server's QGIS project reads its vector tiles
    optional: bool = False  # its source may hold none of its objects: then it is published empty, with a warning

    @property
    def is_raster(self) -> bool:
        return self.kind == "raster"

    @property
    def is_result(self) -> bool:
        return self.build is None


@dataclass(frozen=True)
class ProcessSpec:
    """An OGC API Process of an analysis: its id and the processor class (a ``geo.serve.processing`` base)."""

    id: str
    processor: str  # dotted path "package.module.Class", as pygeoapi loads it
    internal: bool = False  # its answer holds internal data: only on the internal instance


@dataclass(frozen=True)
class AnalysisSpec:
    """One analysis: the results it publishes, its process, its CLI command and its after-build hook."""

    name: str
    title: str
    results: tuple[LayerSpec, ...] = ()
    process: ProcessSpec | None = None
    command: Any = None  # a click.Command added to ``geo``
    after_build: Callable[..., Any] | None = None  # after_build(store, gemeente): run after every ``geo build``
    build_all: Callable[..., Any] | None = None  # build_all(store, quiet): ``geo build --gemeente ALL``


@dataclass
class Registry:
    """Every layer and analysis of the application, in build and run order."""

    layers: dict[str, LayerSpec] = field(default_factory=dict)
    analyses: dict[str, AnalysisSpec] = field(default_factory=dict)

    @classmethod
    def of(cls, layers: list[LayerSpec], analyses: list[AnalysisSpec]) -> Registry:
        return cls({spec.name: spec for spec in layers}, {a.name: a for a in analyses})

    def results(self, include_internal: bool = False) -> dict[str, LayerSpec]:
        return {r.name: r for a in self.analyses.values() for r in a.results if include_internal or not r.internal}

    def collections(self, include_internal: bool = False) -> dict[str, LayerSpec]:
        """Every collection a server publishes: the source layers, then the analysis results."""
        return {**self.layers, **self.results(include_internal)}

    def processes(self, include_internal: bool = False) -> dict[str, ProcessSpec]:
        return {a.process.id: a.process for a in self.analyses.values()
                if a.process and (include_internal or not a.process.internal)}

    def after_build(self) -> list[Callable[..., Any]]:
        return [a.after_build for a in self.analyses.values() if a.after_build]

    def commands(self) -> list[Any]:
        return [a.command for a in self.analyses.values() if a.command is not None]
