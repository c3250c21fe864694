"""The PostGIS store: a throwaway cluster (Debian's PostgreSQL 15 + PostGIS 3), the Schagen layers built into
it, atomic publishing, and `geo serve --store postgresql://...` with only public fields."""

import io
import os
import subprocess
import time

import geopandas as gpd
import pytest
import requests
import yaml
from shapely.geometry import Point

from geo.serve.config import generate
from geo.serve.postgis_config import PG_PROVIDER
from geo.store import testing_pg
from geo.store.geopackage import GeoPackageStore, open_store
from omgevingsgeo.registry import build_registry

from helpers.paths import DATA, GEO, ROOT
from helpers.postgis import pg_sql
from helpers.server import stop_server

REGISTRY = build_registry()


RD_NEW = 28992
PRIVATE = {"wnb_besluit": ("aanvrager_naam", "aanvrager_contact"), "stikstofbron": ("naam", "adres"),
           "bodemverontreiniging": ("eigenaar_naam",)}

pytest.importorskip("geoalchemy2", reason="pip install -e .[postgis]")
pytest.importorskip("psycopg2", reason="pip install -e .[postgis]")


def _vectors() -> list[str]:
    return [n for n, m in REGISTRY.layers.items() if not m.is_raster]


def test_open_store_picks_the_backend(tmp_path, pg_url):
    assert isinstance(open_store(tmp_path / "s.gpkg"), GeoPackageStore)
    assert type(open_store(pg_url)).__name__ == "PostGISStore"


def test_both_backends_satisfy_the_store_protocol_and_record_internal_layers(pg_store, store):
    from analyses import result_layers
    from geo.store import Store

    gpkg = GeoPackageStore(store)
    assert isinstance(pg_store, Store) and isinstance(gpkg, Store)
    internal = set(result_layers(include_internal=True)) - set(result_layers())
    assert pg_store.internal_layers() == gpkg.internal_layers() == internal & set(gpkg.layers())
    assert list(pg_store.info().columns) == list(gpkg.info().columns)


def test_layers_in_rd_new_with_gist_index_primary_key_and_same_counts(pg_store, store):
    gpkg = GeoPackageStore(store).info().set_index("name")["features"]
    info = pg_store.info().set_index("name")["features"]
    srids = dict(pg_sql(pg_store, "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'geo'"))
    gist = {r[0] for r in pg_sql(pg_store, "SELECT tablename FROM pg_indexes WHERE schemaname = 'geo' "
                                         "AND indexdef LIKE '%USING gist (geom)%'")}
    keys = dict(pg_sql(pg_store, """SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
                                  JOIN information_schema.key_column_usage kcu
                                    USING (constraint_schema, constraint_name)
                                  WHERE tc.table_schema = 'geo' AND tc.constraint_type = 'PRIMARY KEY'"""))
    for name in _vectors():
        assert srids[name] == RD_NEW, name
        assert name in gist, name
        assert keys[name] == REGISTRY.layers[name].schema.key, name
        count = pg_sql(pg_store, f'SELECT count(*) FROM geo."{name}"')[0][0]
        assert count == info[name] == gpkg[name], name
    assert pg_store.read("wnb_besluit").crs.to_epsg() == RD_NEW


def test_raster_layers_are_cogs_in_geo_rasters(pg_store, pg_rasters):
    assert (pg_rasters / "nh3_concentratie.tif").stat().st_size > 0
    assert "nh3_concentratie" in pg_store.layers()


def test_rebuilding_one_layer_reads_the_others_from_postgis(pg_store, pg_url, data_dir, pg_env):
    before = pg_store.info().set_index("name")
    subprocess.run([GEO, "-q", "build", "stikstofbron", "--data", str(data_dir), "--store", pg_url], check=True,
                   env=pg_env)
    after = pg_store.info().set_index("name")
    assert after.loc["stikstofbron", "features"] == before.loc["stikstofbron", "features"]
    assert after.loc["pand", "built_at"] == before.loc["pand", "built_at"]
    assert (pg_store.history()["layer"] == "stikstofbron").sum() == 2


