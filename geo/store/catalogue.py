"""The layer catalogue: one OGC API Records record per published collection, generated from the store.

Written by every `geo build` (never by hand) as the TinyDB file pygeoapi's ``TinyDBCatalogue`` provider
serves as collection ``catalogus``: title, description, source register and files with their dates and
checksums, build date, licence and attribution, CRS, extent, feature count, quality summary, public/internal.
"""

import functools
import json
import os
from collections.abc import Mapping
from pathlib import Path

import yaml

from geo.core.errors import StoreError
from geo.core.registry import LayerSpec
from geo.core.settings import Settings
from geo.render.voorbeelddata import is_generated
from geo.serve.data_extents import to_crs84
from geo.store.geopackage import Store

CATALOGUE_ID = "catalogus"
PEILDATA = "peildata.yml"  # publishers' reference dates of the real sources (data/sources/peildata.yml)
DERIVED_SOURCES = "afgeleid uit de gepubliceerde lagen (zie hun records en de bouwdatum)"
GENERATED_LICENCE = ("CC0-1.0", "Gegenereerde voorbeelddata (seeded generator in samples/); geen echte registratie")

GEMEENTE = "gemeentegebied"  # the municipal area every build starts from (geo.build.inputs.Base.gebied)


def catalogue_path(store: Store) -> Path:
    return store.output_dir / f"{store.stem}-{CATALOGUE_ID}.json"


def write(store: Store, collections: Mapping[str, LayerSpec], server_url: str = "",
          operator: Mapping[str, str] | None = None) -> Path:
    """(Re)write the catalogue of ``store`` atomically; returns its path. Links are server-relative.

    ``collections``: the public collections (``Registry.collections()``); a record for each the store holds.
    ``operator``: ``Settings.operator`` of the command (publisher, contact, licence of derived layers; the
    same values as the landing page); the settings' defaults when not given."""
    operator = operator or Settings().operator
    records = [_record(store, collections[row.name], row, server_url, operator)
               for row in _public_rows(store, collections)]
    doc = {"_default": {str(i): r for i, r in enumerate(records, start=1)}}
    path = catalogue_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _public_rows(store: Store, collections: Mapping[str, LayerSpec]):
    info = store.info()
    return [row for row in info.itertuples() if row.name in collections]


def _record(store: Store, spec: LayerSpec, row, server_url: str, operator: Mapping[str, str]) -> dict:
    sources = store.sources().query("layer == @row.name")
    generated = any(is_generated(p) for p in sources["path"])
    licence, attribution = GENERATED_LICENCE if generated else (spec.licence, spec.attribution)
    if not len(sources):  # derived from the published layers: the operator's licence, as on the landing page
        licence = operator["licence"]
    source_dates = sorted(sources["modified"].str[:10]) if len(sources) else []
    return {
        "id": row.name,
        "type": "Feature",
        "geometry": extent_geojson(store, row.name),
        "properties": {
            "type": "dataset",
            "title": spec.title,
            "description": spec.description,
            "keywords": [spec.group, row.name],
            "language": "nl",
            "created": row.built_at,
            "updated": row.built_at,
            "license": licence,
            "rights": attribution,
            "uitgever": operator["name"],
            "contactpunt": operator["email"],
            "bron_register": spec.register or spec.group,
            "bron_bestanden": "; ".join(f"{Path(p).name} (sha256 {s[:12]})" for p, s in
                                        zip(sources["path"], sources["sha256"])) or DERIVED_SOURCES,
            "bron_datum": source_dates[-1] if source_dates else None,  # the newest source file's date
            "bron_peildatum": "; ".join(sorted({d for d in map(reference_date, sources["path"]) if d})) or None,
            "bouwdatum": row.built_at,
            "gemeente": row.gemeente,
            "crs": "EPSG:28992",
            "aantal_objecten": int(row.features),
            "kwaliteit": f"{row.quarantined} records in quarantaine, {row.repaired} geometrieën hersteld",
            "openbaar": True,
        },
        "links": [{"rel": "item", "type": "application/json", "title": spec.title,
                   "href": f"{server_url}/collections/{row.name}"}],
    }


def reference_date(path: str) -> str | None:
    """The publisher's peildatum of a source file, from the ``peildata.yml`` of the folder tree it lies in
    (``data/sources/peildata.yml``: paths relative to that file); None when not listed or remote."""
    path = Path(path)
    for folder in list(path.parents)[:3]:
        dates = _peildata(folder / PEILDATA)
        key = path.relative_to(folder).as_posix()
        if key in dates:
            return str(dates[key])
    return None


@functools.cache
def _peildata(path: Path) -> dict:
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _raster_extent(store: Store, name: str) -> tuple[float, float, float, float] | None:
    """A raster layer's bounds in RD New from its COG (a raster has no table bounds)."""
    import rasterio

    try:
        path = store.raster_path(name)
    except StoreError:  # a PostGIS store without $GEO_RASTERS has no raster files
        return None
    if not path.is_file():
        return None
    with rasterio.open(path) as src:
        return tuple(src.bounds)


def _gemeente_extent(store: Store, name: str) -> tuple[float, float, float, float] | None:
    return store.extent(GEMEENTE) if name != GEMEENTE and GEMEENTE in store.layers() else None


def extent_geojson(store: Store, name: str) -> dict | None:
    """The layer's bbox in CRS84 as a GeoJSON polygon (from the store's metadata where it has it); an empty layer
    (an optional one whose source held none of its objects) has the area it was built for, the gemeentegebied."""
    row = store.extent(name) or _raster_extent(store, name) or _gemeente_extent(store, name)
    if row is None:
        return None
    x0, y0, x1, y1 = to_crs84(row, "EPSG:28992")  # densified edges: the box holds the whole layer
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
