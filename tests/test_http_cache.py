"""Issue 20, bytes and caching: compression, ETag/Last-Modified, 304s, Cache-Control per resource kind, keep-alive.

Compressed bodies are decoded with Python's ``gzip`` and the ``brotli`` package, never with our code; the live
server is spoken to with ``http.client`` (raw bytes, one connection) and ``curl`` where it says what a user types.
"""

import gzip
import http.client
import json
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from helpers.nginx import MISSING, nginx_binary, running_nginx
from helpers.paths import GEO
from helpers.reliability_helpers import start
from helpers.server import stop_server

BIG = "/collections/pand/items?limit=1000&f=json"
GZIP = {"Accept-Encoding": "gzip"}


def raw_get(base: str, path: str, headers: dict | None = None, conn: http.client.HTTPConnection | None = None):
    """(status, headers, undecoded body) of a GET on one HTTP/1.1 connection."""
    parts = urlsplit(base)
    conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    conn.request("GET", parts.path + path, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.headers, response.read()


def content(body: bytes) -> dict:
    """A JSON answer without pygeoapi's ``timeStamp`` (the moment it was made: a weak ETag's allowance)."""
    data = json.loads(body)
    data.pop("timeStamp", None)
    return data


# --- in process: the Flask app -------------------------------------------------------------------------

def test_a_big_items_page_is_at_least_5x_smaller_gzipped_and_decodes_to_the_same_json(app_client):
    plain = app_client.get(BIG)
    packed = app_client.get(BIG, headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data)
    ratio = len(plain.data) / len(packed.data)
    assert ratio >= 5, f"gzip only {ratio:.1f}x smaller ({len(plain.data)} -> {len(packed.data)} bytes)"
    assert content(gzip.decompress(packed.data)) == content(plain.data)
    assert packed.headers["ETag"] != plain.headers["ETag"]  # a variant per coding


def test_brotli_when_the_client_prefers_it(app_client):
    brotli = pytest.importorskip("brotli")
    plain = app_client.get(BIG)
    packed = app_client.get(BIG, headers={"Accept-Encoding": "gzip;q=0.5, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert content(brotli.decompress(packed.data)) == content(plain.data)
    assert app_client.get(BIG, headers={"Accept-Encoding": "br;q=0, gzip"}).headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in app_client.get(BIG, headers={"Accept-Encoding": "identity"}).headers


def test_html_is_compressed_and_small_answers_are_not(app_client):
    html = app_client.get("/collections/pand/items?limit=50&f=html", headers=GZIP)
    assert html.status_code == 200 and html.mimetype == "text/html"
    assert html.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(html.data).lower()
    small = app_client.get("/jobs?f=json", headers=GZIP)
    assert small.status_code == 200 and len(small.data) < 1024 and "Content-Encoding" not in small.headers
    assert "Accept-Encoding" in small.headers["Vary"]


def test_downloads_and_ranges_are_never_recompressed(app_client):
    whole = app_client.get("/downloads/pand.gpkg", headers=GZIP)
    assert whole.status_code == 200 and "Content-Encoding" not in whole.headers
    assert whole.data[:16] == b"SQLite format 3\x00"
    part = app_client.get("/downloads/pand.gpkg", headers={**GZIP, "Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100 and "Content-Encoding" not in part.headers
    assert whole.headers["ETag"]  # send_file's own validator, kept


def test_if_none_match_and_if_modified_since_get_304_without_a_body(app_client):
    first = app_client.get(BIG, headers=GZIP)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('W/"') and first.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
    again = app_client.get(BIG, headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    head = app_client.head(BIG, headers={"If-None-Match": f'"other", {etag}'})
    assert head.status_code == 304
    assert app_client.get(BIG, headers={"If-Modified-Since": modified}).status_code == 304
    older = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert app_client.get(BIG, headers={"If-Modified-Since": older}).status_code == 200
    assert app_client.get(BIG, headers={"If-None-Match": 'W/"not-this-one"'}).status_code == 200
    other_page = app_client.get(BIG.replace("limit=1000", "limit=999"), headers={"If-None-Match": etag})
    assert other_page.status_code == 200  # the ETag names the request's representation
    other_format = app_client.get(BIG.replace("f=json", "f=html"), headers={"If-None-Match": etag})
    assert other_format.status_code == 200


def test_cache_control_per_resource_kind(app_client):
    expect = {"/?f=json": "public, max-age=3600, must-revalidate",
              "/conformance?f=json": "public, max-age=3600, must-revalidate",
              "/openapi?f=json": "public, max-age=3600, must-revalidate",
              "/collections?f=json": "public, max-age=60, must-revalidate",
              "/collections/pand?f=json": "public, max-age=60, must-revalidate",
              "/collections/pand/queryables?f=json": "public, max-age=60, must-revalidate",
              "/jobs?f=json": "private, no-store"}
    for path, policy in expect.items():
        r = app_client.get(path)
        assert r.status_code == 200, path
        assert r.headers["Cache-Control"] == policy, path
        assert ("ETag" in r.headers) == (policy != "private, no-store"), path


def test_an_error_has_no_validators_and_is_not_stored(app_client):
    for path in ("/collections/no-such-collection?f=json", "/collections/pand/items?bbox=1,2,3", "/jobs/nope"):
        r = app_client.get(path, headers=GZIP)
        assert r.status_code >= 400, path
        assert "ETag" not in r.headers and "Last-Modified" not in r.headers, path
        assert r.headers["Cache-Control"] == "no-store", path
    r = app_client.get("/collections/no-such-collection?f=json", headers={"If-None-Match": "*"})
    assert r.status_code == 404  # a conditional request does not hide an error
    assert app_client.get("/collections/pand?f=json", headers={"If-None-Match": "*"}).status_code == 304


# --- live: geo serve (gunicorn + the ASGI front) -------------------------------------------------------------

def test_live_gzip_304_and_keep_alive_on_one_connection(server):
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    status, headers, plain = raw_get(server, BIG, conn=conn)
    sock = conn.sock
    assert status == 200 and headers.get("Connection", "").lower() != "close"
    status, headers, packed = raw_get(server, BIG, GZIP, conn=conn)
    assert conn.sock is sock, "the server closed a keep-alive connection"
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert len(plain) / len(packed) >= 5
    assert content(gzip.decompress(packed)) == content(plain)
    status, headers304, body = raw_get(server, BIG, {**GZIP, "If-None-Match": headers["ETag"]}, conn=conn)
    assert (status, body) == (304, b"") and conn.sock is sock
    assert headers304["ETag"] == headers["ETag"]


def test_curl_if_none_match_gets_304(server):
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("needs curl")
    url = f"{server}/collections/natura2000_gebied/items?f=json"
    etag = requests.get(url, timeout=30).headers["ETag"]
    out = subprocess.run([curl, "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "-H",
                          f"If-None-Match: {etag}", url], capture_output=True, text=True, check=True)
    assert out.stdout == "304 0"


# --- a store of its own: a job result, and a rebuild ----------------------------------------------------

@pytest.fixture(scope="module")
def own(store, data_dir, tmp_path_factory):
    """`geo serve` (1 worker) on a private copy of the session store, which the tests may rebuild."""
    folder = tmp_path_factory.mktemp("http-cache")
    for item in Path(store).parent.iterdir():
        if item.name.startswith(Path(store).stem) and not item.name.endswith("-jobs"):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, folder / item.name)
    path = folder / Path(store).name
    proc, url = start(path, folder / "server.log", workers=1)
    yield {"url": url, "store": path, "data": data_dir}
    stop_server(proc)


def test_a_job_result_is_private_and_not_stored(own):
    url = own["url"]
    r = requests.post(f"{url}/processes/wnb-op-locatie/execution", headers={"Prefer": "respond-async"},
                      json={"inputs": {"x": 113517.375, "y": 535488.625, "crs": "EPSG:28992", "straal_m": 500}},
                      timeout=60)
    assert r.status_code == 201, r.text
    assert r.headers["Cache-Control"] == "private, no-store"
    job = r.headers["Location"]
    deadline = time.time() + 120
    while (status := requests.get(job, params={"f": "json"}, timeout=30)).json()["status"] not in (
            "successful", "failed"):
        assert status.headers["Cache-Control"] == "private, no-store" and "ETag" not in status.headers
        assert time.time() < deadline, "job did not finish"
        time.sleep(0.3)
    result = requests.get(f"{job}/results", params={"f": "json"}, headers=GZIP, timeout=30)
    assert result.status_code == 200
    assert result.headers["Cache-Control"] == "private, no-store" and "ETag" not in result.headers


def test_the_etag_changes_after_geo_build(own):
    url = f"{own['url']}/collections/gemeentegebied/items?f=json"
    before = requests.get(url, timeout=30)
    assert requests.get(url, headers={"If-None-Match": before.headers["ETag"]}, timeout=30).status_code == 304
    subprocess.run([GEO, "-q", "build", "gemeentegebied", "--data", str(own["data"]), "--store", str(own["store"])],
                   check=True)
    after = requests.get(url, headers={"If-None-Match": before.headers["ETag"]}, timeout=30)
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert after.json()["features"] == before.json()["features"]  # same data, a new build: a new validator
    last = requests.get(url, headers={"If-Modified-Since": before.headers["Last-Modified"]}, timeout=30)
    assert last.status_code == 200  # published after the old Last-Modified


# --- behind the shipped nginx site -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def proxied(server, tmp_path_factory):
    """Debian nginx with deploy/nginx/omgevingsgeo.conf (listen address and upstream port changed) before `server`."""
    if nginx_binary() is None:
        pytest.skip(MISSING)
    with running_nginx(tmp_path_factory.mktemp("nginx-cache"), [int(server.rsplit(":", 1)[1])]) as url:
        yield url + "/v1"


def test_gzip_etag_and_304_survive_nginx(proxied):
    status, plain_headers, plain = raw_get(proxied, BIG)
    status, headers, packed = raw_get(proxied, BIG, GZIP)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert content(gzip.decompress(packed)) == content(plain)  # compressed once, not twice
    assert headers["ETag"].startswith('W/"') and headers["Last-Modified"] and headers["Cache-Control"]
    assert plain_headers["ETag"] != headers["ETag"]
    status, _, body = raw_get(proxied, BIG, {**GZIP, "If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    status, error_headers, _ = raw_get(proxied, "/collections/no-such-collection?f=json")
    assert status == 404 and "ETag" not in error_headers and error_headers["Cache-Control"] == "no-store"


# --- the store clock on a store that is not a file (PostGIS: version and build time are queries) ------------

def test_the_clock_of_a_database_store_reads_the_last_build_and_survives_its_absence():
    import pandas as pd

    from geo.serve.http_cache import StoreClock

    class Database:
        path = "postgresql://geo@localhost/omgevingsgeo"
        calls = 0
        fail = False

        def version(self):
            if self.fail:
                raise RuntimeError("database away")
            Database.calls += 1
            return "7-2026-11-28T09:29:16+00:00"

        def info(self):
            return pd.DataFrame({"built_at": ["2026-11-28T09:29:16+00:00", "2026-11-28T09:30:00+00:00"]})

    store = Database()
    clock = StoreClock(store, None)
    version, published = clock.now()
    assert version.startswith("7-") and published == pd.Timestamp("2026-11-28T09:30:00Z").timestamp()
    clock.now()
    assert Database.calls == 1  # asked at most once a second per worker
    clock.cached = (0.0, *clock.cached[1:])
    store.fail = True
    assert clock.now() == (None, None)  # no validators rather than an error
