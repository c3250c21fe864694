"""Bytes and caching on the wire (issue 20): compression, validators, 304s and ``Cache-Control`` per resource kind.

- **Compression**: a JSON, GeoJSON, HTML, CSS, JavaScript, XML, CSV or vector tile (MVT: protobuf, which gzip
  makes about 3× smaller) answer of at least ``MIN_SIZE`` bytes is sent gzip- (or, when the client prefers it and
  the ``brotli`` package is there, brotli-) compressed when the request's ``Accept-Encoding`` allows it; such
  answers always carry ``Vary: Accept-Encoding``. Files sent as they are (GeoPackage and COG downloads:
  ``direct_passthrough``), streamed answers, partial content and answers that are already encoded are left alone.
- **Validators**: a ``200`` (or ``204``: an empty vector tile) to a ``GET``/``HEAD`` on the public instance gets a
  weak ``ETag`` made from the store's version (``Store.version()``: it changes with every publish, so after
  ``geo build`` every ETag changes), the server's configuration, and what selects the representation (path and
  query, ``Accept``, ``Accept-Language``), with the content coding as a suffix; and ``Last-Modified``: when the
  store was last published (or the configuration changed, whichever is later). A request whose ``If-None-Match``
  names the current ETag (any coding: the variants are weakly equivalent), or, without ``If-None-Match``, whose
  ``If-Modified-Since`` is not older than ``Last-Modified``, is answered ``304`` before pygeoapi does any work.
- **Cache-Control** per kind: collections, items, queryables, coverages, styles and vector tiles (data: a tile
  changes with the store as an items page does, so the same 60 s, then revalidation by the store-version ETag):
  ``public, max-age=60, must-revalidate``; landing page, conformance, OpenAPI, process descriptions, tile matrix
  sets, vendored libraries: ``public, max-age=3600, must-revalidate``; jobs, executions, POSTs and everything on
  the internal instance: ``private, no-store``; errors: ``no-store`` and no validators. Downloads keep Flask's
  ``send_file`` validators and ``max-age``.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from flask import Response, g, request

from geo.serve.ogc_answers import real_headers

log = logging.getLogger(__name__)

__all__ = ["MIN_SIZE", "StoreClock", "choose_encoding", "install"]

MIN_SIZE = 1024  # bytes: below this, compression costs more than it saves
# measured on a page of 1,000 pand (567 kB): gzip 4/5/6 5.9x/6.0x/6.1x in 7/13/26 ms; brotli 1/4/5 6.5x in 3/17/54 ms
GZIP_LEVEL = 5
BROTLI_QUALITY = 1  # dynamic content: brotli's fastest level already beats gzip 6 on GeoJSON
VERSION_TTL_S = 1.0  # a PostGIS store's version is a query: asked at most once a second per worker
COMPRESSIBLE = re.compile(r"^(text/.+|application/(.+\+)?(json|xml)|application/(javascript|x-javascript)"
                          r"|image/svg\+xml|application/vnd\.mapbox-vector-tile)$")
DATA = "public, max-age=60, must-revalidate"
STATIC = "public, max-age=3600, must-revalidate"
PRIVATE = "private, no-store"
ERROR = "no-store"
STATIC_PATHS = re.compile(r"^/(|conformance/?|openapi(\.json)?/?|processes(/[^/]+)?/?|[Tt]ileMatrixSets(/.*)?"
                          r"|vendor/.*|static/.*|op-locatie/.*)$")
PRIVATE_PATHS = re.compile(r"^/(jobs(/.*)?|processes/[^/]+/execution/?)$")
SELF_VALIDATING = re.compile(r"^/downloads/")  # send_file: its own ETag, Last-Modified, 304 and ranges
VARY = ("Accept", "Accept-Language", "Accept-Encoding")

try:  # brotli where the client asks for it (a dependency; gzip only without it)
    import brotli
except ImportError:  # pragma: no cover - gzip only
    brotli = None


def install(app, store, config_path: Path | str | None = None, private: bool = False) -> None:
    """Compression, validators, 304s and Cache-Control on the Flask ``app``. Call it before any other
    ``after_request`` is registered: Flask runs them in reverse order, so this one sees the final answer.
    ``store``: the published store (its ``version()``); ``config_path``: pygeoapi's config (part of the ETag);
    ``private``: the internal instance (nothing is cacheable, no validators)."""
    if app.extensions.get("geo.http_cache"):
        return  # create_app may run more than once on pygeoapi's one Flask app
    clock = StoreClock(store, config_path)
    app.extensions["geo.http_cache"] = clock
    if not private:
        app.before_request(lambda: _not_modified(clock))
    app.after_request(lambda response: _finish(response, clock, private))


class StoreClock:
    """The store's version and publish time, and a fingerprint of the server's configuration."""

    def __init__(self, store, config_path: Path | str | None):
        self.store = store
        self.lock = threading.Lock()
        self.cached: tuple[float, str | None, float | None] = (0.0, None, None)  # (asked at, version, published)
        self.ttl = 0.0 if isinstance(getattr(store, "path", None), Path) else VERSION_TTL_S  # a stat is cheap
        self.config_hash, self.config_time = "", 0.0
        if config_path is not None and Path(config_path).is_file():
            text = Path(config_path).read_bytes()
            self.config_hash = hashlib.sha256(text).hexdigest()[:16]
            self.config_time = Path(config_path).stat().st_mtime

    def now(self) -> tuple[str | None, float | None]:
        """(version, published as a POSIX time); (None, None) when the store cannot say (no caching then)."""
        asked, version, published = self.cached
        if self.ttl and time.monotonic() - asked < self.ttl:
            return version, published
        with self.lock:
            try:
                new = self.store.version()
            except Exception as err:  # noqa: BLE001 - no store, or the database is away: answer without validators
                log.debug("store version unavailable (%s): no validators", type(err).__name__)
                self.cached = (time.monotonic(), None, None)
                return None, None
            if new != version or published is None:
                try:
                    published = max(self._published(), self.config_time)
                except Exception as err:  # noqa: BLE001 - no build time to be had: ETag without Last-Modified
                    log.debug("store publish time unavailable (%s)", type(err).__name__)
                    published = None
            self.cached = (time.monotonic(), new, published)
        return new, published

    def _published(self) -> float:
        path = getattr(self.store, "path", None)
        if isinstance(path, Path):
            return path.stat().st_mtime  # the GeoPackage is swapped in by one rename at publish
        built = self.store.info()["built_at"].max()  # PostGIS: the latest build of any layer
        stamp = datetime.fromisoformat(str(built))
        return (stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp()


def _kind() -> str | None:
    """The Cache-Control of a successful answer to this request; None: leave the answer's own."""
    if request.method not in ("GET", "HEAD"):
        return PRIVATE
    if SELF_VALIDATING.match(request.path):
        return None
    if PRIVATE_PATHS.match(request.path):
        return PRIVATE
    return STATIC if STATIC_PATHS.match(request.path) else DATA


