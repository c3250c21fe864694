"""Remote sources: an OGC API Features collection of another agency (e.g. PDOK's BAG or bestuurlijke grenzen).

Paged through the ``next`` links and cached as a GeoPackage with the date fetched, so that `geo refresh` can
tell from the cached file's checksum whether the source changed. A source is remote when it is given as
``--source KEY=https://host/collections/ID``.

Written for what PDOK's server (GoKoala) really sends: an opaque ``cursor`` in ``next`` and no
``numberMatched`` (so paging stops only when ``next`` is absent), coordinates in RD New when asked with
``crs`` (told by the ``Content-Crs`` header), JSON-FG with the geometry in ``place`` and ``geometry: null``,
and errors as problem JSON. Transient failures (5xx, time-outs, lost connections) are retried with backoff; a
4xx, a malformed page, a page that repeats features already read or a ``next`` link that loops stop the
fetch with one line. Nothing is written until every page has been read.
"""

import hashlib
import json
import logging
import os
import re
import time
from pathlib import Path

import geopandas as gpd
import requests

from geo.core.crs import RD_NEW_URI
from geo.core.errors import SourceError

log = logging.getLogger(__name__)
COLLECTION_URL = re.compile(r"^(?P<api>https?://.+?)/collections/(?P<cid>[^/?#]+)/?$")
PAGE = 1000
RETRIES = 4  # attempts after the first, for 5xx answers, time-outs and lost connections
BACKOFF_S = 1.0  # wait before the first retry; doubled for each next one
MAX_PAGES = 100_000  # a guard against a server whose next links never end
TIMEOUT_S = 60


def is_remote(source) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def fetch(url: str, cache_dir: Path, bbox_rd: tuple[float, float, float, float] | None = None,
          also: tuple[str, ...] = ()) -> tuple[Path, dict[str, str]]:
    """Every feature of the collection at ``url`` (within ``bbox_rd``) into ``cache_dir/<id>.gpkg``.

    ``also`` names sibling collections of the same API that belong to one delivery (BAG's ``verblijfsobject``
    beside ``pand``): those the API lists are fetched too, each into its own layer of the same file.
    Returns the cached file and, per collection URL read (``url`` first), the SHA-256 of its features' content
    (a GeoPackage file itself carries write timestamps, so its bytes change on every fetch; the content digest
    changes only with the data): ``geo refresh`` fetches each URL again on its own and compares.
    """
    match = COLLECTION_URL.match(url)
    if not match:
        raise SourceError(f"{url}: expected an OGC API Features collection URL like https://host/collections/ID")
    api, cid = match["api"], match["cid"]
    siblings = [c for c in _listed(api, also) if c != cid]
    pages = {c: _all_features(api, c, bbox_rd) for c in (cid, *siblings)}  # all read before anything is written
    if not pages[cid][0]:
        raise SourceError(f"{url}: the collection returned no features")
    path = Path(cache_dir) / f"{cid}.gpkg"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{cid}.{os.getpid()}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    for name, (features, crs) in pages.items():
        if features:
            gdf = gpd.GeoDataFrame.from_features(features, crs=_crs_of(features, crs))
            gdf.to_file(tmp, layer=name, engine="pyogrio")
    os.replace(tmp, path)
    log.info("fetched %s of %s into %s", ", ".join(f"{len(f)} {c}" for c, (f, _) in pages.items()), api, path)
    return path, {f"{api}/collections/{c}": _content_digest(features) for c, (features, _) in pages.items()}


def _listed(api: str, wanted: tuple[str, ...]) -> list[str]:
    """Those of ``wanted`` that the API's ``/collections`` lists (none asked: no request)."""
    if not wanted:
        return []
    try:
        page, _ = _get_page_json(f"{api}/collections", {"f": "json"})
    except _Refused as err:
        raise SourceError(str(err)) from None
    ids = {c.get("id") for c in page.get("collections", []) if isinstance(c, dict)}
    return [c for c in wanted if c in ids]


def _content_digest(features: list[dict]) -> str:
    content = [{k: v for k, v in f.items() if k != "links"} for f in features]  # links carry the server URL
    canonical = sorted(json.dumps(f, sort_keys=True, separators=(",", ":")) for f in content)
    return hashlib.sha256("\n".join(canonical).encode()).hexdigest()


def _all_features(api: str, cid: str, bbox_rd) -> list[dict]:
    """Every feature of the collection, following ``next`` until it is absent, in RD New where the server offers
    it (a server that refuses ``crs`` is asked again without it)."""
    params = {"limit": PAGE, "f": "json", "crs": RD_NEW_URI}
    if bbox_rd:
        params |= {"bbox": ",".join(str(v) for v in bbox_rd), "bbox-crs": RD_NEW_URI}
    url = f"{api}/collections/{cid}/items"
    try:
        page, crs = _first_page(url, params)
    except _Refused as err:
        raise SourceError(str(err)) from None
    return _follow(page, crs, url), crs


