"""Public GeoPackage downloads of the store: only each layer's ``public_fields``, in RD New (EPSG:28992).

``public_geopackage(store)`` is every public vector layer in one file, ``public_geopackage(store, "pand")``
one layer. Files are made on demand into a cache keyed by the store's version (``Store.version``), so a
new build gives new files; each is written under a temporary name
and renamed into place, and a lock keeps two server workers from making the same file at once. Each file
carries the layers' QGIS styles in ``layer_styles`` (QGIS applies them when it opens a layer).
"""

import fcntl
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyogrio

from geo.core.errors import LayerNotFoundError
from geo.core.registry import LayerSpec
from geo.render.styles import qml, sld
from geo.store.geopackage import Store, geometry_type

__all__ = ["ALL_LAYERS", "cache_dir", "public_geopackage", "public_layers"]

log = logging.getLogger(__name__)

ALL_LAYERS = "openbaar"  # the download of every public layer: openbaar.gpkg
CACHE_ENV = "GEO_DOWNLOADS"
GPKG_VERSION = "1.2"  # readable by QGIS 3.22's GDAL 3.6 without warnings


def public_layers(store: Store, collections: Mapping[str, LayerSpec]) -> dict[str, LayerSpec]:
    """The store's public vector layers and analysis results among ``collections`` (``Registry.collections()``),
    in registry order."""
    present = set(store.layers())
    return {n: spec for n, spec in collections.items() if n in present and not spec.is_raster}


def cache_dir(store: Store) -> Path:
    """Where downloads are kept: ``$GEO_DOWNLOADS`` (read at the server's edge) or ``<store>-downloads`` beside
    the store."""
    return Path(_settings().downloads or store.output_dir / f"{store.stem}-downloads")


def _settings():
    """The settings of the running app (``geo.serve.server.create_app``); read here outside a request."""
    from flask import current_app, has_app_context

    from geo.core.settings import Settings

    return ((current_app.extensions.get("geo.settings") or Settings.from_env())
            if has_app_context() else Settings.from_env())


def public_geopackage(store: Store, collections: Mapping[str, LayerSpec], name: str = ALL_LAYERS) -> Path:
    """The cached public GeoPackage of one layer, or of all (``name="openbaar"``); made when missing."""
    layers = public_layers(store, collections)
    if name != ALL_LAYERS and name not in layers:
        raise LayerNotFoundError(f"no public layer {name!r} to download; available: {', '.join(layers)}, "
                                 f"{ALL_LAYERS}")
    target = _key_dir(store) / f"{name}.gpkg"
    if target.exists():
        return target
    with _locked(target):
        if not target.exists():  # another worker may have made it while we waited
            chosen = layers if name == ALL_LAYERS else {name: layers[name]}
            _write(store, chosen.items(), target)
    return target


def _key_dir(store: Store) -> Path:
    root = cache_dir(store)
    key = root / "".join(c if c.isalnum() or c in "-_" else "_" for c in store.version())
    if not key.exists():
        key.mkdir(parents=True, exist_ok=True)
        _remove_stale(root, keep=key)
    return key


def _remove_stale(root: Path, keep: Path) -> None:
    """Downloads of earlier store versions; a worker still sending one keeps its open file."""
    for old in root.iterdir():
        if old.is_dir() and old != keep:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _locked(target: Path):
    with open(target.with_name(f".{target.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write(store: Store, layers: Iterable[tuple[str, LayerSpec]], target: Path) -> None:
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        specs = dict(layers)
        for name, spec in specs.items():
            _copy_layer(store, name, spec, tmp)
        _add_styles(tmp, [specs[name] for name, _ in pyogrio.list_layers(tmp)])
        os.replace(tmp, target)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    log.info("made download %s", target)


def _copy_layer(store: Store, name: str, spec: LayerSpec, tmp: Path) -> None:
    """One layer with only its public fields: read from the store, written with one geometry type."""
    gdf = store.read(name, columns=list(spec.public_fields))
    pyogrio.write_dataframe(
        gdf, tmp, layer=name, driver="GPKG", append=tmp.exists(), geometry_type=geometry_type(gdf),
        dataset_options=None if tmp.exists() else {"VERSION": GPKG_VERSION},
        layer_options={"SPATIAL_INDEX": "YES", "GEOMETRY_NAME": "geom", "FID": "fid",
                       "IDENTIFIER": spec.title, "DESCRIPTION": spec.description})


def _add_styles(path: Path, specs: list[LayerSpec]) -> None:
    """QGIS's ``layer_styles`` table: the default QML and SLD of each layer."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    with sqlite3.connect(path) as con:
        con.execute("""CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
                       f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
                       styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT,
                       owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT CURRENT_TIMESTAMP)""")
        con.executemany("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                        "styleName, styleQML, styleSLD, useAsDefault, description, owner, update_time) "
                        "VALUES ('', '', ?, 'geom', ?, ?, ?, 1, ?, '', ?)",
                        [(s.name, s.name, qml(s), sld(s), "omgevingsgeo: kleuren van de overzichtskaart", now)
                         for s in specs])
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) "
                    "VALUES ('layer_styles', 'attributes', 'layer_styles', ?)", (now,))
