"""pygeoapi configuration and OpenAPI document, generated from the layer registry.

The config is committed; paths and the public URL come from environment variables
(``GEO_STORE``, ``GEO_SERVER_URL``) so one file serves every machine.
"""

import io
import os
from collections.abc import Mapping
from pathlib import Path

import yaml

from geo.core.crs import CRS84_URI, RD_NEW_URI, WGS84_URI, transformer
from geo.core.errors import GeoError
from geo.core.registry import LayerSpec, Registry
from geo.core.settings import (
    LICENCE_ENV,
    LICENCE_URL_ENV,
    OPERATOR_EMAIL_ENV,
    OPERATOR_NAME_ENV,
    OPERATOR_URL_ENV,
    Settings,
)
from geo.formats.readers import read_vector
from geo.render.voorbeelddata import describe
from geo.serve import openapi_doc
from geo.serve.gis_routes import collection_links
from geo.serve.internal import QUARANTINE_COLLECTION

DEFAULT_GEMEENTE = "GM0441"
MAX_ITEMS = 10_000
API_VERSION = "1.0.0"  # the API-Version header (ADR /core/version-header); major version in the URL when it changes
CRS_LIST = [CRS84_URI, RD_NEW_URI, WGS84_URI, "http://www.opengis.net/def/crs/EPSG/0/3857"]
PROVIDER = "geo.serve.provider.GeoPackageProvider"
QUARANTINE = "geo_quarantine"  # the store's quarantine table (geo.store.geopackage.QUARANTINE)


def generate(registry: Registry, gemeente: str, data_dir: Path, internal: bool = False) -> dict:
    """The pygeoapi config as a dict: server, metadata, one collection per layer and analysis result, and
    one process per registered analysis process.

    ``internal``: the config of the internal instance (``geo serve --internal``): every column of each
    layer, internal analysis results and the quarantine table as collections."""
    bbox = _gemeente_bbox(registry.layers["gemeentegebied"], gemeente, data_dir)
    resources = {name: _collection(spec, bbox, internal)
                 for name, spec in registry.collections(include_internal=internal).items()}
    if internal:
        resources[QUARANTINE] = _quarantine_collection(bbox)
    resources |= {pid: {"type": "process", "processor": {"name": process.processor}}
                  for pid, process in registry.processes(include_internal=internal).items()}
    resources["catalogus"] = _catalogue(bbox)
    metadata = _metadata()
    if internal:
        title = metadata["identification"]["title"]
        metadata["identification"]["title"] = {lang: f"{text} (intern)" for lang, text in title.items()}
    server = _server()
    if internal:
        server["cors"] = False  # the internal instance is for the organisation's own tools, not for web pages elsewhere
    return {
        "server": server,
        "logging": {"level": "WARNING"},
        "metadata": metadata,
        "resources": resources,
    }


def _quarantine_collection(bbox: list[float]) -> dict:
    """The quarantine table (no geometry; a record keeps its WKT) as a collection of the internal instance."""
    return {
        "type": "collection",
        "title": "Quarantaine",
        "description": "Afgewezen bronrecords met de reden, per laag en bronbestand (alleen intern).",
        "keywords": ["Beheer", QUARANTINE],
        "links": [],
        "extents": {"spatial": {"bbox": [round(v, 6) for v in bbox], "crs": CRS84_URI}},
        "providers": [{"type": "feature", "name": PROVIDER, "data": "${GEO_STORE}", "table": QUARANTINE,
                       "id_field": "rowid", "title_field": "reason", "storage_crs": RD_NEW_URI,
                       "crs": list(CRS_LIST)}],
    }


def _extent(spec: LayerSpec, bbox: list[float]) -> dict:
    buffer = spec.extent_buffer_deg
    return {"spatial": {"bbox": [round(bbox[0] - buffer, 6), round(bbox[1] - buffer, 6),
                                 round(bbox[2] + buffer, 6), round(bbox[3] + buffer, 6)], "crs": CRS84_URI}}


