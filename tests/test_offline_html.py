"""pygeoapi's own HTML pages work offline: Leaflet, markercluster and Bootstrap come from /vendor/ (geo.serve.vendor).

The browser tests drive headless Chromium over the DevTools protocol (``tests/helpers/cdp.py``) with every
non-loopback host unresolvable and the CDNs blocked with ``Network.setBlockedURLs``; they assert that every
response the page received came from the test server, and that the map shows the data.
"""

import gzip
import http.client
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask, Response

from geo.serve import vendor

from helpers.browser import CHROMIUM

ARTEFACTS = Path(__file__).parent / "artefacts"
CDNS = ["*unpkg.com*", "*cdnjs.cloudflare.com*", "*cdn.jsdelivr.net*", "*tile.openstreetmap.org*"]
CAN_FAIL = ("tile.openstreetmap.org", "unpkg.com/leaflet-imageoverlay-ogcapi",  # not needed to show the data
            "unpkg.com/leaflet-draw")  # (the catalogue's search rectangle needs leaflet-draw; no package has it)
LEAFLET_CDN = '<script src="https://unpkg.com/leaflet@1.3.1/dist/leaflet.js"></script>'
PAGE = (LEAFLET_CDN + '<link rel="stylesheet" href="https://unpkg.com/bootstrap@5.1.3/dist/css/bootstrap.min.css">'
        '<script src="https://unpkg.com/leaflet-draw@1.0.4/dist/leaflet.draw.js"></script>')


