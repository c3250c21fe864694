"""OGC API Process ``kwaliteit``: the quality report of the store on the public server, equal to
``kwaliteit.assess``, sync and async, as JSON or GeoJSON; counts and reasons, never quarantined records."""

import time

import geopandas as gpd
import pytest
import requests
from owslib.ogcapi.processes import Processes

from analyses import kwaliteit
from analyses.kwaliteit.process import masked_reasons
from geo.serve.internal import internal_only_collections
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

from helpers.reliability_helpers import LEAKS

REGISTRY = build_registry()

DREMPELS = {"standaard": {"max_dubbele_geometrie_pct": 0, "max_quarantaine_pct": 5},
            "lagen": {"stikstofbron": {"volledigheid": {"nox_emissie": 50, "nh3_emissie": 95}}}}


def execute(url: str, inputs: dict, **kwargs) -> requests.Response:
    return requests.post(f"{url}/processes/kwaliteit/execution", json={"inputs": inputs}, timeout=120, **kwargs)


def public_assessment(store, thresholds=None) -> kwaliteit.QualityReport:
    """``kwaliteit.assess`` in-process, without the layers only the internal server may show."""
    report = kwaliteit.assess(GeoPackageStore(store), thresholds)
    hidden = internal_only_collections(REGISTRY.collections(True).values())
    report.layers = [q for q in report.layers if q.name not in hidden]
    report.breaches = [b for b in report.breaches if b.layer not in hidden]
    return report


def breaches(items) -> list[tuple]:
    return [(b["layer"], b["check"], b["value"], b["threshold"]) for b in items]


def test_listed_with_its_inputs_and_outputs(server):
    assert "kwaliteit" in build_registry().processes()
    d = requests.get(f"{server}/processes/kwaliteit", params={"f": "json"}, timeout=30).json()
    assert set(d["inputs"]) == {"lagen", "drempels", "formaat"}
    assert d["inputs"]["lagen"]["schema"]["type"] == "array"
    assert d["inputs"]["formaat"]["schema"]["enum"] == ["json", "geojson"]
    assert all(i["minOccurs"] == 0 and i["maxOccurs"] == 1 for i in d["inputs"].values())
    assert "rapport" in d["outputs"] and {"sync-execute", "async-execute"} <= set(d["jobControlOptions"])


def test_owslib_lists_and_executes(server, store):
    client = Processes(server)
    assert "kwaliteit" in {p["id"] for p in client.processes()}
    assert set(client.process("kwaliteit")["inputs"]) == {"lagen", "drempels", "formaat"}
    answer = client.execute("kwaliteit", {"lagen": ["stikstofbron"], "drempels": DREMPELS})
    report = answer["outputs"][0] if "outputs" in answer else answer
    expected = public_assessment(store, DREMPELS)
    assert breaches(report["breaches"]) == [(b.layer, b.check, b.value, b.threshold) for b in expected.breaches
                                            if b.layer == "stikstofbron"]


def test_sync_report_equals_assess_on_the_store(server, store):
    r = execute(server, {"drempels": DREMPELS})
    assert r.status_code == 200, r.text
    report = r.json()
    expected = public_assessment(store, DREMPELS)
    assert expected.breaches, "the thresholds should be broken somewhere, else the comparison proves little"
    assert breaches(report["breaches"]) == [(b.layer, b.check, b.value, b.threshold) for b in expected.breaches]
    assert report["ok"] is False and report["thresholds"] == "given"
    assert [q["name"] for q in report["layers"]] == [q.name for q in expected.layers]
    for got, q in zip(report["layers"], expected.layers):
        assert (got["features"], got["invalid"], got["repaired"], got["duplicate_keys"], got["duplicate_geometries"],
                got["outside"], got["quarantined"]) == (q.features, q.invalid, q.repaired, q.duplicate_keys,
                                                        q.duplicate_geometries, q.outside, q.quarantined)
        assert set(got["completeness"]) <= set(q.completeness)
        assert all(got["completeness"][c] == q.completeness[c] for c in got["completeness"])
        assert [s["file"] for s in got["sources"]] == [s["path"].rsplit("/", 1)[-1] for s in q.sources]


def test_default_thresholds_are_the_servers(server, store):
    report = execute(server, {}).json()
    expected = public_assessment(store)
    assert report["thresholds"] == "server" and report["ok"] == (not expected.breaches)
    assert breaches(report["breaches"]) == [(b.layer, b.check, b.value, b.threshold) for b in expected.breaches]


