"""For GIS staff: the QGIS project of ``geo qgis-project`` opened by QGIS itself, styles (QML, SLD) and public
GeoPackage downloads from the server.

The QGIS checks run ``tests/qgis_check.py`` with the system Python that has PyQGIS (Debian python3-qgis;
``scripts/test.sh`` installs it) and are skipped when it is missing.
"""

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyogrio
import pytest
import rasterio
import requests
from click.testing import CliRunner

from geo.render.qgis import GROUP_ORDER
from geo.render.qml import rgba
from geo.serve.downloads import cache_dir, public_geopackage, public_layers
from geo.store.geopackage import GeoPackageStore
from layers.bodemverontreiniging import BODEM_STATUS_COLOURS
from layers.gemeentegebied import GEMEENTE_COLOUR
from layers.natura2000_gebied import NATURA2000_COLOUR
from layers.omgevingsplan_functie import FUNCTIE_COLOURS
from layers.pand import BOUWJAAR_CLASSES
from layers.stikstofbron import STIKSTOFBRON_COLOUR
from omgevingsgeo.cli import main
from omgevingsgeo.registry import build_registry

REGISTRY = build_registry()

QGIS_PYTHON = "/usr/bin/python3"
CHECK = Path(__file__).parent / "qgis_check.py"
ARTEFACTS = Path(__file__).parent / "artefacts"
RD_NEW = "EPSG:28992"
VECTOR_TILES = {"pand", "verblijfsobject", "stikstof_hexagon"}  # issue 20: the big layers, as vector tiles


def qgis_available() -> bool:
    try:
        return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60,
                              env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_qgis = pytest.mark.skipif(not qgis_available(), reason="PyQGIS not installed (Debian python3-qgis)")


def published(store: Path) -> dict:
    present = set(GeoPackageStore(store).layers())
    return {n: m for n, m in {**REGISTRY.layers, **REGISTRY.results()}.items() if n in present}


def expected_features(store: Path) -> dict[str, int]:
    return {n: pyogrio.read_info(store, layer=n)["features"] for n, m in published(store).items() if not m.is_raster}


