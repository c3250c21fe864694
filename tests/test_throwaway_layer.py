"""A layer added the way a newcomer adds one — a ``LayerSpec`` with a small ``build``, registered in a
``Registry`` — goes end to end: build into a GeoPackage store → a collection in the pygeoapi config → its
style as QML and SLD → a layer of the QGIS project. Nothing in ``geo`` knows the layer beforehand."""

import json
import xml.etree.ElementTree as ET

import geopandas as gpd
from shapely.geometry import Point

from geo.build.builder import build
from geo.build.inputs import Base, Sources
from geo.core.crs import RD_NEW
from geo.core.registry import LayerSpec, Registry
from geo.core.schema import LayerSchema, conform
from geo.core.style import Rule, Symbol, VectorStyle
from geo.render import styles
from geo.render.qgis import gpkg_layers, project_xml
from geo.serve.config import generate
from geo.store import catalogue
from geo.store.geopackage import GeoPackageStore
from layers import gemeentegebied

from helpers.paths import DATA

SCHEMA = LayerSchema(geometry="Point", key="boom_id", required=("boom_id",),
                     columns={"boom_id": "str", "soort": "str", "eigenaar": "str"})
COLOUR = "#2ca25f"


def build_bomen(base: Base, sources: Sources) -> gpd.GeoDataFrame:
    """The trees of a GeoJSON file, inside the municipality."""
    gdf = gpd.read_file(sources.path("bomen", "bomen.geojson")).to_crs(RD_NEW)
    return conform(gdf[gdf.intersects(base.gebied)], SCHEMA)


BOMEN = LayerSpec(
    name="bomen", title="Bomen (test)", description="Monumentale bomen, een laag die alleen deze test kent.",
    group="Natuur en stikstof", schema=SCHEMA, public_fields=("boom_id", "soort"), needs=("gemeentegebied",),
    build=build_bomen, source="bomen.geojson", register="Bomenregister (test)", licence="CC0-1.0",
    title_field="soort", style=VectorStyle("bomen", "Bomen", (Rule("boom", Symbol("marker", fill=COLOUR)),)),
    draw_order=5,
)


def test_a_registered_layer_is_built_served_styled_and_in_the_qgis_project(tmp_path):
    registry = Registry.of([gemeentegebied.SPEC, BOMEN], [])
    source = _trees(tmp_path / "bomen.geojson")
    store_path = tmp_path / "store.gpkg"

    report = build(registry, None, "GM0441", store_path, DATA, {"bomen": source})

    assert [r.name for r in report.layers] == ["gemeentegebied", "bomen"]
    store = GeoPackageStore(store_path)
    trees = store.read("bomen")
    assert sorted(trees["boom_id"]) == ["B1", "B2"]  # B3 lies outside the municipality
    record = _catalogue_record(store, "bomen")
    assert record["properties"]["license"] == "CC0-1.0" and record["properties"]["title"] == "Bomen (test)"

    collection = generate(registry, "GM0441", DATA)["resources"]["bomen"]
    assert collection["title"] == "Bomen (test)"
    provider = collection["providers"][0]
    assert provider["table"] == "bomen" and provider["properties"] == ["boom_id", "soort"]  # no eigenaar
    assert provider["title_field"] == "soort"

    qml, sld = styles.qml(BOMEN), styles.sld(BOMEN)
    ET.fromstring(qml), ET.fromstring(sld)  # well-formed
    assert COLOUR in sld and "44,162,95" in qml

    layers = gpkg_layers(store_path, store, registry.collections())
    assert [layer.name for layer in layers] == ["gemeentegebied", "bomen"]
    project = ET.fromstring(project_xml(layers, (115_000, 530_000, 125_000, 545_000), "test").split("\n", 1)[1])
    names = [e.text for e in project.iter("layername")]
    assert "Bomen (test)" in names
    order = [e.get("id") for e in project.find("layerorder")]
    assert order[0].startswith("bomen_")  # draw_order 5: above the municipal boundary (10)


def _trees(path):
    """Three trees in RD New: two in Schagen, one far outside."""
    gdf = gpd.GeoDataFrame({"boom_id": ["B1", "B2", "B3"], "soort": ["eik", "linde", "beuk"],
                            "eigenaar": ["Jansen", "gemeente", "Pietersen"]},
                           geometry=[Point(113_500, 537_000), Point(113_600, 537_100), Point(200_000, 400_000)],
                           crs=RD_NEW)
    gdf.to_file(path, driver="GeoJSON")
    return path


def _catalogue_record(store, name: str) -> dict:
    doc = json.loads(catalogue.catalogue_path(store).read_text(encoding="utf-8"))
    return next(r for r in doc["_default"].values() if r["id"] == name)
