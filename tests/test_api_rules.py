"""Issue 14: the Dutch API Design Rules (ADR 2.x) where they fit an OGC API, checked with requests and with
Spectral and the Logius ADR ruleset (tests/data/logius-adr-linter.yaml) on the served OpenAPI document.

Every finding Spectral still reports must be explained in docs/api-rules.md ("leg uit").
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
SPECTRAL = ROOT / "build/tools/spectral/node_modules/.bin/spectral"
RULESET = Path(__file__).parent / "data/logius-adr-linter.yaml"
EXPLAINED = ROOT / "docs/api-rules.md"


def test_errors_are_problem_details(server):
    r = requests.get(f"{server}/collections/pand/items", params={"limit": "veel", "f": "json"}, timeout=30)
    assert r.status_code == 400
    assert r.headers["Content-Type"].split(";")[0] == "application/problem+json"
    body = r.json()
    assert body["status"] == 400 and body["title"] == "Bad Request" and body["type"] == "about:blank"
    assert "limit" in body["detail"] and body["description"] == body["detail"] and body["code"]
    missing = requests.get(f"{server}/collections/bestaat_niet", params={"f": "json"}, timeout=30)
    assert missing.status_code == 404 and missing.json()["status"] == 404


@pytest.mark.parametrize("path", ["/", "/collections/pand/items?limit=1", "/styles/pand.qml", "/collections/x",
                                  "/openapi.json"])
def test_every_response_carries_api_version_and_no_powered_by(server, path):
    r = requests.get(server + path, timeout=60)
    assert re.fullmatch(r"\d+\.\d+\.\d+", r.headers["API-Version"])
    assert "X-Powered-By" not in r.headers


def test_cors_lets_other_origins_read(server):
    origin = {"Origin": "https://viewer.example.org"}
    r = requests.get(f"{server}/collections/pand/items", params={"limit": 1}, headers=origin, timeout=30)
    assert r.headers["Access-Control-Allow-Origin"] in ("*", origin["Origin"])
    pre = requests.options(f"{server}/collections/pand/items", timeout=30,
                           headers={**origin, "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200 and "GET" in pre.headers["Access-Control-Allow-Methods"]


def test_dutch_is_offered(server):
    r = requests.get(f"{server}/", params={"f": "json", "lang": "nl"}, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Language"].startswith("nl")


def test_openapi_json_is_the_document(server):
    doc = requests.get(f"{server}/openapi.json", timeout=60).json()
    assert doc["openapi"].startswith("3.0") and "/collections/pand/items" in doc["paths"]
    assert doc["info"]["contact"]["name"]
    assert "niet ingesteld" not in str(doc["info"]["contact"].get("email", "@"))  # no fake address (issue 17)


def test_the_operators_contact_reaches_the_document():
    from geo.serve.openapi_doc import complete

    contact = {"name": "OD NHN", "url": "https://www.odnhn.nl", "x-ogc-serviceContact": {
        "emails": [{"value": "info@odnhn.nl"}], "links": [{"href": "https://www.odnhn.nl"}]}}
    info = complete({"openapi": "3.0.2", "info": {"contact": contact}, "paths": {}})["info"]
    assert info["contact"]["email"] == "info@odnhn.nl" and info["contact"]["url"] == "https://www.odnhn.nl"


@pytest.mark.skipif(not SPECTRAL.exists(), reason="Spectral not installed (bash scripts/test.sh installs it with npm)")
def test_spectral_adr_findings_are_all_explained(server, tmp_path):
    document = tmp_path / "openapi.json"
    document.write_text(requests.get(f"{server}/openapi.json", timeout=60).text, encoding="utf-8")
    report = tmp_path / "spectral.json"
    run = subprocess.run([str(SPECTRAL), "lint", "-r", str(RULESET), str(document), "-f", "json", "-o", str(report),
                          "--fail-severity", "error"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    findings = json.loads(report.read_text())
    codes = {f["code"] for f in findings}
    explained = set(re.findall(r"`(nlgov:[\w-]+)`", EXPLAINED.read_text(encoding="utf-8")))
    assert codes <= explained, sorted(codes - explained)
    assert not any(f["code"] in ("oas3-schema", "nlgov:use-problem-schema", "nlgov:missing-version-header",
                                 "nlgov:missing-header", "nlgov:problem-invalid-input") for f in findings), run.stdout
    assert run.returncode in (0, 1), run.stderr


TSX = SPECTRAL.parent / "tsx"


@pytest.mark.skipif(not TSX.exists(), reason="tsx/Spectral not installed (bash scripts/test.sh installs them with npm)")
def test_geonovum_ogc_features_findings_are_all_explained(server, tmp_path):
    """Geonovum's OGC API Features rulesets (tests/data/geonovum, MIT; run by tests/geonovum_lint.ts with the
    OGC schemas they fetch answered from tests/data/ogc-schemas): every finding is explained."""
    import shutil

    work = tmp_path / "geonovum"
    shutil.copytree(Path(__file__).parent / "data/geonovum", work)
    shutil.copy(Path(__file__).parent / "geonovum_lint.ts", work)
    (work / "node_modules").symlink_to(SPECTRAL.parents[1])
    (work / "openapi.json").write_text(requests.get(f"{server}/openapi.json", timeout=60).text, encoding="utf-8")
    run = subprocess.run([str(TSX), "geonovum_lint.ts", "openapi.json"], capture_output=True, text=True, timeout=300,
                         cwd=work, env={**__import__("os").environ,
                                        "OGC_SCHEMAS": str(Path(__file__).parent / "data/ogc-schemas")})
    assert run.returncode == 0, run.stderr[-3000:]
    findings = json.loads(run.stdout)
    codes = {f["code"] for f in findings}
    explained = set(re.findall(r"`(/req/[\w/#-]+)`", EXPLAINED.read_text(encoding="utf-8")))
    assert codes <= explained, sorted(codes - explained)
    assert not any(f["ruleset"] in ("core", "oas30") for f in findings), findings[:3]


def test_openapi_document_is_valid_for_an_independent_validator(server):
    """openapi-spec-validator (not ours) on the served document: e.g. a parameter listed twice is an error."""
    from openapi_spec_validator import validate

    validate(requests.get(f"{server}/openapi.json", timeout=60).json())
