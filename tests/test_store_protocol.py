"""The Store protocol (geo.store.Store) and the settings read once (geo.core.settings), without a database."""

import inspect
import subprocess
from pathlib import Path

import pytest

from geo.core.settings import Settings
from geo.store import Store, open_store
from geo.store.geopackage import GeoPackageStore

ROOT = Path(__file__).resolve().parents[1]


def _members(cls) -> dict:
    return {n: v for n, v in vars(cls).items() if not n.startswith("_")}


def _backends():
    pytest.importorskip("sqlalchemy")
    from geo.store.postgis import PostGISStore

    return [GeoPackageStore, PostGISStore]


@pytest.mark.parametrize("name", sorted(_members(Store)))
def test_every_protocol_member_exists_with_a_compatible_signature_on_both_backends(name):
    wanted = _members(Store)[name]
    for cls in _backends():
        have = getattr(cls, name, None)
        if name in getattr(Store, "__annotations__", {}):
            continue  # a data attribute, set in __init__ (checked on instances below)
        assert have is not None, f"{cls.__name__} lacks {name}"
        if isinstance(wanted, property):
            assert isinstance(have, property), f"{cls.__name__}.{name} must be a property"
            continue
        want_params = list(inspect.signature(wanted).parameters.values())
        have_params = list(inspect.signature(have).parameters.values())
        assert [p.name for p in have_params[:len(want_params)]] == [p.name for p in want_params], (cls, name)
        for w, h in zip(want_params, have_params):
            assert (w.default is inspect.Parameter.empty) == (h.default is inspect.Parameter.empty), (cls, name, w)
        assert all(p.default is not inspect.Parameter.empty or p.kind is p.VAR_KEYWORD
                   for p in have_params[len(want_params):]), (cls, name)


def test_open_store_resolves_once_with_the_settings(tmp_path):
    settings = Settings.from_env({"GEO_PUBLISH_WAIT_S": "7", "GEO_OUTPUT": str(tmp_path / "out"),
                                  "GEO_RASTERS": str(tmp_path / "r"), "GEO_PG_PASSWORD": "geheim"})
    gpkg = open_store(tmp_path / "s.gpkg", settings)
    assert isinstance(gpkg, GeoPackageStore) and isinstance(gpkg, Store) and gpkg.publish_wait_s == 7
    _backends()
    pg = open_store("postgresql://geo@localhost/x", settings)  # no connection is made
    assert isinstance(pg, Store) and type(pg).__name__ == "PostGISStore"
    assert pg.output_dir == tmp_path / "out" and pg.raster_dir == tmp_path / "r" and pg.publish_wait_s == 7
    assert pg.url.password == "geheim" and "geheim" not in pg.path
    assert open_store("postgresql://geo@localhost/x").raster_dir is None  # default settings: nothing from the env


def test_settings_read_every_variable_once_with_defaults():
    assert Settings.from_env({}) == Settings()
    s = Settings.from_env({"GEO_STORE": "postgresql://geo@h/db", "GEO_INTERNAL": "1", "GEO_THREADS": "8",
                           "GEO_DATA": "", "GEO_API_KEY": "k" * 20})
    assert s.store_location == "postgresql://geo@h/db" and s.internal and s.threads == 8
    assert s.data_dir == ROOT / "data"  # empty counts as unset
    assert "k" * 20 not in repr(s)  # secrets stay out of logs
    assert all(name.startswith(("GEO_", "PG", "PYGEOAPI_")) and doc for name, doc in Settings.docs().items())


def test_no_module_reads_or_sets_the_environment():
    found = subprocess.run(["grep", "-rln", "os.environ", "geo", "layers", "analyses"], cwd=ROOT,
                           capture_output=True, text=True).stdout.split()
    assert found == ["geo/core/settings.py"]


def test_layer_metadata_records_whether_a_layer_is_internal(tmp_path):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    store = GeoPackageStore(tmp_path / "s.gpkg")
    gdf = gpd.GeoDataFrame({"id": ["a"]}, geometry=[Point(120000, 500000)], crs=28992)
    meta = {"title": "t", "gemeente": "GM0441", "public_fields": ["id"], "key": "id", "quarantined": 0,
            "repaired": 0}
    empty = pd.DataFrame(columns=["layer", "source", "reason", "record", "wkt"])
    store.publish({"open": gdf, "geheim": gdf}, {"open": meta, "geheim": meta | {"internal": True}}, [], empty)
    assert store.internal_layers() == {"geheim"}
    assert dict(zip(store.info()["name"], store.info()["internal"])) == {"open": 0, "geheim": 1}
