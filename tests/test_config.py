"""pygeoapi-config.yml: generated from the registry, committed, valid against pygeoapi's schema."""

import io

import yaml
from pygeoapi.config import validate_config
from pygeoapi.util import yaml_load

from geo.serve.config import generate
from omgevingsgeo.registry import build_registry

from helpers.paths import DATA, ROOT

REGISTRY = build_registry()


def test_committed_config_is_what_geo_config_generates():
    committed = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())
    assert committed == generate(REGISTRY, "GM0441", DATA)


def test_every_layer_is_a_collection_with_only_public_fields():
    resources = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())["resources"]
    for name, module in REGISTRY.layers.items():
        provider = resources[name]["providers"][0]
        if module.is_raster:
            assert provider["type"] == "coverage" and provider["data"] == "${GEO_RASTERS}/" + name + ".tif"
            continue
        assert provider["table"] == name
        assert provider["properties"] == list(module.public_fields)
        assert provider["storage_crs"] == "http://www.opengis.net/def/crs/EPSG/0/28992"


def test_config_validates_against_pygeoapi_schema(monkeypatch):
    monkeypatch.setenv("GEO_STORE", "/tmp/store.gpkg")
    monkeypatch.setenv("GEO_RASTERS", "/tmp/store-rasters")
    monkeypatch.setenv("GEO_CATALOGUE", "/tmp/store-catalogus.json")
    config = yaml_load(io.StringIO((ROOT / "pygeoapi-config.yml").read_text()))
    assert validate_config(config)
