"""The DSO reader (geo.formats.dso) on two real Geonovum example deliveries, against an oracle that shares no
code with it: an XPath walk over the raw OW files written here, GDAL (pyogrio) reading the GIOs it can read, and a
regular-expression parse of the coordinates for the GIO GDAL cannot read. Unsafe, malformed and truncated files
are refused with one line naming the file; objects that cannot be located become problems with the reason."""

import re
import zipfile
from pathlib import Path

import pyogrio
import pytest
import shapely
from lxml import etree
from shapely.geometry import LineString, Point, Polygon

from geo.core.errors import SourceError
from geo.formats.dso import read_delivery

from helpers.dso_delivery import GEMEENTESTAD_OW, GEMEENTESTAD_TPOD1880, with_tpod_codes, zipped

XLINK = "http://www.w3.org/1999/xlink"
NORMS = ("Omgevingsnorm", "Omgevingswaarde")


# --- the oracle: written apart from the reader -----------------------------------------------------------------

def ow_objects(folder: Path) -> dict:
    """identificatie -> element of every OW object, by XPath on local names."""
    objects = {}
    for file in sorted(folder.glob("*.xml")):
        root = etree.parse(str(file)).getroot()  # trusted: our own test input
        if etree.QName(root).localname != "owBestand":
            continue
        for element in root.xpath("//*[local-name()='owObject']/*"):
            objects[element.xpath("string(*[local-name()='identificatie'])")] = element
    return objects


def text(element, name: str) -> str | None:
    value = element.xpath(f"string(*[local-name()='{name}'])").strip()
    return value or None


def hrefs(element, path: str) -> list[str]:
    return element.xpath(f"{path}/*/@xlink:href", namespaces={"xlink": XLINK})


def gdal_geometries(folder: Path) -> dict:
    """basisgeo:id -> geometry of the GIOs GDAL reads as features (those with geo:featureMember)."""
    found = {}
    for gio in sorted(folder.glob("*.gml")):
        frame = pyogrio.read_dataframe(gio, layer="Locatie", WRITE_GFS="NO")
        found.update(zip(frame["id"], frame.geometry))
    return found


def regex_geometries(gio: Path) -> dict:
    """basisgeo:id -> geometry, from the numbers in each Geometrie block (GDAL does not read this file)."""
    found = {}
    for block in re.findall(r"<basisgeo:Geometrie\b.*?</basisgeo:Geometrie>", gio.read_text(), flags=re.S):
        ident = re.search(r"<basisgeo:id>(.*?)</basisgeo:id>", block).group(1)
        numbers = [float(v) for v in re.findall(r"<gml:(?:posList|coordinates)[^>]*>(.*?)</", block, re.S)[0].split()]
        xy = list(zip(numbers[0::2], numbers[1::2]))
        found[ident] = Polygon(xy) if "Polygon" in block else LineString(xy) if "LineString" in block else Point(xy[0])
    return found


def expected_location(objects: dict, geometries: dict, ref: str):
    """The geometry of a location, or None when any step does not resolve."""
    element = objects.get(ref)
    if element is None:
        return None
    kind = etree.QName(element).localname
    if kind.endswith("groep"):
        members = [expected_location(objects, geometries, m) for m in hrefs(element, "*[local-name()='groepselement']")]
        return None if not members or any(m is None for m in members) else shapely.union_all(members)
    refs = hrefs(element, "*[local-name()='geometrie']")
    return geometries.get(refs[0]) if refs else None


def expected_gebiedsaanwijzingen(objects: dict, geometries: dict) -> dict:
    found = {}
    for ident, element in objects.items():
        if etree.QName(element).localname == "Gebiedsaanwijzing":
            shapes = [expected_location(objects, geometries, r)
                      for r in hrefs(element, "*[local-name()='locatieaanduiding']")]
            if shapes and all(s is not None for s in shapes):
                found[ident] = (text(element, "naam"), text(element, "type"), text(element, "groep"),
                                shapely.union_all(shapes))
    return found


def expected_norm_rows(objects: dict, geometries: dict) -> dict:
    """(normwaarde id, locatie id) -> (norm id, soort, naam, kwantitatief, kwalitatief, geometry)."""
    rows = {}
    for ident, element in objects.items():
        kind = etree.QName(element).localname
        if kind not in NORMS:
            continue
        for waarde in element.xpath("*[local-name()='normwaarde']/*[local-name()='Normwaarde']"):
            number = text(waarde, "kwantitatieveWaarde")
            for ref in hrefs(waarde, "*[local-name()='locatieaanduiding']"):
                shape = expected_location(objects, geometries, ref)
                if shape is not None:
                    rows[(text(waarde, "identificatie"), ref)] = (
                        ident, kind.lower(), text(element, "naam"), float(number) if number else None,
                        text(waarde, "kwalitatieveWaarde"), shape)
    return rows


