"""OGC API Process ``toezicht``: only on the internal server (with its key), computed from the store and the
VTH export, sync and async, never a complainant."""

import json
import time
from datetime import date

import pytest
import requests
from owslib.ogcapi.processes import Processes

from analyses import toezicht
from analyses.toezicht.process import RESULT, ToezichtProcessor
from geo.core.validate import Quarantine
from geo.serve.processing import InputRejected, OnlyInternal
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

from helpers.reliability_helpers import LEAKS, start
from helpers.server import stop_server

KEY = "test-key-toezicht-0123456789"
HEADERS = {"X-API-Key": KEY}
PEILDATUM = date(2025, 1, 1)
PRIVATE = ("melder_naam", "melder_email")


@pytest.fixture(scope="module")
def internal_server(store, tmp_path_factory):
    folder = tmp_path_factory.mktemp("toezicht-internal")
    with pytest.MonkeyPatch.context() as mp:  # the job manager's files in this test's folder
        mp.setenv("GEO_JOBS", str(folder / "jobs.db"))
        mp.setenv("GEO_JOB_OUTPUT", str(folder))
        proc, url = start(store, folder / "server.log", internal=True, key=KEY, workers=1)
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def expected(store):
    """What ``toezicht.run`` ranks on the same store and export, and the complainants of that export."""
    s = GeoPackageStore(store)
    export = toezicht.find_export(s, "GM0441")
    results = toezicht.run(s, export, PEILDATUM, Quarantine())
    zaken = results["toezicht_zaak"]
    melders = {v for c in PRIVATE for v in zaken[c].dropna() if str(v).strip()}
    assert melders, "the sample export should name complainants, else the privacy checks prove nothing"
    return results["toezicht_prioriteit"], melders


def execute(url: str, inputs: dict, headers: dict | None = None, **kwargs) -> requests.Response:
    return requests.post(f"{url}/processes/toezicht/execution", json={"inputs": inputs},
                         headers={**HEADERS, **(headers or {})}, timeout=120, **kwargs)


def assert_no_complainant(text: str, melders: set[str]) -> None:
    assert not any(c in text for c in PRIVATE)
    assert not [m for m in melders if m in text]


def test_registered_as_internal_only():
    processes = build_registry().processes(include_internal=True)
    assert processes["toezicht"].internal and "toezicht" not in build_registry().processes()


def test_listed_on_the_internal_server_with_its_inputs_and_outputs(internal_server):
    listed = requests.get(f"{internal_server}/processes", params={"f": "json"}, headers=HEADERS, timeout=30).json()
    assert "toezicht" in {p["id"] for p in listed["processes"]}
    d = requests.get(f"{internal_server}/processes/toezicht", params={"f": "json"}, headers=HEADERS,
                     timeout=30).json()
    assert set(d["inputs"]) == {"peildatum", "top", "geometrie"}
    assert all(i["minOccurs"] == 0 and i["maxOccurs"] == 1 and "schema" in i for i in d["inputs"].values())
    assert d["inputs"]["top"]["schema"]["type"] == "integer"
    assert d["outputs"]["prioriteit"]["schema"]["contentMediaType"] == "application/geo+json"
    assert {"sync-execute", "async-execute"} <= set(d["jobControlOptions"])
    without_key = requests.get(f"{internal_server}/processes/toezicht", params={"f": "json"}, timeout=30)
    assert without_key.status_code == 401


def test_owslib_lists_and_executes(internal_server, expected):
    ranking, melders = expected
    client = Processes(internal_server, headers=dict(HEADERS))
    assert "toezicht" in {p["id"] for p in client.processes()}
    assert set(client.process("toezicht")["inputs"]) == {"peildatum", "top", "geometrie"}
    answer = client.execute("toezicht", {"peildatum": PEILDATUM.isoformat(), "top": 3})
    fc = answer["outputs"][0] if "outputs" in answer else answer
    assert [f["properties"]["vthobject_id"] for f in fc["features"]] == list(ranking["vthobject_id"][:3])
    assert_no_complainant(json.dumps(answer), melders)


def test_sync_ranking_is_computed_from_the_store(internal_server, expected):
    ranking, melders = expected
    r = execute(internal_server, {"peildatum": PEILDATUM.isoformat(), "top": 10})
    assert r.status_code == 200, r.text
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 10
    assert fc["aantal"] == len(ranking) and fc["peildatum"] == "2025-01-01"
    assert isinstance(fc["quarantaine_export"], int)
    props = [f["properties"] for f in fc["features"]]
    top = ranking.head(10)
    assert [p["vthobject_id"] for p in props] == list(top["vthobject_id"])
    assert [p["rang"] for p in props] == list(range(1, 11))
    for column in ("risicoscore", "punten_naleving", "punten_emissie", "punten_woningen", "punten_natuur",
                   "punten_vergunning", "toelichting"):
        assert [p[column] for p in props] == list(top[column]), column
    assert set(props[0]) == set(RESULT.public_fields)
    assert props[0]["toelichting"].startswith(f"Score {props[0]['risicoscore']} van 100.")
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert 4.5 < lon < 5.2 and 52.5 < lat < 53.1  # CRS84: lon, lat
    assert_no_complainant(r.text, melders)


