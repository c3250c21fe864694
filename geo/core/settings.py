"""The one settings object: every ``GEO_*`` variable (and the few others) our code honours, read once.

``Settings.from_env()`` is called at the edges only -- the ``geo`` command group, the ASGI/WSGI app factory,
and the objects pygeoapi constructs itself from its config (the job manager, processors) -- and the
settings, or the one value a function needs, are passed down from there. No other module reads
``os.environ`` or sets it; a child process (gunicorn) gets its variables through ``child_env``.

pygeoapi itself reads ``PYGEOAPI_CONFIG``/``PYGEOAPI_OPENAPI`` and substitutes ``${GEO_...}`` in its config:
that is pygeoapi's code, and the names below are the same ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The variable names (kept as constants: messages and child environments name them)
STORE_ENV = "GEO_STORE"
DATA_ENV = "GEO_DATA"
RASTERS_ENV = "GEO_RASTERS"
CATALOGUE_ENV = "GEO_CATALOGUE"
SERVER_URL_ENV = "GEO_SERVER_URL"
OUTPUT_ENV = "GEO_OUTPUT"
DOWNLOADS_ENV = "GEO_DOWNLOADS"
PASSWORD_ENV = "GEO_PG_PASSWORD"
PUBLISH_WAIT_ENV = "GEO_PUBLISH_WAIT_S"
API_KEY_ENV = "GEO_API_KEY"
INTERNAL_ENV = "GEO_INTERNAL"
MAX_BODY_ENV = "GEO_MAX_BODY_BYTES"
BODY_BUDGET_ENV = "GEO_BODY_BUDGET_BYTES"
BODY_TIMEOUT_ENV = "GEO_BODY_TIMEOUT_S"
THREADS_ENV = "GEO_THREADS"
EXPORT_ENV = "GEO_VTH_TOEZICHT"
TARGETS_ENV = "GEO_OMGEVINGSWAARDEN"
THRESHOLDS_ENV = "GEO_KWALITEIT"
REAL_DATA_ENV = "GEO_REAL_DATA"
DECIMALS_ENV = "GEO_COORDINATE_DECIMALS"
OPERATOR_NAME_ENV = "GEO_OPERATOR_NAME"
OPERATOR_EMAIL_ENV = "GEO_OPERATOR_EMAIL"
OPERATOR_URL_ENV = "GEO_OPERATOR_URL"
LICENCE_ENV = "GEO_LICENCE"
LICENCE_URL_ENV = "GEO_LICENCE_URL"
PGHOST_ENV = "PGHOST"
CONFIG_ENV = "PYGEOAPI_CONFIG"
OPENAPI_ENV = "PYGEOAPI_OPENAPI"

DEFAULT_LICENCE = "CC-BY-4.0"  # of the derived data (geo.core.registry.DERIVED_LICENCE)
LICENCE_URLS = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/deed.nl",
                "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"}
OPERATOR_UNSET = "Omgevingsdienst (naam niet ingesteld, zie {})"  # no colon: a quoted YAML value keeps its ${...}
UNSET = "niet ingesteld ({})"


def _env(name: str, doc: str, default=None, secret: bool = False):
    """A settings field read from variable ``name`` (``metadata`` keeps the name and the one-line doc)."""
    return field(default=default, repr=not secret, metadata={"env": name, "doc": doc})


@dataclass(frozen=True)
class Settings:
    """Every value our code takes from the environment; None (or the default shown) when unset or empty.

    Defaults that depend on another value (the store's folder) are resolved where they are used, as before:
    e.g. ``rasters`` None means "beside the GeoPackage" for a GeoPackage store, "no rasters" for PostGIS."""

    store: str | None = _env(STORE_ENV, "GeoPackage path or postgresql:// URL of the store (default build/store.gpkg)")
    data: str | None = _env(DATA_ENV, "folder with the source files (default data/)")
    rasters: str | None = _env(RASTERS_ENV, "folder of the raster COGs (PostGIS store; GeoPackage: beside it)")
    catalogue: str | None = _env(CATALOGUE_ENV, "the catalogue JSON file the server reads (default beside the store)")
    server_url: str | None = _env(SERVER_URL_ENV, "public URL of the server (default http://HOST:PORT)")
    output: str | None = _env(OUTPUT_ENV, "where a PostGIS store's maps, reports and catalogue go (default ./build)")
    downloads: str | None = _env(DOWNLOADS_ENV, "download cache folder (default <store>-downloads beside the store)")
    pg_password: str | None = _env(PASSWORD_ENV, "password of a PostGIS URL that has none (keeps it out of `ps`)",
                                    secret=True)
    pghost: str | None = _env(PGHOST_ENV, "libpq's host for a PostGIS URL without one (default localhost)")
    publish_wait_s: float = _env(PUBLISH_WAIT_ENV, "seconds a build waits for another's publish lock", 3600.0)
    api_key: str | None = _env(API_KEY_ENV, "the internal instance's key, sent as X-API-Key (16+ characters)",
                                secret=True)
    internal: bool = _env(INTERNAL_ENV, "1: this server process is the internal instance", False)
    max_body_bytes: int | None = _env(MAX_BODY_ENV, "largest request body the front accepts (asgi.FrontSettings)")
    body_budget_bytes: int | None = _env(BODY_BUDGET_ENV, "bodies buffered at once per worker (asgi.FrontSettings)")
    body_timeout_s: float | None = _env(BODY_TIMEOUT_ENV, "deadline to receive a body (asgi.FrontSettings)")
    threads: int | None = _env(THREADS_ENV, "app threads per worker (asgi.FrontSettings; geo serve --threads)")
    vth_toezicht: str | None = _env(EXPORT_ENV, "the VTH inspections/complaints export (toezicht)")
    omgevingswaarden: str | None = _env(TARGETS_ENV,
                                        "targets file of the monitoring (default data/omgevingswaarden.yml)")
    kwaliteit: str | None = _env(THRESHOLDS_ENV, "thresholds of the quality report (default data/kwaliteit.yml)")
    real_data: str = _env(REAL_DATA_ENV, "folder with the real national data (geo build --gemeente ALL)",
                          "/work/shared/data/real")
    operator_name: str | None = _env(OPERATOR_NAME_ENV, "the organisation that runs this server (landing page, "
                                     "catalogue, reports)")
    operator_email: str | None = _env(OPERATOR_EMAIL_ENV, "its contact e-mail address for users of the data")
    operator_url: str | None = _env(OPERATOR_URL_ENV, "its website, shown as 'over deze dienst'")
    licence: str | None = _env(LICENCE_ENV, "licence of the published (derived) data, an SPDX id (default CC-BY-4.0)")
    licence_url: str | None = _env(LICENCE_URL_ENV, "the licence's text (default: known for CC-BY-4.0 and CC0-1.0)")
    coordinate_decimals: str | None = _env(DECIMALS_ENV, "decimals of served coordinates per CRS, e.g. "
                                           "'EPSG:28992=3,OGC:CRS84=7' (defaults: CRS84/EPSG:4326 7, EPSG:28992 3, "
                                           "EPSG:3857 2; other CRSs 7 in degrees, else 3)")
    pygeoapi_config: str | None = _env(CONFIG_ENV, "the pygeoapi config (default pygeoapi-config.yml)")
    pygeoapi_openapi: str | None = _env(OPENAPI_ENV, "the OpenAPI document pygeoapi serves")
    environ: tuple = field(default=(), repr=False, compare=False)  # the whole environment read, for child processes

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """The settings from ``environ`` (read once, here); an empty variable counts as unset."""
        values = {}
        for f in fields(cls):
            if f.name == "environ":
                continue
            raw = environ.get(f.metadata["env"])
            if raw in (None, ""):
                continue
            if f.name == "internal":
                values[f.name] = raw == "1"
            elif f.name in ("publish_wait_s", "body_timeout_s"):
                values[f.name] = float(raw)
            elif f.name in ("max_body_bytes", "body_budget_bytes", "threads"):
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        return cls(**values, environ=tuple(environ.items()))

    def replace(self, **changes) -> Settings:
        from dataclasses import replace

        return replace(self, **changes)

    @property
    def store_location(self) -> Path | str:
        """The store to use: ``GEO_STORE`` (a path, or a PostGIS URL kept as text), else ``build/store.gpkg``."""
        value = self.store or str(ROOT / "build" / "store.gpkg")
        return value if value.startswith(("postgresql://", "postgresql+psycopg2://")) else Path(value)

    @property
    def operator(self) -> dict[str, str]:
        """Who runs the server and under which licence, with honest defaults where the operator set nothing
        (never a made-up address): the one source of the landing page, the catalogue and the reports."""
        licence = self.licence or DEFAULT_LICENCE
        return {
            "name": self.operator_name or OPERATOR_UNSET.format(OPERATOR_NAME_ENV),
            "email": self.operator_email or UNSET.format(OPERATOR_EMAIL_ENV),
            "url": self.operator_url or "",
            "licence": licence,
            "licence_url": self.licence_url or LICENCE_URLS.get(licence, ""),
        }

    @property
    def data_dir(self) -> Path:
        return Path(self.data) if self.data else ROOT / "data"

    @property
    def config_path(self) -> Path:
        return Path(self.pygeoapi_config) if self.pygeoapi_config else ROOT / "pygeoapi-config.yml"

    @staticmethod
    def docs() -> dict[str, str]:
        """Variable name -> one-line doc, for ``--help`` texts and the README."""
        return {f.metadata["env"]: f.metadata["doc"] for f in fields(Settings) if "env" in f.metadata}

    def child_env(self, values: Mapping[str, str]) -> dict[str, str]:
        """The environment of a child process (gunicorn) or of the config's ``${...}``: the environment these
        settings were read from, with ``values`` set."""
        return {**dict(self.environ), **values}
