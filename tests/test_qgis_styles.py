"""Acceptance: the QGIS project draws every layer in its style, with the class colours of the web maps.

Oracles that do not call the palette or the classifier: the colours are read back from the QML inside the .qgz and
from the legend HTML of the Folium maps; the nitrogen class of each hexagon is computed here with numpy from the
stored totals and KDW; QGIS itself (PyQGIS, headless) renders each layer alone to
``tests/artefacts/qgis_layers/<layer>.png`` and reports the colours of the pixels it drew.
"""

import subprocess

import numpy as np
import pytest
import rasterio
from test_qgis import ARTEFACTS, needs_qgis, qgis_check, write_project

from geo.store.geopackage import GeoPackageStore

from helpers.paths import GEO
from helpers.style_read import legend_colours, project_layers, qml_ramp, qml_rule_colours

pytestmark = needs_qgis
TOLERANCE = 4  # per channel: antialiasing and rounding of the alpha


def aerius_class(totaal: np.ndarray, kdw: np.ndarray) -> np.ndarray:
    """AERIUS Monitor's classes written out apart from analyses.stikstof.style: KDW − 70, KDW + 70, 2 × KDW."""
    return np.select([totaal > 2 * kdw, totaal > kdw + 70, totaal > kdw - 70],
                     ["sterke overbelasting", "matige overbelasting", "evenwicht"], "geen stikstofprobleem")


def over_white(colour: str, alpha: float) -> str:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return "#" + "".join(f"{round(c * alpha + 255 * (1 - alpha)):02x}" for c in rgb)


def close(a: str, b: str) -> bool:
    return all(abs(int(a[i:i + 2], 16) - int(b[i:i + 2], 16)) <= TOLERANCE for i in (1, 3, 5))


def drawn(colour: str, pixels: dict[str, int], alphas=(1.0,)) -> bool:
    """Whether QGIS drew ``colour`` (as is, or at one of ``alphas`` over the white background) on 20+ pixels."""
    wanted = [over_white(colour, a) for a in alphas]
    return sum(n for c, n in pixels.items() if any(close(c, w) for w in wanted)) >= 20


def fill_alpha(layer, label: str) -> float:
    """The fill opacity QGIS was given for the rule ``label`` (the 4th value of its ``color``)."""
    rule = next(r for r in layer.iter("rule") if r.get("label") == label)
    symbol = next(s for s in layer.iter("symbol") if s.get("name") == rule.get("symbol"))
    colour = next(o.get("value") for o in symbol.iter("Option") if o.get("name") == "color")
    return int(colour.split(",")[3]) / 255


@pytest.fixture(scope="module")
def outputs(store, tmp_path_factory) -> dict:
    """The project from the store, rendered by QGIS layer by layer (and probed on one hexagon of each class
    present), and the web maps showing the same layers."""
    from analyses.stikstof import reductions, screen
    from analyses.stikstof.maps import area_map, difference_map

    folder = tmp_path_factory.mktemp("qgis_styles")
    s = GeoPackageStore(store)
    hexagons = s.read("stikstof_hexagon")
    hexagons["klasse"] = aerius_class(hexagons["totaal_mol_ha_jr"].to_numpy(), hexagons["kdw_mol_ha_jr"].to_numpy())
    probes = hexagons.groupby("klasse").head(1)
    centres = probes.geometry.centroid
    project = write_project("--source", "gpkg", "--store", str(store), "--out", str(folder / "omgevingsgeo.qgz"))
    images = ARTEFACTS / "qgis_layers"
    images.mkdir(parents=True, exist_ok=True)
    report = qgis_check(project, "--layer-images", str(images),
                        *[f"--probe=stikstof_hexagon:{p.x}:{p.y}" for p in centres])
    screening = screen(store)
    nr = int(hexagons["natura2000_nr"].mode().iloc[0])
    bron = s.read("stikstof_bron_bijdrage").query("natura2000_nr == @nr").nsmallest(1, "rang")["vthobject_id"].iloc[0]
    measures = {bron: 50.0}
    maps = {"area": area_map(screening, nr, s, folder / "area.html"),
            "measures": difference_map(screening, nr, reductions(screening, measures), s, folder / "m.html", measures),
            "overview": folder / "overzicht.html"}
    subprocess.run([GEO, "-q", "map", "--store", str(store), "--out", str(maps["overview"])], check=True)
    return {"report": report, "qml": project_layers(project), "probes": dict(zip(probes["klasse"], report["probes"])),
            "legends": {k: legend_colours(p.read_text(encoding="utf-8")) for k, p in maps.items()},
            "store": s, "hexagons": hexagons}