def test_geometrie_restricts_the_ranking_and_keeps_the_rank(internal_server, expected):
    ranking, _ = expected
    first = execute(internal_server, {"peildatum": "2025-01-01", "top": 1}).json()["features"][0]
    lon, lat = first["geometry"]["coordinates"]
    d = 0.01
    box = {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d],
                                               [lon - d, lat + d], [lon - d, lat - d]]]}
    r = execute(internal_server, {"peildatum": "2025-01-01", "geometrie": box})
    assert r.status_code == 200, r.text
    features = r.json()["features"]
    assert features[0]["properties"]["vthobject_id"] == ranking["vthobject_id"].iloc[0]
    assert 0 < len(features) < len(ranking) and r.json()["aantal"] == len(features)
    ranks = [f["properties"]["rang"] for f in features]
    assert ranks == sorted(ranks)  # the municipality's rank, not renumbered
    for f in features:
        x, y = f["geometry"]["coordinates"]
        assert lon - d <= x <= lon + d and lat - d <= y <= lat + d


def test_async_execution_returns_a_job_its_status_and_the_result(internal_server, expected):
    ranking, melders = expected
    r = execute(internal_server, {"peildatum": "2025-01-01", "top": 5}, headers={"Prefer": "respond-async"})
    assert r.status_code == 201, r.text
    job_url = r.headers["Location"]
    assert r.json()["jobID"] in job_url
    deadline, status = time.time() + 120, {}
    while time.time() < deadline:
        status = requests.get(job_url, params={"f": "json"}, headers=HEADERS, timeout=30).json()
        if status["status"] in ("successful", "failed", "dismissed"):
            break
        time.sleep(0.5)
    assert status["status"] == "successful" and status["processID"] == "toezicht", status
    result = requests.get(f"{job_url}/results", params={"f": "json"}, headers=HEADERS, timeout=60)
    assert result.status_code == 200
    fc = result.json()
    assert [f["properties"]["vthobject_id"] for f in fc["features"]] == list(ranking["vthobject_id"][:5])
    assert_no_complainant(result.text, melders)
    assert_no_complainant(json.dumps(status), melders)


@pytest.mark.parametrize("inputs, message", [
    ({"peildatum": "morgen"}, "peildatum 'morgen': expected a date YYYY-MM-DD"),
    ({"peildatum": "0003-01-01"}, "expected a date between 1900 and 2100"),
    ({"peildatum": "2024-02-29"}, "cannot start on 29 February"),
    ({"top": 0}, "top 0: expected a whole number"),
    ({"top": "5"}, "top '5': expected a whole number"),
    ({"top": 2.5}, "top 2.5: expected a whole number"),
    ({"naam": "x"}, "onbekende invoer 'naam'"),
    ({"geometrie": {"type": "Point", "coordinates": [4.8, 52.8]}}, "een Point, verwacht een Polygon"),
    ({"geometrie": {"type": "Polygon", "coordinates": [[[52.7, 4.7], [52.8, 4.7], [52.8, 4.8], [52.7, 4.7]]]}},
     "assen verwisseld"),
    ({"geometrie": "geen json"}, "geometrie is geen GeoJSON"),
])
def test_bad_input_is_a_400_with_the_reason(internal_server, inputs, message):
    r = execute(internal_server, inputs)
    assert r.status_code == 400, r.text
    assert message in r.json()["description"]
    assert not LEAKS.search(r.text)


def test_a_missing_export_is_a_400_that_names_the_file_not_the_path(store, monkeypatch):
    monkeypatch.setenv("GEO_STORE", str(store))
    monkeypatch.setenv("GEO_INTERNAL", "1")
    monkeypatch.setenv(toezicht.EXPORT_ENV, str(store.parent / "geen_export.csv"))
    with pytest.raises(InputRejected) as err:
        ToezichtProcessor({"name": "toezicht"}).execute({"top": 1})
    assert err.value.http_status_code == 400
    assert "VTH export geen_export.csv not found" in err.value.message
    assert str(store.parent) not in err.value.message


def test_the_processor_refuses_to_run_on_the_public_instance(store, monkeypatch):
    monkeypatch.setenv("GEO_STORE", str(store))
    monkeypatch.setenv("GEO_INTERNAL", "0")
    with pytest.raises(OnlyInternal, match="internal server only"):
        ToezichtProcessor({"name": "toezicht"}).execute({"top": 1})


def test_the_public_server_does_not_offer_toezicht(server, expected):
    _, melders = expected
    listed = requests.get(f"{server}/processes", params={"f": "json"}, timeout=30)
    assert "toezicht" not in {p["id"] for p in listed.json()["processes"]}
    assert requests.get(f"{server}/processes/toezicht", params={"f": "json"}, timeout=30).status_code == 404
    r = requests.post(f"{server}/processes/toezicht/execution", json={"inputs": {"top": 1}}, timeout=30)
    assert r.status_code == 404
    openapi = requests.get(f"{server}/openapi", params={"f": "json"}, timeout=60)
    assert "/processes/toezicht" not in openapi.text
    for text in (listed.text, r.text, openapi.text):
        assert_no_complainant(text, melders)


def test_committed_configs_offer_toezicht_only_internally():
    import yaml

    from helpers.paths import ROOT

    public = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())["resources"]
    internal = yaml.safe_load((ROOT / "pygeoapi-config-internal.yml").read_text())["resources"]
    assert "toezicht" not in public and "kwaliteit" in public
    assert internal["toezicht"]["processor"]["name"] == build_registry().processes(True)["toezicht"].processor


def test_the_internal_server_offers_kwaliteit_with_internal_layers(internal_server):
    r = requests.post(f"{internal_server}/processes/kwaliteit/execution",
                      json={"inputs": {"lagen": ["toezicht_zaak"]}}, headers=HEADERS, timeout=120)
    assert r.status_code == 200, r.text
    (layer,) = r.json()["layers"]
    assert layer["name"] == "toezicht_zaak" and layer["quarantined"] == sum(layer["quarantine"].values())
    assert "record" not in layer and not LEAKS.search(r.text)  # no records, no server paths
