"""OGC API Processes: every analysis process runs sync and async (pygeoapi's TinyDB job manager)."""

import time

import pytest
import requests

from omgevingsgeo.registry import build_registry

PROCESSES = build_registry().processes(include_internal=True)
INTERNAL_PROCESSES = {pid for pid, p in PROCESSES.items() if p.internal}

INPUTS = {
    "wnb-op-locatie": {"x": 113500, "y": 535500, "crs": "EPSG:28992", "straal_m": 2000},
    "gebiedsanalyse": {"gemeente": "GM0441"},
    "stikstof-scenario": {"maatregelen": []},
    "kwaliteit": {"lagen": ["stikstofbron"]},
}  # internal-only processes (toezicht) are tested on the internal server: tests/test_process_toezicht.py


def test_every_process_is_listed_with_async_execution(server):
    processes = requests.get(f"{server}/processes", params={"f": "json"}, timeout=30).json()["processes"]
    listed = {p["id"]: p for p in processes}
    public = set(PROCESSES) - INTERNAL_PROCESSES
    assert public <= set(listed) and not INTERNAL_PROCESSES & set(listed)
    assert public == set(INPUTS)  # every public process also runs async below
    for pid in public:
        assert {"sync-execute", "async-execute"} <= set(listed[pid]["jobControlOptions"])


@pytest.mark.parametrize("pid", sorted(INPUTS))
def test_async_execution_returns_a_job_its_status_and_the_result(server, pid):
    r = requests.post(f"{server}/processes/{pid}/execution", json={"inputs": INPUTS[pid]},
                      headers={"Prefer": "respond-async"}, timeout=60)
    assert r.status_code == 201, r.text
    job_url = r.headers["Location"]
    deadline = time.time() + 120
    status = {}
    while time.time() < deadline:
        status = requests.get(job_url, params={"f": "json"}, timeout=30).json()
        if status["status"] in ("successful", "failed", "dismissed"):
            break
        time.sleep(0.5)
    assert status["status"] == "successful", status
    result = requests.get(f"{job_url}/results", params={"f": "json"}, timeout=60)
    assert result.status_code == 200
    body = result.json()
    assert isinstance(body, dict) and body  # GeoJSON FeatureCollection or the scenario report