def same_shape(a, b) -> bool:
    return a.geom_type.removeprefix("Multi") == b.geom_type.removeprefix("Multi") and \
        a.symmetric_difference(b).area < 1e-6 and abs(a.area - b.area) < 1e-6 and a.length == pytest.approx(b.length)


# --- the reader against the oracle -----------------------------------------------------------------------------

def test_gemeentestad_gebiedsaanwijzingen_match_the_oracle():
    objects = ow_objects(GEMEENTESTAD_OW)
    expected = expected_gebiedsaanwijzingen(objects, regex_geometries(GEMEENTESTAD_OW / "Geometrie.gml"))
    found = read_delivery(GEMEENTESTAD_OW).gebiedsaanwijzingen.set_index("identificatie")
    assert sorted(found.index) == sorted(expected) == ["nl.imow-gm0037.gebiedsaanwijzing.201900001"]
    for ident, (naam, kind, groep, shape) in expected.items():
        row = found.loc[ident]
        assert (row["naam"], row["type"], row["groep"]) == (naam, kind, groep)
        assert same_shape(row.geometry, shape)


@pytest.mark.parametrize("folder, gio", [(GEMEENTESTAD_OW, "regex"), (GEMEENTESTAD_TPOD1880, "gdal")])
def test_norm_values_and_locations_match_the_oracle(folder, gio):
    geometries = regex_geometries(folder / "Geometrie.gml") if gio == "regex" else gdal_geometries(folder)
    expected = expected_norm_rows(ow_objects(folder), geometries)
    normen = read_delivery(folder).normen
    found = {(r.normwaarde_id, r.locatie_id): r for r in normen.itertuples()}
    assert set(found) == set(expected) and expected
    for key, (ident, soort, naam, number, quality, shape) in expected.items():
        row = found[key]
        assert (row.identificatie, row.soort, row.naam) == (ident, soort, naam)
        assert (row.kwantitatief if number is not None else None) == number
        assert row.kwalitatief == quality
        assert same_shape(row.geometry, shape)


def test_tpod1880_maximum_bouwhoogte_13_on_the_gio_areas():
    """The norm locations of the second delivery that resolve: 13 (metres) on two areas of its GIOs."""
    normen = read_delivery(GEMEENTESTAD_TPOD1880).normen.sort_values("locatie_id")
    assert set(zip(normen["naam"], normen["kwantitatief"])) == {("maximum bouwhoogte", 13.0)}
    assert list(normen["locatie_id"]) == ["nl.imow-gm0037.gebied.2019000010", "nl.imow-gm0037.gebied.2019000011"]
    gdal = gdal_geometries(GEMEENTESTAD_TPOD1880)
    assert normen.geometry.iloc[0].area == pytest.approx(gdal["954BA8CC-6E90-4698-BEEC-005A65C63E98"].area)


def test_unlocatable_objects_are_problems_with_the_reason():
    objects = ow_objects(GEMEENTESTAD_OW)
    geometries = regex_geometries(GEMEENTESTAD_OW / "Geometrie.gml")
    unresolved = {ident for ident, el in objects.items() if etree.QName(el).localname == "Gebiedsaanwijzing"
                  and ident not in expected_gebiedsaanwijzingen(objects, geometries)}
    problems = read_delivery(GEMEENTESTAD_OW).problems
    by_object = {p.identificatie: p for p in problems if p.objecttype == "Gebiedsaanwijzing"}
    assert set(by_object) == unresolved == {"nl.imow-gm0037.gebiedsaanwijzing.201900002",
                                            "nl.imow-gm0037.gebiedsaanwijzing.201900003"}
    assert by_object["nl.imow-gm0037.gebiedsaanwijzing.201900003"].reason == \
        "locatie nl.imow-gm0037.gebiedje.201900001 is not in the delivery"
    assert all(p.bestand.endswith("ow1.xml") for p in problems)
    missing_geometry = [p for p in read_delivery(GEMEENTESTAD_TPOD1880).problems if "is in no GIO" in p.reason]
    assert missing_geometry and all("geometry " in p.reason for p in missing_geometry)


def test_activiteit_locations_through_the_juridische_regels(tmp_path):
    corrected = with_tpod_codes(GEMEENTESTAD_OW, tmp_path / "levering")
    found = read_delivery(corrected).activiteit_locaties.set_index("identificatie")
    objects = ow_objects(corrected)
    for ident, row in found.iterrows():
        activiteit = objects[row["activiteit_id"]]
        assert row["naam"] == text(activiteit, "naam") and row["groep"] == text(activiteit, "groep")
        regel = objects[row["juridische_regel"]]
        assert ident in regel.xpath(".//*[local-name()='ActiviteitLocatieaanduiding']/*[local-name()="
                                    "'identificatie']/text()")
    assert len(found) == 5 and set(found["regelkwalificatie"]) == {
        "http://standaarden.omgevingswet.overheid.nl/activiteitregelkwalificatie/id/concept/Vergunningplicht"}