def test_lagen_restricts_the_report(server):
    report = execute(server, {"lagen": ["wnb_besluit", "pand"], "drempels": DREMPELS}).json()
    assert [q["name"] for q in report["layers"]] == ["pand", "wnb_besluit"]  # in the store's order
    assert {b["layer"] for b in report["breaches"]} <= {"pand", "wnb_besluit"}


def test_public_answer_has_no_internal_layers_no_private_fields_and_no_records(server, store):
    r = execute(server, {})
    names = {q["name"] for q in r.json()["layers"]}
    assert names and not names & internal_only_collections(REGISTRY.collections(True).values())
    for field in ("melder_naam", "melder_email", "aanvrager_naam", "eigenaar_naam"):
        assert field not in r.text
    assert '"record"' not in r.text and '"wkt"' not in r.text
    assert not LEAKS.search(r.text)  # source files by name, never a server path
    refused = execute(server, {"lagen": ["toezicht_zaak"]})
    assert refused.status_code == 400 and "unknown layer 'toezicht_zaak'" in refused.json()["description"]


def test_geojson_form_has_one_feature_per_layer_at_its_extent(server, store):
    r = execute(server, {"lagen": ["stikstofbron", "gemeentegebied"], "formaat": "geojson", "drempels": DREMPELS})
    assert r.status_code == 200, r.text
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and [f["id"] for f in fc["features"]] == ["gemeentegebied",
                                                                                       "stikstofbron"]
    bron = fc["features"][1]
    assert bron["properties"]["features"] == len(GeoPackageStore(store).read("stikstofbron"))
    assert bron["properties"]["ok"] is False and bron["properties"]["breaches"]
    minx, miny, maxx, maxy = gpd.read_file(store, layer="stikstofbron").to_crs("OGC:CRS84").total_bounds
    xs, ys = zip(*bron["geometry"]["coordinates"][0])
    assert bron["geometry"]["type"] == "Polygon"
    assert min(xs) <= minx + 1e-5 and max(xs) >= maxx - 1e-5 and min(ys) <= miny + 1e-5 and max(ys) >= maxy - 1e-5
    assert 4 < min(xs) < max(xs) < 6 and 52 < min(ys) < max(ys) < 54  # CRS84: lon, lat
    assert fc["ok"] is False and breaches(fc["breaches"]) == breaches(
        [b for f in fc["features"] for b in f["properties"]["breaches"]])


def test_async_execution_returns_a_job_its_status_and_the_result(server):
    sync = execute(server, {"lagen": ["stikstofbron"], "drempels": DREMPELS}).json()
    r = execute(server, {"lagen": ["stikstofbron"], "drempels": DREMPELS}, headers={"Prefer": "respond-async"})
    assert r.status_code == 201, r.text
    job_url = r.headers["Location"]
    deadline, status = time.time() + 120, {}
    while time.time() < deadline:
        status = requests.get(job_url, params={"f": "json"}, timeout=30).json()
        if status["status"] in ("successful", "failed", "dismissed"):
            break
        time.sleep(0.5)
    assert status["status"] == "successful" and status["processID"] == "kwaliteit", status
    result = requests.get(f"{job_url}/results", params={"f": "json"}, timeout=60)
    assert result.status_code == 200 and result.json() == sync


@pytest.mark.parametrize("inputs, message", [
    ({"lagen": "pand"}, "lagen 'pand': expected a list of layer names"),
    ({"lagen": ["geen_laag"]}, "unknown layer 'geen_laag'"),
    ({"drempels": {"standaard": {"max_iets": 1}}}, "unknown check 'max_iets'"),
    ({"drempels": {"standaard": {"max_ongeldig": "nul"}}}, "max_ongeldig 'nul': expected a number"),
    ({"drempels": {"lagen": {"pand": {"volledigheid": {"bouwjaar": 120}}}}}, "bouwjaar 120: expected a percentage"),
    ({"drempels": ["max_ongeldig"]}, "expected an object with 'standaard' and/or 'lagen'"),
    ({"formaat": "xml"}, "formaat 'xml': expected one of json, geojson"),
    ({"laag": "pand"}, "onbekende invoer 'laag'"),
])
def test_bad_input_is_a_400_with_the_reason(server, inputs, message):
    r = execute(server, inputs)
    assert r.status_code == 400, r.text
    assert message in r.json()["description"]
    assert not LEAKS.search(r.text)


def test_quoted_record_values_are_masked_in_public_reasons():
    reasons = {"x/y missing or not a number (x='Jan', y='')": 2, "x/y missing or not a number (x='', y='')": 1,
               "duplicate zaaknummer": 4}
    assert masked_reasons(reasons) == {"x/y missing or not a number (x='…', y='…')": 3, "duplicate zaaknummer": 4}
