"""The layers built from a DSO delivery: omgevingsplan_functie (Gebiedsaanwijzingen), omgevingsnorm and
activiteit_locatie; their code-list quarantine; the builder publishing an optional layer without objects empty;
and ``geo build`` of just these layers for any municipality, without its BAG.

Expected values come from the raw OW files (XPath here) and the GIOs (GDAL), not from the reader."""

import json
import logging
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from lxml import etree
from shapely.geometry import Polygon, box

from geo.build.builder import build as build_layers
from geo.build.inputs import Base, Sources
from geo.core.errors import SourceError
from geo.core.registry import Registry
from geo.core.schema import check
from geo.store.catalogue import catalogue_path
from geo.store.geopackage import GeoPackageStore
from layers import activiteit_locatie, gemeentegebied, omgevingsnorm, omgevingsplan_functie
from omgevingsgeo.cli import main

from helpers.browser import CHROMIUM
from helpers.dso_delivery import GEMEENTESTAD_OW, GEMEENTESTAD_TPOD1880, WONEN, with_tpod_codes, zipped
from helpers.server import start_server, stop_server

ARTEFACTS = Path(__file__).parent / "artefacts"
CDNS = ["*unpkg.com*", "*cdnjs.cloudflare.com*", "*cdn.jsdelivr.net*", "*tile.openstreetmap.org*"]

AREA = box(136_000, 422_000, 141_000, 426_000)  # around the example plan's GIO areas (x 137.8–139.1 km)
GEBIED_1 = "A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED"


@pytest.fixture
def corrected(tmp_path) -> Path:
    return with_tpod_codes(GEMEENTESTAD_OW, tmp_path / "levering")


def base_for(area=AREA, code: str = "GM0297") -> Base:
    gebied = gpd.GeoDataFrame({"statcode": [code]}, geometry=[area], crs="EPSG:28992")
    return Base(gemeentecode=code, layers={"gemeentegebied": gebied})


def build(spec, delivery: Path, base: Base | None = None) -> tuple[gpd.GeoDataFrame, Sources]:
    sources = Sources(root=delivery.parent, gemeentecode="GM0297", overrides={"omgevingsplan": delivery})
    return check(spec.build(base or base_for(), sources), spec.schema, spec.name), sources


def reasons(sources: Sources, layer: str) -> dict:
    return sources.quarantine.frame(layer)["reason"].value_counts().to_dict()


def gio_area(ident: str) -> float:
    """The area of one GIO geometry, by a regular expression over the raw GML (the oracle for Geometrie.gml)."""
    block = re.search(rf"<basisgeo:id>{ident}</basisgeo:id>.*?<gml:posList>(.*?)</gml:posList>",
                      (GEMEENTESTAD_OW / "Geometrie.gml").read_text(), re.S).group(1)
    values = [float(v) for v in block.split()]
    return Polygon(list(zip(values[0::2], values[1::2]))).area


# --- omgevingsplan_functie --------------------------------------------------------------------------------------

@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_functie_from_a_dso_delivery(corrected, tmp_path, packed):
    delivery = zipped(corrected, tmp_path / "levering.zip") if packed else corrected
    gdf, sources = build(omgevingsplan_functie.SPEC, delivery)
    assert gdf[["identificatie", "naam", "type", "groep", "bron", "groep_uri"]].values.tolist() == [
        ["nl.imow-gm0037.gebiedsaanwijzing.201900001", "abc", "functie", "wonen", "dso", WONEN]]
    assert gdf.geometry.iloc[0].area == pytest.approx(gio_area(GEBIED_1))
    assert gdf["opp_ha"].iloc[0] == pytest.approx(gio_area(GEBIED_1) / 10_000, abs=1e-4)
    assert reasons(sources, "omgevingsplan_functie") == {
        "locatie nl.imow-gm0037.gebied.2019000011 is not in the delivery": 1,
        "locatie nl.imow-gm0037.gebiedje.201900001 is not in the delivery": 1}


def test_functie_is_clipped_to_the_gemeente(corrected):
    west = box(136_000, 422_000, 138_500, 426_000)
    gdf, _ = build(omgevingsplan_functie.SPEC, corrected, base_for(west))
    assert gdf.geometry.iloc[0].area < gio_area(GEBIED_1) and gdf.geometry.iloc[0].bounds[2] <= 138_500


