"""Build layers from their sources and publish them to the store in one atomic step."""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from geo.core.errors import GeoError, LayerNotFoundError, SchemaError
from geo.core.layer import Base, Sources
from geo.store.publish_lock import publishing
from geo.core.schema import check
from geo.store.geopackage import Store, as_store

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


def registry() -> dict:
    from layers import LAYERS  # the registry lives with the domain rules, not in geo/

    return LAYERS


def resolve(names: Iterable[str] | None) -> list[str]:
    """Requested layer names in build order; all layers when none are named."""
    layers = registry()
    names = list(names or [])
    unknown = [n for n in names if n not in layers]
    if unknown:
        raise LayerNotFoundError(f"unknown layer {unknown[0]!r}; known layers: {', '.join(layers)}")
    return [n for n in layers if not names or n in names]


def build(names: Iterable[str] | None, gemeente: str, store: Store, data_dir: Path,
          overrides: dict[str, Path] | None = None,
          progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build the named layers (all by default) for ``gemeente`` and publish them to ``store`` (a path is
    still accepted and opened once, here, with default settings)."""
    order = resolve(names)
    store = as_store(store)
    with publishing(store):  # one build at a time, from reading the layers it needs to its analyses
        return _build_locked(order, store, gemeente, data_dir, overrides, progress)


def _build_locked(order, store, gemeente, data_dir, overrides, progress) -> BuildReport:
    sources = Sources(root=Path(data_dir), gemeentecode=gemeente, overrides=overrides or {})
    base = Base(gemeentecode=gemeente, layers=_earlier_layers(store, order, gemeente))
    if "gemeentegebied" in base.layers:
        sources.bbox = tuple(base.gebied.bounds)
    report = BuildReport(gemeente, store.path)
    built: dict[str, gpd.GeoDataFrame] = {}
    for name in order:
        if progress:
            progress(name)
        built[name] = _build_one(name, base, sources, report)
        if not is_raster(registry()[name]):
            base.layers[name] = built[name]
        if "gemeentegebied" in base.layers and sources.bbox is None:
            sources.bbox = tuple(base.gebied.bounds)
    meta = {r.name: _meta(r, gemeente) for r in report.layers}
    store.publish(built, meta, sources.used, sources.quarantine.frame())
    _after_build(store, gemeente)
    return report


def _after_build(store: Store, gemeente: str) -> None:
    from analyses import AFTER_BUILD
    from geo.store import catalogue

    for hook in AFTER_BUILD:
        hook(store, gemeente)
    catalogue.write(store)


def _build_one(name: str, base: Base, sources: Sources, report: BuildReport) -> gpd.GeoDataFrame:
    module = registry()[name]
    sources.current_layer = name
    start = time.perf_counter()
    layer = module.build(base, sources)
    if is_raster(module):
        size = layer.cells
    else:
        check(layer, module.SCHEMA, name)
        size = len(layer)
    if size == 0:
        files = ", ".join(sorted({u.path for u in sources.used if u.layer == name})) or "its sources"
        reasons = sources.quarantine.frame(name)["reason"].value_counts().head(3)
        why = "; ".join(f"{n}x {r}" for r, n in reasons.items()) or "no records matched"
        raise SchemaError(f"{name}: no features left after checking {files} ({why}); nothing published")
    seconds = time.perf_counter() - start
    q = sources.quarantine
    report.layers.append(LayerReport(name, size, q.count(name), q.repaired.get(name, 0), seconds))
    log.info("built %s: %d features in %.1fs (%d quarantined)", name, size, seconds, q.count(name))
    return layer


def is_raster(module) -> bool:
    return getattr(module, "KIND", "vector") == "raster"


def _earlier_layers(store: Store, order: list[str], gemeente: str) -> dict:
    """Layers not rebuilt now but needed by those that are: taken from the published store."""
    first = list(registry()).index(order[0])
    needed = [n for n in list(registry())[:first] if n not in order and not is_raster(registry()[n])]
    if not needed:
        return {}
    published = store.layers()
    missing = [n for n in needed if n not in published]
    if missing:
        raise GeoError(f"{store.path}: layers {missing} are needed first; run 'geo build' without names")
    info = store.info().set_index("name")
    other = {info.loc[n, "gemeente"] for n in needed} - {gemeente}
    if other:
        raise GeoError(f"{store.path}: holds gemeente {sorted(other)}, not {gemeente}; build all layers")
    return {n: store.read(n).drop(columns="fid", errors="ignore") for n in needed}


def _meta(r: LayerReport, gemeente: str) -> dict:
    return publish_meta(registry()[r.name], gemeente, r.quarantined, r.repaired)


def publish_meta(spec, gemeente: str, quarantined: int = 0, repaired: int = 0) -> dict:
    """What a store records of a published layer or result (``spec``: a layer module or ``ResultLayer``)."""
    return {"title": spec.TITLE, "gemeente": gemeente, "public_fields": list(spec.PUBLIC_FIELDS),
            "key": None if is_raster(spec) else spec.SCHEMA.key, "quarantined": quarantined, "repaired": repaired,
            "internal": bool(getattr(spec, "internal", getattr(spec, "INTERNAL", False)))}  # recorded in the store


def publish_results(results: dict[str, gpd.GeoDataFrame], gemeente: str, store_path: "Store | Path | str") -> None:
    """Publish analysis results (``analyses.ResultLayer``) to the store, checked like layers, atomically."""
    from analyses import result_layers

    specs = result_layers(include_internal=True)
    unknown = [n for n in results if n not in specs]
    if unknown:
        raise LayerNotFoundError(f"result {unknown[0]!r} is not declared by any registered analysis")
    meta = {}
    for name, gdf in results.items():
        spec = specs[name]
        check(gdf, spec.SCHEMA, name)
        meta[name] = publish_meta(spec, gemeente)
    store = as_store(store_path)
    store.publish(results, meta, [], _empty_quarantine())
    from geo.store import catalogue

    catalogue.write(store)


def _empty_quarantine():
    from geo.core.validate import Quarantine

    return Quarantine().frame()