def qgis_check(project: Path, *options: str) -> dict:
    done = subprocess.run([QGIS_PYTHON, str(CHECK), str(project), *options], capture_output=True, text=True,
                          timeout=240, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_project(*args: str) -> Path:
    result = CliRunner().invoke(main, ["qgis-project", *args])
    assert result.exit_code == 0, result.output
    return Path(args[args.index("--out") + 1])


@pytest.fixture(scope="module")
def server_report(server, store, tmp_path_factory) -> dict:
    """The OAPIF project against the live server, opened by QGIS, rendered to tests/artefacts/qgis_project.png;
    the server's SLD of every layer loaded into QGIS too."""
    folder = tmp_path_factory.mktemp("qgis")
    slds = folder / "sld"
    slds.mkdir()
    for name in published(store):
        (slds / f"{name}.sld").write_bytes(requests.get(f"{server}/styles/{name}.sld", timeout=30).content)
    project = write_project("--url", server, "--store", str(store), "--out", str(folder / "omgevingsgeo.qgz"))
    ARTEFACTS.mkdir(exist_ok=True)
    return qgis_check(project, "--image", str(ARTEFACTS / "qgis_project.png"), "--sld", str(slds))


@pytest.fixture(scope="module")
def openbaar(server, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("downloads") / "openbaar.gpkg"
    response = requests.get(f"{server}/downloads/openbaar.gpkg", timeout=120)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/geopackage+sqlite3"
    path.write_bytes(response.content)
    return path


@needs_qgis
def test_server_project_opens_in_qgis_with_every_layer_valid_and_complete(server_report, server, store):
    layers, counts = server_report["layers"], expected_features(store)
    assert server_report["crs"] == RD_NEW
    assert set(layers) == set(published(store))
    for name, layer in layers.items():
        assert layer["valid"], f"{name} is not valid in QGIS: {layer['source']}"
        assert layer["group"] == published(store)[name].group
        assert layer["pixels"] > 0, f"{name} draws nothing"
        if name in VECTOR_TILES:  # too big to page: WebMercatorQuad vector tiles from the server
            assert (layer["provider"], layer["crs"], layer["renderer"]) == ("vectortile", "EPSG:3857", "basic"), name
            assert f"{server}/collections/{name}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}" in layer["source"]
        elif name in counts:  # OAPIF: QGIS 3.22 asks for CRS84
            assert (layer["provider"], layer["crs"], layer["features"]) == ("oapif", "EPSG:4326", counts[name]), name
            assert f"url='{server}'" in layer["source"] and f"typename='{name}'" in layer["source"]
    with rasterio.open(GeoPackageStore(store).raster_path("nh3_concentratie")) as cog:
        raster = layers["nh3_concentratie"]
        assert (raster["crs"], raster["width"], raster["height"]) == (RD_NEW, cog.width, cog.height)
        assert raster["source"].startswith("/vsicurl/http://")


@needs_qgis
def test_server_project_groups_draws_and_renders_like_the_overview_map(server_report):
    groups = server_report["groups"]
    assert groups == sorted(groups, key=lambda g: GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER))
    assert groups[:2] == ["Basisregistratie", "Natuur en stikstof"]
    order = server_report["drawing_order"]
    assert order.index("stikstofbron") < order.index("pand") < order.index("nh3_concentratie") == len(order) - 1
    image = server_report["image"]
    assert {"gemeentegebied", "pand", "natura2000_gebied", "stikstofbron"} <= set(image["layers"])
    assert Path(image["path"]).stat().st_size > 20_000
    e = server_report["extent"]
    assert 100_000 < e[0] < e[2] < 125_000 and 515_000 < e[1] < e[3] < 550_000  # Schagen in RD New


@needs_qgis
def test_qgis_reads_our_styles_with_the_overview_map_colours(server_report):
    layers = server_report["layers"]
    assert layers["pand"]["renderer"] == "basic"  # a vector tile layer: one style per rule, on the tiles' "pand"
    assert set(layers["pand"]["colours"]) >= {c for _, _, c in BOUWJAAR_CLASSES}
    assert [r["label"] for r in layers["pand"]["rules"]][:len(BOUWJAAR_CLASSES)] == [x for _, x, _ in BOUWJAAR_CLASSES]
    assert {r["layer"] for r in layers["pand"]["rules"]} == {"pand"}
    assert layers["natura2000_gebied"]["colours"] == [NATURA2000_COLOUR]
    assert layers["natura2000_gebied"]["label_field"].startswith('"naam"')  # + "(niet stikstofgevoelig)" for 162
    assert "niet stikstofgevoelig" in layers["natura2000_gebied"]["label_field"]
    assert layers["stikstofbron"]["colours"] == [STIKSTOFBRON_COLOUR]
    assert "nh3_emissie" in layers["stikstofbron"]["size_expression"]
    assert set(layers["bodemverontreiniging"]["colours"]) >= set(BODEM_STATUS_COLOURS.values())
    assert set(layers["omgevingsplan_functie"]["colours"]) >= set(FUNCTIE_COLOURS.values())
    assert layers["gemeentegebied"]["strokes"] == [GEMEENTE_COLOUR]
    assert layers["nh3_concentratie"]["renderer"] == "singlebandpseudocolor"
    assert len(layers["nh3_concentratie"]["colours"]) >= 3


@needs_qgis
def test_qgis_loads_the_served_sld_of_every_vector_layer(server_report):
    loaded = {n: layer.get("sld_loaded") for n, layer in server_report["layers"].items() if "features" in layer}
    assert loaded and all(loaded.values()), loaded


@needs_qgis
def test_project_from_the_public_download_opens_in_qgis(openbaar, store, tmp_path):
    project = write_project("--gpkg", str(openbaar), "--store", str(store), "--out", str(tmp_path / "gpkg.qgs"))
    report = qgis_check(project, "--gpkg", str(openbaar))
    counts = expected_features(store)
    for name, layer in report["layers"].items():
        assert layer["valid"] and layer["crs"] == RD_NEW and layer["pixels"] > 0, (name, layer)
        if name in counts:
            assert layer["provider"] == "ogr" and layer["features"] == counts[name] and layer["read_only"]
            assert set(layer["fields"]) - {"fid"} == set(published(store)[name].public_fields)
    assert set(report["layers"]) == set(published(store))
    defaults = report["gpkg_default_styles"]  # the download's layer_styles: QGIS opens each layer styled
    assert set(defaults) == set(counts)
    assert defaults["pand"]["renderer"] == "RuleRenderer"
    assert set(defaults["pand"]["colours"]) >= {c for _, _, c in BOUWJAAR_CLASSES}
    assert defaults["natura2000_gebied"]["colours"] == [NATURA2000_COLOUR]


def test_public_download_has_only_public_fields_and_every_feature(openbaar, store):
    counts = expected_features(store)
    layers = dict(pyogrio.list_layers(openbaar))
    assert set(layers) == set(counts) | {"layer_styles"}
    for name, count in counts.items():
        info = pyogrio.read_info(openbaar, layer=name)
        assert list(info["fields"]) == list(published(store)[name].public_fields), name
        assert info["features"] == count and info["crs"] == RD_NEW, name
    private = {n: set(m.schema.columns) - set(m.public_fields) for n, m in published(store).items() if m.schema}
    assert "aanvrager_naam" in private["wnb_besluit"] and "naam" in private["stikstofbron"]
    for name in counts:
        assert not private[name] & set(pyogrio.read_info(openbaar, layer=name)["fields"]), name


def test_download_of_one_collection_and_of_the_raster(server, store, tmp_path):
    path = tmp_path / "wnb_besluit.gpkg"
    path.write_bytes(requests.get(f"{server}/downloads/wnb_besluit.gpkg", timeout=60).content)
    assert [n for n, _ in pyogrio.list_layers(path)] == ["wnb_besluit", "layer_styles"]
    fields = list(pyogrio.read_info(path, layer="wnb_besluit")["fields"])
    assert fields == list(REGISTRY.layers["wnb_besluit"].public_fields) and "aanvrager_naam" not in fields
    tif = requests.get(f"{server}/downloads/nh3_concentratie.tif", timeout=30)
    assert tif.content == GeoPackageStore(store).raster_path("nh3_concentratie").read_bytes()
    missing = requests.get(f"{server}/downloads/geo_quarantine.gpkg", timeout=30)
    assert missing.status_code == 404 and "geo_quarantine" in missing.json()["description"]


def test_downloads_are_cached_per_store_version(store, tmp_path, monkeypatch):
    copy = tmp_path / "store.gpkg"
    shutil.copyfile(store, copy)
    monkeypatch.delenv("GEO_DOWNLOADS", raising=False)
    s = GeoPackageStore(copy)
    first = public_geopackage(s, REGISTRY.collections(), "gemeentegebied")
    assert first.parent.parent == cache_dir(s)
    assert public_geopackage(s, REGISTRY.collections(), "gemeentegebied") == first
    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 10**9))  # a new store version
    second = public_geopackage(s, REGISTRY.collections(), "gemeentegebied")
    assert second != first and second.exists() and not first.exists()
    assert not list(second.parent.glob("*.tmp.gpkg"))
    assert set(public_layers(s, REGISTRY.collections())) == set(expected_features(store))


