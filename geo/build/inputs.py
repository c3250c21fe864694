"""What a layer's ``build(base, sources)`` receives: the base registration so far and the source files
(a remote source is fetched into the cache first)."""

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import shapely

from geo.core.errors import SourceError
from geo.core.source_file import SourceFile
from geo.core.validate import Quarantine

log = logging.getLogger(__name__)


@dataclass
class Base:
    """The municipality being built and the layers built before this one (gemeentegebied first)."""

    gemeentecode: str
    layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)

    def layer(self, name: str) -> gpd.GeoDataFrame:
        if name not in self.layers:
            raise SourceError(f"layer {name!r} is needed but was not built; build it first")
        return self.layers[name]

    @property
    def gebied(self) -> shapely.Geometry:
        """The municipal area (one geometry, RD New)."""
        return self.layer("gemeentegebied").geometry.union_all()


@dataclass
class Sources:
    """Where each named source is: a default under ``root`` unless overridden; records what was read."""

    root: Path
    gemeentecode: str
    quarantine: Quarantine = field(default_factory=Quarantine)
    overrides: dict[str, Path] = field(default_factory=dict)
    used: list[SourceFile] = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    current_layer: str = ""
    bbox: tuple[float, float, float, float] | None = None  # the municipality's, once known: limits remote reads

    def path(self, key: str, default: str, companions: tuple[str, ...] = ()) -> Path:
        """Resolve a source: override, else ``default`` (relative to root, ``{gemeente}`` filled in).

        A remote override (an OGC API Features collection URL) is fetched into the cache first, with the
        ``companions`` collections of the same API that the source's reader expects beside it.
        """
        from geo.formats import remote

        override = self.overrides.get(key)
        if remote.is_remote(override):
            self._check_collection(key, override, companions)
            return self._remote(key, override, companions)
        path = Path(override or self.root / default.format(gemeente=self.gemeentecode))
        if not path.exists():
            hint = "; run 'geo sample' to generate it" if "generated" in default and key not in self.overrides else ""
            raise SourceError(f"source {key!r}: {path} not found{hint}")
        self.used.append(SourceFile(self.current_layer, key, str(path), _digest(path), _mtime(path)))
        return path

    def _remote(self, key: str, url: str, companions: tuple[str, ...] = ()) -> Path:
        from geo.formats import remote

        if key not in self.cache:
            self.cache[key] = remote.fetch(url, self.root / "cache", self.bbox, also=companions)
        path, digests = self.cache[key]
        for collection_url, digest in digests.items():  # the given collection first: a rebuild reads from it
            self.used.append(SourceFile(self.current_layer, key, collection_url, digest, _mtime(path)))
        return path

    @staticmethod
    def _check_collection(key: str, url: str, companions: tuple[str, ...]) -> None:
        """A source read as one delivery of several collections must be given as one of them."""
        cid = url.rstrip("/").rsplit("/", 1)[-1]
        if companions and cid not in companions:
            raise SourceError(f"source {key!r}: {url} is not one of the collections it needs "
                              f"({', '.join(companions)})")


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for f in files:
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")
