"""Public vs internal: private fields, the quarantine and internal results only on the internal instance,
and there only with the API key."""

import pytest
import requests
import yaml
from click.testing import CliRunner

from geo.serve.config import generate
from geo.serve.internal import CONFIG_NAME, InternalConfigError, check_public, internal_only_collections, key_matches
from omgevingsgeo.cli import main
from omgevingsgeo.registry import build_registry

from helpers.paths import DATA, ROOT
from helpers.reliability_helpers import start
from helpers.server import stop_server

REGISTRY = build_registry()

KEY = "test-key-0123456789abcdef"
PRIVATE = {"wnb_besluit": "aanvrager_naam", "stikstofbron": "naam", "bodemverontreiniging": "eigenaar_naam"}


@pytest.fixture(scope="module")
def internal_server(store, tmp_path_factory):
    proc, url = start(store, tmp_path_factory.mktemp("internal") / "server.log", internal=True, key=KEY,
                      workers=1)
    yield url
    stop_server(proc)


def test_committed_internal_config_is_what_geo_config_internal_generates():
    committed = yaml.safe_load((ROOT / CONFIG_NAME).read_text())
    assert committed == generate(REGISTRY, "GM0441", DATA, internal=True)


def test_public_config_has_no_internal_collection_and_only_public_fields():
    resources = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())["resources"]
    assert not set(resources) & internal_only_collections(REGISTRY.collections(True).values())
    check_public(resources, REGISTRY)  # raises when a private field is selected


def test_a_public_config_with_internal_parts_is_refused():
    internal = generate(REGISTRY, "GM0441", DATA, internal=True)["resources"]
    with pytest.raises(InternalConfigError, match="internal collections"):
        check_public(internal, REGISTRY)
    with pytest.raises(InternalConfigError, match="aanvrager_naam"):
        check_public({"wnb_besluit": internal["wnb_besluit"]}, REGISTRY)


def test_key_comparison():
    assert key_matches(KEY, KEY) and not key_matches(None, KEY) and not key_matches(KEY[:-1], KEY)


@pytest.mark.parametrize("env", [{}, {"GEO_API_KEY": "short"}])
def test_internal_server_refuses_to_start_without_a_key(store, env, monkeypatch):
    monkeypatch.delenv("GEO_API_KEY", raising=False)
    result = CliRunner().invoke(main, ["serve", "--internal", "--store", str(store)], env=env)
    assert result.exit_code == 1
    assert "GEO_API_KEY" in result.output and "Traceback" not in result.output


def test_public_server_never_shows_internal_collections(server):
    collections = requests.get(f"{server}/collections", params={"f": "json"}, timeout=30).json()["collections"]
    ids = {c["id"] for c in collections}
    assert not ids & internal_only_collections(REGISTRY.collections(True).values())
    for name in internal_only_collections(REGISTRY.collections(True).values()):
        assert requests.get(f"{server}/collections/{name}/items", params={"f": "json"}, timeout=30).status_code == 404
    for name, field in PRIVATE.items():
        r = requests.get(f"{server}/collections/{name}/items", params={"f": "json", "limit": 5}, timeout=30)
        assert all(field not in f["properties"] for f in r.json()["features"])


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": KEY[:-1]},
                                     {"Authorization": f"Bearer {KEY}"}])
@pytest.mark.parametrize("path", ["/", "/collections", "/collections/wnb_besluit/items", "/openapi",
                                  "/collections/geo_quarantine/items"])
def test_internal_server_without_the_key_is_401(internal_server, headers, path):
    r = requests.get(f"{internal_server}{path}", params={"f": "json"}, headers=headers, timeout=30)
    assert r.status_code == 401
    assert "aanvrager" not in r.text and r.json()["code"] == "Unauthorized"


def test_internal_server_with_the_key_shows_private_fields_and_the_quarantine(internal_server, server):
    headers = {"X-API-Key": KEY}
    ids = {c["id"] for c in requests.get(f"{internal_server}/collections", params={"f": "json"},
                                         headers=headers, timeout=30).json()["collections"]}
    assert "geo_quarantine" in ids
    for name, field in PRIVATE.items():
        r = requests.get(f"{internal_server}/collections/{name}/items", params={"f": "json", "limit": 5},
                         headers=headers, timeout=30)
        assert r.status_code == 200 and all(field in f["properties"] for f in r.json()["features"])
    q = requests.get(f"{internal_server}/collections/geo_quarantine/items", params={"f": "json"}, headers=headers,
                     timeout=30)
    assert q.status_code == 200 and "numberMatched" in q.json()
    filtered = requests.get(f"{internal_server}/collections/wnb_besluit/items",
                            params={"f": "json", "filter": "aanvrager_naam LIKE '%'"}, headers=headers, timeout=30)
    assert filtered.status_code == 200 and filtered.json()["numberMatched"] > 0

