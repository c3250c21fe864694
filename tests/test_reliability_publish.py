"""Atomic publishing: under load every response comes wholly from the old or the new version; a build that is
killed, runs out of disk or meets an invalid source leaves the published store as it was."""

import errno
import os
import shutil
import signal
import subprocess
import threading
import time

import geopandas as gpd
import pytest
import requests

from geo.build.builder import build
from geo.core.errors import GeoError, StoreError
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

from helpers.paths import GEO
from helpers.reliability_helpers import sha256, start
from helpers.server import stop_server

REGISTRY = build_registry()

OLD = frozenset({84, 85, 86, 87, 162})
NEW = OLD - {84}  # the marker: version B is built from a source without area 84


@pytest.fixture
def published(store, tmp_path):
    copy = tmp_path / "store.gpkg"
    shutil.copyfile(store, copy)
    shutil.copytree(GeoPackageStore(store).raster_dir, GeoPackageStore(copy).raster_dir)
    for extra in store.parent.glob(f"{store.stem}-*.json"):  # e.g. the catalogue beside the store
        shutil.copyfile(extra, tmp_path / extra.name)
    return copy


@pytest.fixture
def without_84(data_dir, tmp_path):
    source = data_dir / "sources" / "natura2000" / "natura2000_nhn_rd.gpkg"
    gdf = gpd.read_file(source)
    path = tmp_path / "natura2000_zonder_84.gpkg"
    gdf[gdf["nr"] != 84].to_file(path, layer="natura2000")
    return path


def test_every_response_under_republishing_is_wholly_old_or_new(published, data_dir, without_84, tmp_path):
    proc, url = start(published, tmp_path / "server.log", workers=2)
    stop, seen, bad = threading.Event(), [], []

    def query():
        with requests.Session() as s:
            while not stop.is_set():
                try:
                    r = s.get(f"{url}/collections/natura2000_gebied/items",
                              params={"f": "json", "skipGeometry": "true"}, timeout=30)
                    body = r.json()
                    ids = {f["id"] for f in body["features"]}
                    seen.append(frozenset(ids))
                    if r.status_code != 200 or ids not in (OLD, NEW) or body["numberMatched"] != len(ids):
                        bad.append((r.status_code, sorted(ids), body.get("numberMatched")))
                except (requests.RequestException, ValueError, KeyError) as err:
                    bad.append(repr(err))

    threads = [threading.Thread(target=query) for _ in range(4)]
    try:
        for t in threads:
            t.start()
        for i in range(3):  # B, A, B
            overrides = {"natura2000": without_84} if i % 2 == 0 else {}
            build(REGISTRY, ["natura2000_gebied"], "GM0441", published, data_dir, overrides)
            time.sleep(0.3)
    finally:
        stop.set()
        for t in threads:
            t.join()
        stop_server(proc)
    assert not bad, bad[:5]
    assert len(seen) > 30 and {OLD, NEW} <= set(seen)


def test_a_killed_build_leaves_the_store_and_its_temporary_file_is_removed_next_time(published, data_dir):
    before = sha256(published)
    proc = subprocess.Popen([GEO, "-q", "build", "--store", str(published), "--data", str(data_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tmp = published.with_name(f".{published.stem}.{proc.pid}.tmp.gpkg")
    deadline = time.time() + 60
    while time.time() < deadline and not (tmp.exists() and tmp.stat().st_size > 1_000_000):
        time.sleep(0.005)
    assert tmp.exists(), "the build never started writing"
    os.kill(proc.pid, signal.SIGKILL)  # mid-write
    proc.wait()
    assert sha256(published) == before
    assert tmp.exists()  # a killed process cannot clean up ...
    build(REGISTRY, ["natura2000_gebied"], "GM0441", published, data_dir)
    assert not tmp.exists()  # ... the next build does
    assert not [p for p in published.parent.iterdir() if ".tmp." in p.name]


def test_a_full_disk_leaves_the_store_and_no_temporary_file(published, data_dir, monkeypatch):
    import geo.store.geopackage

    before = sha256(published)
    real = geo.store.geopackage._write_layer
    written = []

    def write_then_fail(path, name, gdf):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(name)
        real(path, name, gdf)

    monkeypatch.setattr(geo.store.geopackage, "_write_layer", write_then_fail)
    with pytest.raises(StoreError, match="No space left on device.*|publishing failed"):
        build(REGISTRY, ["natura2000_gebied", "stikstofbron"], "GM0441", published, data_dir)
    assert sha256(published) == before
    assert not [p for p in published.parent.iterdir() if ".tmp." in p.name]


def test_an_invalid_source_leaves_the_store(published, data_dir, tmp_path):
    before = sha256(published)
    broken = tmp_path / "natura2000.gpkg"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(GeoError, match="natura2000.gpkg"):
        build(REGISTRY, ["natura2000_gebied"], "GM0441", published, data_dir, {"natura2000": broken})
    assert sha256(published) == before
