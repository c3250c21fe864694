"""What a store is: the interface both backends (``GeoPackageStore``, ``PostGISStore``) implement.

A store is resolved once at the edge (``geo.store.open_store(location, settings)``) and passed down as an
object; library functions take a ``Store``, never a path or URL to re-open.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo.core.source_file import SourceFile
    from geo.formats.raster import Grid


@runtime_checkable
class Store(Protocol):
    """Layers in RD New plus the metadata rows of every build (layers, sources, quarantine, history).

    ``path``: the GeoPackage file, or the URL without its password (for messages).
    The layer metadata (``info()``) has one row per layer: name, title, features, built_at, gemeente,
    public_fields, quarantined, repaired and ``internal`` (1: only the internal instance may serve it)."""

    path: Path | str
    publish_wait_s: float

    def exists(self) -> bool: ...

    def layers(self) -> list[str]: ...

    def read(self, name: str, columns: list[str] | None = None, where: str | None = None,
             bbox: tuple | None = None) -> gpd.GeoDataFrame: ...

    def extent(self, name: str) -> tuple[float, float, float, float] | None: ...

    def version(self) -> str: ...

    @property
    def stem(self) -> str: ...

    @property
    def output_dir(self) -> Path: ...

    def read_table(self, table: str) -> pd.DataFrame: ...

    def append_rows(self, table: str, rows: pd.DataFrame) -> None: ...

    def info(self) -> pd.DataFrame: ...

    def sources(self) -> pd.DataFrame: ...

    def history(self) -> pd.DataFrame: ...

    def quarantine(self, layer: str | None = None) -> pd.DataFrame: ...

    def internal_layers(self) -> set[str]: ...

    @property
    def raster_dir(self) -> Path | None: ...

    def raster_path(self, name: str) -> Path: ...

    def publish(self, built: dict[str, gpd.GeoDataFrame | Grid], meta: dict[str, dict],
                used: list[SourceFile], quarantine: pd.DataFrame) -> None: ...
