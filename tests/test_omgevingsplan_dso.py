"""The sample omgevingsplan as a DSO delivery (STOP/TPOD), written by ``geo sample`` beside the GeoPackage.

Oracles that share no code with ``samples/``: the official XSDs (IMOW 3.1.0, STOP 1.3.0, GML 3.2.1) through lxml,
a minimal lxml walk of the files (``helpers.dso``), and the GeoPackage read by pyogrio with shapely comparing
geometries.
"""

import shutil

import geopandas as gpd
import pytest
import shapely
from lxml import etree

from geo.render.voorbeelddata import is_generated
from samples.omgevingsplan_dso import write_dso_delivery

from helpers.dso import HREF, NS, delivery_files, gio_geometries, location_geometry, ow_objects, schema_errors

TPOD = "http://standaarden.omgevingswet.overheid.nl"
NATURA2000 = "sources/natura2000/natura2000_nhn_rd.gpkg"


@pytest.fixture(scope="module")
def delivery(data_dir):
    return data_dir / "generated" / "omgevingsplan_GM0441_dso"


@pytest.fixture(scope="module")
def plan(data_dir) -> gpd.GeoDataFrame:
    return gpd.read_file(data_dir / "generated" / "omgevingsplan_GM0441.gpkg", engine="pyogrio")


@pytest.fixture(scope="module")
def stikstofgevoelig(data_dir) -> set[str]:
    areas = gpd.read_file(data_dir / NATURA2000, engine="pyogrio")
    return set(areas.loc[areas["stikstofgevoelig"].astype(bool), "naam"])


@pytest.fixture(scope="module")
def objects(delivery):
    return ow_objects(delivery)


@pytest.fixture(scope="module")
def geometries(delivery):
    return gio_geometries(delivery)


def test_every_file_validates_against_the_official_schemas(delivery):
    files = delivery_files(delivery)
    names = {p.name for p in files}
    assert {"manifest-ow.xml", "locaties.xml", "gebiedsaanwijzingen.xml", "juridischeregels.xml", "regelteksten.xml",
            "activiteiten.xml", "omgevingsnormen.xml", "omgevingswaarden.xml", "functie-wonen.gml",
            "ambtsgebied.gml"} <= names
    assert [e for p in files for e in schema_errors(p)] == []


def test_the_schema_check_catches_a_broken_file(delivery, tmp_path):
    """A Gebiedsaanwijzing without its groep, an unknown element: the oracle is not vacuous."""
    text = (delivery / "gebiedsaanwijzingen.xml").read_text(encoding="utf-8")
    start = text.index("<ga:groep>")
    broken = tmp_path / "gebiedsaanwijzingen.xml"
    broken.write_text(text[:start] + text[text.index("</ga:groep>", start) + len("</ga:groep>"):], encoding="utf-8")
    assert any("locatieaanduiding" in e and "groep" in e for e in schema_errors(broken))
    gio = (delivery / "gio" / "functie-wonen.gml").read_text(encoding="utf-8")
    renamed = gio.replace("<geo:naam>", "<geo:titel>", 1).replace("</geo:naam>", "</geo:titel>", 1)
    (tmp_path / "gio.gml").write_text(renamed, encoding="utf-8")
    assert schema_errors(tmp_path / "gio.gml")


def test_every_reference_resolves(delivery, objects, geometries):
    """xlink:hrefs point at objects of the delivery (or the Rijk's activity), GeometrieRefs at a basisgeo:id."""
    hrefs = {e.get(HREF) for p in delivery.glob("*.xml") for e in etree.parse(str(p)).iter() if e.get(HREF)}
    locaties = etree.parse(str(delivery / "locaties.xml"))
    geometrie_refs = {e.get(HREF) for e in locaties.iterfind(".//l:GeometrieRef", NS)}
    assert geometrie_refs and geometrie_refs <= set(geometries)
    unresolved = hrefs - geometrie_refs - set(objects)
    assert unresolved == {"nl.imow-mnre1034.activiteit.ActInOmgevingsplan"}
    assert len(geometries) == len(geometrie_refs)  # no geometry without its Gebied


def test_gebiedsaanwijzingen_are_the_geopackage_plan(plan, objects, geometries):
    """Same identificatie, naam and geometry (mm coordinates) per gebiedsaanwijzing; type Functie for functies, type
    Natuur for natuur (TPOD has no natuur functiegroep)."""
    aanwijzingen = {k: v for k, v in objects.items() if etree.QName(v).localname == "Gebiedsaanwijzing"}
    assert set(aanwijzingen) == set(plan["identificatie"])
    for row in plan.itertuples():
        obj = aanwijzingen[row.identificatie]
        assert obj.findtext("ga:naam", namespaces=NS) == row.naam
        expected_type = ("Natuur" if row.groep == "natuur" else "Functie") if row.type == "functie" else "Geluid"
        assert obj.findtext("ga:type", namespaces=NS) == f"{TPOD}/typegebiedsaanwijzing/id/concept/{expected_type}"
        assert obj.findtext("ga:groep", namespaces=NS).startswith(f"{TPOD}/{expected_type.lower()}/id/concept/")
        locatie = obj.find("ga:locatieaanduiding/l:LocatieRef", NS).get(HREF)
        geometry = location_geometry(objects, geometries, locatie)
        assert shapely.symmetric_difference(geometry, row.geometry).area < 1e-4 * row.geometry.area + 1.0, row.naam
    functies = {o.findtext("ga:groep", namespaces=NS).rsplit("/", 1)[1] for o in aanwijzingen.values()}
    assert {"Wonen", "Agrarisch", "Bedrijventerrein", "Centrumgebied", "AandachtsgebiedGeluid"} <= functies


