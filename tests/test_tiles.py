"""OGC API Tiles: vector tiles of the collections, decoded by a library we did not write (mapbox-vector-tile).

The expected features of a tile come from the GeoPackage read with pyogrio, reprojected by geopandas and tested
with shapely against the tile's square computed here from the tile matrix set's published numbers (origin,
cell size), not through the server's tile code.
"""

import math
import re

import geopandas as gpd
import mapbox_vector_tile
import pytest
import shapely

pytestmark = pytest.mark.inprocess

MVT = "application/vnd.mapbox-vector-tile"
RD_ORIGIN, RD_CELL0 = (-285401.92, 903401.92), 3440.64  # PDOK's NetherlandsRDNewQuad
WEB_HALF = 20037508.342789244  # WebMercatorQuad: half the world's width in metres


def rd_square(z: int, row: int, col: int) -> shapely.Polygon:
    side = RD_CELL0 * 256 / 2**z
    left, top = RD_ORIGIN[0] + col * side, RD_ORIGIN[1] - row * side
    return shapely.box(left, top - side, left + side, top)


def web_square(z: int, row: int, col: int) -> shapely.Polygon:
    side = 2 * WEB_HALF / 2**z
    left, top = -WEB_HALF + col * side, WEB_HALF - row * side
    return shapely.box(left, top - side, left + side, top)


