"""Issue 16: slow and idle clients against `geo serve` alone and behind the shipped nginx config.

Each attack (200 idle connections, 200 slowloris clients, 200 slow-body clients, 200 unclosed keep-alive
clients; tests/helpers/slow_clients.py) runs from 127.0.0.2 against a server this module starts on loopback, while a
normal request from 127.0.0.1 (requests, a fresh connection each time) must keep being answered within 1 s.
The gunicorn sync workers `geo serve` used before answered none of these probes within 5 s.
"""

import configparser
import json
import re
import shlex
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from helpers import slow_clients
from helpers.nginx import MISSING, NGINX_SITE, nginx_binary, running_nginx
from helpers.paths import GEO, ROOT
from helpers.server import start_server, stop_server

pytestmark = pytest.mark.slow

ATTACKERS = 200
PROBE_WINDOW_S = 5.0  # longer than gunicorn's keep-alive (5 s): expired connections are seen too
ANSWER_WITHIN_S = 1.0
SYSTEMD_UNIT = ROOT / "deploy" / "systemd" / "omgevingsgeo.service"
PROBE = "/collections/natura2000_gebied/items?limit=1&f=json"
ATTACKS = {"idle": slow_clients.idle, "slowloris": slow_clients.slowloris, "slow body": slow_clients.slow_body}


@pytest.fixture(scope="module", autouse=True)
def enough_file_descriptors():
    """Attackers, server and nginx share this machine's limit: 4 attacks' worth of sockets, twice (nginx)."""
    needed = 4 * ATTACKERS * 2 + 1024
    if slow_clients.ensure_fd_limit(needed) < needed:
        pytest.skip(f"needs {needed} open files (ulimit -n)")


@pytest.fixture(scope="module")
def alone(store, tmp_path_factory) -> str:
    """`geo serve` (2 workers, production settings) on its own loopback port, every app thread warmed up."""
    proc, url = start_server(store, tmp_path_factory.mktemp("slow-clients") / "server.log")
    try:
        warm_up(url + PROBE)
        yield url
    finally:
        stop_server(proc)


def warm_up(url: str, rounds: int = 3, concurrent: int = 16) -> None:
    """Send the probe request more often at once than the server has threads (2 workers x 4): a thread's first
    request costs ~0.3 s more (its own GeoPackage connection and PROJ objects), which is not what we measure."""
    with ThreadPoolExecutor(concurrent) as pool:
        for _ in range(rounds):
            assert set(pool.map(lambda _: requests.get(url, timeout=30).status_code, range(concurrent))) == {200}


@pytest.fixture(scope="module")
def proxied(alone, tmp_path_factory) -> str:
    """Debian nginx with deploy/nginx/omgevingsgeo.conf (listen address and upstream port changed) before `alone`."""
    if nginx_binary() is None:
        pytest.skip(MISSING)
    with running_nginx(tmp_path_factory.mktemp("nginx"), [int(alone.rsplit(":", 1)[1])]) as url:
        yield url + "/v1"  # the shipped site serves the API under /v1/ (old URLs: 308)


LAYOUTS = {"geo serve": "alone", "nginx + geo serve": "proxied"}


@pytest.fixture(params=list(LAYOUTS))
def layout(request) -> str:
    """The base URL of each layout in turn: `geo serve` alone, and nginx before it."""
    return request.getfixturevalue(LAYOUTS[request.param])


def layout_name(request) -> str:
    return request.node.callspec.params["layout"]


def assert_answered_in_time(probes: list[tuple[float, int]], what: str) -> None:
    slowest = max(seconds for seconds, _ in probes)
    print(f"\n{what}: {len(probes)} probes, slowest {slowest:.3f} s, median "
          f"{sorted(s for s, _ in probes)[len(probes) // 2]:.3f} s")
    assert all(status == 200 for _, status in probes), f"{what}: {probes}"
    assert slowest < ANSWER_WITHIN_S, f"{what}: slowest normal request {slowest:.2f} s: {probes}"


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_normal_request_answered_under_attack(layout, attack, request):
    with ATTACKS[attack](layout, ATTACKERS) as socks:
        assert len(socks) == ATTACKERS
        probes = slow_clients.probe_times(layout + PROBE, PROBE_WINDOW_S, every_s=0.5)
    assert_answered_in_time(probes, f"{attack} x{ATTACKERS}, {layout_name(request)}")


def test_normal_request_answered_with_unclosed_keepalive_clients(layout, request):
    with slow_clients.unclosed_keepalive(layout, ATTACKERS) as (socks, answered):
        assert len(socks) == ATTACKERS and answered == ATTACKERS  # nginx answers most with 429: still an answer
        probes = slow_clients.probe_times(layout + PROBE, PROBE_WINDOW_S, every_s=0.5)
    assert_answered_in_time(probes, f"unclosed keep-alive x{ATTACKERS}, {layout_name(request)}")


