"""Issue 20, scale-out: two `geo serve` instances on one GeoPackage store behind the shipped nginx site (its
per-client rate limits lifted: all requests come from one address; tests/test_reliability_slow_clients.py tests them).

The bytes and caching rules of ``geo.serve.http_cache`` must hold whichever instance answers: the same ETag for the
same URL, 304 on ``If-None-Match``/``If-Modified-Since`` through nginx, compression done once (by geo serve; nginx
neither recompresses nor strips ``Vary``/``ETag``), ``Cache-Control`` passed on, ``/jobs`` private; after a publish
both instances change their ETag. Jobs: the instances share the job store beside the store, so a job accepted by
one is answered by the other, and nginx never sends one POST to two instances.

The clients are ``requests``, ``http.client`` (raw headers, duplicates visible), ``curl``, Python's ``gzip`` and the
``brotli`` package; which instance answered is read from nginx's access log (``$upstream_addr``), the job store
with ``sqlite3``.
"""

import configparser
import gzip
import http.client
import json
import re
import shlex
import shutil
import sqlite3
import subprocess
import time
from urllib.parse import urlsplit

import pytest
import requests
import yaml

from helpers.nginx import MISSING, NGINX_SITE, nginx_binary, running_nginx, upstreams_used
from helpers.paths import GEO, ROOT
from helpers.reliability_helpers import start
from helpers.server import copy_store, free_port, stop_server

pytestmark = pytest.mark.slow

ITEMS = "/collections/pand/items?f=json&limit=200"
GZIP = {"Accept-Encoding": "gzip"}
URLS = [ITEMS, "/collections/gemeentegebied/items?f=json", "/collections/pand?f=json", "/?f=html",
        "/collections/natura2000_gebied/items?f=html&limit=5"]
OP_LOCATIE = {"x": 113517.375, "y": 535488.625, "crs": "EPSG:28992", "straal_m": 500}


@pytest.fixture(scope="module")
def farm(store, data_dir, tmp_path_factory):
    """nginx (the shipped site without its rate limits, upstream = two instances) before two `geo serve` (1 worker
    each) on one private copy of the session store; both get nginx's URL as GEO_SERVER_URL, as
    omgevingsgeo@.service gives them."""
    if nginx_binary() is None:
        pytest.skip(MISSING)
    folder = tmp_path_factory.mktemp("scaleout")
    path = copy_store(store, folder / "store")
    ports, nginx_port = [free_port(), free_port()], free_port()
    public = f"http://127.0.0.1:{nginx_port}/v1"
    procs = []
    try:
        for port in ports:
            procs.append(start(path, folder / f"geo-{port}.log", workers=1, port=port,
                               env={"GEO_SERVER_URL": public})[0])
        # the site as shipped but for its per-client rate limit (20 requests/s, bursts of 40): every request here
        # comes from 127.0.0.1, and on a fast machine the tests outrun it (429); test_reliability_slow_clients
        # tests the limits themselves
        with running_nginx(folder / "nginx", ports, port=nginx_port, lift_limits=True) as root:
            yield {"nginx": root + "/v1", "direct": [f"http://127.0.0.1:{p}" for p in ports],
                   "upstreams": {f"127.0.0.1:{p}" for p in ports}, "log": folder / "nginx", "store": path,
                   "data": data_dir}
    finally:
        for proc in procs:
            stop_server(proc)