def rd_tile_of(x: float, y: float, z: int) -> tuple[int, int]:
    side = RD_CELL0 * 256 / 2**z
    return int((RD_ORIGIN[1] - y) // side), int((x - RD_ORIGIN[0]) // side)


def web_tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    col = int((lon + 180) / 360 * n)
    row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return row, col


def expected_ids(store, layer: str, square: shapely.Polygon, crs: str) -> set[str]:
    gdf = gpd.read_file(store, layer=layer, engine="pyogrio").to_crs(crs)
    return set(gdf.loc[gdf.intersects(square), "identificatie"].astype(str))


def decoded_ids(body: bytes, layer: str) -> list[str]:
    tile = mapbox_vector_tile.decode(body)
    return [str(f["properties"]["identificatie"]) for f in tile[layer]["features"]]


@pytest.fixture(scope="module")
def centre(store):
    """A point on a building in the middle of the list: a tile around it is never empty."""
    gdf = gpd.read_file(store, layer="pand", engine="pyogrio")
    return gdf.geometry.iloc[len(gdf) // 2].representative_point()


@pytest.mark.parametrize("z", [12, 14])
def test_an_rd_tile_holds_exactly_the_features_that_intersect_it(app_client, store, centre, z):
    row, col = rd_tile_of(centre.x, centre.y, z)
    answer = app_client.get(f"/collections/pand/tiles/NetherlandsRDNewQuad/{z}/{row}/{col}")
    assert answer.status_code == 200 and answer.mimetype == MVT
    got = decoded_ids(answer.data, "pand")
    assert len(got) == len(set(got)) > 0
    assert set(got) == expected_ids(store, "pand", rd_square(z, row, col), "EPSG:28992")


@pytest.mark.parametrize("z", [13, 15])
def test_a_web_mercator_tile_holds_exactly_the_features_that_intersect_it(app_client, store, centre, z):
    lon, lat = gpd.GeoSeries([centre], crs=28992).to_crs(4326).iloc[0].coords[0]
    row, col = web_tile_of(lon, lat, z)
    answer = app_client.get(f"/collections/pand/tiles/WebMercatorQuad/{z}/{row}/{col}")
    assert answer.status_code == 200
    got = decoded_ids(answer.data, "pand")
    assert set(got) == expected_ids(store, "pand", web_square(z, row, col), "EPSG:3857") and len(got) == len(set(got))


def test_geometry_is_placed_in_the_tile_grid(app_client, store, centre):
    """A decoded point lands where the source point is, to within one grid cell of the 4096 grid."""
    z = 14
    row, col = rd_tile_of(centre.x, centre.y, z)
    answer = app_client.get(f"/collections/verblijfsobject/tiles/NetherlandsRDNewQuad/{z}/{row}/{col}")
    features = mapbox_vector_tile.decode(answer.data)["verblijfsobject"]["features"]
    source = gpd.read_file(store, layer="verblijfsobject", engine="pyogrio").set_index("identificatie")
    square = rd_square(z, row, col)
    cell = (square.bounds[2] - square.bounds[0]) / 4096
    for feature in features[:50]:
        gx, gy = feature["geometry"]["coordinates"]
        x = square.bounds[0] + gx * cell
        y = square.bounds[1] + gy * cell  # decode() gives y up by default
        p = source.loc[str(feature["properties"]["identificatie"])].geometry
        assert abs(p.x - x) <= cell and abs(p.y - y) <= cell


def test_only_public_fields_reach_a_tile(app_client, store):
    """stikstofbron's naam and adres (personal data) are not in its tiles."""
    gdf = gpd.read_file(store, layer="stikstofbron", engine="pyogrio")
    x, y = gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y
    row, col = rd_tile_of(x, y, 10)
    answer = app_client.get(f"/collections/stikstofbron/tiles/NetherlandsRDNewQuad/10/{row}/{col}")
    props = set().union(*(f["properties"] for f in mapbox_vector_tile.decode(answer.data)["stikstofbron"]["features"]))
    assert props and not props & {"naam", "adres"}


def test_an_empty_tile_is_204_and_outside_the_matrix_is_404_naming_the_parameter(app_client):
    assert app_client.get("/collections/pand/tiles/NetherlandsRDNewQuad/14/0/0").status_code == 204
    answer = app_client.get("/collections/pand/tiles/NetherlandsRDNewQuad/8/9999/0")
    assert answer.status_code == 404 and "tileRow" in answer.get_json()["detail"]
    answer = app_client.get("/collections/pand/tiles/NetherlandsRDNewQuad/17/0/0")
    assert answer.status_code == 404 and "tileMatrix" in answer.get_json()["detail"]
    assert app_client.get("/collections/pand/tiles/GoogleQuad").status_code == 404
    assert app_client.get("/collections/nh3_concentratie/tiles").status_code == 404


def test_tilesets_metadata_and_tilejson(app_client):
    tilesets = app_client.get("/collections/pand/tiles").get_json()["tilesets"]
    assert {t["tileMatrixSetURI"].rsplit("/", 1)[1] for t in tilesets} == {"WebMercatorQuad", "NetherlandsRDNewQuad"}
    tilejson = app_client.get("/collections/pand/tiles/WebMercatorQuad", query_string={"f": "tilejson"}).get_json()
    assert tilejson["tiles"][0].endswith("/collections/pand/tiles/WebMercatorQuad/{z}/{y}/{x}")
    assert tilejson["vector_layers"][0]["id"] == "pand"
    tms = app_client.get("/tileMatrixSets/NetherlandsRDNewQuad").get_json()
    first = tms["tileMatrices"][0]
    assert first["cellSize"] == pytest.approx(RD_CELL0) and first["pointOfOrigin"] == list(RD_ORIGIN)


def test_postgis_serves_the_same_tiles(pg_server, app_client, centre):
    """The same tile from the PostGIS store holds the same features as from the GeoPackage."""
    import requests

    z = 13
    row, col = rd_tile_of(centre.x, centre.y, z)
    path = f"/collections/pand/tiles/NetherlandsRDNewQuad/{z}/{row}/{col}"
    from_pg = requests.get(pg_server + path, timeout=60)
    assert from_pg.status_code == 200 and from_pg.headers["Content-Type"].startswith(MVT)
    assert sorted(decoded_ids(from_pg.content, "pand")) == sorted(decoded_ids(app_client.get(path).data, "pand"))


def test_a_world_tile_holds_the_municipality_and_big_layers_start_at_a_city_scale(app_client, store):
    """WebMercatorQuad 0/0/0 covers the world: the municipality is in it (cut to RD New's area before the
    transform); pand, a big layer, is served from level 12 on and says so in its TileJSON."""
    answer = app_client.get("/collections/gemeentegebied/tiles/WebMercatorQuad/0/0/0")
    assert answer.status_code == 200
    assert decoded_ids_of(answer.data, "gemeentegebied", "statcode") == ["GM0441"]
    refused = app_client.get("/collections/pand/tiles/WebMercatorQuad/9/168/262")
    assert refused.status_code == 404 and "tileMatrix 9" in refused.get_json()["detail"]
    tilejson = app_client.get("/collections/pand/tiles/WebMercatorQuad", query_string={"f": "tilejson"}).get_json()
    assert (tilejson["minzoom"], tilejson["maxzoom"]) == (12, 18)
    west, south, east, north = tilejson["bounds"]
    minx, miny, maxx, maxy = gpd.read_file(store, layer="pand", engine="pyogrio").to_crs(4326).total_bounds
    assert west <= minx and south <= miny and east >= maxx and north >= maxy  # every pand lies within the bounds
    assert max(minx - west, miny - south, east - maxx, north - maxy) < 0.02  # ~1 km: the turned RD box's corners


def decoded_ids_of(body: bytes, layer: str, key: str) -> list[str]:
    return [str(f["properties"][key]) for f in mapbox_vector_tile.decode(body)[layer]["features"]]


# --- PostGIS: the database builds the tile (ST_AsMVT), with the features the oracle expects -------------------

TILE_OF = {"NetherlandsRDNewQuad": (rd_square, "EPSG:28992"), "WebMercatorQuad": (web_square, "EPSG:3857")}


def tile_at(point_rd, tms: str, z: int) -> tuple[int, int]:
    if tms == "NetherlandsRDNewQuad":
        return rd_tile_of(point_rd.x, point_rd.y, z)
    lon, lat = gpd.GeoSeries([point_rd], crs=28992).to_crs(4326).iloc[0].coords[0]
    return web_tile_of(lon, lat, z)


def public_fields(layer: str) -> set[str]:
    from omgevingsgeo.registry import build_registry

    spec = build_registry().layers[layer]
    return {*spec.public_fields, spec.schema.key}


@pytest.mark.parametrize(("tms", "z"), [("NetherlandsRDNewQuad", 14), ("WebMercatorQuad", 15)])
def test_a_postgis_tile_is_made_by_the_database_and_holds_exactly_the_features_that_intersect_it(
        pg_server, pg_store, store, centre, tms, z):
    """The PostGIS server's tile is ``ST_AsMVT``'s (the same bytes as ``PostGISStore.mvt_tile``, which the
    Python encoder would not give: it numbers features), holds exactly the features the oracle finds (shapely on
    the GeoPackage, reprojected by geopandas) and only public fields."""
    import requests

    from geo.render import mvt
    from geo.serve.tiles import DatabaseTiles

    row, col = tile_at(centre, tms, z)
    answer = requests.get(f"{pg_server}/collections/pand/tiles/{tms}/{z}/{row}/{col}", timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(MVT)
    got = decoded_ids(answer.content, "pand")
    square, crs = TILE_OF[tms]
    assert len(got) == len(set(got)) > 0
    assert set(got) == expected_ids(store, "pand", square(z, row, col), crs)
    props = set().union(*(f["properties"] for f in mapbox_vector_tile.decode(answer.content)["pand"]["features"]))
    assert "identificatie" in props and props <= public_fields("pand")
    assert isinstance(pg_store, DatabaseTiles)
    square_rd, bounds = mvt.tile_polygon(mvt.tile_matrix_set(tms), z, row, col)
    fields = sorted(public_fields("pand"))
    assert decoded_ids(pg_store.mvt_tile("pand", fields, shapely.to_wkb(square_rd), bounds,
                                         mvt.tile_matrix_set(tms).crs.to_epsg()), "pand") == got


@pytest.mark.parametrize(("tms", "z"), [("NetherlandsRDNewQuad", 14), ("WebMercatorQuad", 16)])
def test_a_postgis_tile_places_geometry_within_one_grid_cell(pg_server, store, centre, tms, z):
    """Decoded points of the PostGIS tile land where the source points are (reprojected by geopandas), to within
    one cell of the 4096 grid."""
    import requests

    row, col = tile_at(centre, tms, z)
    answer = requests.get(f"{pg_server}/collections/verblijfsobject/tiles/{tms}/{z}/{row}/{col}", timeout=60)
    assert answer.status_code == 200
    features = mapbox_vector_tile.decode(answer.content)["verblijfsobject"]["features"]
    square, crs = TILE_OF[tms]
    source = gpd.read_file(store, layer="verblijfsobject", engine="pyogrio").to_crs(crs).set_index("identificatie")
    x0, y0, x1, _ = square(z, row, col).bounds
    cell = (x1 - x0) / 4096
    assert features
    for feature in features[:100]:
        gx, gy = feature["geometry"]["coordinates"]
        p = source.loc[str(feature["properties"]["identificatie"])].geometry
        assert abs(p.x - (x0 + gx * cell)) <= cell and abs(p.y - (y0 + gy * cell)) <= cell


def test_only_public_fields_reach_a_postgis_tile(pg_server, store):
    """stikstofbron's naam and adres (personal data) are not in its ST_AsMVT tiles either."""
    import requests

    gdf = gpd.read_file(store, layer="stikstofbron", engine="pyogrio")
    row, col = rd_tile_of(gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y, 10)
    answer = requests.get(f"{pg_server}/collections/stikstofbron/tiles/NetherlandsRDNewQuad/10/{row}/{col}",
                          timeout=60)
    features = mapbox_vector_tile.decode(answer.content)["stikstofbron"]["features"]
    props = set().union(*(f["properties"] for f in features))
    assert props and not props & {"naam", "adres"} and props <= public_fields("stikstofbron")


# --- on the wire: compressed, validated and cached like the other data answers (issue 20) --------------------

def tile_path(centre, tms: str = "NetherlandsRDNewQuad", z: int = 13) -> str:
    row, col = tile_at(centre, tms, z)
    return f"/collections/pand/tiles/{tms}/{z}/{row}/{col}"


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_tile_is_sent_compressed_and_decodes_to_the_features_of_the_tile(app_client, store, centre, coding):
    """Decoded by Python's gzip / the brotli package and mapbox-vector-tile: the same features as the plain answer,
    which the oracle checks; at least 2× fewer bytes; ``Vary: Accept-Encoding``."""
    import gzip

    import brotli

    path = tile_path(centre)
    plain = app_client.get(path, headers={"Accept-Encoding": "identity"})
    packed = app_client.get(path, headers={"Accept-Encoding": coding})
    assert plain.status_code == packed.status_code == 200 and "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == coding and packed.mimetype == MVT
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    body = gzip.decompress(packed.data) if coding == "gzip" else brotli.decompress(packed.data)
    assert body == plain.data and len(plain.data) / len(packed.data) >= 2
    z, row, col = (int(v) for v in path.rsplit("/", 3)[1:])
    assert set(decoded_ids(body, "pand")) == expected_ids(store, "pand", rd_square(z, row, col), "EPSG:28992")


def test_a_tile_has_validators_a_304_and_the_data_cache_policy(app_client, centre):
    path = tile_path(centre)
    first = app_client.get(path, headers={"Accept-Encoding": "gzip"})
    assert first.headers["Cache-Control"] == "public, max-age=60, must-revalidate"
    assert first.headers["ETag"].startswith('W/"') and first.headers["ETag"].endswith('-gzip"')
    assert "Last-Modified" in first.headers
    again = app_client.get(path, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    other = app_client.get(tile_path(centre, z=14), headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200 and other.headers["ETag"] != first.headers["ETag"]


def test_an_empty_tile_is_a_cacheable_204_and_tile_matrix_sets_are_static(app_client):
    empty = app_client.get("/collections/pand/tiles/NetherlandsRDNewQuad/14/0/0", headers={"Accept-Encoding": "gzip"})
    assert empty.status_code == 204 and empty.data == b"" and "Content-Encoding" not in empty.headers
    assert empty.headers["Cache-Control"] == "public, max-age=60, must-revalidate" and "ETag" in empty.headers
    again = app_client.get("/collections/pand/tiles/NetherlandsRDNewQuad/14/0/0",
                           headers={"If-None-Match": empty.headers["ETag"]})
    assert again.status_code == 304
    tms = app_client.get("/tileMatrixSets/WebMercatorQuad")
    assert tms.headers["Cache-Control"] == "public, max-age=3600, must-revalidate"
    refused = app_client.get("/collections/pand/tiles/NetherlandsRDNewQuad/8/9999/0")
    assert refused.status_code == 404 and refused.headers["Cache-Control"] == "no-store"
    assert "ETag" not in refused.headers


@pytest.mark.parametrize("backend", ["server", "pg_server"])
def test_live_tiles_are_gzipped_for_requests_and_curl_on_both_stores(request, store, centre, backend):
    """``requests`` (urllib3 decodes gzip) and ``curl --compressed``, on GeoPackage and PostGIS: compressed on the
    wire, the oracle's features once decoded."""
    import shutil
    import subprocess

    import requests

    base = request.getfixturevalue(backend)
    tms, z = "WebMercatorQuad", 15
    row, col = tile_at(centre, tms, z)
    url = f"{base}/collections/pand/tiles/{tms}/{z}/{row}/{col}"
    answer = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Encoding"] == "gzip"
    sent = int(answer.headers["Content-Length"])
    assert sent * 2 <= len(answer.content)
    assert set(decoded_ids(answer.content, "pand")) == expected_ids(store, "pand", web_square(z, row, col), "EPSG:3857")
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("needs curl")
    out = subprocess.run([curl, "-s", "--compressed", "-D", "-", "-o", "/dev/null", "-w", "%{size_download}", url],
                         capture_output=True, text=True, check=True)
    head, _, size = out.stdout.rpartition("\n\n")  # text mode: curl's CRLF read as LF
    coding = re.search(r"(?im)^content-encoding:\s*(\S+)", head)
    assert head.startswith("HTTP/1.1 200") and coding and coding[1] in ("gzip", "br"), head
    assert int(size) * 2 <= len(answer.content)  # curl says what came over the wire: compressed
    decoded = subprocess.run([curl, "-s", "--compressed", url], capture_output=True, check=True).stdout
    assert decoded == answer.content


# --- in the OpenAPI document, so that clients and fuzzers know them -----------------------------------------

VECTOR_TILE = "/collections/{collectionId}/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"


def test_the_openapi_document_describes_the_tiles_the_server_answers(app_client):
    """The described collections are exactly the feature collections of /collections (the catalogue's records
    and the raster have none), every one answers its tilesets; the tile's answers are documented."""
    doc = app_client.get("/openapi", query_string={"f": "json"}).get_json()
    parameters = doc["components"]["parameters"]
    described = parameters["tileCollectionId"]["schema"]["enum"]
    listed = app_client.get("/collections", query_string={"f": "json"}).get_json()["collections"]
    assert set(described) == {c["id"] for c in listed if c.get("itemType") == "feature"}
    assert all(app_client.get(f"/collections/{c}/tiles").status_code == 200 for c in described)
    offered = {t["id"] for t in app_client.get("/tileMatrixSets").get_json()["tileMatrixSets"]}
    assert set(parameters["tileMatrixSetId"]["schema"]["enum"]) == offered
    responses = doc["paths"][VECTOR_TILE]["get"]["responses"]
    assert {"200", "204", "400", "404"} <= set(responses) and MVT in responses["200"]["content"]
    assert {"/tileMatrixSets", "/tileMatrixSets/{tileMatrixSetId}", "/collections/{collectionId}/tiles",
            "/collections/{collectionId}/tiles/{tileMatrixSetId}"} <= set(doc["paths"])


@pytest.mark.parametrize(("value", "status"), [("1x", 400), ("-1", 400), ("²", 400), ("1.5", 400),
                                               ("9" * 5000, 404), ("0" * 30 + "13", 200)])
def test_a_tile_index_that_is_no_whole_number_is_400_naming_the_parameter(app_client, centre, value, status):
    """``²`` passes ``str.isdigit`` but not ``int``; 5,000 digits pass neither ``int`` nor any matrix."""
    row, col = rd_tile_of(centre.x, centre.y, 13)
    answer = app_client.get(f"/collections/pand/tiles/NetherlandsRDNewQuad/{value}/{row}/{col}")
    assert answer.status_code == status
    if status == 400:
        problem = answer.get_json()
        assert problem["status"] == 400 and problem["detail"].startswith("tileMatrix ")
        assert "\n" not in problem["detail"] and "whole number" in problem["detail"]


def test_a_postgis_tile_survives_a_connection_the_database_dropped(pg_store, centre):
    """Tiles use a pool without the pre-ping (one round trip per tile): a pooled connection the database has
    terminated since is replaced and the tile still made, the same bytes."""
    from sqlalchemy import text

    from geo.render import mvt

    tms = mvt.tile_matrix_set("NetherlandsRDNewQuad")
    row, col = rd_tile_of(centre.x, centre.y, 14)
    square, bounds = mvt.tile_polygon(tms, 14, row, col)
    args = ("pand", ["identificatie"], shapely.to_wkb(square), bounds, 28992)
    first = pg_store.mvt_tile(*args)
    with pg_store._tile_engine.connect() as con:  # the pooled connection the next tile will get
        pid = con.connection.dbapi_connection.get_backend_pid()
    with pg_store.engine.connect() as con:
        assert con.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    assert pg_store.mvt_tile(*args) == first and decoded_ids(first, "pand")
