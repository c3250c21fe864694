"""AERIUS Monitor's classes of overbelasting: one palette for the Folium maps, the QGIS style and the SLD."""

import re
import xml.etree.ElementTree as ET

from analyses.stikstof.style import OVERBELASTING_CLASSES, overbelasting
from geo.render import styles
from geo.render.maps import nl
from omgevingsgeo.registry import build_registry

REGISTRY = build_registry()

COLOURS = {"geen stikstofprobleem": "#1a9850", "evenwicht": "#fee08b", "matige overbelasting": "#f46d43",
           "sterke overbelasting": "#a50026"}
KDW = 714.0  # e.g. H2130A grijze duinen (kalkrijk)


def test_classes_follow_the_kdw_bounds():
    totals = [KDW - 71, KDW - 69, KDW + 70, KDW + 71, 2 * KDW, 2 * KDW + 1]
    assert list(overbelasting(totals, [KDW] * 6)) == [
        "geen stikstofprobleem", "evenwicht", "evenwicht", "matige overbelasting", "matige overbelasting",
        "sterke overbelasting"]
    assert {name: colour for name, _, colour, _ in OVERBELASTING_CLASSES} == COLOURS


def test_qgis_style_of_the_hexagons_uses_the_same_classes_and_colours():
    qml = ET.fromstring(styles.qml(REGISTRY.results()["stikstof_hexagon"]))
    rules = qml.findall(".//rules/rule")
    symbols = {s.get("name"): s for s in qml.findall(".//symbols/symbol")}
    assert [r.get("label").split(" (")[0] for r in rules] == list(COLOURS)
    for rule, colour in zip(rules, COLOURS.values()):
        symbol = symbols[rule.get("symbol")]
        props = [p for p in symbol.iter() if (p.get("k") or p.get("name")) == "color"]
        value = props[0].get("v") or props[0].get("value")
        assert value.startswith(",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5))), (rule.get("label"), value)
    filters = [r.get("filter") for r in rules]
    assert filters[0] == '"totaal_mol_ha_jr" <= ("kdw_mol_ha_jr" * 1 - 70)'
    assert filters[3] == '"totaal_mol_ha_jr" > ("kdw_mol_ha_jr" * 2 + 0)'


def test_sld_of_the_hexagons_compares_with_the_kdw_of_each_feature():
    sld = styles.sld(REGISTRY.results()["stikstof_hexagon"])
    assert sld.count("<ogc:Mul>") == 6 and "kdw_mol_ha_jr" in sld
    assert re.findall(r'name="fill">(#[0-9a-f]{6})<', sld) == list(COLOURS.values())


def test_dutch_numbers():
    assert (nl(1234.5, 1), nl(1200), nl(226.0), nl(float("nan"))) == ("1.234,5", "1.200", "226", "–")


def test_an_area_without_nitrogen_sensitive_habitat_says_so():
    import geopandas as gpd

    from geo.render.maps import stikstof_text

    areas = gpd.GeoDataFrame({"nr": [84, 162], "stikstofgevoelig": [True, False],
                              "laagste_kdw_mol_ha_jr": [786.0, float("nan")]}, geometry=[None, None])
    assert stikstof_text(areas) == ["stikstofgevoelig (KDW 786 mol N/ha/jr)", "niet stikstofgevoelig"]