def test_public_views_hold_only_public_fields(pg_store):
    for name in _vectors():
        module = REGISTRY.layers[name]
        columns = {r[0] for r in pg_sql(pg_store, "SELECT column_name FROM information_schema.columns "
                                                "WHERE table_schema = 'geo_public' AND table_name = :t", t=name)}
        assert columns == {*module.public_fields, module.schema.key, "geom"}, name
    views = {r[0] for r in pg_sql(pg_store, "SELECT table_name FROM information_schema.views "
                                          "WHERE table_schema = 'geo_public'")}
    assert "gebiedsanalyse_bevinding" in views
    assert not views & {"toezicht_prioriteit", "toezicht_zaak"}  # internal results: no public view at all


def test_failed_build_leaves_published_tables_unchanged(pg_store, pg_url, data_dir, pg_env, tmp_path):
    before = pg_store.info().set_index("name").loc["wnb_besluit", ["features", "built_at"]].tolist()
    bad = tmp_path / "wnb.gpkg"
    bad.write_bytes(b"not a geopackage")
    run = subprocess.run([GEO, "-q", "build", "wnb_besluit", "--data", str(data_dir), "--store", pg_url,
                          "--source", f"wnb_besluit={bad}"], capture_output=True, text=True, env=pg_env)
    assert run.returncode == 1 and "Error:" in run.stderr
    assert pg_store.info().set_index("name").loc["wnb_besluit", ["features", "built_at"]].tolist() == before
    assert pg_sql(pg_store, 'SELECT count(*) FROM geo."wnb_besluit"')[0][0] == before[0]


def test_failed_publish_rolls_back_every_layer(pg_store):
    """A duplicate key fails while staging the second layer: the first is not swapped in either."""
    from geo.core.errors import StoreError
    from geo.core.validate import Quarantine

    counts = {n: pg_sql(pg_store, f'SELECT count(*) FROM geo."{n}"')[0][0] for n in ("gemeentegebied", "wnb_besluit")}
    gebied = pg_store.read("gemeentegebied")
    wnb = pg_store.read("wnb_besluit")
    duplicate = gpd.GeoDataFrame(wnb.iloc[[0, 0]].drop(columns="geometry"),
                                 geometry=[Point(110000, 530000)] * 2, crs=RD_NEW)
    meta = {n: {"title": n, "gemeente": "GM0441", "public_fields": list(REGISTRY.layers[n].public_fields),
                "key": REGISTRY.layers[n].schema.key, "quarantined": 0, "repaired": 0} for n in counts}
    with pytest.raises(StoreError, match="left unchanged"):
        pg_store.publish({"gemeentegebied": gebied, "wnb_besluit": duplicate}, meta, [], Quarantine().frame())
    assert {n: pg_sql(pg_store, f'SELECT count(*) FROM geo."{n}"')[0][0] for n in counts} == counts
    assert not pg_sql(pg_store, "SELECT tablename FROM pg_tables WHERE tablename LIKE '%%__staging_%%'")


def test_committed_postgis_config_is_generated_and_valid(monkeypatch):
    from pygeoapi.config import validate_config
    from pygeoapi.util import yaml_load

    from geo.serve.internal import check_public
    from geo.serve.postgis_config import generate_postgis

    text = (ROOT / "pygeoapi-config-postgis.yml").read_text()
    assert yaml.safe_load(text) == generate_postgis(REGISTRY, "GM0441", DATA)
    for var in ("GEO_PG_HOST", "GEO_PG_DB", "GEO_PG_USER", "GEO_RASTERS", "GEO_STORE", "GEO_CATALOGUE"):
        monkeypatch.setenv(var, "x")
    config = yaml_load(io.StringIO(text))
    assert validate_config(config)
    check_public(config["resources"], REGISTRY)
    public = {**{n: REGISTRY.layers[n] for n in _vectors()}, **REGISTRY.results()}
    for name, module in public.items():
        provider = config["resources"][name]["providers"][0]
        assert provider["name"] == PG_PROVIDER and provider["data"]["search_path"] == ["geo_public"]
        assert provider["properties"] == list(module.public_fields)
    gpkg = generate(REGISTRY, "GM0441", DATA)["resources"]
    raw = yaml.safe_load(text)["resources"]
    assert set(raw) == set(gpkg)  # the same collections, processes and catalogue
    assert {n: r.get("links") for n, r in raw.items()} == {n: r.get("links") for n, r in gpkg.items()}


