"""Shared fixtures: a Schagen store built once per session from data/, a live server on it, and the same app
in process (a Flask test client: the fast tier, ``pytest -m inprocess``)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.paths import DATA, GEO, ROOT
from helpers.server import start_server, stop_server


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """A copy of data/ with the generated sample BAG (seeded: identical in every run)."""
    target = tmp_path_factory.mktemp("data")
    shutil.copytree(DATA / "sources", target / "sources")
    subprocess.run([GEO, "-q", "sample", "--data", str(target)], check=True)
    return target


@pytest.fixture(scope="session")
def store(data_dir, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "store.gpkg"
    subprocess.run([GEO, "-q", "build", "--data", str(data_dir), "--store", str(path)], check=True)
    return path


@pytest.fixture(scope="session")
def server(store, tmp_path_factory) -> str:
    """Base URL of `geo serve` (gunicorn + pygeoapi) on the session store, on a free loopback port."""
    proc, url = start_server(store, tmp_path_factory.mktemp("server") / "server.log")
    yield url
    stop_server(proc)


# --- In process: the server's Flask app on the session store, without gunicorn (tests/test_inprocess.py) ------

@pytest.fixture(scope="session")
def inprocess_env(store, tmp_path_factory) -> dict[str, str]:
    """The environment ``geo serve --store STORE`` gives its workers (geo.cli.main.serve), for the test process."""
    from geo.serve.internal import INTERNAL_ENV
    from geo.store.catalogue import catalogue_path
    from geo.store.geopackage import GeoPackageStore

    folder = tmp_path_factory.mktemp("inprocess")
    gpkg = GeoPackageStore(Path(store).resolve())
    return {INTERNAL_ENV: "0", "GEO_STORE": str(Path(store).resolve()), "GEO_RASTERS": str(gpkg.raster_dir),
            "GEO_CATALOGUE": str(catalogue_path(gpkg)), "GEO_SERVER_URL": "http://localhost",
            "PYGEOAPI_CONFIG": str(ROOT / "pygeoapi-config.yml"), "PYGEOAPI_OPENAPI": str(folder / "openapi.yml"),
            "GEO_JOBS": str(folder / "jobs.db"), "GEO_JOB_OUTPUT": str(folder)}


@pytest.fixture(scope="session")
def inprocess_app(inprocess_env):
    """``omgevingsgeo.wsgi.create_wsgi_app()`` (what gunicorn's workers run, minus the ASGI front), built once:
    pygeoapi reads its config when ``pygeoapi.flask_app`` is first imported, so nothing may import it before."""
    if "pygeoapi.flask_app" in sys.modules:
        pytest.fail("pygeoapi.flask_app was imported before the inprocess_app fixture: its config is not ours")
    saved = {key: os.environ.get(key) for key in inprocess_env}
    os.environ.update(inprocess_env)
    try:
        from geo.core.settings import Settings
        from geo.serve.config import write_openapi
        from omgevingsgeo.wsgi import create_wsgi_app

        env = dict(os.environ)
        write_openapi(Path(inprocess_env["PYGEOAPI_CONFIG"]), Path(inprocess_env["PYGEOAPI_OPENAPI"]), env)
        app = create_wsgi_app(Settings.from_env(env))
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    return app


@pytest.fixture
def app_client(inprocess_app, inprocess_env, monkeypatch):
    """A Flask test client of the server app on the session store; its environment set for the test only."""
    for key, value in inprocess_env.items():
        monkeypatch.setenv(key, value)
    return inprocess_app.test_client()


def pytest_collection_modifyitems(items):
    """Every test on the in-process app belongs to the fast tier (``pytest -m inprocess``)."""
    for item in items:
        if "app_client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.inprocess)


# --- PostGIS: one throwaway cluster and one build for the session (tests/test_postgis*.py) -----------------

@pytest.fixture(scope="session")
def pg_url():
    """A fresh cluster on a free port (geo.store.testing_pg), reached over a unix socket in a temporary folder."""
    from geo.store import testing_pg

    if not testing_pg.available():
        pytest.skip("needs Debian postgresql-15 and postgresql-15-postgis-3")
    pytest.importorskip("geoalchemy2", reason="pip install -e .[postgis]")
    pytest.importorskip("psycopg2", reason="pip install -e .[postgis]")
    with testing_pg.throwaway_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def pg_rasters(tmp_path_factory) -> Path:
    """$GEO_RASTERS of the PostGIS store: its COGs."""
    return tmp_path_factory.mktemp("pg-rasters")


@pytest.fixture(scope="session")
def pg_output(tmp_path_factory) -> Path:
    """$GEO_OUTPUT of the PostGIS store: its maps, pages and catalogue (else the working directory's build/)."""
    return tmp_path_factory.mktemp("pg-output")


@pytest.fixture(scope="session")
def pg_env(pg_rasters, pg_output) -> dict[str, str]:
    """The environment of a build or server on the PostGIS store."""
    return {**os.environ, "GEO_RASTERS": str(pg_rasters), "GEO_OUTPUT": str(pg_output)}


@pytest.fixture(scope="session")
def pg_store(pg_url, data_dir, pg_env):
    """The Schagen layers and analysis results built into the cluster (``geo build --store postgresql://...``)."""
    from geo.core.settings import Settings
    from geo.store import open_store

    subprocess.run([GEO, "-q", "build", "--data", str(data_dir), "--store", pg_url], check=True, env=pg_env)
    return open_store(pg_url, Settings.from_env(pg_env))  # the store as that build saw it


@pytest.fixture(scope="session")
def pg_server(pg_store, pg_url, pg_env, tmp_path_factory) -> str:
    """Base URL of `geo serve --store postgresql://...` on the session's PostGIS store."""
    folder = tmp_path_factory.mktemp("pg-server")
    changed = {key: pg_env[key] for key in ("GEO_RASTERS", "GEO_OUTPUT")}
    changed["PYGEOAPI_OPENAPI"] = str(folder / "openapi.yml")
    saved = {key: os.environ.get(key) for key in changed}
    os.environ.update(changed)
    try:
        proc, url = start_server(pg_url, folder / "server.log", workers=3)
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    yield url
    stop_server(proc)