def closed_by_server_after(sock: socket.socket, within_s: float) -> float | None:
    """Seconds until the server closed ``sock`` (recv gives EOF or a reset), None if still open after ``within_s``."""
    started = time.monotonic()
    sock.settimeout(within_s)
    try:
        while sock.recv(65536):
            pass
    except TimeoutError:
        return None
    except ConnectionError:
        pass
    return time.monotonic() - started


def test_geo_serve_closes_silent_slow_and_kept_alive_connections(alone):
    """A first request header not complete after 10 s (HEADER_TIMEOUT_S): closed, idle or trickled; a kept-alive
    connection: closed after 5 s (keepalive). Without these an attacker holds descriptors for as long as it likes."""
    host, port = slow_clients.loopback_target(alone)
    with slow_clients.idle(alone, 1) as idle, slow_clients.slowloris(alone, 1, interval_s=0.5) as trickling, \
            slow_clients.unclosed_keepalive(alone, 1) as (kept, answered):
        assert answered == 1
        with ThreadPoolExecutor(3) as pool:
            idle_s, slow_s, kept_s = pool.map(lambda s: closed_by_server_after(s, 13), idle + trickling + kept)
    print("\nclosed by geo serve after (s): idle, slowloris, kept-alive:", idle_s, slow_s, kept_s)
    assert idle_s is not None and 8 < idle_s < 12
    assert slow_s is not None and 8 < slow_s < 12
    assert kept_s is not None and 3 < kept_s < 7


def raw_exchange(url: str, request: bytes, wait_s: float) -> tuple[bytes, float]:
    """Send ``request`` on a new connection from the attacker address: what came back within ``wait_s``
    (or until the server closed) and the seconds until its first byte."""
    with socket.create_connection(slow_clients.loopback_target(url), timeout=wait_s,
                                  source_address=(slow_clients.ATTACKER_ADDRESS, 0)) as sock:
        started = time.monotonic()
        first_byte = None
        answer = b""
        try:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                first_byte = first_byte or time.monotonic() - started
                answer += chunk
        except (TimeoutError, ConnectionError):
            pass
        return answer, first_byte if first_byte is not None else wait_s


def post_head(url: str, headers: str) -> bytes:
    parts = urlsplit(url)
    return (f"POST {parts.path}/collections/natura2000_gebied/items HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: application/query-cql-json\r\n{headers}\r\n").encode()


def test_huge_declared_body_refused_at_once(layout, request):
    """`Content-Length: 1073741824` with 13 bytes sent: 413 at once, nothing held."""
    answer, seconds = raw_exchange(layout, post_head(layout, "Content-Length: 1073741824\r\n") + b'{"op": "and",',
                                   wait_s=5)
    print(f"\nContent-Length 1073741824, 13 bytes sent, {layout_name(request)}: {answer[:12].decode()} "
          f"after {seconds:.3f} s")
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert seconds < ANSWER_WITHIN_S


def test_huge_declared_body_message(alone):
    answer, _ = raw_exchange(alone, post_head(alone, "Content-Length: 1073741824\r\n") + b"{", wait_s=5)
    body = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    assert body["code"] == "PayloadTooLarge"
    assert body["description"] == "request body: Content-Length 1073741824 is over the limit of 4194304 bytes"


def test_unsized_body_over_the_limit_refused(alone):
    """A chunked body gets 413 once more than the limit (4 MB) has come, not after reading it all."""
    chunk = b"x" * 65536
    request = post_head(alone, "Transfer-Encoding: chunked\r\n")
    request += (b"10000\r\n" + chunk + b"\r\n") * 70 + b"0\r\n\r\n"  # 4.4 MB
    answer, seconds = raw_exchange(alone, request, wait_s=10)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"request body: over the limit of 4194304 bytes" in answer


def test_stalled_body_answered_408_after_the_deadline(alone):
    """13 of 100 declared bytes, then silence: 408 after GEO_BODY_TIMEOUT_S (10 s), not the worker timeout."""
    answer, seconds = raw_exchange(alone, post_head(alone, "Content-Length: 100\r\n") + b'{"op": "and",', wait_s=15)
    print(f"\n13 of 100 bytes, then silence: {answer[:12].decode()} after {seconds:.2f} s")
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"request body: not complete within 10 s" in answer
    assert 9 < seconds < 12


def test_bad_content_length_is_400(alone):
    answer, _ = raw_exchange(alone, post_head(alone, "Content-Length: 12abc\r\n") + b"{}", wait_s=5)
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Traceback" not in answer


QUERIES = [
    "/collections/natura2000_gebied/items?f=json",
    "/collections/natura2000_gebied/items?f=json&crs=http://www.opengis.net/def/crs/EPSG/0/28992",
    "/collections/pand/items?f=json&limit=20&bbox=4.79,52.78,4.81,52.79",
    "/collections/pand/items?f=json&limit=20&offset=500&crs=http://www.opengis.net/def/crs/EPSG/0/3857",
    "/collections/stikstofbron/items?f=json&limit=30&sortby=-nh3_emissie",
    "/collections/verblijfsobject/items?f=json&limit=15&filter=gebruiksdoel%3D%27woonfunctie%27",
    "/collections/pand/queryables?f=json",
    "/collections?f=json",
]