def test_served_counts_equal_the_geopackage_store(pg_server, store):
    from owslib.ogcapi.features import Features

    gpkg = GeoPackageStore(store).info().set_index("name")["features"]
    api = Features(pg_server)
    for name in _vectors():
        assert api.collection_items(name, limit=1)["numberMatched"] == gpkg[name], name
    collections = {c["id"] for c in requests.get(f"{pg_server}/collections?f=json", timeout=30).json()["collections"]}
    # the layers (the raster a COG in $GEO_RASTERS), the public analysis results and the catalogue
    assert collections == set(REGISTRY.layers) | set(REGISTRY.results()) | {"catalogus"}


def test_no_private_field_in_any_response(pg_server):
    for name, private in PRIVATE.items():
        key = REGISTRY.layers[name].schema.key
        items = requests.get(f"{pg_server}/collections/{name}/items", params={"f": "json", "limit": 10000}, timeout=60)
        first = items.json()["features"][0]["id"]
        texts = [items.text]
        for path in ("", "/queryables", "/schema", f"/items/{first}"):
            texts.append(requests.get(f"{pg_server}/collections/{name}{path}", params={"f": "json"}, timeout=60).text)
        texts.append(requests.get(f"{pg_server}/collections/{name}/items",
                                  params={"f": "json", "properties": ",".join((key, *private))}, timeout=60).text)
        for field in private:
            assert all(f'"{field}"' not in t for t in texts), (name, field)


def test_gdal_oapif_reads_public_fields_only(pg_server, store):
    import pyogrio

    gdf = pyogrio.read_dataframe(f"OAPIF:{pg_server}", layer="wnb_besluit")
    assert len(gdf) == len(GeoPackageStore(store).read("wnb_besluit"))
    assert not set(PRIVATE["wnb_besluit"]) & set(gdf.columns)


def test_geo_info_on_postgis_over_tcp(pg_store, pg_url):
    run = subprocess.run([GEO, "info", "wnb_besluit", "--store", testing_pg.tcp_url(pg_url)],
                         capture_output=True, text=True, check=True)
    assert f"features: {len(pg_store.read('wnb_besluit'))}" in run.stdout
    assert "aanvrager_naam" not in run.stdout.split("public fields:")[1].splitlines()[0]


def test_connection_settings_from_the_url():
    from geo.core.settings import Settings
    from geo.serve.postgis_config import connection_env

    settings = Settings.from_env({"GEO_PG_PASSWORD": "geheim"})  # what the URL lacks comes from the settings
    assert connection_env("postgresql://geo@db.example:6543/omg", settings) == {
        "GEO_PG_HOST": "db.example", "GEO_PG_PORT": "6543", "GEO_PG_DB": "omg", "GEO_PG_USER": "geo",
        "GEO_PG_PASSWORD": "geheim"}
    socket = connection_env("postgresql:///geo?host=/run/postgresql&port=5433&user=postgres")
    assert socket["GEO_PG_HOST"] == "/run/postgresql" and socket["GEO_PG_PORT"] == "5433"


ACCEPTANCE = ("gemeentegebied", "natura2000_gebied", "stikstofbron", "wnb_besluit", "stikstof_hexagon",
              "gebiedsanalyse_bevinding")


def _owslib_items(url: str, name: str) -> list[tuple[str, dict]]:
    """(id, properties) sorted by id."""
    from owslib.ogcapi.features import Features

    features = Features(url).collection_items(name, limit=10000)["features"]
    return sorted(((str(f["id"]), f["properties"]) for f in features), key=lambda item: item[0])


