"""Every map and page the project writes draws its data offline, as many features per layer as the store holds.

Each output is made from the session's Schagen store, opened in headless Chromium where every request but the
page itself fails (``tests/helpers/map_check.py``), its drawn SVG/canvas features and marker icons counted per layer
of the layer control and compared with the store, read independently of the code that wrote the map. Any
console error fails; a screenshot of every output goes to tests/artefacts/ for a person to look at.
"""

import re
from pathlib import Path

import pytest

from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

from helpers.browser import CHROMIUM
from helpers.map_check import check

REGISTRY = build_registry()

ARTEFACTS = Path(__file__).parent / "artefacts"
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
ADRES = ("1746XP", 182)  # Grote Sloot 182, Dirkshorn: 13 decisions within 2 km in the sample
RADIUS_M = 2000


@pytest.fixture(scope="module")
def s(store) -> GeoPackageStore:
    return GeoPackageStore(store)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("offline")


def count(name: str, counts: dict[str, int]) -> int:
    """Drawn features of the one overlay called ``name`` (or ``name (n)``)."""
    hits = [v for k, v in counts.items() if k == name or k.startswith(name + " (")]
    assert len(hits) == 1, (name, counts)
    return hits[0]


def assert_banner(text: str, generated: list[str], real: list[str]) -> None:
    """The visible voorbeelddata banner names the generated layers shown, and no real one."""
    assert text.startswith("Voorbeelddata:"), text
    named = text.split(":", 1)[1].split(" zijn gegenereerd")[0]
    assert all(g in named for g in generated), (generated, text)
    assert not any(r in named for r in real), (real, text)