def _base_tag(clock: StoreClock) -> tuple[str | None, float | None]:
    """The ETag of this request without its coding suffix, and Last-Modified; None when not cacheable."""
    if "geo_http_cache" in g:
        return g.geo_http_cache
    result: tuple[str | None, float | None] = (None, None)
    if request.method in ("GET", "HEAD") and _kind() in (DATA, STATIC):
        version, published = clock.now()
        if version is not None:
            selector = "\n".join([version, clock.config_hash, request.full_path, request.headers.get("Accept", ""),
                                  request.headers.get("Accept-Language", "")])
            result = (hashlib.sha256(selector.encode("utf-8", "surrogateescape")).hexdigest()[:24], published)
    g.geo_http_cache = result
    return result


def _not_modified(clock: StoreClock):
    """before_request: 304 on a matching If-None-Match, or a not-newer If-Modified-Since, without any work."""
    if_none_match, if_modified_since = request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
    if not if_none_match and not if_modified_since:
        return None
    base, published = _base_tag(clock)
    if base is None:
        return None
    if if_none_match:
        matched = _matching_tag(if_none_match, base)
        if matched is None:
            return None
    else:
        since = _http_time(if_modified_since)
        if since is None or published is None or int(published) > since:
            return None
        matched = f'W/"{base}-{choose_encoding(request.headers.get("Accept-Encoding", ""))}"'
    response = Response(status=304)
    response.headers["ETag"] = matched
    _validators_and_policy(response, published)
    g.geo_http_cache_304 = True
    return response