def test_real_example_placeholder_groep_is_quarantined():
    gdf, sources = build(omgevingsplan_functie.SPEC, GEMEENTESTAD_OW)
    assert gdf.empty
    record = sources.quarantine.frame("omgevingsplan_functie").set_index("reason").loc["groep not in the code list"]
    assert "groep=http://standaarden.omgevingswet.overheid.nl/id/waardelijst/Omgevingsnormgroep" in record["record"]


def test_other_gebiedsaanwijzing_types_are_left_out_with_a_log_line(corrected, caplog):
    ow = corrected / "ow1.xml"
    ow.write_text(ow.read_text().replace("typegebiedsaanwijzing/id/concept/Functie",
                                         "typegebiedsaanwijzing/id/concept/Beperkingengebied"))
    with caplog.at_level(logging.INFO):
        gdf, sources = build(omgevingsplan_functie.SPEC, corrected)
    assert gdf.empty and "groep not in the code list" not in reasons(sources, "omgevingsplan_functie")
    assert "1 gebiedsaanwijzingen are no functie or milieuzone (1x beperkingengebied)" in caplog.text


# --- omgevingsnorm ----------------------------------------------------------------------------------------------

def expected_norms(folder: Path) -> dict:
    """(norm id, normwaarde id) -> value for every Normwaarde on gebied 201900001 (the one the GIO holds)."""
    rows = {}
    for file in folder.glob("*.xml"):
        root = etree.parse(str(file)).getroot()
        for waarde in root.xpath("//*[local-name()='Normwaarde'][*[local-name()='locatieaanduiding']/*"
                                 "[@*[local-name()='href']='nl.imow-gm0037.gebied.201900001']]"):
            norm = waarde.getparent().getparent()
            rows[(norm.xpath("string(*[local-name()='identificatie'])"),
                  waarde.xpath("string(*[local-name()='identificatie'])"))] = \
                float(waarde.xpath("string(*[local-name()='kwantitatieveWaarde'])"))
    return rows


def test_omgevingsnorm_values_labels_and_locations(corrected):
    gdf, sources = build(omgevingsnorm.SPEC, corrected)
    expected = expected_norms(corrected)
    assert dict(zip(zip(gdf["identificatie"], gdf["normwaarde_id"]), gdf["normwaarde_kwantitatief"])) == expected
    assert len(expected) == 2
    assert set(gdf["soort"]) == {"omgevingsnorm", "omgevingswaarde"}
    assert set(gdf["type_label"]) == {"maximum bouwhoogte"} and set(gdf["eenheid_label"]) == {"meter"}
    assert set(gdf["normwaarde_label"]) == {"200 meter"}
    assert set(gdf["groep_label"]) == {"maatvoering bouwen"}
    assert gdf["normlocatie_id"].str.endswith("@nl.imow-gm0037.gebied.201900001").all()
    assert gdf.geometry.area.tolist() == pytest.approx([gio_area(GEBIED_1)] * 2)
    assert sum(reasons(sources, "omgevingsnorm").values()) == 11  # norm locations the delivery lacks


def test_real_example_norm_type_not_in_the_waardelijst_is_quarantined():
    gdf, sources = build(omgevingsnorm.SPEC, GEMEENTESTAD_OW)
    assert gdf.empty
    assert reasons(sources, "omgevingsnorm")["type not in the TPOD waardelijst type norm"] == 2


def test_second_delivery_normwaarde_label_in_dutch(tmp_path):
    delivery = with_tpod_codes(GEMEENTESTAD_TPOD1880, tmp_path / "tpod1880")
    ow = delivery / "tpod1880.xml"
    ow.write_text(ow.read_text().replace("<rol:kwantitatieveWaarde>13</", "<rol:kwantitatieveWaarde>12.5</"))
    gdf, _ = build(omgevingsnorm.SPEC, delivery)
    assert set(gdf["normwaarde_label"]) == {"12,5 meter"} and len(gdf) == 2


# --- activiteit_locatie -----------------------------------------------------------------------------------------

def test_activiteit_locaties(corrected):
    gdf, sources = build(activiteit_locatie.SPEC, corrected)
    assert set(gdf["regelkwalificatie"]) == {"vergunningplicht"}
    assert set(gdf["groep_label"]) == {"exploitatieactiviteit detailhandel"}
    assert set(gdf["naam"]) == {"exploiteren van een verkooppunt voor motorbrandstoffen niet zijnde lpg"}
    assert len(gdf) == 5 and (gdf.geometry.area > 0).all() and reasons(sources, "activiteit_locatie") == {}
    point = with_tpod_codes(GEMEENTESTAD_OW, corrected.parent / "punt")  # a Punt, not an area: quarantined
    ow = point / "ow1.xml"
    ow.write_text(ow.read_text().replace("A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED",
                                         "C28AF779-7EDD-4A88-8B11-809798F53611PUNT"))
    gdf, sources = build(activiteit_locatie.SPEC, point)
    assert gdf.empty and reasons(sources, "activiteit_locatie") == {"geometry type is not MultiPolygon": 5}


