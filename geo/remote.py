"""Remote sources: an OGC API Features collection of another agency (e.g. PDOK's BAG or bestuurlijke grenzen).

Read with OWSLib, limited to a bbox, paging through the ``next`` links, and cached as a GeoPackage with the
date fetched, so that `geo refresh` can tell from the cached file's checksum whether the source changed.
A source is remote when it is given as ``--source KEY=https://host/collections/ID``.
"""

import hashlib
import json
import logging
import os
import re
from datetime import datetime, UTC
from pathlib import Path

import geopandas as gpd
import requests
from owslib.ogcapi.features import Features

from geo.crs import RD_NEW_URI
from geo.errors import SourceError

log = logging.getLogger(__name__)
COLLECTION_URL = re.compile(r"^(?P<api>https?://.+?)/collections/(?P<cid>[^/?#]+)/?$")
PAGE = 1000


def is_remote(source) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def fetch(url: str, cache_dir: Path, bbox_rd: tuple[float, float, float, float] | None = None) -> tuple[Path, str]:
    """Every feature of the collection at ``url`` (within ``bbox_rd``) into ``cache_dir/<id>.gpkg``.

    Returns the cached file and the SHA-256 of the features' content (a GeoPackage file itself carries
    write timestamps, so its bytes change on every fetch; the content digest changes only with the data).
    """
    match = COLLECTION_URL.match(url)
    if not match:
        raise SourceError(f"{url}: expected an OGC API Features collection URL like https://host/collections/ID")
    api, cid = match["api"], match["cid"]
    features = _all_features(api, cid, bbox_rd)
    if not features:
        raise SourceError(f"{url}: the collection returned no features")
    gdf = gpd.GeoDataFrame.from_features(features, crs=_crs_of(features))
    gdf["opgehaald_op"] = datetime.now(UTC).isoformat(timespec="seconds")
    path = Path(cache_dir) / f"{cid}.gpkg"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{cid}.{os.getpid()}.tmp.gpkg")
    gdf.drop(columns="opgehaald_op").to_file(tmp, layer=cid, engine="pyogrio")
    os.replace(tmp, path)
    log.info("fetched %d features of %s into %s", len(gdf), url, path)
    return path, _content_digest(features)


def _content_digest(features: list[dict]) -> str:
    content = [{k: v for k, v in f.items() if k != "links"} for f in features]  # links carry the server URL
    canonical = sorted(json.dumps(f, sort_keys=True, separators=(",", ":")) for f in content)
    return hashlib.sha256("\n".join(canonical).encode()).hexdigest()


def _all_features(api: str, cid: str, bbox_rd) -> list[dict]:
    """Page through the collection, preferring RD New output (OGC API Features Part 2) when offered."""
    try:
        client = Features(api)
        crs_list = client.collection(cid).get("crs", [])
    except (requests.RequestException, RuntimeError) as err:
        raise SourceError(f"{api}/collections/{cid}: not reachable ({err})") from err
    params = {"limit": PAGE, "f": "json"}
    if RD_NEW_URI in crs_list:
        params["crs"] = RD_NEW_URI
        if bbox_rd:
            params |= {"bbox": ",".join(str(v) for v in bbox_rd), "bbox-crs": RD_NEW_URI}
    url, features = f"{api}/collections/{cid}/items", []
    while url:
        page = _get(url, params)
        features += page.get("features", [])
        url = next((link["href"] for link in page.get("links", []) if link.get("rel") == "next"), None)
        params = None  # the next link carries the query
    return features


def _get(url: str, params) -> dict:
    try:
        response = requests.get(url, params=params, timeout=60)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as err:
        raise SourceError(f"{url}: fetching failed ({err})") from err


def _crs_of(features) -> str:
    """RD New when the coordinates are metres in the Netherlands' range, else CRS84 (the default)."""
    x = _first_x(features[0]["geometry"]["coordinates"])
    return "EPSG:28992" if abs(x) > 180 else "OGC:CRS84"


def _first_x(coords):
    while isinstance(coords[0], (list, tuple)):
        coords = coords[0]
    return coords[0]