def vendor_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+/vendor/[^"]+)"', html)


def test_vendor_serves_the_libraries_with_type_and_long_cache(server):
    html = requests.get(f"{server}/collections/wnb_besluit/items?f=html", timeout=60).text
    urls = vendor_urls(html)
    assert {Path(u).name for u in urls} == {"leaflet.js", "leaflet.css", "MarkerCluster.css",
                                            "MarkerCluster.Default.css", "leaflet.markercluster-src.js",
                                            "bootstrap.min.css"}
    for url in urls:
        assert url.startswith(f"{server}/vendor/")
        r = requests.get(url, timeout=30)
        assert r.status_code == 200 and len(r.content) > 500, url
        kind = "javascript" if url.endswith(".js") else "text/css"
        assert kind in r.headers["Content-Type"], (url, r.headers["Content-Type"])
        assert "max-age=31536000" in r.headers["Cache-Control"]
    leaflet = next(u for u in urls if u.endswith("leaflet.css"))
    assert requests.get(leaflet.replace("leaflet.css", "images/marker-icon.png"), timeout=30).headers[
        "Content-Type"] == "image/png"  # leaflet.css's relative image URLs resolve too


@pytest.mark.parametrize("path", [
    "/vendor/leaflet-0.0.1/leaflet.js", "/vendor/leaflet/leaflet.js", "/vendor/{leaflet}/nope.js",
    "/vendor/{leaflet}/images", "/vendor/{leaflet}/", "/vendor/{leaflet}/../../__init__.py",
    "/vendor/{leaflet}/..%2f..%2f__init__.py", "/vendor/{leaflet}/%2e%2e/%2e%2e/__init__.py",
    "/vendor/{leaflet}/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/vendor/{leaflet}//etc/passwd",
    "/vendor/..%2f..%2fgeo/server.py", "/vendor/{leaflet}/leaflet.js%00.png", "/vendor/{leaflet}/..%5c..%5c__init__.py",
    "/vendor/{leaflet}/%c0%ae%c0%ae/__init__.py", "/vendor/{leaflet}/" + "x" * 3000, "/vendor/%ff/%fe.js",
])
def test_vendor_answers_404_for_unknown_files_and_traversal(server, path):
    path = path.format(leaflet=vendor.url_names()["leaflet"])
    status, location = raw_get(server, path)
    if status == 308:  # Werkzeug merges '//' with a redirect: to a file under /vendor/ that is not there
        assert location.startswith(f"{server}/vendor/"), location
        status, _ = raw_get(server, urlsplit(location).path)
    assert status == 404, path


def raw_get(server: str, path: str) -> tuple[int, str]:
    """GET ``path`` as it is (requests would normalise the dots): status and Location."""
    host = urlsplit(server)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, response.headers.get("Location", "")
    finally:
        conn.close()


@pytest.mark.parametrize("path", ["/collections/wnb_besluit/items?f=html", "/collections/pand?f=html",
                                  "/collections?f=html", "/?f=html"])
def test_html_pages_point_at_vendor_not_at_the_cdn(server, path):
    html = requests.get(f"{server}{path}", timeout=60).text
    for cdn in ("unpkg.com/leaflet@", "cdnjs.cloudflare.com/ajax/libs/leaflet/", "unpkg.com/leaflet.markercluster",
                "unpkg.com/bootstrap@"):
        assert cdn not in html, (path, cdn)
    assert f'href="{server}/vendor/bootstrap-' in html


def test_rewrite_respects_a_path_prefix_and_leaves_other_cdn_files():
    html = vendor.rewrite(PAGE.encode(), "https://geo.example.org/omgeving/").decode()
    names = vendor.url_names()
    assert f'src="https://geo.example.org/omgeving/vendor/{names["leaflet"]}/leaflet.js"' in html
    assert f'href="https://geo.example.org/omgeving/vendor/{names["bootstrap"]}/css/bootstrap.min.css"' in html
    assert "https://unpkg.com/leaflet-draw@1.0.4/dist/leaflet.draw.js" in html  # no package: left as it is


@pytest.fixture
def client():
    app = Flask(__name__)
    html = {"Content-Type": "text/html"}

    @app.get("/pygeoapi")  # pygeoapi sets the headers as a plain dict
    def pygeoapi_like():
        response = Response(PAGE)
        response.headers = dict(html)
        return response

    app.add_url_rule("/json", "json", lambda: Response(PAGE, headers={"Content-Type": "application/json"}))
    app.add_url_rule("/gzip", "gzip", lambda: Response(gzip.compress(PAGE.encode()),
                                                       headers={**html, "Content-Encoding": "gzip"}))
    app.add_url_rule("/stream", "stream", lambda: Response(iter([PAGE]), headers=html))
    vendor.register(app, "http://localhost/geo")
    vendor.register(app, "http://localhost/geo")  # twice: still one hook
    return app.test_client()


def test_hook_rewrites_only_plain_html_bodies(client):
    page = client.get("/pygeoapi")
    assert LEAFLET_CDN not in page.text and "http://localhost/geo/vendor/leaflet-" in page.text
    assert page.headers["Content-Length"] == str(len(page.data))
    assert client.get("/json").text == PAGE
    assert gzip.decompress(client.get("/gzip").data).decode() == PAGE
    assert client.get("/stream").text == PAGE


def open_offline(browser, url: str):
    """``url`` in a new tab with the CDNs and tile servers blocked (besides no name resolution at all)."""
    page = browser.open("about:blank")
    page.send("Network.enable")
    page.send("Network.setBlockedURLs", {"urls": CDNS})
    page.send("Page.navigate", {"url": url})
    page.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")
    return page


def received(page) -> list[str]:
    """URLs of every response the page got."""
    return [e["params"]["response"]["url"] for e in page.browser.events
            if e.get("sessionId") == page.session and e.get("method") == "Network.responseReceived"]


def assert_only_loopback(page, server: str) -> None:
    urls = received(page)
    assert [u for u in urls if not (u.startswith(f"{server}/") or u.startswith("data:"))] == []
    assert any(f"{server}/vendor/leaflet-" in u for u in urls)  # Leaflet came from us
    assert page.evaluate("typeof L") == "object" and page.evaluate("L.version") == "1.9.4"
    assert page.errors(ignore_hosts=CAN_FAIL) == []


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_items_page_shows_the_points_offline(server):
    from helpers.cdp import Browser

    url = f"{server}/collections/wnb_besluit/items?f=html"
    with Browser() as browser:
        page = open_offline(browser, url)
        page.wait_for("document.querySelectorAll('#items-map .leaflet-marker-icon').length > 0")
        assert page.evaluate("typeof L.markerClusterGroup") == "function"
        icon = "document.querySelector('#items-map .leaflet-marker-icon')"
        page.wait_for(f"{icon}.tagName !== 'IMG' || {icon}.naturalWidth > 0")  # marker image from /vendor/
        assert page.evaluate("getComputedStyle(document.querySelector('.sticky-top')).position") == "sticky"
        page.screenshot(ARTEFACTS / "pygeoapi_items_offline.png")  # Bootstrap styles the header ^
        assert_only_loopback(page, server)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_item_page_draws_the_polygon_offline(server):
    from helpers.cdp import Browser

    items = requests.get(f"{server}/collections/gemeentegebied/items?f=json&limit=1", timeout=60).json()
    url = f"{server}/collections/gemeentegebied/items/{items['features'][0]['id']}?f=html"
    with Browser() as browser:
        page = open_offline(browser, url)
        page.wait_for("document.querySelectorAll('#items-map path.leaflet-interactive').length > 0")
        assert page.evaluate("document.querySelector('#items-map path.leaflet-interactive')"
                             ".getAttribute('d').length") > 100
        assert_only_loopback(page, server)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_collection_page_has_a_map_and_no_script_errors_offline(server):
    from helpers.cdp import Browser

    with Browser() as browser:
        page = open_offline(browser, f"{server}/collections/pand?f=html")
        page.wait_for("document.querySelectorAll('#collection-map path.leaflet-interactive').length > 0")
        assert_only_loopback(page, server)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_catalogue_page_shows_the_records_offline(server):
    from helpers.cdp import Browser

    with Browser() as browser:
        page = open_offline(browser, f"{server}/collections/catalogus/items?f=html")
        page.wait_for("document.querySelectorAll('#items-map .leaflet-interactive').length > 0")
        assert_only_loopback(page, server)
