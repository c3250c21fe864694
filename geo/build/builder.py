"""Build layers from their sources and publish them to the store in one atomic step."""

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo.core.errors import GeoError, LayerNotFoundError, SchemaError
from geo.build.inputs import Base, Sources
from geo.core.registry import LayerSpec, Registry
from geo.core.schema import check
from geo.core.validate import Quarantine
from geo.store import catalogue
from geo.store.geopackage import Store, as_store
from geo.store.publish_lock import publishing

log = logging.getLogger(__name__)


@dataclass
class LayerReport:
    name: str
    features: int
    quarantined: int
    repaired: int
    seconds: float


@dataclass
class BuildReport:
    gemeente: str
    store: Path | str
    layers: list[LayerReport] = field(default_factory=list)


def resolve(registry: Registry, names: Iterable[str] | None) -> list[str]:
    """Requested layer names in build order; all layers when none are named."""
    layers = registry.layers
    names = list(names or [])
    unknown = [n for n in names if n not in layers]
    if unknown:
        raise LayerNotFoundError(f"unknown layer {unknown[0]!r}; known layers: {', '.join(layers)}")
    return [n for n in layers if not names or n in names]


def build(registry: Registry, names: Iterable[str] | None, gemeente: str, store: "Store | Path | str",
          data_dir: Path, overrides: dict[str, Path] | None = None,
          progress: Callable[[str], None] | None = None, operator: dict[str, str] | None = None) -> BuildReport:
    """Build the named layers (all by default) for ``gemeente`` and publish them to ``store`` (a path is
    still accepted and opened once, here, with default settings); then run the registry's after-build hooks
    and rewrite the catalogue (with ``operator``, ``Settings.operator``: publisher, contact and licence)."""
    order = resolve(registry, names)
    store = as_store(store)
    with publishing(store):  # one build at a time, from reading the layers it needs to its analyses
        return _build_locked(registry, order, store, gemeente, data_dir, overrides, progress, operator)


def _build_locked(registry, order, store, gemeente, data_dir, overrides, progress, operator=None) -> BuildReport:
    layers = registry.layers
    sources = Sources(root=Path(data_dir), gemeentecode=gemeente, overrides=overrides or {})
    order, earlier = _plan(layers, store, order, gemeente)
    base = Base(gemeentecode=gemeente, layers=earlier)
    if "gemeentegebied" in base.layers:
        sources.bbox = tuple(base.gebied.bounds)
    report = BuildReport(gemeente, store.path)
    built: dict[str, gpd.GeoDataFrame] = {}
    for name in order:
        if progress:
            progress(name)
        built[name] = _build_one(layers[name], base, sources, report)
        if not layers[name].is_raster:
            base.layers[name] = built[name]
        if "gemeentegebied" in base.layers and sources.bbox is None:
            sources.bbox = tuple(base.gebied.bounds)
    meta = {r.name: _meta(layers[r.name], r, gemeente) for r in report.layers}
    store.publish(built, meta, sources.used, sources.quarantine.frame())
    _after_build(registry, store, gemeente, operator)
    return report


def _after_build(registry: Registry, store: Store, gemeente: str, operator: dict[str, str] | None = None) -> None:
    for hook in registry.after_build():
        hook(store, gemeente)
    catalogue.write(store, registry.collections(), operator=operator)


def _build_one(spec: LayerSpec, base: Base, sources: Sources, report: BuildReport) -> gpd.GeoDataFrame:
    name = spec.name
    sources.current_layer = name
    start = time.perf_counter()
    layer = spec.build(base, sources)
    if spec.is_raster:
        size = layer.cells
    else:
        check(layer, spec.schema, name)
        size = len(layer)
    if size == 0:
        files = ", ".join(sorted({u.path for u in sources.used if u.layer == name})) or "its sources"
        reasons = sources.quarantine.frame(name)["reason"].value_counts().head(3)
        why = "; ".join(f"{n}x {r}" for r, n in reasons.items()) or "no records matched"
        if not spec.optional:
            raise SchemaError(f"{name}: no features left after checking {files} ({why}); nothing published")
        log.warning("%s: no features in %s (%s); published empty", name, files, why)
    seconds = time.perf_counter() - start
    q = sources.quarantine
    report.layers.append(LayerReport(name, size, q.count(name), q.repaired.get(name, 0), seconds))
    log.info("built %s: %d features in %.1fs (%d quarantined)", name, size, seconds, q.count(name))
    return layer


def prerequisites(layers: Mapping[str, LayerSpec], order: list[str]) -> list[str]:
    """The layers those in ``order`` need (``LayerSpec.needs``, transitively) that are not in it, in build order."""
    needed, todo = set(), [need for n in order for need in layers[n].needs]
    while todo:
        name = todo.pop()
        if name not in needed and name not in order:
            needed.add(name)
            todo += layers[name].needs
    return [n for n in layers if n in needed]


def _plan(layers: Mapping[str, LayerSpec], store: Store, order: list[str], gemeente: str) -> tuple[list, dict]:
    """The build order and the layers read from the store: a needed layer the store holds (for this
    gemeente) is read from it; one it lacks is built too. Only what the asked layers need is loaded, so
    ``geo build omgevingsplan_functie --gemeente X`` needs the municipal boundary, not X's BAG."""
    needed = prerequisites(layers, order)
    published = store.layers() if needed else []
    stored = [n for n in needed if n in published]
    if stored:
        info = store.info().set_index("name")
        other = {info.loc[n, "gemeente"] for n in stored} - {gemeente}
        if other:
            raise GeoError(f"{store.path}: holds gemeente {sorted(other)}, not {gemeente}; "
                           "use another --store or build all layers")
    order = [n for n in layers if n in order or (n in needed and n not in stored)]
    return order, {n: store.read(n).drop(columns="fid", errors="ignore") for n in stored}


def _meta(spec: LayerSpec, r: LayerReport, gemeente: str) -> dict:
    return publish_meta(spec, gemeente, r.quarantined, r.repaired)


def publish_meta(spec: LayerSpec, gemeente: str, quarantined: int = 0, repaired: int = 0) -> dict:
    """What a store records of a published layer or analysis result."""
    return {"title": spec.title, "gemeente": gemeente, "public_fields": list(spec.public_fields),
            "key": None if spec.is_raster else spec.schema.key, "quarantined": quarantined, "repaired": repaired,
            "internal": spec.internal}  # PostGIS gives an internal collection no public view


def publish_results(results: dict[str, gpd.GeoDataFrame], specs: Iterable[LayerSpec], gemeente: str,
                    store_path: "Store | Path | str") -> None:
    """Publish analysis results declared by ``specs`` to the store, checked like layers, atomically.

    The catalogue is not rewritten here (it needs the whole registry): a build rewrites it after its hooks,
    a command that publishes on its own calls ``geo.store.catalogue.write`` after this."""
    declared = {spec.name: spec for spec in specs}
    unknown = [n for n in results if n not in declared]
    if unknown:
        raise LayerNotFoundError(f"result {unknown[0]!r} is not declared by the analysis")
    meta = {}
    for name, gdf in results.items():
        check(gdf, declared[name].schema, name)
        meta[name] = publish_meta(declared[name], gemeente)
    as_store(store_path).publish(results, meta, [], Quarantine().frame())
