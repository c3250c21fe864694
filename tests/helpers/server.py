"""``geo serve`` as a subprocess on a free loopback port: start it, wait for it, stop it."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests

from helpers.paths import GEO


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, log_path: Path, workers: int = 2) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "GEO_SERVER_URL": url, "GEO_JOBS": str(log_path.parent / "jobs.db"),
           "GEO_JOB_OUTPUT": str(log_path.parent)}
    log = open(log_path, "w")  # noqa: SIM115  (the server writes to it until stop_server)
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


def copy_store(store: Path, folder: Path) -> Path:
    """A private copy of ``store`` with what lies beside it (rasters, catalogue), without its job folders."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in store.parent.iterdir():
        if item.name.startswith(store.stem) and not item.name.endswith("-jobs"):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, folder / item.name)
    return folder / store.name
