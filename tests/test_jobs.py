"""Private, bounded process jobs (issue 16): the job id is the only key, one job store per instance, nothing
stored by a sync execution, personal inputs gone after expiry, a cap on async jobs, a wall-clock limit.

Two instances are started as the README says (``geo serve`` and ``GEO_API_KEY=… geo serve --internal``);
the job store is read back with ``sqlite3`` and as raw bytes, not through ``geo.serve.jobs``."""

import inspect
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
import requests

from helpers.reliability_helpers import start
from helpers.server import copy_store, stop_server

KEY = "test-key-0123456789abcdef"
HEADERS = {"X-API-Key": KEY}
ASYNC = {"Prefer": "respond-async"}
# a position nobody else uses: it must never outlive its job (RD New, in Schagen)
X, Y = 113517.375, 535488.625
EXPIRY_S = 20
POSITION = {"x": X, "y": Y, "crs": "EPSG:28992", "straal_m": 1500}


@pytest.fixture(scope="module")
def instances(store, tmp_path_factory):
    """A public and an internal instance on one store, as the README starts them."""
    folder = tmp_path_factory.mktemp("jobs-instances")
    path = copy_store(store, folder / "store")
    public, public_url = start(path, folder / "public.log", workers=1)
    internal, internal_url = start(path, folder / "internal.log", internal=True, key=KEY, workers=1)
    yield {"public": public_url, "internal": internal_url, "store": path, "folder": folder}
    stop_server(public)
    stop_server(internal)


def submit(url: str, process: str, inputs: dict, headers: dict | None = None) -> requests.Response:
    return requests.post(f"{url}/processes/{process}/execution", json={"inputs": inputs},
                         headers={**ASYNC, **(headers or {})}, timeout=60)