def test_omgevingswaarden_carry_value_unit_and_location(delivery, objects, geometries, plan, stikstofgevoelig):
    waarden = {k: v for k, v in objects.items() if etree.QName(v).localname == "Omgevingswaarde"}
    assert set(waarden) == {f"nl.imow-gm0441.omgevingswaarde.{k}" for k in ("stikstofdepositie", "ammoniakemissie",
                                                                           "geluid")}
    for obj in waarden.values():
        assert obj.findtext("rol:eenheid", namespaces=NS).startswith(f"{TPOD}/eenheid/id/concept/")
        assert float(obj.findtext(".//rol:kwantitatieveWaarde", namespaces=NS)) > 0
    stikstof = waarden["nl.imow-gm0441.omgevingswaarde.stikstofdepositie"]
    assert stikstof.findtext("rol:naam", namespaces=NS).endswith("uiterlijk 2035")
    locatie = stikstof.find(".//rol:Normwaarde/rol:locatieaanduiding/l:LocatieRef", NS).get(HREF)
    parts = plan[plan["naam"].isin({f"Natuur - {n}" for n in stikstofgevoelig})]
    assert 0 < len(parts) < len(plan[plan["groep"] == "natuur"]) - 1  # without the dunes and Abtskolk (birds only)
    natura = parts.geometry.union_all()
    located = location_geometry(objects, geometries, locatie)
    assert shapely.symmetric_difference(located, natura).area < 1e-5 * natura.area
    regel = next(v for v in objects.values() if etree.QName(v).localname == "Omgevingswaarderegel")
    assert {r.get(HREF) for r in regel.iterfind(".//rol:OmgevingswaardeRef", NS)} == set(waarden)


def test_regels_activiteiten_and_bouwhoogte(objects):
    regels = [v for v in objects.values() if etree.QName(v).localname == "RegelVoorIedereen"]
    assert len(regels) == 10  # one per groep, as the GeoPackage's artikelnummer
    artikelen = {r.find("r:artikelOfLid/r:RegeltekstRef", NS).get(HREF) for r in regels}
    assert artikelen <= set(objects)
    activiteiten = {v.findtext("rol:naam", namespaces=NS) for v in objects.values()
                    if etree.QName(v).localname == "Activiteit"}
    assert "Houden van landbouwhuisdieren" in activiteiten
    bouwhoogte = objects["nl.imow-gm0441.omgevingsnorm.bouwhoogte"]
    assert bouwhoogte.findtext("rol:eenheid", namespaces=NS) == f"{TPOD}/eenheid/id/concept/Meter"
    wonen = bouwhoogte.find(".//rol:Normwaarde[rol:identificatie='nl.imow-gm0441.normwaarde.bouwhoogtewonen']", NS)
    assert wonen.findtext("rol:kwantitatieveWaarde", namespaces=NS) == "10"


def test_delivery_says_it_is_voorbeelddata(delivery):
    assert is_generated(delivery / "locaties.xml")
    assert "voorbeelddata" in (delivery / "README.md").read_text(encoding="utf-8").lower()
    for path in delivery.glob("*.xml"):
        dataset = etree.parse(str(path)).findtext(".//sl:dataset", namespaces=NS)
        assert dataset is None or "voorbeelddata" in dataset
    for path in (delivery / "gio").glob("*.gml"):
        assert "/voorbeelddata-" in etree.parse(str(path)).findtext(".//geo:FRBRWork", namespaces=NS)


def test_same_plan_same_delivery_and_old_folder_replaced(plan, delivery, data_dir, stikstofgevoelig, tmp_path):
    """Written again from the GeoPackage: byte for byte what geo sample wrote; a stale file disappears."""
    gemeenten = gpd.read_file(data_dir / "sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nhn_rd.gpkg")
    area = gemeenten[gemeenten["statcode"] == "GM0441"].geometry.union_all()
    nh3 = float(objects_value(delivery, "ammoniakemissie")) / 0.9
    out = tmp_path / "omgevingsplan_GM0441_dso"
    shutil.copytree(delivery, out)
    (out / "stale.xml").write_text("old", encoding="utf-8")
    write_dso_delivery(plan, out, "Schagen", area, nh3, "gm0441", stikstofgevoelig)
    assert not (out / "stale.xml").exists()
    for path in delivery_files(delivery):
        assert (out / path.relative_to(delivery)).read_bytes() == path.read_bytes(), path.name


def objects_value(delivery, key: str) -> str:
    doc = etree.parse(str(delivery / "omgevingswaarden.xml"))
    normwaarde = f".//rol:Normwaarde[rol:identificatie='nl.imow-gm0441.normwaarde.{key}']"
    return doc.findtext(f"{normwaarde}/rol:kwantitatieveWaarde", namespaces=NS)
