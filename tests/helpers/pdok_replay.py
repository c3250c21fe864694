"""A local server that answers with the recorded responses of PDOK's OGC API server (GoKoala).

``tests/data/pdok_gokoala/requests.csv`` maps each recorded request (path and query) to its response file,
status and ``Content-Crs``; a request is matched on its path and query parameters, ``f`` left out (GoKoala's
tests recorded some pages with and some without it). Links in the bodies name GoKoala's test host; they are
rewritten to this server. A request that was not recorded answers 404 with problem JSON, as GoKoala does, and a
``crs`` the recordings do not hold for that collection answers 400.

The recordings are single pages: a chain of ``next`` links leaves them after one or two pages. ``end_after``
names the files whose ``next`` link is taken away, so that a test can read a chain that ends; that is the only
change made to a recorded body (``repeat`` and ``truncate`` make the faults a test asks for).
"""

import csv
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

RECORDED = Path(__file__).parents[1] / "data" / "pdok_gokoala"
RECORDED_HOST = "http://localhost:8080"


def _key(url: str) -> tuple[str, frozenset]:
    """Path and query without ``f``; a bbox compared by its numbers (120396.30 is 120396.3)."""
    parts = urlsplit(url)
    query = {k: v for k, v in parse_qsl(parts.query) if k != "f"}
    if "bbox" in query:
        query["bbox"] = ",".join(repr(float(v)) for v in query["bbox"].split(","))
    return parts.path, frozenset(query.items())


def recordings() -> dict:
    """(path, query without f) -> (file, status, Content-Crs) from requests.csv."""
    with open(RECORDED / "requests.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    table = {}
    for row in rows:
        url = row["request_url"].replace("/collections/tunneldelen/", "/collections/foo/")  # see SOURCE.md
        table.setdefault(_key(url), []).append((row["file"], int(row["status"]), row["content_crs_header"]))
    return table


class ReplayServer(ThreadingHTTPServer):
    """``fail_next``: answer that many requests with 503 first; ``prefer``: of two files for one request
    (GeoJSON and JSON-FG), serve this one; ``end_after``/``repeat``/``truncate``: see the module docstring."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.table = recordings()
        self.fail_next, self.prefer, self.end_after, self.repeat, self.truncate = 0, None, set(), {}, set()
        self.served: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, path: str) -> tuple[int, dict, bytes]:
        if self.fail_next > 0:
            self.fail_next -= 1
            return _problem(503, "Service Unavailable", "replayed outage")
        matches = self.table.get(_key(path))
        if not matches:
            crs = dict(parse_qsl(urlsplit(path).query)).get("crs")
            known = [k for k in self.table if k[0] == _key(path)[0]]
            if crs and known and not any(("crs", crs) in k[1] for k in known):
                return _problem(400, "Bad Request", f"crs param value {crs} is not supported for this collection")
            return _problem(404, "Not Found", f"no recorded response for {path}")
        name, status, content_crs = next((m for m in matches if m[0] == self.prefer), matches[0])
        name = self.repeat.get(name, name)
        body = (RECORDED / name).read_text(encoding="utf-8").replace(RECORDED_HOST, self.url)
        if name in self.end_after:
            page = json.loads(body)
            page["links"] = [link for link in page.get("links", []) if link.get("rel") != "next"]
            body = json.dumps(page)
        data = body.encode()
        if name in self.truncate:
            data = data[: len(data) // 2]
        self.served.append(name)
        headers = {"Content-Type": "application/geo+json"}
        if content_crs:
            headers["Content-Crs"] = content_crs
        return status, headers, data


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        status, headers, body = self.server.answer(self.path)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _problem(status: int, title: str, detail: str) -> tuple[int, dict, bytes]:
    body = json.dumps({"title": title, "status": status, "detail": detail, "timeStamp": "2000-01-01T00:00:00Z"})
    return status, {"Content-Type": "application/problem+json"}, body.encode()


def start() -> ReplayServer:
    server = ReplayServer()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
