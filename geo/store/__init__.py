"""The stores: a GeoPackage per build (``geopackage``) or PostGIS (``postgis``), one ``Store`` interface.

``open_store(location, settings)`` resolves a path or a ``postgresql://`` URL once, at the edge.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geo.store.protocol import Store

if TYPE_CHECKING:
    from geo.core.settings import Settings

__all__ = ["Store", "open_store", "is_postgres_url"]


def is_postgres_url(location) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgresql+psycopg2://"))


def open_store(location: Path | str, settings: Settings | None = None) -> Store:
    """The store at ``location``: a ``PostGISStore`` for a ``postgresql://`` URL, else a ``GeoPackageStore``.

    ``settings`` (default: all unset) gives what the environment used to: the PostGIS password, its output and
    raster folders, and how long a build waits for another's publish lock."""
    from geo.core.settings import Settings

    settings = settings or Settings()
    if is_postgres_url(location):
        from geo.store.postgis import PostGISStore

        return PostGISStore(location, password=settings.pg_password, output=settings.output,
                            rasters=settings.rasters, publish_wait_s=settings.publish_wait_s)
    from geo.store.geopackage import GeoPackageStore

    return GeoPackageStore(location, publish_wait_s=settings.publish_wait_s)