def _first_page(url: str, params: dict) -> tuple[dict, str | None]:
    """The first page in RD New; a server that refuses ``crs`` (400) is asked again in its default CRS, and a
    bbox is then left to the build's clip (its CRS may not be offered either)."""
    try:
        return _get_page(url, params)
    except _Refused as err:
        if err.status != 400:
            raise
        log.info("%s refuses crs/bbox-crs (%s); reading in its default CRS", url, err)
    return _get_page(url, {k: v for k, v in params.items() if k not in ("crs", "bbox-crs", "bbox")})


def _follow(page: dict, crs: str | None, first_url: str) -> list[dict]:
    """The features of ``page`` and of every page after it; refuses repeated features and looping links."""
    features, seen_ids, seen_urls = [], set(), {first_url}
    for number in range(1, MAX_PAGES + 1):
        batch = [_with_geometry(f, crs, number) for f in page["features"]]
        repeated = {f["id"] for f in batch if "id" in f} & seen_ids
        if repeated:
            raise SourceError(f"{first_url}: page {number} repeats {len(repeated)} feature(s) already read "
                              f"(e.g. id {sorted(map(str, repeated))[0]}); the server's paging is inconsistent")
        seen_ids |= {f["id"] for f in batch if "id" in f}
        features += batch
        url = next((link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None)
        if url is None:
            return features
        if url in seen_urls:
            raise SourceError(f"{first_url}: page {number}'s next link points back to a page already read")
        seen_urls.add(url)
        try:
            page, crs = _get_page(url, None)  # the next link carries the query
        except _Refused as err:
            raise SourceError(str(err)) from None
    raise SourceError(f"{first_url}: more than {MAX_PAGES} pages; stopped")


class _Refused(Exception):
    """A 4xx answer: final, not retried."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _get_page_json(url: str, params) -> tuple[dict, requests.Response]:
    """A JSON object answer and its response; a truncated or malformed answer is a SourceError."""
    response = _get(url, params)
    try:
        page = response.json()
    except ValueError:
        raise SourceError(f"{response.url}: the answer is not JSON (truncated or malformed page)") from None
    if not isinstance(page, dict):
        raise SourceError(f"{response.url}: the answer is not a JSON object")
    return page, response


def _get_page(url: str, params) -> tuple[dict, str | None]:
    """One page as a dict with a list of features, and its CRS (``Content-Crs`` or JSON-FG ``coordRefSys``)."""
    page, response = _get_page_json(url, params)
    if not isinstance(page.get("features"), list):
        raise SourceError(f"{response.url}: the answer is not a FeatureCollection with a list of features")
    crs = response.headers.get("Content-Crs", "").strip("<> ") or page.get("coordRefSys")
    return page, crs if isinstance(crs, str) else None


def _get(url: str, params) -> requests.Response:
    """GET with retries and exponential backoff for 5xx, time-outs and lost connections; a 4xx is final."""
    wait = BACKOFF_S
    for attempt in range(RETRIES + 1):
        try:
            response = requests.get(url, params=params, timeout=TIMEOUT_S,
                                    headers={"Accept": "application/geo+json, application/json;q=0.9"})
        except requests.RequestException as err:
            failure = f"{url}: not reachable ({type(err).__name__})"
        else:
            if response.status_code < 400:
                return response
            if response.status_code < 500:
                raise _Refused(f"{response.url}: {response.status_code} {_problem(response)}",
                               response.status_code)
            failure = f"{response.url}: {response.status_code} {_problem(response)}"
        if attempt < RETRIES:
            log.warning("%s; retrying in %.1f s", failure, wait)
            time.sleep(wait)
            wait *= 2
    raise SourceError(f"{failure} (after {RETRIES + 1} attempts)")


def _problem(response: requests.Response) -> str:
    """The title and detail of a problem JSON answer (RFC 9457), else the reason phrase; one line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and (body.get("title") or body.get("detail") or body.get("description")):
        text = ": ".join(str(body[k]) for k in ("title", "detail", "description") if body.get(k))
    else:
        text = response.reason or "error"
    return " ".join(text.split())[:300]


def _with_geometry(feature: dict, crs: str | None, page: int) -> dict:
    """A GeoJSON feature; JSON-FG's ``place`` (in the page's CRS) becomes its geometry when ``geometry`` is null."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise SourceError(f"page {page}: an element of 'features' is not a GeoJSON Feature")
    if feature.get("geometry") is None and feature.get("place") is not None:
        feature = {**feature, "geometry": feature["place"]}
    return {k: v for k, v in feature.items() if k not in ("place", "time", "conformsTo", "featureType")}


def _crs_of(features, declared: str | None = None) -> str:
    """The CRS the server declared (``Content-Crs``), else RD New when the coordinates are metres in the
    Netherlands' range, else CRS84 (the default)."""
    if declared:
        return "EPSG:28992" if declared.rstrip("/").endswith("/28992") else "OGC:CRS84"
    first = next((f["geometry"] for f in features if f.get("geometry")), None)
    if first is None:
        return "OGC:CRS84"
    return "EPSG:28992" if abs(_first_x(first["coordinates"])) > 180 else "OGC:CRS84"


def _first_x(coords):
    while isinstance(coords[0], (list, tuple)):
        coords = coords[0]
    return coords[0]