def wait(job_url: str, headers: dict | None = None, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        r = requests.get(job_url, params={"f": "json"}, headers=headers, timeout=30)
        assert r.status_code == 200, r.text
        status = r.json()
        if status.get("status") in ("successful", "failed", "dismissed"):
            return status
        time.sleep(0.3)
    raise AssertionError(f"job {job_url} did not finish")


def job_rows(store: Path, instance: str) -> list[tuple]:
    db = store.parent / f"{store.stem}-jobs" / instance / "jobs.sqlite"
    with sqlite3.connect(db) as con:
        return con.execute("SELECT identifier, process_id, status FROM job").fetchall()


def test_the_job_list_is_empty_and_a_job_id_is_an_unguessable_capability(instances):
    public = instances["public"]
    r = submit(public, "wnb-op-locatie", POSITION)
    assert r.status_code == 201, r.text
    job_url = r.headers["Location"]
    job_id = job_url.rstrip("/").rsplit("/", 1)[1]
    assert uuid.UUID(job_id).version == 4  # random, not pygeoapi's time-and-host uuid1
    assert wait(job_url)["status"] == "successful"
    listing = requests.get(f"{public}/jobs", params={"f": "json"}, timeout=30)
    assert listing.status_code == 200 and listing.json()["jobs"] == []  # anyone: nothing listed
    assert job_id not in requests.get(f"{public}/jobs", params={"f": "html"}, timeout=30).text
    assert requests.get(f"{job_url}/results", params={"f": "json"}, timeout=30).json()["type"] == "FeatureCollection"
    other = f"{public}/jobs/{uuid.uuid4()}"
    assert requests.get(other, params={"f": "json"}, timeout=30).status_code == 404
    assert requests.delete(other, timeout=30).status_code == 404
    assert requests.delete(job_url, timeout=30).status_code == 200  # the holder of the id may dismiss it
    assert requests.get(job_url, params={"f": "json"}, timeout=30).status_code == 404
    assert job_id not in {row[0] for row in job_rows(instances["store"], "public")}


def test_nothing_created_on_one_instance_is_visible_on_the_other(instances):
    public, internal = instances["public"], instances["internal"]
    on_public = submit(public, "kwaliteit", {"lagen": ["stikstofbron"]}).headers["Location"]
    on_internal = submit(internal, "toezicht", {"top": 5}, HEADERS).headers["Location"]
    assert wait(on_public)["status"] == "successful"
    assert wait(on_internal, HEADERS)["status"] == "successful"
    public_id, internal_id = (u.rsplit("/", 1)[1] for u in (on_public, on_internal))
    assert requests.get(f"{internal}/jobs/{public_id}", params={"f": "json"}, headers=HEADERS,
                        timeout=30).status_code == 404
    for path in (f"/jobs/{internal_id}", f"/jobs/{internal_id}/results"):
        r = requests.get(f"{public}{path}", params={"f": "json"}, timeout=30)
        assert r.status_code == 404 and "toezicht" not in r.text
    assert requests.get(f"{internal}/jobs", params={"f": "json"}, headers=HEADERS, timeout=30).json()["jobs"] == []
    assert {row[1] for row in job_rows(instances["store"], "public")} <= {"kwaliteit", "wnb-op-locatie"}
    assert internal_id in {row[0] for row in job_rows(instances["store"], "internal")}


def test_the_public_instance_runs_no_internal_process(instances):
    r = submit(instances["public"], "toezicht", {"top": 5})
    assert r.status_code == 404


def test_a_sync_execution_stores_nothing(instances):
    before = job_rows(instances["store"], "public")
    r = requests.post(f"{instances['public']}/processes/wnb-op-locatie/execution", json={"inputs": POSITION},
                      timeout=60)
    assert r.status_code == 200 and r.json()["type"] == "FeatureCollection"
    assert "Location" not in r.headers  # no job to point at
    assert job_rows(instances["store"], "public") == before


def test_a_refused_address_reaches_the_client_but_not_the_log(instances):
    adres = "1799 ZZ 4321"
    r = requests.post(f"{instances['public']}/processes/wnb-op-locatie/execution", json={"inputs": {"adres": adres}},
                      timeout=60)
    assert r.status_code == 400 and "1799 ZZ 4321" in r.json()["description"]
    time.sleep(0.5)
    log = (instances["folder"] / "public.log").read_text()
    assert "1799 ZZ" not in log and "process execution answered 400" in log


def test_each_instance_has_its_own_private_job_folder(instances):
    """Both instances keep their jobs in separate folders beside the store, by construction."""
    jobs = instances["store"].parent / f"{instances['store'].stem}-jobs"
    assert sorted(p.name for p in jobs.iterdir()) == ["internal", "public"]
    assert oct((jobs / "public").stat().st_mode & 0o777) == "0o700"


# --- expiry, the async cap and memory, the wall-clock limit: servers with short limits ---------------

@pytest.fixture(scope="module")
def short_lived(store, tmp_path_factory):
    """A public instance whose jobs expire after 20 s and that runs at most 2 async jobs at once."""
    folder = tmp_path_factory.mktemp("jobs-short")
    path = copy_store(store, folder / "store")
    proc, url = start(path, folder / "server.log", workers=2,
                      env={"GEO_JOB_EXPIRY_S": str(EXPIRY_S), "GEO_MAX_ASYNC_JOBS": "2"})
    yield {"url": url, "store": path, "log": folder / "server.log", "proc": proc}
    stop_server(proc)


def position_traces(folder: Path) -> list[Path]:
    """Files under ``folder`` that hold the test position, in any spelling json or repr would write it."""
    needles = [str(v).encode() for v in (X, Y)]
    return [p for p in folder.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]


def test_personal_inputs_and_results_are_gone_after_expiry(short_lived):
    url = short_lived["url"]
    submitted = time.time()
    job_url = submit(url, "wnb-op-locatie", POSITION).headers["Location"]
    assert wait(job_url)["status"] == "successful"
    assert requests.get(f"{job_url}/results", params={"f": "json"}, timeout=30).status_code == 200
    time.sleep(max(0.0, submitted + EXPIRY_S + 1 - time.time()))
    assert requests.get(job_url, params={"f": "json"}, timeout=30).status_code == 404
    assert requests.get(f"{job_url}/results", params={"f": "json"}, timeout=30).status_code == 404
    jobs = short_lived["store"].parent / f"{short_lived['store'].stem}-jobs"
    assert job_rows(short_lived["store"], "public") == []
    assert position_traces(jobs) == []
    assert str(X) not in short_lived["log"].read_text()


def server_rss(proc) -> int:
    """Resident memory of the server: gunicorn's master, its workers and their helpers."""
    root = psutil.Process(proc.pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)] if p.is_running())


