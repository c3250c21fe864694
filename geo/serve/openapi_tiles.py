"""The vector tile paths of ``geo.serve.tiles`` in the OpenAPI document (OGC API Tiles Part 1, issue 20).

pygeoapi describes only the tiles of its own tile providers; ours are answered before its routes, so without
this the document (and every client or fuzzer that reads it) would not know them. Described as OGC API Tiles
Part 1 names them (``/tileMatrixSets``, ``/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/
{tileRow}/{tileCol}``, the parameters ``tileMatrixSetId``, ``tileMatrix``, ``tileRow``, ``tileCol``), with
``collectionId`` limited to the collections that have tiles, and the answers the server gives: ``200`` (MVT),
``204`` (no feature in the tile), ``400`` (a parameter that is not a whole number) and ``404`` (no such
collection or tile matrix set, or a tile outside the matrix or the collection's levels).
"""

from collections.abc import Iterable

from geo.render.mvt import TILE_MATRIX_SETS
from geo.serve.tiles import MVT, ZOOMS

__all__ = ["add_tile_paths"]

TAG = {"name": "tiles", "description": "Vectortegels (Mapbox Vector Tiles) van de collecties (OGC API Tiles)"}


def add_tile_paths(doc: dict, collections: Iterable[str]) -> None:
    """Add the tile matrix sets and the tiles of ``collections`` (ids) to ``doc``; nothing when there are none."""
    collections = sorted(collections)
    if not collections:
        return
    doc.setdefault("components", {}).setdefault("parameters", {}).update(_parameters(collections))
    doc["paths"].update(_paths())
    tags = doc.setdefault("tags", [])
    if not any(t.get("name") == TAG["name"] for t in tags):
        tags.append(TAG)


def _parameters(collections: list[str]) -> dict:
    def path_parameter(name: str, description: str, schema: dict) -> dict:
        return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}

    top = max(high for _low, high in ZOOMS.values())
    return {
        "tileCollectionId": path_parameter("collectionId", "Een collectie met vectortegels.",
                                           {"type": "string", "enum": collections}),
        "tileMatrixSetId": path_parameter("tileMatrixSetId", "De tegelmatrixset (tiling scheme).",
                                          {"type": "string", "enum": list(TILE_MATRIX_SETS)}),
        "tileMatrix": path_parameter("tileMatrix", "Het niveau (zoom level) in de tegelmatrixset: WebMercatorQuad "
                                     f"{_levels('WebMercatorQuad')}, NetherlandsRDNewQuad "
                                     f"{_levels('NetherlandsRDNewQuad')}; grote lagen (pand, verblijfsobject) "
                                     "vanaf een stadsniveau (zie de TileJSON: minzoom).",
                                     {"type": "integer", "minimum": 0, "maximum": top}),
        "tileRow": path_parameter("tileRow", "De rij van de tegel in de matrix (0 bovenaan).",
                                  {"type": "integer", "minimum": 0}),
        "tileCol": path_parameter("tileCol", "De kolom van de tegel in de matrix (0 links).",
                                  {"type": "integer", "minimum": 0}),
    }


def _levels(tms: str) -> str:
    low, high = ZOOMS[tms]
    return f"{low}–{high}"


def _paths() -> dict:
    tiles = "/collections/{collectionId}/tiles"
    return {
        "/tileMatrixSets": _get("getTileMatrixSetsList", "De tegelmatrixsets van deze server.", [],
                                {"200": _json("De tegelmatrixsets.")}),
        "/tileMatrixSets/{tileMatrixSetId}": _get(
            "getTileMatrixSet", "Eén tegelmatrixset (OGC Two Dimensional Tile Matrix Set 2.0).", ["tileMatrixSetId"],
            {"200": _json("De tegelmatrixset."), "404": _ref("NotFound")}),
        tiles: _get("getCollectionVectorTileSetsList", "De tegelsets van een collectie.", ["tileCollectionId"],
                    {"200": _json("De tegelsets van de collectie."), "404": _ref("NotFound")}),
        f"{tiles}/{{tileMatrixSetId}}": _get(
            "getCollectionVectorTileSet", "De beschrijving van een tegelset; met f=tilejson als TileJSON 3.0.",
            ["tileCollectionId", "tileMatrixSetId"], {"200": _json("De tegelset."), "404": _ref("NotFound")},
            extra=[{"name": "f", "in": "query", "required": False, "description": "json (standaard) of tilejson.",
                    "schema": {"type": "string", "enum": ["json", "tilejson"], "default": "json"}}]),
        f"{tiles}/{{tileMatrixSetId}}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}": _get(
            "getCollectionVectorTile", "Eén vectortegel (Mapbox Vector Tile) met precies de objecten die de tegel "
            "snijden, alleen openbare velden; gzip of brotli als de client dat aangeeft.",
            ["tileCollectionId", "tileMatrixSetId", "tileMatrix", "tileRow", "tileCol"],
            {"200": {"description": "De tegel.", "content": {MVT: {"schema": {"type": "string", "format": "binary"}}}},
             "204": {"description": "Geen objecten in deze tegel."}, "400": _ref("InvalidParameter"),
             "404": _ref("NotFound")}),
    }


def _get(operation_id: str, summary: str, parameters: list[str], responses: dict, extra: list | None = None) -> dict:
    refs = [{"$ref": f"#/components/parameters/{name}"} for name in parameters]
    return {"get": {"operationId": operation_id, "summary": summary, "tags": [TAG["name"]],
                    "parameters": refs + (extra or []), "responses": responses}}


def _json(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"type": "object"}}}}


def _ref(response: str) -> dict:
    """A new dict each time: a shared one would be written as a YAML alias and changed by later passes."""
    return {"$ref": f"#/components/responses/{response}"}