def raw_get(base: str, path: str, headers: dict | None = None):
    """(status, headers with duplicates kept, undecoded body) of one GET."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", parts.path + path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def through_nginx(farm: dict, path: str, headers: dict | None = None, times: int = 4) -> list:
    """``times`` GETs through nginx, and the check that both instances answered some of them."""
    before = len(upstreams_used(farm["log"]))
    answers = [raw_get(farm["nginx"], path, headers) for _ in range(times)]
    assert set(upstreams_used(farm["log"])[before:]) == farm["upstreams"], "nginx did not use both instances"
    return answers


def content(body: bytes) -> dict:
    data = json.loads(body)
    data.pop("timeStamp", None)
    return data


@pytest.mark.parametrize("path", URLS)
@pytest.mark.parametrize("coding", ["gzip", "identity"])
def test_the_same_url_has_the_same_etag_whichever_instance_answers(farm, path, coding):
    headers = {"Accept-Encoding": coding}
    direct = {raw_get(url, path, headers)[1]["ETag"] for url in farm["direct"]}
    proxied = {h["ETag"] for status, h, _ in through_nginx(farm, path, headers)}
    assert len(direct) == 1 and proxied == direct, (direct, proxied)
    assert next(iter(direct)).startswith('W/"')


def test_if_none_match_and_if_modified_since_get_304_through_nginx(farm):
    _, headers, _ = raw_get(farm["direct"][0], ITEMS, GZIP)
    for status, answer, body in through_nginx(farm, ITEMS, {**GZIP, "If-None-Match": headers["ETag"]}):
        assert (status, body) == (304, b"") and answer["ETag"] == headers["ETag"]
        assert answer["Cache-Control"] == "public, max-age=60, must-revalidate"
    since = {**GZIP, "If-Modified-Since": headers["Last-Modified"]}
    assert {status for status, _, _ in through_nginx(farm, ITEMS, since)} == {304}


def test_curl_through_nginx_gets_304_from_either_instance(farm):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("needs curl")
    url = farm["nginx"] + ITEMS
    etag = subprocess.run([curl, "-s", "-o", "/dev/null", "-w", "%header{etag}", "--compressed", url],
                          capture_output=True, text=True, check=True).stdout
    assert etag.startswith('W/"') and etag.rsplit("-", 1)[1] in ('gzip"', 'br"')  # curl asks for both
    for _ in range(4):
        out = subprocess.run([curl, "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "--compressed",
                              "-H", f"If-None-Match: {etag}", url], capture_output=True, text=True, check=True)
        assert out.stdout == "304 0"


def test_gzip_is_done_once_and_vary_etag_survive_nginx(farm):
    _, plain_headers, plain = raw_get(farm["direct"][0], ITEMS)
    for status, headers, body in through_nginx(farm, ITEMS, GZIP):
        assert status == 200 and headers.get_all("Content-Encoding") == ["gzip"]
        assert content(gzip.decompress(body)) == content(plain)  # one gzip.decompress: compressed once
        vary = {v.strip() for value in headers.get_all("Vary") for v in value.split(",")}
        assert {"Accept", "Accept-Language", "Accept-Encoding"} <= vary
        assert headers["ETag"].endswith('-gzip"') and headers["Last-Modified"] == plain_headers["Last-Modified"]
    for status, headers, body in through_nginx(farm, ITEMS):  # no Accept-Encoding: nginx must not compress
        assert status == 200 and "Content-Encoding" not in headers and content(body) == content(plain)


def test_brotli_passes_through_nginx(farm):
    brotli = pytest.importorskip("brotli")
    _, _, plain = raw_get(farm["direct"][0], ITEMS)
    for status, headers, body in through_nginx(farm, ITEMS, {"Accept-Encoding": "br, gzip"}):
        assert status == 200 and headers.get_all("Content-Encoding") == ["br"]
        assert content(brotli.decompress(body)) == content(plain)


@pytest.mark.parametrize(("path", "policy"), [
    (ITEMS, "public, max-age=60, must-revalidate"),
    ("/collections?f=json", "public, max-age=60, must-revalidate"),
    ("/conformance?f=json", "public, max-age=3600, must-revalidate"),
    ("/?f=json", "public, max-age=3600, must-revalidate"),
    ("/jobs?f=json", "private, no-store"),
    ("/collections/no-such-collection?f=json", "no-store"),
])
def test_cache_control_passes_through_nginx(farm, path, policy):
    for _, headers, _ in through_nginx(farm, path, GZIP):
        assert headers.get_all("Cache-Control") == [policy]
        if policy in ("private, no-store", "no-store"):
            assert "ETag" not in headers and "Last-Modified" not in headers


def test_a_job_accepted_by_one_instance_is_answered_by_the_other(farm):
    """Async jobs POSTed through nginx land on both instances; each job's status and result come from either
    instance alike (one job store beside the store), each POST reached one instance once, and the job store
    holds each job once."""
    before = len(upstreams_used(farm["log"]))
    jobs = []
    for _ in range(4):
        r = requests.post(f"{farm['nginx']}/processes/wnb-op-locatie/execution", json={"inputs": OP_LOCATIE},
                          headers={"Prefer": "respond-async"}, timeout=60)
        assert r.status_code == 201, r.text
        assert r.headers["Location"].startswith(farm["nginx"] + "/jobs/")
        jobs.append(r.headers["Location"].rsplit("/", 1)[1])
    posts = upstreams_used(farm["log"])[before:]
    assert set(posts) == farm["upstreams"] and all("," not in p for p in posts)  # one instance per POST
    for job in jobs:
        status = [wait_for(f"{url}/jobs/{job}") for url in farm["direct"]]
        assert status[0] == status[1] == "successful"
        results = [requests.get(f"{url}/jobs/{job}/results?f=json", timeout=30) for url in farm["direct"]]
        assert results[0].status_code == results[1].status_code == 200
        assert results[0].json() == results[1].json()
        assert results[0].headers["Cache-Control"] == "private, no-store"
    stored = job_rows(farm["store"])
    assert sorted(stored) == sorted(jobs)


def wait_for(job_url: str, timeout_s: float = 180) -> str:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        status = requests.get(job_url, params={"f": "json"}, timeout=30).json()["status"]
        if status not in ("accepted", "running"):
            return status
        time.sleep(0.5)
    raise AssertionError(f"{job_url} did not finish in {timeout_s} s")


def job_rows(store) -> list[str]:
    """The job ids in every job store beside ``store`` (read with sqlite3, not through geo.serve.jobs)."""
    ids = []
    for path in store.parent.glob(f"{store.stem}-jobs/*/jobs.sqlite"):
        with sqlite3.connect(path) as con:
            ids += [row[0] for row in con.execute("SELECT identifier FROM job")]
    return ids


def test_after_a_publish_both_instances_change_their_etag(farm):
    """Last: it rebuilds the store. Both instances give the same new ETag, and the old one no longer gets 304."""
    path = "/collections/gemeentegebied/items?f=json"
    before = raw_get(farm["nginx"], path, GZIP)[1]["ETag"]
    subprocess.run([GEO, "-q", "build", "gemeentegebied", "--data", str(farm["data"]), "--store",
                    str(farm["store"])], check=True)
    after = {raw_get(url, path, GZIP)[1]["ETag"] for url in farm["direct"]}
    assert len(after) == 1 and before not in after
    for status, headers, _ in through_nginx(farm, path, {**GZIP, "If-None-Match": before}):
        assert status == 200 and headers["ETag"] in after


# --- the production layout: the template unit and the upstream ------------------------------------------------

TEMPLATE_UNIT = ROOT / "deploy" / "systemd" / "omgevingsgeo@.service"


def unit_service(text: str) -> configparser.SectionProxy:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read_string(text)
    return unit["Service"]


def test_template_unit_serves_on_the_port_of_its_instance():
    """`omgevingsgeo@5001` runs a valid `geo serve` on loopback port 5001, one worker, the store and public URL
    of the single unit; the ports the site's upstream lists (commented or not) are the instances to start."""
    from omgevingsgeo.cli import main

    service = unit_service(TEMPLATE_UNIT.read_text().replace("%i", "5001"))
    argv = shlex.split(service["ExecStart"])
    assert argv[0].endswith("/.venv/bin/geo") and argv[1] == "serve"
    params = main.commands["serve"].make_context("serve", argv[2:]).params
    assert (params["host"], params["port"], params["workers"]) == ("127.0.0.1", 5001, 1)
    single = unit_service((ROOT / "deploy" / "systemd" / "omgevingsgeo.service").read_text())
    single_params = main.commands["serve"].make_context("serve", shlex.split(single["ExecStart"])[2:]).params
    assert params["store"] == single_params["store"] and service["Environment"] == single["Environment"]
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    ports = [int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+);", NGINX_SITE.read_text())]
    assert ports == [5000, 5001, 5002, 5003]


def test_template_unit_verifies(tmp_path):
    """`systemd-analyze verify` finds nothing to say about an instance of the template (its geo pointed at this
    venv's)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze")
    unit = tmp_path / "omgevingsgeo@5001.service"
    unit.write_text(TEMPLATE_UNIT.read_text().replace("/opt/omgevingsgeo/.venv/bin/geo", GEO))
    result = subprocess.run([analyze, "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_openapi_document_is_replaced_whole(tmp_path):
    """Instances started together each write the same OpenAPI file: written beside it and renamed, so a reader
    never sees half of it; no temporary file stays behind."""
    from geo.serve.config import write_openapi

    out = tmp_path / "openapi.yml"
    out.write_text("old")
    inode = out.stat().st_ino
    write_openapi(ROOT / "pygeoapi-config.yml", out)
    assert out.stat().st_ino != inode and yaml.safe_load(out.read_text())["openapi"].startswith("3.")
    assert [p.name for p in tmp_path.iterdir()] == ["openapi.yml"]
