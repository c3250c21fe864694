"""Nitrogen sources from a VTH export (CSV, GeoPackage) and from AERIUS IMAER GML."""

import geopandas as gpd
import pytest

from geo.core.errors import SourceError
from geo.formats.vth import dutch_number
from layers import stikstofbron

from helpers.layer_helpers import build_layer, reasons
from helpers.paths import TESTDATA

HEADER = "OD;VTHOBJECT_ID;Bevoegdgezag;Naam;Adres;Type;NH3_emissie;Rundvee;Bedrijfstype;X;Y\n"
GOOD = "ODNHN;A1;Schagen;Maatschap Smit;Hoep 1 1741AB Schagen;Meldingspl;1.234,5;120;Melkrundvee;113500,5;535200\n"


def write_csv(tmp_path, body: str, encoding="cp1252"):
    path = tmp_path / "vth.csv"
    path.write_bytes((HEADER + body).encode(encoding))
    return path


@pytest.mark.parametrize("value, expected", [("1.234,5", 1234.5), ("1822.0", 1822.0), ("", None), ("n.v.t.", None),
                                             ("12", 12.0)])
def test_dutch_numbers(value, expected):
    assert dutch_number(value) == expected


def test_the_schagen_sample(store):
    gdf = gpd.read_file(store, layer="stikstofbron")
    assert len(gdf) > 150 and gdf["vthobject_id"].is_unique
    assert (gdf["afstand_natura2000_m"] > 0).all()  # farms were placed outside Natura 2000
    assert set(gdf["natura2000_nr"]) <= {84, 85, 86, 87, 162}
    assert gdf.loc[gdf.bedrijfstype == "Melkrundvee", "nh3_emissie"].median() > 500


def test_csv_in_latin1_with_decimal_commas(store, tmp_path):
    path = write_csv(tmp_path, GOOD.replace("Smit", "Çelik"))
    gdf, _ = build_layer(stikstofbron, store, tmp_path, stikstofbron=path)
    row = gdf.iloc[0]
    assert row["nh3_emissie"] == 1234.5 and row["rundvee"] == 120 and row["type"] == "Meldingsplicht"
    assert row["naam"] == "Maatschap Çelik" and row["geometry"].x == 113500.5
    assert row["binnen_gemeente"] and row["bron"] == "vth"


def test_csv_in_utf8_with_bom(store, tmp_path):
    path = tmp_path / "vth.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD.replace("Smit", "Çelik")).encode("utf-8"))
    gdf, _ = build_layer(stikstofbron, store, tmp_path, stikstofbron=path)
    assert gdf.iloc[0]["naam"] == "Maatschap Çelik"


def test_bad_records_are_quarantined_and_the_good_one_kept(store, tmp_path):
    body = GOOD + (
        "ODNHN;A2;Schagen;X;;Vergunning;10;1;Melkrundvee;4,80;52,78\n"        # lon/lat instead of RD
        "ODNHN;A3;Schagen;X;;Vergunning;10;1;Melkrundvee;52,78;4,80\n"        # lat/lon
        "ODNHN;A4;Schagen;X;;Vergunning;10;1;Melkrundvee;;535000\n"           # x missing
        "ODNHN;A1;Schagen;X;;Vergunning;10;1;Melkrundvee;113600;535300\n"     # duplicate id
        "ODNHN;A5;Schagen;X;;Misschien;10;1;Melkrundvee;113700;535300\n"      # unknown type
        "ODNHN;A6;Schagen;X;;Vergunning;-5;1;Melkrundvee;113800;535300\n"     # negative emission
        "ODNHN;A7;Schagen;X;;Vergunning;10;1;Melkrundvee;9000000;535300\n"    # far outside NL
    )
    gdf, sources = build_layer(stikstofbron, store, tmp_path, stikstofbron=write_csv(tmp_path, body))
    assert list(gdf["vthobject_id"]) == ["A1"]
    assert reasons(sources, "stikstofbron") == sorted([
        "coordinates look like WGS84 longitude/latitude, expected RD New x/y in metres",
        "coordinates look like WGS84 latitude/longitude (swapped), expected RD New x/y in metres",
        "x/y missing or not a number (x='', y='535000')", "duplicate vthobject_id", "type not in the code list",
        "negative emission", "coordinates outside the Netherlands (RD New)"])


def test_csv_without_coordinates_names_the_file(store, tmp_path):
    path = tmp_path / "vth.csv"
    path.write_text("VTHOBJECT_ID;NH3_emissie\nA1;10\n")
    with pytest.raises(SourceError, match=r"vth\.csv: no RD x/y columns"):
        build_layer(stikstofbron, store, tmp_path, stikstofbron=path)


def test_real_vth_geopackage_of_an_omgevingsdienst(store, tmp_path):
    gdf, sources = build_layer(stikstofbron, store, tmp_path,
                               stikstofbron=TESTDATA / "vth" / "veehouderijen_subset.gpkg")
    assert len(gdf) == 26  # 27 records, one vthobject_id twice (two habitat rows of one farm)
    assert reasons(sources, "stikstofbron") == ["duplicate vthobject_id"]
    assert set(gdf["type"].dropna()) <= stikstofbron.TYPES
    assert not gdf["binnen_gemeente"].any()  # Gelderland farms: outside Schagen, flagged, kept


def test_real_imaer_gml(store, tmp_path):
    gdf, _ = build_layer(stikstofbron, store, tmp_path,
                         stikstofbron=TESTDATA / "imaer" / "imaer_farmlodging_testcase_800_varkens.gml")
    row = gdf.iloc[0]
    assert row["nh3_emissie"] == 6400.0 and row["sector_id"] == 4110 and row["bron"] == "imaer"
    assert (round(row.geometry.x, 2), round(row.geometry.y, 2)) == (185207.52, 316950.64)


def test_truncated_imaer_names_the_file(store, tmp_path):
    path = tmp_path / "bronnen.gml"
    path.write_bytes((TESTDATA / "imaer" / "imaer_farmlodging_testcase_800_varkens.gml").read_bytes()[:2000])
    with pytest.raises(SourceError, match=r"bronnen\.gml: not well-formed XML"):
        build_layer(stikstofbron, store, tmp_path, stikstofbron=path)


def test_private_fields_are_not_public():
    assert {"naam", "adres"} <= set(stikstofbron.SCHEMA.columns)
    assert not {"naam", "adres"} & set(stikstofbron.SPEC.public_fields)