def _coverage_provider(spec: LayerSpec) -> dict:
    """A raster layer as an OGC API coverage: pygeoapi's rasterio provider on the layer's COG."""
    return {
        "type": "coverage",
        "name": "rasterio",
        "data": "${GEO_RASTERS}/" + spec.name + ".tif",
        "options": {"DATA_ENCODING": "COMPRESSION=DEFLATE"},
        "format": {"name": "GTiff", "mimetype": "application/tiff"},
    }


def _title_field(spec: LayerSpec) -> str | None:
    """The field pygeoapi's item page shows as the title: text only; its template truncates the value and
    fails (500) on a number, e.g. stikstof_hexagon's receptor_id. Without one the page shows the id."""
    name = spec.title_field or spec.schema.key
    return name if spec.schema.columns.get(name, "str") == "str" else None


def _feature_provider(spec: LayerSpec, internal: bool = False) -> dict:
    """A vector layer through our GeoPackage provider; only its public fields (all in the internal config)."""
    provider = {
        "type": "feature",
        "name": PROVIDER,
        "data": "${GEO_STORE}",
        "table": spec.name,
        "id_field": spec.schema.key,
        "title_field": _title_field(spec),
        "time_field": spec.time_field,
        "storage_crs": RD_NEW_URI,
        "crs": list(CRS_LIST),
        "properties": list(spec.schema.columns if internal else spec.public_fields),
    }
    return {k: v for k, v in provider.items() if k not in ("title_field", "time_field") or v is not None}


def write(registry: Registry, path: Path, gemeente: str, data_dir: Path, internal: bool = False) -> Path:
    command = "geo config --internal" if internal else "geo config"
    text = f"# Generated by '{command}' from the layer registry; do not edit by hand.\n"
    text += yaml.safe_dump(generate(registry, gemeente, data_dir, internal), sort_keys=False, allow_unicode=True,
                           width=110)
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


def tiled_collections(config: dict) -> list[str]:
    """The collections ``geo.serve.tiles`` makes vector tiles of: those with a feature provider, but not the
    internal instance's quarantine (not a layer of the registry)."""
    return [name for name, resource in config.get("resources", {}).items()
            if resource.get("type") == "collection" and name != QUARANTINE_COLLECTION
            and any(p.get("type") == "feature" for p in resource.get("providers", []))]


def write_openapi(config_path: Path, out: Path, env: Mapping[str, str] | None = None) -> Path:
    """The OpenAPI document pygeoapi serves, generated from the config with ``env`` for its ``${...}`` (the
    environment the server will get; ``GEO_STORE``, ``GEO_RASTERS``, ``GEO_CATALOGUE`` default to beside
    ``out``). The process environment is neither read nor changed."""
    from pygeoapi.openapi import generate_openapi_document
    from pygeoapi.util import yaml_load

    env = {"GEO_STORE": str(Path(out).parent / "store.gpkg"), "GEO_RASTERS": str(Path(out).parent / "store-rasters"),
           "GEO_CATALOGUE": str(Path(out).parent / "store-catalogus.json"), **(env or {})}
    with open(config_path, encoding="utf-8") as fh:
        # a result collection whose analysis has not run yet must not keep the server from starting
        config = _servable(apply_operator(load_with(fh, env), Settings.from_env(env).operator), env)
    text = generate_openapi_document(io.StringIO(yaml.safe_dump(config, sort_keys=False)), "yaml",
                                     fail_on_invalid_collection=False)
    doc = openapi_doc.complete(yaml_load(io.StringIO(text)), tiled=tiled_collections(config))
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    _replace_atomically(Path(out), text)
    return Path(out)


