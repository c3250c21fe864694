"""`geo build --source bag=<OGC API collection URL>`: the BAG read from a PDOK-like server, page by page.

The server (``helpers.gokoala``) pages the session's sample BAG in GoKoala's shape (cursor ``next`` links, no
``numberMatched``, ``Content-Crs``), checked here against the recorded GoKoala responses. The expected features
come from the sample GeoPackage read with pyogrio and tested with shapely against the built municipality, not
from the reader. Faults (a 404, a 500 storm, a truncated page) end in one line and leave the store as it was.
"""

import hashlib
import json
import sqlite3

import geopandas as gpd
import pytest
from click.testing import CliRunner

from geo.formats import remote
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers import gokoala
from helpers.pdok_replay import RECORDED

BAG_LAYERS = ["gemeentegebied", "pand", "verblijfsobject"]
PAGE = 500


@pytest.fixture(scope="module")
def sample_bag(data_dir) -> dict[str, gpd.GeoDataFrame]:
    path = data_dir / "generated" / "bag_GM0441.gpkg"
    return {layer: gpd.read_file(path, layer=layer, engine="pyogrio") for layer in ("pand", "verblijfsobject")}


@pytest.fixture
def pdok(sample_bag, monkeypatch):
    server = gokoala.start(sample_bag)
    monkeypatch.setattr(remote, "BACKOFF_S", 0.01)
    monkeypatch.setattr(remote, "PAGE", PAGE)
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def remote_store(sample_bag, data_dir, tmp_path_factory):
    """A store built with the BAG from the server; the server's page log kept for the checks."""
    server = gokoala.start(sample_bag)
    store = tmp_path_factory.mktemp("remote_bag") / "store.gpkg"
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(remote, "PAGE", PAGE)
            result = geo_build(store, data_dir, f"{server.url}/collections/pand")
    finally:
        server.shutdown()
    assert result.exit_code == 0, result.output
    return store, list(server.served)


def geo_build(store, data_dir, bag_url: str):
    args = ["-q", "build", *BAG_LAYERS, "--gemeente", "GM0441", "--store", str(store), "--data", str(data_dir),
            "--source", f"bag={bag_url}"]
    return CliRunner().invoke(main, args)


def test_the_server_answers_in_gokoalas_shape(pdok):
    """Same top-level members, link relations and Content-Crs form as the recorded GoKoala page."""
    import requests

    recorded = json.loads((RECORDED / "expected_multiple_gpkgs_rd.json").read_text(encoding="utf-8"))
    answer = requests.get(f"{pdok.url}/collections/pand/items", params={"limit": 2, "crs": gokoala.RD})
    ours = answer.json()
    assert set(ours) == set(recorded) and "numberMatched" not in ours
    assert {link["rel"] for link in ours["links"]} <= {link["rel"] for link in recorded["links"]}
    assert "next" in {link["rel"] for link in ours["links"]}
    assert "cursor=" in next(link["href"] for link in ours["links"] if link["rel"] == "next")
    assert answer.headers["Content-Crs"] == f"<{gokoala.RD}>"


def test_every_feature_within_the_municipality_is_read_exactly_once(remote_store, sample_bag):
    store, served = remote_store
    s = GeoPackageStore(store)
    area = s.read("gemeentegebied").geometry.union_all()
    quarantined = s.quarantine()
    for layer, test in (("pand", "intersects"), ("verblijfsobject", "within")):
        source = sample_bag[layer]
        inside = source[getattr(source.geometry, test)(area)]
        rejected = {str(json.loads(r).get("identificatie")) for r in
                    quarantined.loc[quarantined["layer"] == layer, "record"]}
        expected = set(inside["identificatie"].astype(str)) - rejected
        got = s.read(layer)["identificatie"].astype(str)
        assert got.is_unique, f"{layer}: a feature was stored twice"
        assert set(got) == expected, f"{layer}: {len(set(got) ^ expected)} features differ"
    for collection in ("pand", "verblijfsobject"):
        offsets = [o for c, o in served if c == collection]
        assert offsets == list(range(0, PAGE * len(offsets), PAGE)), f"{collection}: a page was read twice"


def test_the_source_is_recorded_per_collection_the_given_one_first(remote_store):
    store, _ = remote_store
    sources = GeoPackageStore(store).sources()
    pand = sources.loc[sources["layer"] == "pand", "path"].tolist()
    assert pand[0].endswith("/collections/pand") and pand[1].endswith("/collections/verblijfsobject")


def test_refresh_sees_no_change_when_the_server_has_none(remote_store, sample_bag, data_dir, tmp_path, monkeypatch):
    """Each collection is fetched again on its own and compared with its own recorded digest."""
    from geo.build.refresh import changed_layers
    from omgevingsgeo.registry import build_registry

    store, _ = remote_store
    server = gokoala.start(sample_bag)
    try:
        monkeypatch.setattr(remote, "PAGE", PAGE)
        copy = tmp_path / "store.gpkg"
        copy.write_bytes(store.read_bytes())
        port = GeoPackageStore(copy).sources()["path"].iloc[-1].split("/")[2]
        with sqlite3.connect(copy) as con:  # the store was built from another run of the server: its port
            con.execute("UPDATE geo_sources SET path = replace(path, ?, ?)", (port, server.url.split("/")[2]))
        changed, files = changed_layers(build_registry(), GeoPackageStore(copy), data_dir)
        assert not ({"pand", "verblijfsobject"} & changed) and files == []
        server.collections["verblijfsobject"] = server.collections["verblijfsobject"].iloc[1:]
        changed, files = changed_layers(build_registry(), GeoPackageStore(copy), data_dir)
        assert {"pand", "verblijfsobject"} <= changed and files == [f"{server.url}/collections/verblijfsobject"]
    finally:
        server.shutdown()


def test_a_collection_that_is_not_bag_is_refused_in_one_line(pdok, data_dir, tmp_path):
    result = geo_build(tmp_path / "store.gpkg", data_dir, f"{pdok.url}/collections/wnb_besluit")
    assert result.exit_code != 0 and result.output.strip().count("\n") == 0
    assert "not one of the collections it needs" in result.output


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("fault", ["404", "500 storm", "truncated page"])
def test_a_failing_server_ends_in_one_line_and_leaves_the_store(fault, pdok, remote_store, data_dir, tmp_path):
    store = tmp_path / "store.gpkg"
    store.write_bytes(remote_store[0].read_bytes())
    before = digest(store)
    url = f"{pdok.url}/collections/pand"
    if fault == "404":
        url = f"{pdok.url}/collections/verblijfsobjecten"  # a BAG collection name this server lacks
    elif fault == "500 storm":
        pdok.fail_items = True
    else:
        pdok.truncate_page = 2
    result = geo_build(store, data_dir, url)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert {"404": "404", "500 storm": "500", "truncated page": "truncated"}[fault] in lines[0]
    assert digest(store) == before