def _matching_tag(header: str, base: str) -> str | None:
    """The tag of ``If-None-Match`` (weak comparison) that names this representation in any coding; ``*`` too."""
    for tag in (t.strip() for t in header.split(",")):
        if tag == "*":
            return None  # "any current representation": only known once the answer is made (see _finish)
        if tag.removeprefix("W/").strip('"').rsplit("-", 1)[0] == base:
            return tag if tag.startswith("W/") else f"W/{tag}"
    return None


def _http_time(text: str) -> int | None:
    try:
        return int(parsedate_to_datetime(text).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _validators_and_policy(response, published: float | None) -> None:
    if published is not None:
        response.headers["Last-Modified"] = format_datetime(datetime.fromtimestamp(int(published), UTC),
                                                            usegmt=True)
    response.headers["Cache-Control"] = _kind() or DATA
    _vary(response, *VARY)


def _finish(response, clock: StoreClock, private: bool):
    """after_request (the last one): compress, then validators and Cache-Control."""
    real_headers(response)
    if g.get("geo_http_cache_304"):
        return response
    if response.status_code >= 400:
        for name in ("ETag", "Last-Modified"):
            response.headers.pop(name, None)
        response.headers["Cache-Control"] = ERROR
        _compress(response)
        return response
    coding = _compress(response)
    if private:
        response.headers["Cache-Control"] = PRIVATE
        return response
    kind = _kind()
    if kind is None or response.direct_passthrough:
        return response  # a download: send_file's own validators
    if kind == PRIVATE:
        response.headers["Cache-Control"] = PRIVATE
        return response
    if response.status_code not in (200, 204):
        return response  # redirects and the like keep their own; 204: an empty vector tile, as cacheable as a full one
    base, published = _base_tag(clock)
    if base is None:
        return response
    response.headers["ETag"] = f'W/"{base}-{coding}"'
    _validators_and_policy(response, published)
    if "*" in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
        response.status_code = 304  # If-None-Match: * and the resource exists
        response.set_data(b"")
    return response


def choose_encoding(accept_encoding: str) -> str:
    """``br``, ``gzip`` or ``identity``: the coding the client accepts with the highest q (br wins a tie)."""
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        if match:
            try:
                q = float(match[1])
            except ValueError:
                q = 0.0
        if name.strip():
            weights[name.strip().lower()] = q
    star = weights.get("*", 0.0)
    offered = [("br", 2)] if brotli is not None else []
    offered.append(("gzip", 1))
    best = max(((weights.get(name, star), rank, name) for name, rank in offered), default=(0.0, 0, "identity"))
    return best[2] if best[0] > 0 else "identity"


def _compress(response) -> str:
    """Compress the body where that helps; returns the content coding of the answer."""
    mimetype = (response.mimetype or "").lower()
    if not COMPRESSIBLE.match(mimetype):
        return "identity"
    _vary(response, "Accept-Encoding")
    if (response.direct_passthrough or response.is_streamed or response.status_code in (206, 304)
            or response.headers.get("Content-Encoding", "identity") != "identity"
            or "Content-Range" in response.headers or request.headers.get("Range")):
        return response.headers.get("Content-Encoding", "identity")
    coding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if coding == "identity":
        return coding
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return "identity"
    packed = brotli.compress(body, quality=BROTLI_QUALITY) if coding == "br" else gzip.compress(
        body, compresslevel=GZIP_LEVEL, mtime=0)
    response.set_data(packed)
    response.headers["Content-Encoding"] = coding
    return coding


def _vary(response, *names: str) -> None:
    present = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    lower = {v.lower() for v in present}
    present += [n for n in names if n.lower() not in lower]
    response.headers["Vary"] = ", ".join(present)