@pytest.mark.parametrize("name", ["pand", "natura2000_gebied", "stikstofbron", "bodemverontreiniging",
                                  "omgevingsplan_functie", "gemeentegebied", "nh3_concentratie"])
def test_styles_are_served_as_xml_with_the_map_colours(server, name):
    expected = {
        "pand": [c for _, _, c in BOUWJAAR_CLASSES], "natura2000_gebied": [NATURA2000_COLOUR],
        "stikstofbron": [STIKSTOFBRON_COLOUR], "bodemverontreiniging": list(BODEM_STATUS_COLOURS.values()),
        "omgevingsplan_functie": list(FUNCTIE_COLOURS.values()), "gemeentegebied": [GEMEENTE_COLOUR],
        "nh3_concentratie": [],
    }[name]
    for fmt in ("qml", "sld"):
        response = requests.get(f"{server}/styles/{name}.{fmt}", timeout=30)
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/xml")
        root = ET.fromstring(response.content)  # well-formed XML
        text = response.text
        for colour in expected:
            assert (rgba(colour)[:-4] if fmt == "qml" else colour) in text, (name, fmt, colour)
        assert root.tag == "qgis" if fmt == "qml" else root.tag.endswith("StyledLayerDescriptor")
    assert requests.get(f"{server}/styles/geo_quarantine.qml", timeout=30).status_code == 404


def test_collections_link_their_styles_and_downloads(server):
    links = requests.get(f"{server}/collections/pand?f=json", timeout=30).json()["links"]
    hrefs = {(link["rel"], link["href"]) for link in links}
    for path in ("/styles/pand.qml", "/styles/pand.sld"):
        assert ("stylesheet", server + path) in hrefs
    for path in ("/downloads/pand.gpkg", "/downloads/openbaar.gpkg"):
        assert ("alternate", server + path) in hrefs
    raster = requests.get(f"{server}/collections/nh3_concentratie?f=json", timeout=30).json()["links"]
    assert any(link["href"] == f"{server}/downloads/nh3_concentratie.tif" for link in raster)


def test_cli_without_a_store_says_so(tmp_path):
    result = CliRunner().invoke(main, ["qgis-project", "--store", str(tmp_path / "none.gpkg"),
                                       "--out", str(tmp_path / "p.qgz")])
    assert result.exit_code == 1 and "no store yet; run 'geo build' first" in result.output