def test_a_flood_of_async_jobs_gets_429_and_memory_returns(short_lived):
    url = short_lived["url"]
    for _ in range(2):  # warm up both workers (their fork servers load the analyses once)
        r = requests.post(f"{url}/processes/gebiedsanalyse/execution", json={"inputs": {"gemeente": "GM0441"}},
                          timeout=120)
        assert r.status_code == 200, r.text
    start_rss = server_rss(short_lived["proc"])
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: submit(url, "gebiedsanalyse", {"gemeente": "GM0441"}), range(40)))
    statuses = [a.status_code for a in answers]
    assert set(statuses) == {201, 429} and 1 <= statuses.count(201) <= 6, statuses
    busy = next(a for a in answers if a.status_code == 429)
    assert int(busy.headers["Retry-After"]) > 0 and "at most 2" in busy.json()["description"]
    assert max(a.elapsed.total_seconds() for a in answers if a.status_code == 429) < 1
    for a in answers:
        if a.status_code == 201:
            assert wait(a.headers["Location"])["status"] == "successful"
    time.sleep(1)
    assert server_rss(short_lived["proc"]) - start_rss < 50 * 2**20


def test_a_flood_of_sync_executions_gets_429_and_reads_go_on(short_lived):
    """A sync execution holds an app thread while it runs: beyond 2 per worker 429 at once, and a read during the
    flood is answered (the try-out saw 16 sync gebiedsanalyse requests stall every read for ~30 s)."""
    url = short_lived["url"]
    body = {"inputs": {"gemeente": "GM0441"}}
    with ThreadPoolExecutor(12) as pool:
        flood = [pool.submit(requests.post, f"{url}/processes/gebiedsanalyse/execution", json=body, timeout=300)
                 for _ in range(12)]
        time.sleep(1.0)
        read = requests.get(f"{url}/collections/natura2000_gebied/items", params={"f": "json", "limit": 1},
                            timeout=30)
        answers = [f.result() for f in flood]
    statuses = [a.status_code for a in answers]
    assert read.status_code == 200 and read.elapsed.total_seconds() < 2, read.elapsed
    assert set(statuses) == {200, 429} and statuses.count(200) <= 4, statuses
    busy = next(a for a in answers if a.status_code == 429)
    assert int(busy.headers["Retry-After"]) > 0 and "respond-async" in busy.json()["description"]


def test_an_execution_past_the_wall_clock_limit_is_stopped(store, tmp_path):
    path = copy_store(store, tmp_path / "store")
    proc, url = start(path, tmp_path / "server.log", workers=1, env={"GEO_PROCESS_TIME_LIMIT_S": "0.05"})
    try:
        r = requests.post(f"{url}/processes/gebiedsanalyse/execution", json={"inputs": {"gemeente": "GM0441"}},
                          timeout=60)
        assert r.status_code == 503 and "wall-clock limit of 0.05 s" in r.json()["description"]
        status = wait(submit(url, "gebiedsanalyse", {"gemeente": "GM0441"}).headers["Location"])
        assert status["status"] == "failed" and "wall-clock limit" in status["message"]
        assert len(psutil.Process(proc.pid).children(recursive=True)) <= 3  # worker + fork server, no job left
    finally:
        stop_server(proc)


def test_the_manager_matches_pygeoapi_s_interface():
    """geo.serve.jobs replaces pygeoapi's manager through its plugin interface: fail when that interface changes."""
    from pygeoapi.api import processes
    from pygeoapi.process.manager.base import BaseManager

    from geo.serve.jobs import PrivateJobManager

    ours, theirs = (inspect.signature(c.execute_process).parameters for c in (PrivateJobManager, BaseManager))
    assert list(ours) == list(theirs)
    source = inspect.getsource(processes)
    for call in ("api.manager.execute_process(", "api.manager.get_jobs(", "api.manager.get_job(",
                 "api.manager.get_job_result(", "api.manager.delete_job("):
        assert call in source
    assert "job_id, mime_type, outputs, status, additional_headers = result" in source


def test_the_job_store_keeps_its_bounds(tmp_path):
    """Oldest finished jobs go first beyond max_jobs or max_store_mb; a result over the limit fails its job."""
    from geo.serve.jobs import JobSettings, JobStore

    store = JobStore(tmp_path / "jobs.sqlite", JobSettings(max_jobs=3, max_store_mb=1, max_async_jobs=10))
    ids = [str(uuid.uuid4()) for _ in range(5)]
    for job_id in ids:
        store.add_if_room(job_id, "kwaliteit")
        store.finish(job_id, "application/json", b"{}")
        time.sleep(0.01)
    with sqlite3.connect(tmp_path / "jobs.sqlite") as con:
        kept = {r[0] for r in con.execute("SELECT identifier FROM job")}
    assert kept == set(ids[-3:])
    big = str(uuid.uuid4())
    store.add_if_room(big, "kwaliteit")
    store.finish(big, "application/json", b"x" * (2 * 2**20))
    assert store.get(big)["status"] == "failed" and "limit of 1 MB" in store.get(big)["message"]
