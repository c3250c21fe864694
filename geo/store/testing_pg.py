"""A throwaway PostgreSQL 15 + PostGIS cluster for tests and benchmarks (Debian binaries).

The cluster listens on a free port, on 127.0.0.1 and a unix socket in a temporary folder, trusts local
connections and is removed on exit. `initdb` and `pg_ctl` refuse root, so as root they run as `postgres`.
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

__all__ = ["available", "throwaway_cluster", "tcp_url", "PG_BIN", "POSTGIS"]


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
def throwaway_cluster(database: str = "geo") -> Iterator[str]:
    """Start a cluster with ``database`` and PostGIS; yield its unix-socket URL; stop and remove it after."""
    if not available():
        raise RuntimeError(f"needs Debian postgresql-15 and postgresql-15-postgis-3 ({PG_BIN}, {POSTGIS})")
    root = Path(tempfile.mkdtemp(prefix="geo-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port, data = _free_port(), root / "data"
    try:
        subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]),
                       check=True, capture_output=True)
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                                     f"-p {port} -k {root} -c listen_addresses=127.0.0.1", "start"]),
                       check=True, capture_output=True)
        psql = [str(PG_BIN / "psql"), "-h", str(root), "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        subprocess.run([*psql, "-c", f"CREATE DATABASE {database}"], check=True, capture_output=True)
        subprocess.run([*psql, "-d", database, "-c", "CREATE EXTENSION postgis"], check=True, capture_output=True)
        yield f"postgresql:///{database}?host={root}&port={port}&user=postgres"
    finally:
        if data.exists():
            subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                           capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def tcp_url(url: str) -> str:
    """The same database over TCP: ``postgresql://postgres@127.0.0.1:port/db`` from a socket URL."""
    port = url.split("port=")[1].split("&")[0]
    database = url.split("///")[1].split("?")[0]
    return f"postgresql://postgres@127.0.0.1:{port}/{database}"
