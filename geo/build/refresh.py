"""`geo refresh`: rebuild only what changed since the store was built.

Each build records, per layer, the source files it read with their SHA-256 (``geo_sources``). Refresh
compares those with the files now, rebuilds the layers whose sources changed plus every layer that
``NEEDS`` one of them (transitively), and publishes atomically; the build's after-build hooks rerun the
analyses on the new layers.
"""

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from geo.formats import remote
from geo.build.builder import build
from geo.core.errors import StoreError
from geo.build.inputs import _digest
from geo.core.registry import Registry
from geo.store.publish_lock import publishing
from geo.store.geopackage import Store, as_store

log = logging.getLogger(__name__)


@dataclass
class RefreshReport:
    changed_sources: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    analyses: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, gemeente: str) -> str:
        if not self.rebuilt:
            return f"refresh {gemeente}: nothing changed; nothing rebuilt ({self.seconds:.1f}s)"
        return (f"refresh {gemeente}: changed {', '.join(self.changed_sources)}; rebuilt {', '.join(self.rebuilt)}; "
                f"analyses {', '.join(self.analyses) or 'none'} ({self.seconds:.1f}s)")


def changed_layers(registry: Registry, store: Store, data_dir: Path) -> tuple[set[str], list[str]]:
    """Layers whose recorded source files differ now (or are gone), and those files."""
    layers, files = set(), []
    for row in store.sources().itertuples():
        if remote.is_remote(row.path):
            continue  # see _changed_remote
        path = Path(row.path)
        if not path.exists() or _digest(path) != row.sha256:
            layers.add(row.layer)
            files.append(path.name)
    layers |= _changed_remote(store, data_dir, files)
    missing = set(registry.layers) - set(store.layers())
    return layers | missing, sorted(set(files))


def _changed_remote(store: Store, data_dir: Path, files: list[str]) -> set[str]:
    """Fetch each remote source again (same bbox) and compare the content's checksum with the recorded one."""
    rows = [r for r in store.sources().itertuples() if remote.is_remote(r.path)]
    bbox = tuple(store.read("gemeentegebied").total_bounds) if rows and "gemeentegebied" in store.layers() else None
    layers = set()
    for row in rows:
        _, digest = remote.fetch(row.path, Path(data_dir) / "cache", bbox if row.layer != "gemeentegebied" else None)
        if digest != row.sha256:
            layers.add(row.layer)
            files.append(row.path)
    return layers


def dependents(registry: Registry, names: set[str]) -> set[str]:
    """``names`` plus every layer that needs one of them, transitively."""
    out = set(names)
    grew = True
    while grew:
        more = {n for n, spec in registry.layers.items() if set(spec.needs) & out} - out
        out |= more
        grew = bool(more)
    return out


def refresh(registry: Registry, store: "Store | Path | str", data_dir: Path) -> RefreshReport:
    """Rebuild what changed in ``store`` (a path is still accepted and opened once, here)."""
    store = as_store(store)
    if not store.exists():
        raise StoreError(f"{store.path}: no store yet; run 'geo build' first")
    with publishing(store):  # what changed is judged against the store as the last build left it
        return _refresh_locked(registry, store, data_dir)


def _refresh_locked(registry: Registry, store: Store, data_dir: Path) -> RefreshReport:
    start = time.perf_counter()
    gemeente = store.info()["gemeente"].iloc[0]
    changed, files = changed_layers(registry, store, data_dir)
    report = RefreshReport(changed_sources=files)
    if changed:
        todo = [n for n in registry.layers if n in dependents(registry, changed)]
        overrides = _recorded_paths(store, data_dir)
        build(registry, todo, gemeente, store, data_dir, overrides)  # its after-build hooks rerun the analyses
        report.rebuilt = todo
        report.analyses = _hook_names(registry)
    report.seconds = time.perf_counter() - start
    log.info(report.line(gemeente))
    return report


def _hook_names(registry: Registry) -> list[str]:
    return [a.name for a in registry.analyses.values() if a.after_build]


def _recorded_paths(store: Store, data_dir: Path) -> dict[str, Path]:
    """Sources given with --source at the last build are read from the same place again."""
    default_root = str(Path(data_dir).resolve())
    recorded = {}
    for row in store.sources().itertuples():
        if remote.is_remote(row.path):
            recorded[row.key] = row.path
        elif not str(Path(row.path).resolve()).startswith(default_root):
            recorded[row.key] = Path(row.path)
    return recorded
