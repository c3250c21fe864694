"""BAG readers on real deliveries: the LVBAG XML extract and PDOK's BAG GeoPackage."""

import shutil

import pytest

from geo.core.errors import SourceError
from geo.formats.bag import read_bag

from helpers.paths import TESTDATA


@pytest.fixture
def lvbag(tmp_path):
    folder = tmp_path / "lvbag"
    shutil.copytree(TESTDATA / "lvbag", folder)
    return folder


def test_lvbag_pand_keeps_the_current_voorkomen_only(lvbag):
    pand = read_bag(lvbag)["pand"].set_index("identificatie")
    assert len(pand) == 5  # pnd.xml: 6 voorkomens of 4 panden; pnd2.xml: 1 pand
    assert pand.loc["0106100000000000", "status"] == "Pand in gebruik"  # the third voorkomen
    assert pand.loc["0106100000000000", "bouwjaar"] == 2009
    assert "0571100000003518" in pand.index  # written without leading zero in the file
    assert pand.crs.to_epsg() == 28992 and not pand.has_z.any()


def test_lvbag_verblijfsobject_drops_ended_objects_and_joins_lists(lvbag):
    vbo = read_bag(lvbag)["verblijfsobject"].set_index("identificatie")
    assert "0879010000005729" not in vbo.index  # vbo2.xml: eindGeldigheid set
    assert "0048010000005131" not in vbo.index  # file4.vbo: ended too
    assert vbo.loc["0855010000097676", "gebruiksdoel"] == "industriefunctie"
    assert vbo.loc["0855010000097676", "oppervlakte"] == 1758
    assert vbo.loc["0106010000004330", "pandidentificatie"] == "0106100000014724"


def test_lvbag_never_writes_into_the_source_folder(lvbag):
    before = sorted(p.name for p in lvbag.iterdir())
    read_bag(lvbag)
    assert sorted(p.name for p in lvbag.iterdir()) == before


def test_pdok_gokoala_geopackage_maps_to_pdok_names(tmp_path):
    vbo = read_bag(TESTDATA / "bag_gokoala_subset.gpkg")["verblijfsobject"]
    assert len(vbo) == 60
    first = vbo.iloc[0]
    assert first["identificatie"] == "0363200000039881"
    assert first["openbare_ruimte_naam"] == "Barentszplein"
    assert first["postcode"] == "1013NJ" and first["woonplaats_naam"] == "Amsterdam"


def test_a_folder_without_bag_files_is_a_clear_error(tmp_path):
    (tmp_path / "notes.xml").write_text("<a/>")
    with pytest.raises(SourceError, match="no LVBAG Pand or Verblijfsobject"):
        read_bag(tmp_path)


def test_an_unknown_format_is_a_clear_error(tmp_path):
    f = tmp_path / "bag.csv"
    f.write_text("x,y\n1,2\n")
    with pytest.raises(SourceError, match="unknown BAG format"):
        read_bag(f)