def test_real_example_activities_without_geometry_are_quarantined():
    gdf, sources = build(activiteit_locatie.SPEC, GEMEENTESTAD_TPOD1880)
    assert gdf.empty
    quarantined = reasons(sources, "activiteit_locatie")
    assert quarantined["activiteit nl.imow-gm0037.activiteit.2019000245 is not in the delivery"] == 1
    root = etree.parse(str(GEMEENTESTAD_TPOD1880 / "tpod1880.xml")).getroot()
    alas = set(root.xpath("//*[local-name()='ActiviteitLocatieaanduiding']/*[local-name()='identificatie']/text()"))
    assert sum(n for r, n in quarantined.items() if "is in no GIO of the delivery" in r) == len(alas) - 1 == 13


# --- the builder: optional layers, failed builds, only the needed base layers -----------------------------------

def boundaries(tmp_path: Path) -> Path:
    """A municipal boundary file as CBS delivers it, for GM0297 (around the example plan)."""
    path = tmp_path / "gemeenten.gpkg"
    gpd.GeoDataFrame({"statcode": ["GM0297"], "statnaam": ["Zaltbommel"], "jrstatcode": ["2022GM0297"]},
                     geometry=[AREA], crs="EPSG:28992").to_file(path, layer="gemeenten")
    return path


def test_a_geopackage_source_publishes_the_new_layers_empty(tmp_path, caplog):
    registry = Registry.of([gemeentegebied.SPEC, omgevingsnorm.SPEC, activiteit_locatie.SPEC], [])
    plan = tmp_path / "omgevingsplan_GM0297.gpkg"
    plan.write_bytes(b"not read: no DSO delivery")
    overrides = {"omgevingsplan": plan, "gemeentegrenzen": boundaries(tmp_path)}
    with caplog.at_level(logging.WARNING):
        report = build_layers(registry, None, "GM0297", tmp_path / "s.gpkg", tmp_path, overrides)
    assert [(r.name, r.features) for r in report.layers] == [("gemeentegebied", 1), ("omgevingsnorm", 0),
                                                             ("activiteit_locatie", 0)]
    store = GeoPackageStore(tmp_path / "s.gpkg")
    assert store.layers() == ["gemeentegebied", "omgevingsnorm", "activiteit_locatie"]
    empty = pyogrio.read_dataframe(tmp_path / "s.gpkg", layer="omgevingsnorm")  # GDAL: a valid, empty table
    assert len(empty) == 0 and list(empty.columns) == [*omgevingsnorm.SCHEMA.columns, "geometry"]
    assert pyogrio.read_info(tmp_path / "s.gpkg", layer="omgevingsnorm")["geometry_type"] == "MultiPolygon"
    assert f"omgevingsnorm: {plan} is not a DSO delivery (folder or .zip)" in caplog.text
    assert "omgevingsnorm: no features in" in caplog.text and "published empty" in caplog.text
    records = json.loads(catalogue_path(store).read_text())["_default"].values()
    geometry = {r["id"]: r["geometry"] for r in records}
    assert geometry["omgevingsnorm"] == geometry["gemeentegebied"] is not None  # an empty dataset: its area


def test_a_failed_build_keeps_the_published_norms(corrected, tmp_path):
    registry = Registry.of([gemeentegebied.SPEC, omgevingsnorm.SPEC], [])
    store, grenzen = tmp_path / "s.gpkg", boundaries(tmp_path)
    build_layers(registry, None, "GM0297", store, tmp_path, {"omgevingsplan": corrected, "gemeentegrenzen": grenzen})
    ow = corrected / "ow1.xml"
    ow.write_bytes(ow.read_bytes()[:20_000])
    with pytest.raises(SourceError, match=re.escape(f"{ow}: not well-formed XML")):
        build_layers(registry, ["omgevingsnorm"], "GM0297", store, tmp_path, {"omgevingsplan": corrected})
    assert len(pyogrio.read_dataframe(store, layer="omgevingsnorm")) == 2