def no_external_references(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    assert not re.findall(r'<(?:script|img|iframe)[^>]+src="https?://', page)
    assert not re.findall(r'<link[^>]+href="https?://', page)


def test_overview_map_draws_every_layer_of_the_store(s, out):
    from geo.render.maps import overview_map

    path = overview_map(s, out / "overzicht.html", REGISTRY.collections())
    no_external_references(path)
    counts = check(path, "offline_overzicht.png")
    bodem = s.read("bodemverontreiniging")
    assert count("Natura 2000-gebieden", counts) == len(s.read("natura2000_gebied"))
    assert count("BAG panden", counts) == len(s.read("pand"))
    assert count("Stikstofbronnen", counts) == len(s.read("stikstofbron"))
    assert count("Bodemverontreiniging", counts) == (bodem["contourtype"] == "verontreinigingscontour").sum()
    assert count("Omgevingsplan: functies", counts) == 0  # hidden until switched on in the layer control
    assert count("Gemeentegebied", counts) >= 1
    assert_banner(counts.banner, ["BAG panden", "Stikstofbronnen", "Bodemverontreiniging", "Omgevingsplan"],
                  ["Natura 2000-gebied", "Gemeente"])


def test_op_locatie_map_draws_exactly_the_decisions_within_the_radius(store, s, out):
    from click.testing import CliRunner

    from omgevingsgeo.cli import main

    from helpers.map_check import check

    path = out / "op_locatie.html"
    result = CliRunner().invoke(main, ["op-locatie", "--adres", "1746 XP 182", "--out", str(path),
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    no_external_references(path)
    vbo = s.read("verblijfsobject")
    here = vbo[(vbo["postcode"] == ADRES[0]) & (vbo["huisnummer"] == ADRES[1])].geometry.iloc[0]
    within = {name: int((s.read(name).distance(here) <= RADIUS_M).sum()) for name in ("wnb_besluit", "stikstofbron")}
    assert within["wnb_besluit"] == 13
    counts = check(path, "offline_op_locatie.png")
    assert count("Wnb-besluiten", counts) == within["wnb_besluit"]
    assert count("Stikstofbronnen", counts) == within["stikstofbron"]
    assert count("Natura 2000-gebieden", counts) >= 1  # at least the nearest
    assert count("straal 2.000 m", counts) == 1
    besluiten = s.read("wnb_besluit")
    near = besluiten[besluiten.distance(here) <= RADIUS_M]
    per_place = near.geometry.apply(lambda g: (round(g.x, 1), round(g.y, 1))).value_counts()
    assert '"naam": "Abtskolk \\u0026 De Putten", "nr": 162, "stikstof": "niet stikstofgevoelig"' in path.read_text()
    assert (per_place > 1).sum() > 0  # the sample has decisions that share a farm
    assert count("Wnb-besluiten op één plek", counts) == (per_place > 1).sum()  # each with its count badge
    assert_banner(counts.banner, ["Wnb-besluiten", "Stikstofbronnen", "BAG verblijfsobjecten"], ["Natura 2000-gebied"])


def test_op_locatie_markers_open_their_popup_and_show_the_marker_image(store, out):
    from helpers.cdp import Browser
    from helpers.map_check import open_map

    path = out / "op_locatie.html"
    if not path.exists():
        pytest.skip("made by the test above")
    with Browser() as browser:
        page = open_map(browser, path)
        icon = page.evaluate("(() => { const i = document.querySelector('img.leaflet-marker-icon');"
                             " return i && i.complete && i.naturalWidth; })()")
        assert icon and icon > 0  # Leaflet's default marker image, inlined
        page.evaluate("document.querySelectorAll('path.leaflet-interactive')[3]"
                      ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        page.wait_for("document.querySelector('.leaflet-popup-content')")
        text = page.evaluate("document.querySelector('.leaflet-popup-content').textContent")
        assert "stikstofbron" in text or "Z-" in text
        page.evaluate("document.querySelector('.zelfde-plek').parentNode"
                      ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
        page.wait_for("/op deze plek/.test(document.querySelector('.leaflet-popup-content').textContent)")
        badge = page.evaluate("document.querySelector('.zelfde-plek').textContent")
        listed = page.evaluate("document.querySelectorAll('.leaflet-popup-content li').length")
        assert int(badge) == listed >= 2  # the badge's count, every decision at that place listed
        assert page.errors() == []


def test_toezicht_map_draws_every_ranked_establishment(s, out):
    from analyses.toezicht.kaart import ranking_map

    from helpers.map_check import check

    ranking = s.read("toezicht_prioriteit")
    path = ranking_map(ranking, s, out / "toezicht.html")
    no_external_references(path)
    counts = check(path, "offline_toezicht.png")
    assert count("Toezichtprioriteit", counts) == len(ranking)
    assert_banner(counts.banner, ["Stikstofbronnen", "Toezicht- en handhavingszaken"], [])


AERIUS_MONITOR = {  # class -> colour, as AERIUS Monitor names them (relative to the KDW, mol N/ha/jr)
    "geen stikstofprobleem": "#1a9850", "evenwicht": "#fee08b", "matige overbelasting": "#f46d43",
    "sterke overbelasting": "#a50026"}
RAW_NAMES = ["_mol_ha_jr", "top_bronnen", "receptor_id", "vthobject_id", "nh3_emissie", "overschrijding_mol"]


def aerius_class(totaal: float, kdw: float) -> str:
    """Written out here, apart from geo.render.maps.overbelasting: KDW − 70, KDW + 70 and 2 × KDW bound the classes."""
    if totaal > 2 * kdw:
        return "sterke overbelasting"
    if totaal > kdw + 70:
        return "matige overbelasting"
    return "evenwicht" if totaal > kdw - 70 else "geen stikstofprobleem"


HEXAGON_COLOURS = """(() => {
  const out = {};
  for (const key of Object.keys(window)) {
    const v = window[key];
    if (!(v instanceof L.GeoJSON)) continue;
    v.eachLayer(l => { const p = l.feature && l.feature.properties;
      if (p && p.klasse !== undefined) out[p.receptor_id] = l.options.fillColor; });
  }
  return out; })()"""


def test_nitrogen_area_maps_draw_every_hexagon_in_its_aerius_monitor_class(store, s, out):
    from analyses.stikstof import screen
    from analyses.stikstof.maps import area_map

    from helpers.cdp import Browser
    from helpers.map_check import check, open_map

    screening = screen(store)
    hexagons = s.read("stikstof_hexagon")
    bijdrage = s.read("stikstof_bron_bijdrage")
    for nr in sorted(hexagons["natura2000_nr"].unique()):
        path = area_map(screening, int(nr), s, out / f"stikstof_{nr}.html")
        no_external_references(path)
        counts = check(path, f"offline_stikstof_{nr}.png")
        assert count("Mate van overbelasting", counts) == (hexagons["natura2000_nr"] == nr).sum()
        assert count("Stikstofbronnen", counts) == bijdrage.loc[bijdrage["natura2000_nr"] == nr,
                                                                "vthobject_id"].nunique()
        assert_banner(counts.banner, ["Stikstofbronnen"], ["Natura 2000-gebied"])
    area = hexagons[hexagons["natura2000_nr"] == nr]
    expected = {str(r.receptor_id): AERIUS_MONITOR[aerius_class(r.totaal_mol_ha_jr, r.kdw_mol_ha_jr)]
                for r in area.itertuples()}
    with Browser() as browser:
        page = open_map(browser, path)
        assert page.evaluate(HEXAGON_COLOURS) == expected
        legend = page.evaluate("document.getElementById('legend').textContent")
        assert all(k in legend for k in AERIUS_MONITOR), legend
        page.evaluate("(() => { const g = Object.values(window).find(v => v instanceof L.GeoJSON"
                      " && v.getLayers().length && v.getLayers()[0].feature.properties.klasse);"
                      " const l = g.getLayers()[0]; l.fire('click', {latlng: l.getBounds().getCenter()}, true); })()")
        page.wait_for("document.querySelector('.leaflet-popup-content')")
        popup = page.evaluate("document.querySelector('.leaflet-popup-content').innerText")
        page.wait_for("getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
        page.screenshot(ARTEFACTS / "offline_stikstof_popup.png")
        page.evaluate("(() => { const g = Object.values(window).find(v => v instanceof L.GeoJSON &&"
                      " v.getLayers().length && v.getLayers()[0].feature.properties.nh3);"
                      " g.getLayers()[0].fire('mouseover', {latlng: g.getLayers()[0].getLatLng()}, true); })()")
        page.wait_for("document.querySelector('.leaflet-tooltip')")
        tooltip = page.evaluate("document.querySelector('.leaflet-tooltip').innerText")
        assert page.errors() == []
    for label in ("KDW", "Totale depositie", "Overschrijding van de KDW", "Grootste bijdragen", "mol N/ha/jr",
                  "Mate van overbelasting"):
        assert label in popup, popup
    assert any(k in popup for k in AERIUS_MONITOR)
    assert not [r for r in RAW_NAMES if r in popup + tooltip], popup + tooltip
    assert re.search(r"NH3-emissie\s+[\d.]+ kg/jr", tooltip), tooltip
    assert re.search(r"\d,\d", popup) and not re.search(r"\d\.\d{1,2}\b", popup), popup  # 1.234,5, never 226.0


def test_measures_map_names_the_measures_marks_the_sources_and_counts_hectares(store, s, out):
    """Hectares in exceedance before: numpy on the stored totals and KDW; after: the map's own hexagons."""
    from analyses.stikstof import reductions, screen
    from analyses.stikstof.maps import difference_map

    from helpers.cdp import Browser
    from helpers.map_check import check, open_map

    screening, hexagons = screen(store), s.read("stikstof_hexagon")
    nr = 85
    bijdrage = s.read("stikstof_bron_bijdrage")
    top = bijdrage[bijdrage["natura2000_nr"] == nr].nsmallest(3, "rang")["vthobject_id"].tolist()
    maatregelen = {top[0]: 100.0, top[1]: 50.0, top[2]: 30.0}
    path = difference_map(screening, nr, reductions(screening, maatregelen), s,
                          out / f"stikstof_{nr}_maatregelen.html", maatregelen)
    no_external_references(path)
    counts = check(path, "offline_stikstof_maatregelen.png")
    area = hexagons[hexagons["natura2000_nr"] == nr]
    before = int((area["totaal_mol_ha_jr"].to_numpy() > area["kdw_mol_ha_jr"].to_numpy()).sum())  # 1 ha each
    assert count("Afname door maatregelen", counts) == len(area)
    assert count("Bronnen met maatregel", counts) == 3
    leaving = count("Uit overschrijding", counts)
    with Browser() as browser:
        page = open_map(browser, path)
        box = page.evaluate("document.getElementById('maatregelen').innerText")
        labels = page.evaluate("[...document.querySelectorAll('.leaflet-tooltip')].map(t => t.innerText)")
        assert page.errors() == []
    assert f"Hectare in overschrijding van de KDW: {before:,} → {before - leaving:,} ha".replace(",", ".") in box, box
    for bron_id, pct in maatregelen.items():
        assert f"Maatregel: {bron_id} (" in box and f"−{pct:.0f} %" in box, box
        assert any(label.startswith(f"{bron_id}: −{pct:.0f} %") for label in labels), labels
    assert not [r for r in RAW_NAMES if r in box], box
    assert_banner(counts.banner, ["Stikstofbronnen"], [])


def test_gebiedsanalyse_report_draws_every_finding(s, out):
    from analyses import gebiedsanalyse

    from helpers.map_check import check

    area = gebiedsanalyse.resolve_area(s, gemeente="GM0441")
    findings = gebiedsanalyse.run(s, area)["gebiedsanalyse_bevinding"]
    path = gebiedsanalyse.write_report(s, area, findings, out / "gebiedsanalyse.html")
    no_external_references(path)
    counts = check(path, "offline_gebiedsanalyse.png", size=(1280, 1400))
    for soort, n in findings["soort"].value_counts().items():
        assert count(soort, counts) == n
    assert_banner(counts.banner, ["Wnb-besluiten", "Bodemverontreiniging", "Omgevingsplan"], ["Toezicht"])


def test_monitoring_and_kwaliteit_pages_open_offline_without_errors(s, out):
    from analyses import kwaliteit, monitoring

    from helpers.cdp import Browser
    from helpers.map_check import BANNER

    pages = [monitoring.write_page_for(s, out / "monitoring.html", "GM0441"), out / "kwaliteit.html"]
    kwaliteit.write_report(s, pages[1])
    with Browser() as browser:
        for path in pages:
            no_external_references(path)
            page = browser.open(path.as_uri(), size=(1280, 1400))
            assert page.evaluate("document.querySelectorAll('svg').length") > 0
            assert_banner(page.evaluate(BANNER), ["Stikstofbronnen", "Wnb-besluiten"], [])
            page.screenshot(Path(__file__).parent / "artefacts" / f"offline_{path.stem}.png")
            assert page.errors() == [], path.name
