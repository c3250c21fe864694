"""A throwaway PostgreSQL 15 + PostGIS cluster for tests and benchmarks (Debian binaries).

The cluster listens on a free port, on 127.0.0.1 and a unix socket in a temporary folder, trusts local
connections and is removed on exit. `initdb` and `pg_ctl` refuse root, so as root they run as `postgres`.
``kept_cluster(folder)`` is the same cluster in a folder that outlives the run (benchmarks that take long to
load, e.g. ``benchmarks/national.py --keep DIR``): created on first use, started again on the next.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS = Path("/usr/share/postgresql/15/extension/postgis.control")

__all__ = ["available", "throwaway_cluster", "kept_cluster", "tcp_url", "psql", "PG_BIN", "POSTGIS"]


def available() -> bool:
    """Whether Debian's postgresql-15 and postgresql-15-postgis-3 are installed."""
    return (PG_BIN / "initdb").exists() and POSTGIS.exists()


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def throwaway_cluster(database: str = "geo", options: str = "") -> Iterator[str]:
    """Start a cluster with ``database`` and PostGIS; yield its unix-socket URL; stop and remove it after.
    ``options``: extra server settings (``-c name=value ...``)."""
    root = Path(tempfile.mkdtemp(prefix="geo-pg-"))
    try:
        with kept_cluster(root, database, options) as url:
            yield url
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def kept_cluster(root: Path, database: str = "geo", options: str = "") -> Iterator[str]:
    """The cluster in folder ``root`` (created with ``database`` and PostGIS when new, else reused); stopped but
    kept after."""
    if not available():
        raise RuntimeError(f"needs Debian postgresql-15 and postgresql-15-postgis-3 ({PG_BIN}, {POSTGIS})")
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port, data = _free_port(), root / "data"
    new = not data.exists()
    try:
        if new:
            subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
                           check=True, capture_output=True)
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                                     f"-p {port} -k {root} -c listen_addresses=127.0.0.1 {options}", "start"]),
                       check=True, capture_output=True)
        url = f"postgresql:///{database}?host={root}&port={port}&user=postgres"
        if new:
            psql(url.replace(f"///{database}", "///postgres"), f"CREATE DATABASE {database}")
            psql(url, "CREATE EXTENSION postgis")
        yield url
    finally:
        if data.exists():
            subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                           capture_output=True)


def psql(url: str, sql: str) -> str:
    """Run ``sql`` (statements run one by one, so ``VACUUM`` may be among them) with psql on the database of a
    socket ``url``; its output."""
    host, port = url.split("host=")[1].split("&")[0], url.split("port=")[1].split("&")[0]
    database = url.split("///")[1].split("?")[0]
    done = subprocess.run([str(PG_BIN / "psql"), "-h", host, "-p", port, "-U", "postgres", "-d", database, "-X",
                           "-q", "-At", "-v", "ON_ERROR_STOP=1", "-f", "-"], input=sql,
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"psql on {database}: {done.stderr.strip()}")
    return done.stdout


def tcp_url(url: str) -> str:
    """The same database over TCP: ``postgresql://postgres@127.0.0.1:port/db`` from a socket URL."""
    port = url.split("port=")[1].split("&")[0]
    database = url.split("///")[1].split("?")[0]
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"
