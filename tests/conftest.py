"""Shared fixtures: a Schagen store built once per session from data/, and a live server on it."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
TESTDATA = Path(__file__).parent / "data"
GEO = str(Path(sys.executable).parent / "geo")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, log_path: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GEO_SERVER_URL": url, "GEO_JOBS": str(log_path.parent / "jobs.db"),
           "GEO_JOB_OUTPUT": str(log_path.parent)}
    log = open(log_path, "w")
    proc = subprocess.Popen([GEO, "serve", "--port", str(port), "--workers", str(workers), "--store", str(store)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if requests.get(f"{url}/conformance?f=json", timeout=10).status_code == 200:
                return proc, url
        except requests.RequestException:  # not listening yet, or still importing under load
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start: {log_path.read_text()}")


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, 15)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)


@pytest.fixture(scope="session")
def server(store, tmp_path_factory) -> str:
    """Base URL of `geo serve` (gunicorn + pygeoapi) on the session store, on a free loopback port."""
    proc, url = start_server(store, tmp_path_factory.mktemp("server") / "server.log")
    yield url
    stop_server(proc)