def _gdal_ids(url: str, name: str, bbox=None) -> tuple[int, set[str]]:
    import pyogrio

    gdf = pyogrio.read_dataframe(f"OAPIF:{url}", layer=name, bbox=bbox, read_geometry=False, fid_as_index=True)
    ids = gdf.get("id", gdf.index)  # GDAL keeps an integer id as the FID, a string one as "id"
    return len(gdf), set(ids.astype(str))


@pytest.mark.parametrize("name", ACCEPTANCE)
def test_real_clients_get_the_same_answers_from_geopackage_and_postgis(name, server, pg_server, store):
    gpkg, pg = _owslib_items(server, name), _owslib_items(pg_server, name)
    assert [i for i, _ in gpkg] == [i for i, _ in pg]
    for (key, a), (_, b) in zip(gpkg, pg):
        assert a == b, (key, {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)})
    xmin, ymin, xmax, ymax = GeoPackageStore(store).read(name).to_crs("OGC:CRS84").total_bounds
    bbox = (xmin, ymin, (xmin + xmax) / 2, (ymin + ymax) / 2)  # the south-west quarter of the layer
    assert _gdal_ids(server, name) == _gdal_ids(pg_server, name)
    assert _gdal_ids(server, name, bbox) == _gdal_ids(pg_server, name, bbox)


# --- analyses, processes, catalogue, downloads and the internal instance on PostGIS ---------------------

def test_after_build_analyses_and_catalogue_run_on_postgis(pg_store, store, pg_output, monkeypatch):
    from analyses.kwaliteit import PAGES_DIR
    from analyses.monitoring import TABLE
    from geo.store.catalogue import catalogue_path

    gpkg = GeoPackageStore(store)
    for name in ("stikstof_hexagon", "stikstof_bron_bijdrage", "gebiedsanalyse_bevinding", "toezicht_prioriteit"):
        assert name in pg_store.layers(), name
        assert len(pg_store.read(name)) == len(gpkg.read(name)), name
    assert not pg_store.read_table(TABLE).empty
    assert (pg_output / PAGES_DIR / "laatste.html").exists()
    monkeypatch.setenv("GEO_OUTPUT", str(pg_output))  # where the build wrote it
    assert catalogue_path(pg_store).parent == pg_output
    records = yaml.safe_load(catalogue_path(pg_store).read_text())["_default"].values()
    assert {r["id"] for r in records} == {n for n in pg_store.layers() if n in {*REGISTRY.layers, *REGISTRY.results()}}


def test_a_process_gives_the_same_answer_from_postgis(server, pg_server):
    inputs = {"x": 113500, "y": 535500, "crs": "EPSG:28992", "straal_m": 2000}
    answers = [requests.post(f"{url}/processes/wnb-op-locatie/execution", json={"inputs": inputs}, timeout=120)
               for url in (server, pg_server)]
    assert [a.status_code for a in answers] == [200, 200], answers[1].text
    gpkg, pg = (a.json() for a in answers)
    assert pg == gpkg and pg["features"]


def test_async_execution_on_postgis_returns_a_job_its_status_and_the_result(pg_server):
    r = requests.post(f"{pg_server}/processes/gebiedsanalyse/execution", json={"inputs": {"gemeente": "GM0441"}},
                      headers={"Prefer": "respond-async"}, timeout=60)
    assert r.status_code == 201, r.text
    job = r.headers["Location"]
    for _ in range(240):
        status = requests.get(job, params={"f": "json"}, timeout=30).json()["status"]
        if status not in ("accepted", "running"):
            break
        time.sleep(0.5)
    assert status == "successful"
    result = requests.get(f"{job}/results", params={"f": "json"}, timeout=60).json()
    assert result["type"] == "FeatureCollection" and result["features"]