def test_every_layer_renders_non_empty_in_its_own_style(outputs):
    layers = outputs["report"]["layers"]
    assert set(layers) == set(outputs["qml"])
    for name, layer in layers.items():
        assert layer["valid"] and layer["pixel_colours"], name
        assert (ARTEFACTS / "qgis_layers" / f"{name}.png").stat().st_size > 2_000, name
    for name in ("stikstof_hexagon", "stikstof_bron_bijdrage", "gebiedsanalyse_bevinding", "natura2000_gebied",
                 "wnb_besluit"):
        assert layers[name]["renderer"] == "RuleRenderer", name


def test_hexagon_classes_have_the_folium_legend_colours_and_qgis_draws_them(outputs):
    qml = qml_rule_colours(outputs["qml"]["stikstof_hexagon"])
    legend = outputs["legends"]["area"]
    assert {label: qml[label] for label in qml} == {label: legend[label] for label in qml}
    by_class = {label.split(" (")[0]: (label, colour) for label, colour in qml.items()}
    assert set(by_class) == {"geen stikstofprobleem", "evenwicht", "matige overbelasting", "sterke overbelasting"}
    present = set(outputs["hexagons"]["klasse"])
    assert present and set(outputs["probes"]) == present
    for klasse, probe in outputs["probes"].items():
        label, colour = by_class[klasse]
        alpha = fill_alpha(outputs["qml"]["stikstof_hexagon"], label)
        assert close(probe["colour"], over_white(colour, alpha)), (klasse, probe, colour, alpha)


def test_contributions_have_the_measures_map_classes(outputs):
    qml = qml_rule_colours(outputs["qml"]["stikstof_bron_bijdrage"])
    legend = outputs["legends"]["measures"]
    assert qml and all(legend[label] == colour for label, colour in qml.items()), (qml, legend)
    bijdrage = outputs["store"].read("stikstof_bron_bijdrage")["bijdrage_max_mol_ha_jr"].to_numpy()
    bounds = [0.01, 0.1, 1.0, 10.0]  # the legend's labels: < 0,01 | 0,01 – 0,1 | 0,1 – 1 | 1 – 10 | > 10
    pixels = outputs["report"]["layers"]["stikstof_bron_bijdrage"]["pixel_colours"]
    colours = list(qml.values())
    for i in np.unique(np.searchsorted(bounds, bijdrage, side="right")):
        assert drawn(colours[i], pixels), (i, colours[i])


def test_natura2000_and_sources_have_the_overview_map_colours(outputs):
    legend = outputs["legends"]["overview"]
    natura = qml_rule_colours(outputs["qml"]["natura2000_gebied"])
    assert {label: legend[label] for label in natura} == natura
    assert "Natura 2000-gebied, niet stikstofgevoelig" in natura  # 162 Abtskolk & De Putten
    bron = outputs["report"]["layers"]["stikstofbron"]["legend"][0][1]
    assert legend["stikstofbron (grootte: NH3 kg/jr)"] == bron
    areas = outputs["store"].read("natura2000_gebied")
    assert not areas.loc[areas["nr"] == 162, "stikstofgevoelig"].iloc[0]
    pixels = outputs["report"]["layers"]["natura2000_gebied"]["pixel_colours"]
    assert drawn(natura["Natura 2000-gebied, niet stikstofgevoelig"], pixels, (1.0, 0.1, 0.35))


@pytest.mark.parametrize("name,field", [("wnb_besluit", "besluittype"), ("gebiedsanalyse_bevinding", "soort")])
def test_each_value_present_is_drawn_in_its_rule_colour(outputs, name, field):
    qml = qml_rule_colours(outputs["qml"][name])
    pixels = outputs["report"]["layers"][name]["pixel_colours"]
    for value in set(outputs["store"].read(name)[field]):
        assert drawn(qml[value], pixels, (1.0, 0.5)), (name, value, qml[value])


def test_nh3_raster_has_a_legend_of_classes_and_draws_them(outputs):
    ramp = qml_ramp(outputs["qml"]["nh3_concentratie"])
    layer = outputs["report"]["layers"]["nh3_concentratie"]
    assert [tuple(item) for item in layer["legend"]] == ramp
    assert all("µg/m³" in label for label, _ in ramp) and len(ramp) == 5
    renderer = outputs["qml"]["nh3_concentratie"].find(".//colorrampshader")
    assert renderer.get("colorRampType") == "DISCRETE"
    uppers = [float(i.get("value")) for i in outputs["qml"]["nh3_concentratie"].iter("item")]
    opacity = float(outputs["qml"]["nh3_concentratie"].find(".//rasterrenderer").get("opacity"))
    with rasterio.open(outputs["store"].raster_path("nh3_concentratie")) as cog:
        values = cog.read(1, masked=True).compressed()
    for i in np.unique(np.searchsorted(uppers, values, side="left")):
        assert drawn(ramp[i][1], layer["pixel_colours"], (opacity,)), ramp[i]