def _replace_atomically(out: Path, text: str) -> None:
    """Write beside ``out``, then rename over it: instances started together (omgevingsgeo@.service) each write
    the same document, and a worker reading it meanwhile sees one whole version, never a half-written file."""
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def load_with(fh, env: Mapping[str, str]) -> dict:
    """pygeoapi's ``yaml_load`` with ``${VAR}``/``${VAR:-default}`` taken from ``env`` instead of the process
    environment (the same rules: the value, else the default, else an error)."""
    import re

    import pygeoapi.util as util

    matcher = re.compile(r"\$\{(?P<varname>\w+)(:-(?P<default>[^}]*))?\}")

    def value(match) -> str:
        name, default = match.group("varname"), match.group("default")
        if env.get(name) is not None:
            return env[name]
        if default is not None:
            return default
        raise OSError(f"Could not find the {name!r} environment variable")

    class Loader(yaml.SafeLoader):
        pass

    def constructor(loader, node):
        return util.get_typed_value(matcher.sub(value, node.value))

    Loader.add_implicit_resolver("!env", re.compile(r".*?\$\{\w+(:-[^}]*)?\}"), None)
    Loader.add_constructor("!env", constructor)
    return yaml.load(fh, Loader=Loader)


def _servable(config: dict, env: Mapping[str, str]) -> dict:
    """The config without feature collections whose table is not in the store yet: pygeoapi drops every
    /items path from the OpenAPI document when one feature provider fails to load."""
    published = _published_tables(env)

    def missing(resource: dict) -> bool:
        tables = [p["table"] for p in resource.get("providers", []) if p.get("type") == "feature" and "table" in p]
        return bool(tables) and tables[0] not in published

    return {**config, "resources": {name: r for name, r in config["resources"].items() if not missing(r)}}


def _published_tables(env: Mapping[str, str]) -> set[str]:
    """Tables of the store in ``GEO_STORE``: its layers and results plus the quarantine (empty when unreadable)."""
    import sqlite3

    from geo.store import open_store
    from geo.store.postgis import QUARANTINE_VIEW

    settings = Settings.from_env(env)  # the server's environment, as given
    try:
        return {*open_store(settings.store or "", settings).layers(), QUARANTINE, QUARANTINE_VIEW}
    except (GeoError, sqlite3.Error):
        return set()


# Private jobs, one store per instance beside the store (geo.serve.jobs); the limits can be shortened for tests.
JOB_MANAGER = {"name": "geo.serve.jobs.PrivateJobManager", "connection": "beside-the-store",
               "output_dir": "beside-the-store", "time_limit_s": "${GEO_PROCESS_TIME_LIMIT_S:-120}",
               "max_async_jobs": "${GEO_MAX_ASYNC_JOBS:-4}", "max_sync_jobs": "${GEO_MAX_SYNC_JOBS:-2}",
               "expiry_s": "${GEO_JOB_EXPIRY_S:-86400}",
               "max_jobs": 1000, "max_store_mb": 256}


def _server() -> dict:
    return {
        "bind": {"host": "127.0.0.1", "port": 5000},
        "url": "${GEO_SERVER_URL:-http://127.0.0.1:5000}",
        "mimetype": "application/json; charset=UTF-8",
        "encoding": "utf-8",
        "gzip": False,
        "languages": ["nl", "en-US"],  # Dutch first: the default for advisors
        "cors": True,  # browsers on other origins (viewers, notebooks) may read the API (ADR /core/cors)
        "api_rules": {"api_version": API_VERSION, "version_header": "API-Version", "strict_slashes": False},
        "pretty_print": False,
        "limits": {"default_items": 100, "max_items": MAX_ITEMS, "on_exceed": "throttle"},
        "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": "&copy; OpenStreetMap contributors"},
        "admin": False,
        "manager": JOB_MANAGER,
    }


def _operator(key: str) -> str:
    """The operator's value as a ``${VAR:-default}`` placeholder: set once in the server's environment
    (``GEO_OPERATOR_*``, ``GEO_LICENCE*``, geo.core.settings), with the settings' honest default."""
    env = OPERATOR_ENV[key]
    return "${" + env + ":-" + Settings().operator[key] + "}"


OPERATOR_ENV = {"name": OPERATOR_NAME_ENV, "email": OPERATOR_EMAIL_ENV, "url": OPERATOR_URL_ENV,
                "licence": LICENCE_ENV, "licence_url": LICENCE_URL_ENV}
TITLE = "Geo-informatie van de omgevingsdienst"
DESCRIPTION = ("Kaartlagen en analyses voor vergunningverlening, toezicht en het omgevingsplan: BAG, Natura 2000, "
               "stikstof, Wnb-besluiten, bodem en omgevingsplan. Zoek Wnb-besluiten bij een adres op de pagina "
               "'Wnb-besluiten op locatie' (/op-locatie/).")


