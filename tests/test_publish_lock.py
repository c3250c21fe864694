"""One build at a time (issue 16): overlapping builds and build + refresh end with both updates.

The builds run as real ``geo`` processes; what the store holds afterwards is read with ``sqlite3``."""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

import pytest

from geo.core.settings import Settings
from geo.store import open_store
from geo.store.geopackage import GeoPackageStore
from geo.store.publish_lock import PublishBusyError, lock_path, publishing

from helpers.paths import GEO

DROPPED = 5  # farms removed from the stikstofbron source: the update of one build


@pytest.fixture
def own(store, data_dir, tmp_path):
    """A copy of the session store and of its data (the sources it records point to the copy), the data with
    the last farms removed."""
    data = tmp_path / "data"
    shutil.copytree(data_dir, data)
    target = tmp_path / "store" / store.name
    target.parent.mkdir()
    for item in store.parent.iterdir():
        if item.name.startswith(store.stem) and not item.name.endswith("-jobs"):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, target.parent / item.name)
    with sqlite3.connect(target) as con:  # the copy was built from the copied data (refresh compares them)
        con.execute("UPDATE geo_sources SET path = replace(path, ?, ?)", (str(data_dir), str(data)))
    csv = data / "generated" / "stikstofbronnen_GM0441.csv"
    lines = csv.read_bytes().splitlines(keepends=True)
    csv.write_bytes(b"".join(lines[:-DROPPED]))
    dropped = [line.split(b";")[1].decode() for line in lines[-DROPPED:]]
    time.sleep(1.1)  # build times have one-second resolution
    return {"data": data, "store": target, "dropped": dropped,
            "started": datetime.now(UTC).isoformat(timespec="seconds")}


def geo(*args, own) -> subprocess.Popen:
    return subprocess.Popen([GEO, *args, "--store", str(own["store"]), "--data", str(own["data"])],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(*procs) -> list[str]:
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    return outputs


def farms(store) -> set[str]:
    with sqlite3.connect(store) as con:
        return {r[0] for r in con.execute("SELECT vthobject_id FROM stikstofbron")}


def built_at(store) -> dict[str, str]:
    with sqlite3.connect(store) as con:
        return dict(con.execute("SELECT name, built_at FROM geo_layers"))


def assert_both_updates(own) -> None:
    remaining = farms(own["store"])
    assert remaining and not remaining & set(own["dropped"]), "the stikstofbron update was lost"
    times = built_at(own["store"])
    assert times["pand"] >= own["started"] and times["stikstofbron"] >= own["started"]


def test_two_overlapping_builds_keep_both_updates(own):
    outputs = finish(geo("build", "stikstofbron", own=own), geo("build", "pand", own=own))
    waited = [o for o in outputs if "is publishing to this store; waiting" in o]
    assert len(waited) == 1, outputs  # they did overlap, and the second one said it waits
    assert all("published" in o for o in outputs)
    assert_both_updates(own)


def test_a_build_and_a_refresh_keep_both_updates(own):
    outputs = finish(geo("build", "pand", own=own), geo("refresh", own=own))
    assert any("stikstofbron" in o for o in outputs)  # the refresh saw the changed source
    assert_both_updates(own)


def test_a_second_writer_waits_then_refuses_in_one_line(store, tmp_path, monkeypatch):
    path = tmp_path / "store.gpkg"
    shutil.copy2(store, path)
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time, fcntl; fh = open(sys.argv[1], 'a'); "
                               "fcntl.flock(fh, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
                               str(lock_path(path))], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        settings = Settings.from_env({"GEO_PUBLISH_WAIT_S": "1"})
        started = time.monotonic()
        with pytest.raises(PublishBusyError) as err, publishing(open_store(path, settings)):
            pass
        assert time.monotonic() - started < 5
        assert "\n" not in str(err.value) and "nothing was published" in str(err.value)
    finally:
        holder.kill()
        holder.wait()
    with (
        publishing(GeoPackageStore(path)),  # the lock dies with its holder
        publishing(GeoPackageStore(os.path.relpath(path))),  # re-entrant, however the path is written
    ):
        pass


def test_the_postgis_publish_lock_serialises_two_writers(pg_url):
    from geo.store.geopackage import open_store

    order = []

    def writer(name: str, hold: float) -> None:
        with publishing(open_store(pg_url)):
            order.append(f"{name} in")
            time.sleep(hold)
            order.append(f"{name} out")

    first = threading.Thread(target=writer, args=("a", 1.5))
    first.start()
    time.sleep(0.5)
    second = threading.Thread(target=writer, args=("b", 0))
    second.start()
    first.join()
    second.join()
    assert order == ["a in", "a out", "b in", "b out"]