def test_catalogue_and_downloads_are_served_from_postgis(pg_server, tmp_path):
    import pyogrio

    record = requests.get(f"{pg_server}/collections/catalogus/items/wnb_besluit", params={"f": "json"}, timeout=30)
    assert record.status_code == 200 and record.json()["properties"]["aantal_objecten"] > 0
    download = requests.get(f"{pg_server}/downloads/wnb_besluit.gpkg", timeout=120)
    assert download.status_code == 200
    (tmp_path / "w.gpkg").write_bytes(download.content)
    gdf = pyogrio.read_dataframe(tmp_path / "w.gpkg", layer="wnb_besluit")
    assert len(gdf) == record.json()["properties"]["aantal_objecten"]
    assert set(gdf.columns) == {*REGISTRY.layers["wnb_besluit"].public_fields, "geometry"}


def test_committed_internal_postgis_config_is_generated():
    from geo.cli.options import POSTGIS_INTERNAL_CONFIG
    from geo.serve.postgis_config import generate_postgis

    config = yaml.safe_load((ROOT / POSTGIS_INTERNAL_CONFIG).read_text())
    assert config == generate_postgis(REGISTRY, "GM0441", DATA, internal=True)
    assert config["resources"]["wnb_besluit"]["providers"][0]["data"]["search_path"] == ["geo"]


def test_internal_instance_on_postgis_needs_the_key_and_shows_all(pg_store, pg_url, pg_rasters, pg_output, tmp_path):
    from helpers.reliability_helpers import start

    key = "pg-test-key-0123456789abcdef"
    saved = {k: os.environ.get(k) for k in ("GEO_RASTERS", "GEO_OUTPUT", "PYGEOAPI_OPENAPI")}
    os.environ.update(GEO_RASTERS=str(pg_rasters), GEO_OUTPUT=str(pg_output), PYGEOAPI_OPENAPI=str(tmp_path / "o.yml"))
    try:
        proc, url = start(pg_url, tmp_path / "server.log", internal=True, key=key, workers=1)
    finally:
        for k, value in saved.items():
            os.environ.pop(k) if value is None else os.environ.__setitem__(k, value)
    try:
        assert requests.get(f"{url}/collections", params={"f": "json"}, timeout=30).status_code == 401
        headers = {"X-API-Key": key}
        ids = {c["id"] for c in requests.get(f"{url}/collections", params={"f": "json"}, headers=headers,
                                             timeout=30).json()["collections"]}
        assert {"toezicht_prioriteit", "geo_quarantine"} <= ids
        items = requests.get(f"{url}/collections/wnb_besluit/items", params={"f": "json", "limit": 5},
                             headers=headers, timeout=30).json()["features"]
        assert "aanvrager_naam" in items[0]["properties"]
        quarantine = requests.get(f"{url}/collections/geo_quarantine/items", params={"f": "json"},
                                  headers=headers, timeout=30).json()
        assert quarantine["numberMatched"] == len(pg_store.quarantine())
    finally:
        stop_server(proc)


def test_publish_records_each_layers_bounds_and_the_server_reads_them_not_the_rows(pg_store, store, pg_url):
    """A server declares each collection's extent at start-up; ST_Extent over 10 M panden takes ~30 s, so the
    publish records the bounds (as gpkg_contents does) and the server reads those. Oracle: shapely's bounds of the
    same layer read from the GeoPackage build."""
    from sqlalchemy import event

    from geo.core.settings import Settings
    from geo.serve import data_extents

    for name in _vectors():
        layer, recorded = GeoPackageStore(store).read(name), pg_store.recorded_extent(name)
        if layer.geometry.is_empty.all():
            assert recorded is None, name
            continue
        assert max(abs(a - b) for a, b in zip(recorded, layer.total_bounds)) < 1e-6, name
        assert pg_store.extent(name) == recorded
    statements = []
    settings = Settings(store=pg_url)
    engine = data_extents._store(settings.store, settings.pg_password).engine
    listen = lambda conn, cursor, sql, *a: statements.append(sql)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        provider = {"type": "feature", "table": "pand", "data": {"search_path": ["geo_public"]}}
        bounds = data_extents._postgis_bounds(provider, settings)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert bounds == pg_store.recorded_extent("pand") and not any("ST_Extent" in s for s in statements)