def test_a_zip_reads_as_the_folder(tmp_path):
    archive = zipped(GEMEENTESTAD_OW, tmp_path / "levering.zip")
    folder, packed = read_delivery(GEMEENTESTAD_OW), read_delivery(archive)
    for part in ("gebiedsaanwijzingen", "normen"):
        a, b = getattr(folder, part).drop(columns="bestand"), getattr(packed, part).drop(columns="bestand")
        assert a.to_wkt().equals(b.to_wkt())
    assert packed.problems[0].bestand.startswith(f"{archive}!levering/")


# --- refused input: one line naming the file --------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE owBestand [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ow-dc:owBestand xmlns:ow-dc="http://www.geostandaarden.nl/imow/bestanden/deelbestand">&lol9;</ow-dc:owBestand>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!-- an external entity: the parser must not read the file -->
<!DOCTYPE owBestand [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<ow-dc:owBestand xmlns:ow-dc="http://www.geostandaarden.nl/imow/bestanden/deelbestand">&secret;</ow-dc:owBestand>
"""


@pytest.mark.parametrize("content", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entities_are_refused_naming_the_file(tmp_path, content):
    shutil_copy(GEMEENTESTAD_OW, tmp_path)
    bad = tmp_path / "owKwaadaardig.xml"
    bad.write_text(content)
    with pytest.raises(SourceError) as err:
        read_delivery(tmp_path)
    message = str(err.value)
    assert str(bad) in message and "DOCTYPE" in message and "\n" not in message
    assert "root:" not in message  # nothing of /etc/passwd


def test_truncated_ow_file_stops_the_read_naming_it(tmp_path):
    shutil_copy(GEMEENTESTAD_OW, tmp_path)
    ow = tmp_path / "ow1.xml"
    ow.write_bytes(ow.read_bytes()[:30_000])
    with pytest.raises(SourceError, match=rf"^{re.escape(str(ow))}: not well-formed XML, truncated or damaged"):
        read_delivery(tmp_path)


def test_truncated_zip_and_zip_bomb_are_refused(tmp_path):
    archive = zipped(GEMEENTESTAD_OW, tmp_path / "levering.zip")
    cut = tmp_path / "afgebroken.zip"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(SourceError, match=re.escape(str(cut))):
        read_delivery(cut)
    bomb = tmp_path / "bom.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("ow.xml", b"<a>" + b" " * 30_000_000 + b"</a>")
    with pytest.raises(SourceError, match=r"bom\.zip!ow\.xml: unpacks to 30,000,007 bytes .*zip bomb"):
        read_delivery(bomb)


def test_a_delivery_without_ow_files_is_refused(tmp_path):
    (tmp_path / "Geometrie.gml").write_bytes((GEMEENTESTAD_OW / "Geometrie.gml").read_bytes())
    with pytest.raises(SourceError, match=r"no OW file \(root ow-dc:owBestand\) in this delivery"):
        read_delivery(tmp_path)


@pytest.mark.parametrize("damage, reason", [
    (lambda t: t.replace("424712.302960418 138554.555403801", "424712.302960418", 1), "do not form"),
    (lambda t: t.replace('srsName="urn:ogc:def:crs:EPSG::28992"', 'srsName="urn:ogc:def:crs:EPSG::4258"'),
     "srsName urn:ogc:def:crs:EPSG::4258; expected EPSG:28992"),
    (lambda t: t.replace("gml:MultiSurface", "gml:Tin"), "GML geometry type Tin is not supported"),
])
def test_an_unreadable_gio_geometry_is_a_problem_of_the_object(tmp_path, damage, reason):
    shutil_copy(GEMEENTESTAD_OW, tmp_path)
    gio = tmp_path / "Geometrie.gml"
    gio.write_text(damage(gio.read_text()))
    found = read_delivery(tmp_path)
    assert found.gebiedsaanwijzingen.empty
    problem = next(p for p in found.problems if p.identificatie == "nl.imow-gm0037.gebiedsaanwijzing.201900001")
    assert "A0EA019E-3C96-4631-A76C-35BCF4D7AB11GEBIED in the GIO is unreadable" in problem.reason
    assert reason in problem.reason


def shutil_copy(source: Path, target: Path) -> None:
    for file in source.iterdir():
        (target / file.name).write_bytes(file.read_bytes())
