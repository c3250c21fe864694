"""One palette: what the QGIS style (QML, SLD) and the op-locatie page's script draw, read back from their text.

The op-locatie page (``geo/serve/web/static/op_locatie.js``) keeps its own copy of the besluittype colours; these
tests read the script and the written styles — not the palette module — and fail when any two differ (the bug
this guards: a Wnb-aanvraag orange in QGIS, blue on the web).
"""

import xml.etree.ElementTree as ET

from geo.render import styles
from omgevingsgeo.registry import build_registry

from helpers.paths import ROOT
from helpers.style_read import js_object, qml_rule_colours, sld_rule_colours

REGISTRY = build_registry()
SCRIPT = (ROOT / "geo" / "serve" / "web" / "static" / "op_locatie.js").read_text(encoding="utf-8")


def test_wnb_besluittype_has_one_colour_in_qgis_sld_and_on_the_op_locatie_page():
    web = js_object(SCRIPT, "COLOURS")
    spec = REGISTRY.layers["wnb_besluit"]
    qml = qml_rule_colours(ET.fromstring(styles.qml(spec).split("\n", 1)[1]))
    sld = sld_rule_colours(styles.sld(spec))
    assert web["aanvraag"] == qml["aanvraag"] == sld["aanvraag"]
    for besluittype, colour in web.items():
        assert (qml[besluittype], sld[besluittype]) == (colour, colour), besluittype


def test_natura2000_and_sources_have_the_web_colours_in_qgis():
    natura = qml_rule_colours(ET.fromstring(styles.qml(REGISTRY.layers["natura2000_gebied"]).split("\n", 1)[1]))
    web_natura = SCRIPT.split("var NATURA2000 = \"", 1)[1][:7].lower()
    web_bron = SCRIPT.split("BRON = \"", 1)[1][:7].lower()
    assert set(natura.values()) == {web_natura}
    assert "Natura 2000-gebied, niet stikstofgevoelig" in natura
    bron = ET.fromstring(styles.qml(REGISTRY.layers["stikstofbron"]).split("\n", 1)[1])
    colours = {o.get("value") for o in bron.iter("Option") if o.get("name") == "color"}
    assert {c.rsplit(",", 1)[0] for c in colours} == {",".join(str(int(web_bron[i:i + 2], 16)) for i in (1, 3, 5))}


def test_a_feature_finds_its_rule_as_qgis_would_filter_it():
    """``VectorStyle.rule_for`` (what the web maps draw with) against the QGIS filter expressions, by hand."""
    hexagon = REGISTRY.results()["stikstof_hexagon"].style
    kdw = 700.0
    for totaal, klasse in ((500.0, "geen stikstofprobleem"), (700.0, "evenwicht"), (770.0, "evenwicht"),
                           (771.0, "matige overbelasting"), (1401.0, "sterke overbelasting")):
        rule = hexagon.rule_for({"totaal_mol_ha_jr": totaal, "kdw_mol_ha_jr": kdw})
        assert rule.label.startswith(klasse), (totaal, rule.label)
    natura = REGISTRY.layers["natura2000_gebied"].style
    assert natura.rule_for({"stikstofgevoelig": False}).label.endswith("niet stikstofgevoelig")
    assert natura.rule_for({"stikstofgevoelig": True}).label.endswith(", stikstofgevoelig")
    assert natura.rule_for({}).label.endswith(", stikstofgevoelig")  # unknown: drawn as sensitive, not hidden
