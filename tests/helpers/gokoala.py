"""A local server that pages GeoDataFrames the way PDOK's OGC API server (GoKoala) does.

The recorded GoKoala responses (``helpers.pdok_replay``) are single pages of fixed requests; a whole build
asks for every page of a collection within the municipality's bbox, which no recording holds. This server
answers those requests in GoKoala's shape, as the recordings show it (``tests/test_remote_bag.py`` compares the
two): a FeatureCollection with ``timeStamp``, ``links`` (self, alternate, ``next`` with an opaque ``cursor``)
and ``numberReturned`` but no ``numberMatched``; ``Content-Crs`` naming the CRS asked with ``crs`` (RD New or
CRS84); ``bbox`` with ``bbox-crs``; ``/collections``; errors as problem JSON.

Faults a test asks for: ``fail_items`` answers every items request with 500; ``truncate_page`` cuts the body
of that page number (1-based) in half. ``served`` records (collection, offset) of every page answered.
"""

import base64
import json
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import geopandas as gpd
import shapely

from helpers.pdok_replay import _Handler, _problem  # the same request handling and problem JSON

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


class GoKoalaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, collections: dict[str, gpd.GeoDataFrame], key: str = "identificatie"):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.collections = {cid: gdf.to_crs(28992).reset_index(drop=True) for cid, gdf in collections.items()}
        self.key = key
        self.fail_items, self.truncate_page = False, None
        self.served: list[tuple[str, int]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, target: str) -> tuple[int, dict, bytes]:
        parts = urlsplit(target)
        path = parts.path.rstrip("/")
        query = dict(parse_qsl(parts.query))
        if path == "/collections":
            body = {"collections": [{"id": cid, "title": cid} for cid in self.collections], "links": []}
            return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
        segments = path.split("/")
        if len(segments) == 4 and segments[1] == "collections" and segments[3] == "items":
            if segments[2] not in self.collections:
                return _problem(404, "Not Found", f"collection {segments[2]} doesn't exist")
            if self.fail_items:
                return _problem(500, "Internal Server Error", "replayed failure")
            return self._items(segments[2], query)
        return _problem(404, "Not Found", f"no such path {path}")

    def _items(self, cid: str, query: dict) -> tuple[int, dict, bytes]:
        crs = query.get("crs", CRS84)
        if crs not in (RD, CRS84):
            return _problem(400, "Bad Request", f"crs param value {crs} is not supported for this collection")
        limit, offset = int(query.get("limit", 10)), _offset(query.get("cursor"))
        gdf = _within_bbox(self.collections[cid], query)
        page = gdf.iloc[offset:offset + limit]
        self.served.append((cid, offset))
        body = json.dumps(self._page(cid, page, query, offset + limit < len(gdf), offset + limit, crs)).encode()
        if self.truncate_page == len([s for s in self.served if s[0] == cid]):
            body = body[: len(body) // 2]
        return 200, {"Content-Type": "application/geo+json", "Content-Crs": f"<{crs}>"}, body

    def _page(self, cid, page, query, more: bool, next_offset: int, crs: str) -> dict:
        out = page if crs == RD else page.to_crs("OGC:CRS84")
        features = [{"type": "Feature", "properties": _properties(row, out.geometry.name),
                     "geometry": shapely.geometry.mapping(row[out.geometry.name]), "id": str(row[self.key])}
                    for _, row in out.iterrows()]
        base = f"{self.url}/collections/{cid}/items"
        links = [{"rel": "self", "title": "This document as GeoJSON", "type": "application/geo+json",
                  "href": f"{base}?{urlencode(query)}"},
                 {"rel": "alternate", "title": "This document as HTML", "type": "text/html",
                  "href": f"{base}?{urlencode({**query, 'f': 'html'})}"}]
        if more:
            links.append({"rel": "next", "title": "Next page", "type": "application/geo+json",
                          "href": f"{base}?{urlencode({**query, 'cursor': _cursor(next_offset)})}"})
        return {"type": "FeatureCollection", "timeStamp": "2000-01-01T00:00:00Z", "links": links,
                "features": features, "numberReturned": len(features)}


def _within_bbox(gdf: gpd.GeoDataFrame, query: dict) -> gpd.GeoDataFrame:
    if "bbox" not in query:
        return gdf
    box = shapely.box(*map(float, query["bbox"].split(",")))
    if query.get("bbox-crs", CRS84) != RD:
        box = gpd.GeoSeries([box], crs="OGC:CRS84").to_crs(28992).iloc[0]
    return gdf[gdf.intersects(box)]


def _properties(row, geometry_column: str) -> dict:
    return {k: (None if _missing(v) else v.item() if hasattr(v, "item") else v)
            for k, v in row.items() if k != geometry_column}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _cursor(offset: int) -> str:
    """Opaque to clients, like GoKoala's (``Aw|PqXbRw``): not a plain offset a client could compute."""
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=") + "|gk"


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    token = cursor.split("|")[0]
    return int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()[1:])


def start(collections: dict[str, gpd.GeoDataFrame], key: str = "identificatie") -> GoKoalaServer:
    server = GoKoalaServer(collections, key)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