def apply_operator(config: dict, operator: Mapping[str, str]) -> dict:
    """``config`` (loaded) with the operator's values (``Settings.operator``) in its metadata, as the server and
    the OpenAPI document use it: the same values as the ``${...}``, and a licence URL that follows the licence
    when only ``GEO_LICENCE`` is set (a ``${...}`` default cannot depend on another variable)."""
    meta = config["metadata"]
    meta["identification"].update(terms_of_service=operator["licence_url"], url=operator["url"])
    meta["license"] = {"name": operator["licence"], "url": operator["licence_url"]}
    meta["provider"] = {"name": operator["name"], "url": operator["url"]}
    meta["contact"].update(name=operator["name"], email=operator["email"], url=operator["url"])
    return config


def _metadata() -> dict:
    return {
        "identification": {
            "title": {"nl": TITLE, "en": TITLE},
            "description": {"nl": DESCRIPTION, "en": DESCRIPTION},
            "keywords": {"nl": ["omgevingsplan", "BAG", "Natura 2000", "stikstof", "Wnb"]},
            "keywords_type": "theme",
            "terms_of_service": _operator("licence_url"),
            "url": _operator("url"),
        },
        "license": {"name": _operator("licence"), "url": _operator("licence_url")},
        "provider": {"name": _operator("name"), "url": _operator("url")},
        "contact": {"name": _operator("name"), "email": _operator("email"), "url": _operator("url"),
                    "country": "Nederland", "role": "pointOfContact"},
    }


def _collection(spec: LayerSpec, bbox: list[float], internal: bool = False) -> dict:
    return {
        "type": "collection",
        "title": spec.title,
        "description": describe(spec),  # with real (register, peildatum) or voorbeelddata
        "keywords": [spec.group, spec.name],
        "links": [_provenance_link(spec), *([] if internal else collection_links(spec.name, spec.is_raster))],
        "extents": _extent(spec, bbox),
        "providers": [_coverage_provider(spec) if spec.is_raster else _feature_provider(spec, internal)],
    }


def _provenance_link(spec: LayerSpec) -> dict:
    """Each collection points to its catalogue record: sources, their dates, build date, licence."""
    return {"type": "application/geo+json", "rel": "describedby", "title": "Herkomst: bronnen, brondatum, licentie",
            "href": "${GEO_SERVER_URL:-http://127.0.0.1:5000}/collections/catalogus/items/" + spec.name}


def _catalogue(bbox: list[float]) -> dict:
    """OGC API Records: the layer catalogue that every build writes (geo.store.catalogue)."""
    return {
        "type": "collection",
        "title": "Catalogus: lagen en analyses",
        "description": "Metadata van elke gepubliceerde laag: bron, brondatum, bouwdatum, licentie, omvang, kwaliteit.",
        "keywords": ["catalogus", "metadata"],
        "links": [],
        "extents": {"spatial": {"bbox": [round(v, 6) for v in bbox], "crs": CRS84_URI}},
        "providers": [{"type": "record", "name": "TinyDBCatalogue", "data": "${GEO_CATALOGUE}", "editable": False,
                       "id_field": "id", "time_field": "updated", "title_field": "title"}],
    }


def _gemeente_bbox(gemeentegebied: LayerSpec, gemeente: str, data_dir: Path) -> list[float]:
    """The municipality's bbox in CRS84, from the default source of the ``gemeentegebied`` layer."""
    gdf = read_vector(Path(data_dir) / gemeentegebied.source)
    area = gdf[gdf["statcode"] == gemeente]
    if area.empty:
        raise GeoError(f"gemeente {gemeente} is not in {gemeentegebied.source}")
    minx, miny, maxx, maxy = area.total_bounds
    tr = transformer("EPSG:28992", "OGC:CRS84")
    xs, ys = tr.transform([minx, maxx, minx, maxx], [miny, miny, maxy, maxy])
    return [min(xs), min(ys), max(xs), max(ys)]