def test_geo_build_any_gemeente_without_its_bag(corrected, tmp_path):
    store = tmp_path / "x.gpkg"
    result = CliRunner().invoke(main, [
        "-q", "build", "omgevingsplan_functie", "omgevingsnorm", "activiteit_locatie", "--gemeente", "GM0297",
        "--source", f"omgevingsplan={corrected}", "--source", f"gemeentegrenzen={boundaries(tmp_path)}",
        "--data", str(tmp_path / "geen-data"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    published = set(GeoPackageStore(store).layers())
    assert {"gemeentegebied", "omgevingsplan_functie", "omgevingsnorm", "activiteit_locatie"} <= published
    assert not published & {"pand", "verblijfsobject", "natura2000_gebied", "stikstofbron"}
    norms = pyogrio.read_dataframe(store, layer="omgevingsnorm")
    assert sorted(norms["normwaarde_kwantitatief"]) == [200.0, 200.0]


def test_geo_build_refuses_a_store_of_another_gemeente(corrected, tmp_path):
    registry = Registry.of([gemeentegebied.SPEC, omgevingsnorm.SPEC], [])
    store = tmp_path / "s.gpkg"
    build_layers(registry, ["gemeentegebied"], "GM0297", store, tmp_path, {"gemeentegrenzen": boundaries(tmp_path)})
    result = CliRunner().invoke(main, ["build", "omgevingsnorm", "--gemeente", "GM0441", "--store", str(store),
                                       "--source", f"omgevingsplan={corrected}"])
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == (
        f"Error: {store}: holds gemeente ['GM0297'], not GM0441; use another --store or build all layers")


# --- what a visitor sees: the collections' items pages, offline, in headless Chromium ---------------------------

@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.parametrize("collection, features", [("omgevingsnorm", 2), ("activiteit_locatie", 5),
                                                  ("omgevingsplan_functie", 1)])
def test_items_page_draws_every_feature_offline(dso_server, collection, features):
    from helpers.cdp import Browser

    url = f"{dso_server}/collections/{collection}/items?f=html"
    drawn = "document.querySelectorAll('#items-map path.leaflet-interactive').length"
    with Browser() as browser:
        page = browser.open("about:blank")
        page.send("Network.enable")
        page.send("Network.setBlockedURLs", {"urls": CDNS})
        page.send("Page.navigate", {"url": url})
        page.wait_for(f"document.readyState === 'complete' && {drawn} >= {features}")
        page.evaluate("new Promise(r => setTimeout(r, 500))")
        assert page.evaluate(drawn) == features
        page.screenshot(ARTEFACTS / f"dso_{collection}_items.png")
        assert page.errors() == []


@pytest.fixture(scope="module")
def dso_server(tmp_path_factory):
    """``geo serve`` on a store built from the corrected example delivery for GM0297 (no BAG, no sample data)."""
    folder = tmp_path_factory.mktemp("dso_server")
    delivery = with_tpod_codes(GEMEENTESTAD_OW, folder / "levering")
    store = folder / "x.gpkg"
    result = CliRunner().invoke(main, [
        "-q", "build", "omgevingsplan_functie", "omgevingsnorm", "activiteit_locatie", "--gemeente", "GM0297",
        "--source", f"omgevingsplan={delivery}", "--source", f"gemeentegrenzen={boundaries(folder)}",
        "--data", str(folder / "geen-data"), "--store", str(store)])
    assert result.exit_code == 0, result.output
    proc, url = start_server(store, folder / "server.log")
    yield url
    stop_server(proc)


# --- the QGIS styles --------------------------------------------------------------------------------------------

def test_styles_are_well_formed_and_each_value_falls_in_one_class():
    import operator
    import xml.etree.ElementTree as ET

    from geo.render import styles

    for spec in (omgevingsnorm.SPEC, activiteit_locatie.SPEC):
        ET.fromstring(styles.qml(spec)), ET.fromstring(styles.sld(spec))
    ops = {"<": operator.lt, ">=": operator.ge, "=": operator.eq}
    rules = [r for r in omgevingsnorm.SPEC.style.rules if not r.otherwise]
    for value in (0.0, 4.99, 5, 13, 24.9, 25, 200):
        matching = [r.label for r in rules if all(ops[c.op](value, c.value) for c in r.where)]
        assert len(matching) == 1, (value, matching)
    assert "vergunningplicht" in activiteit_locatie.SPEC.style.colours("regelkwalificatie")


def test_refresh_rebuilds_an_empty_norm_layer_when_the_plan_changed(corrected, tmp_path):
    from geo.build.refresh import refresh

    registry = Registry.of([gemeentegebied.SPEC, omgevingsplan_functie.SPEC, omgevingsnorm.SPEC], [])
    ow = corrected / "ow1.xml"
    good = ow.read_text()
    ow.write_text(good.replace("typenorm/id/concept/MaximumBouwhoogte", "typenorm/id/concept/Onbekend"))
    store, data = tmp_path / "s.gpkg", tmp_path / "data"  # the sources lie outside the data folder: --source
    overrides = {"omgevingsplan": corrected, "gemeentegrenzen": boundaries(tmp_path)}
    build_layers(registry, None, "GM0297", store, data, overrides)
    assert len(GeoPackageStore(store).read("omgevingsnorm")) == 0
    assert refresh(registry, store, data).rebuilt == []  # not rebuilt on every refresh
    ow.write_text(good)
    assert refresh(registry, store, data).rebuilt == ["omgevingsplan_functie", "omgevingsnorm"]
    assert len(GeoPackageStore(store).read("omgevingsnorm")) == 2


AMBTSGEBIED = """<sl:stand><ow-dc:owObject><l:Ambtsgebied>
  <l:identificatie>nl.imow-gm0037.ambtsgebied.1</l:identificatie>
  <l:bestuurlijkeGrenzenVerwijzing><l:BestuurlijkeGrenzenVerwijzing>
    <l:bestuurlijkeGrenzenID>{code}</l:bestuurlijkeGrenzenID><l:domein>NL.BI.BestuurlijkGebied</l:domein>
    <l:geldigOp>2024-01-01</l:geldigOp>
  </l:BestuurlijkeGrenzenVerwijzing></l:bestuurlijkeGrenzenVerwijzing>
</l:Ambtsgebied></ow-dc:owObject></sl:stand>"""


@pytest.mark.parametrize("code, located", [("GM0297", True), ("gm0297", True), ("GM0441", False)])
def test_a_norm_on_the_ambtsgebied_covers_the_municipality(corrected, code, located):
    """Locations on 'gebied.2019000008' (not delivered) made the municipality's Ambtsgebied: those norms then
    cover the municipal area; an Ambtsgebied of another municipality stays unresolved."""
    ow = corrected / "ow1.xml"
    text = ow.read_text().replace('"nl.imow-gm0037.gebied.2019000008"', '"nl.imow-gm0037.ambtsgebied.1"')
    ow.write_text(text.replace("</sl:standBestand>", AMBTSGEBIED.format(code=code) + "</sl:standBestand>", 1))
    gdf, sources = build(omgevingsnorm.SPEC, corrected)
    on_ambtsgebied = gdf[gdf["locatie_id"] == "nl.imow-gm0037.ambtsgebied.1"]
    if located:
        assert len(on_ambtsgebied) == 9 and on_ambtsgebied.geometry.area.tolist() == pytest.approx([AREA.area] * 9)
    else:
        assert on_ambtsgebied.empty
        assert reasons(sources, "omgevingsnorm")["locatie nl.imow-gm0037.ambtsgebied.1 is the Ambtsgebied of "
                                                 "GM0441: not in the delivery; only GM0297 is known"] == 9


def test_a_gemeente_outside_nhn_takes_its_boundary_from_the_national_file(corrected, tmp_path):
    """`geo build omgevingsplan_functie omgevingsnorm --gemeente GM0297 --source omgevingsplan=…` as the issue
    writes it: no boundary file given, no BAG; Zaltbommel's boundary comes from CBS' national file (oracle: that
    file read with pyogrio)."""
    from click.testing import CliRunner

    from omgevingsgeo.cli import main

    from helpers.paths import DATA

    store, data = tmp_path / "x.gpkg", tmp_path / "data"
    shutil.copytree(DATA / "sources" / "gemeentegrenzen", data / "sources" / "gemeentegrenzen")
    result = CliRunner().invoke(main, ["-q", "build", "omgevingsplan_functie", "omgevingsnorm", "--gemeente", "GM0297",
                                       "--source", f"omgevingsplan={corrected}", "--data", str(data),
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    national = pyogrio.read_dataframe(DATA / "sources" / "gemeentegrenzen" / "gemeente_gegeneraliseerd_2022_nl_rd.gpkg")
    truth = national.loc[national["statcode"] == "GM0297"].geometry.iloc[0]
    got = pyogrio.read_dataframe(store, layer="gemeentegebied")
    assert list(got["statcode"]) == ["GM0297"] and abs(got.geometry.iloc[0].area - truth.area) < 1.0
    assert set(GeoPackageStore(store).layers()) >= {"omgevingsplan_functie", "omgevingsnorm"}
    assert "pand" not in GeoPackageStore(store).layers()
