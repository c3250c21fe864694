"""Debian nginx with the shipped site (deploy/nginx/omgevingsgeo.conf) on loopback, before one or more `geo serve`.

Only the listen address and the upstream's server lines change (one line per instance); the benchmark may also
lift the per-client limits (``lift_limits``), which would otherwise answer a loopback load client with 429s.
"""

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from helpers.paths import ROOT
from helpers.server import free_port

NGINX_SITE = ROOT / "deploy" / "nginx" / "omgevingsgeo.conf"
MISSING = "needs Debian nginx (scripts/test.sh installs it)"
LIMITS = re.compile(r"^\s*limit_(req|conn) (zone=geo_req|geo_conn) .*;\n", flags=re.M)


def nginx_binary() -> str | None:
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def site_text(port: int, upstream_ports: list[int], lift_limits: bool = False) -> str:
    """The shipped site listening on 127.0.0.1:``port`` with one upstream server line per ``upstream_ports``."""
    site = NGINX_SITE.read_text()
    site, listens = re.subn(r"^\s*listen 80;$", f"    listen 127.0.0.1:{port};", site, flags=re.M)
    site, ipv6 = re.subn(r"^\s*listen \[::\]:80;\n", "", site, flags=re.M)
    servers = "\n    ".join(f"server 127.0.0.1:{p};" for p in upstream_ports)
    site, upstreams = re.subn(r"server 127\.0\.0\.1:5000;", servers, site)
    assert (listens, ipv6, upstreams) == (1, 1, 1), "the shipped site changed shape; update tests/helpers/nginx.py"
    if lift_limits:
        site, lifted = LIMITS.subn("", site)
        assert lifted == 2, "the shipped site's limit_req/limit_conn changed; update tests/helpers/nginx.py"
    return site


def write_nginx_conf(folder: Path, port: int, upstream_ports: list[int], lift_limits: bool = False,
                     worker_processes: int = 1) -> Path:
    """A main nginx.conf with its pid, logs and temporary files in ``folder``, including the shipped site."""
    (folder / "site.conf").write_text(site_text(port, upstream_ports, lift_limits))
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                            "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""{'user root;' if os.geteuid() == 0 else ''}
daemon off;
worker_processes {worker_processes};
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreamlog '$remote_addr "$request" $status $upstream_addr';
    access_log {folder / 'access.log'} upstreamlog;
{temp}
    include {folder / 'site.conf'};
}}
""")
    return conf


@contextmanager
def running_nginx(folder: Path, upstream_ports: list[int], lift_limits: bool = False,
                  worker_processes: int = 1, port: int | None = None) -> Iterator[str]:
    """nginx on ``port`` (or a free one) before ``upstream_ports``; yields its root URL (the API is under ``/v1``).
    Callers skip first when ``nginx_binary()`` is None (``MISSING`` says why)."""
    nginx = nginx_binary()
    assert nginx is not None, MISSING
    folder.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    conf = write_nginx_conf(folder, port, upstream_ports, lift_limits, worker_processes)
    args = [nginx, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield wait_until_answering(f"http://127.0.0.1:{port}", proc)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def wait_until_answering(url: str, proc: subprocess.Popen) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "nginx exited"
        try:
            if requests.get(f"{url}/v1/conformance?f=json", timeout=5).status_code == 200:
                return url
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"nginx did not answer at {url}")


def upstreams_used(folder: Path) -> list[str]:
    """The upstream address of every request in the access log so far (``$upstream_addr``)."""
    log = folder / "access.log"
    return [line.rsplit(" ", 1)[1] for line in log.read_text().splitlines()] if log.exists() else []