def comparable(response: requests.Response):
    body = response.json()
    if isinstance(body, dict):
        body.pop("timeStamp", None)
    return response.status_code, body


def test_concurrent_answers_equal_serial_ones(alone):
    """The app now runs in threads: 4 clients at once get exactly what one client alone gets (no state
    shared between requests: providers' per-thread connections, cached CRS transformers, pygeoapi's globals)."""
    with requests.Session() as session:
        serial = {path: comparable(session.get(alone + path, timeout=30)) for path in QUERIES}
    assert all(status == 200 for status, _ in serial.values()), {p: s for p, (s, _) in serial.items()}

    def client(offset: int) -> list[tuple[str, tuple]]:
        with requests.Session() as session:
            paths = (QUERIES[offset:] + QUERIES[:offset]) * 3
            return [(path, comparable(session.get(alone + path, timeout=30))) for path in paths]

    with ThreadPoolExecutor(4) as pool:
        for answers in pool.map(client, range(4)):
            for path, answer in answers:
                assert answer == serial[path], path


def test_nginx_compresses_and_rate_limits(proxied):
    """The shipped config: gzip on JSON; past 20 requests/s with a burst of 40 one address gets 429."""
    response = requests.get(proxied + "/collections/pand/items?f=json&limit=50",
                            headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert response.headers.get("Content-Encoding") == "gzip"
    assert response.json()["type"] == "FeatureCollection"
    host, port = slow_clients.loopback_target(proxied)
    request = f"GET /v1/conformance?f=json HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    statuses = []
    with socket.create_connection((host, port), timeout=10, source_address=(slow_clients.ATTACKER_ADDRESS, 0)) as s:
        for _ in range(80):  # pipelined on one connection: far more than 20/s
            s.sendall(request)
        deadline = time.monotonic() + 10
        data = b""
        while len(statuses) < 80 and time.monotonic() < deadline:
            data += s.recv(65536)
            statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", data)
    assert b"200" in statuses and b"429" in statuses, statuses


def test_nginx_serves_the_api_under_v1_and_old_urls_redirect(proxied):
    """ADR /core/uri-version: the API under /v1/; a URL without it answers 308 (method and body kept), which
    requests (GET and POST), OWSLib and GDAL follow, so clients and QGIS projects of the root keep working."""
    root = proxied.removesuffix("/v1")
    moved = requests.get(root + "/collections?f=json", allow_redirects=False, timeout=10)
    assert moved.status_code == 308 and moved.headers["Location"].endswith("/v1/collections?f=json")
    assert requests.get(root + "/v1", allow_redirects=False, timeout=10).headers["Location"].endswith("/v1/")
    query = {"op": "=", "args": [{"property": "status"}, "Pand in gebruik"]}
    hits = requests.post(root + "/collections/pand/items?resulttype=hits&f=json", json=query, timeout=30,
                         headers={"Content-Type": "application/query-cql-json"})
    direct = requests.post(proxied + "/collections/pand/items?resulttype=hits&f=json", json=query, timeout=30,
                           headers={"Content-Type": "application/query-cql-json"})
    assert hits.status_code == direct.status_code == 200 and hits.history[0].status_code == 308
    assert hits.json()["numberMatched"] == direct.json()["numberMatched"] > 0
    from owslib.ogcapi.features import Features

    assert "pand" in {c["id"] for c in Features(root).collections()["collections"]}
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-ro", "-so", f"OAPIF:{root}", "gemeentegebied"], capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0 and "Feature Count: 1" in out.stdout, out.stdout + out.stderr


def test_systemd_unit_runs_geo_serve_where_nginx_looks():
    """The unit's ExecStart is a valid `geo serve` command on loopback, on the port nginx's upstream names."""
    from omgevingsgeo.cli import main

    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read_string(SYSTEMD_UNIT.read_text())
    argv = shlex.split(unit["Service"]["ExecStart"])
    assert argv[0].endswith("/.venv/bin/geo") and argv[1] == "serve"
    ctx = main.commands["serve"].make_context("serve", argv[2:])
    assert ctx.params["host"] == "127.0.0.1"
    upstream = re.search(r"server 127\.0\.0\.1:(\d+);", NGINX_SITE.read_text()).group(1)
    assert ctx.params["port"] == int(upstream)
    assert unit["Service"]["ExecReload"] == "/bin/kill -HUP $MAINPID"


def test_systemd_unit_verifies(tmp_path):
    """`systemd-analyze verify` finds nothing to say about the unit (its geo pointed at this venv's)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze")
    unit = tmp_path / SYSTEMD_UNIT.name
    unit.write_text(SYSTEMD_UNIT.read_text().replace("/opt/omgevingsgeo/.venv/bin/geo", GEO))
    result = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
