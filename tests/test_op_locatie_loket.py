"""Op locatie like a loket (issue 17): street search, GPS position with the nearest address, numbered decisions.

The oracles share no code with the answer: the stored layers are read straight from the GeoPackage with pyogrio
and the distances and the nearest address computed with shapely; the page and the offline map are driven in
headless Chromium with every request but the page's own server failing (``tests/helpers/cdp.py``), the drawn
markers counted in the DOM, and the print view printed to PDF with Chromium's ``Page.printToPDF``, whose page
count and page size are read from the PDF itself. Screenshots (screen and print) go to tests/artefacts/.
"""

import base64
import re
import time
from pathlib import Path

import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Transformer

from analyses import op_locatie
from analyses.invoer import InputError
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.advies_store import LOCATION, PRIVATE_VALUES
from helpers.browser import CHROMIUM
from helpers.loket_store import FARM, PUBLISHED, build_loket_store
from helpers.server import start_server, stop_server

ARTEFACTS = Path(__file__).parent / "artefacts"
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)
A4_PT = (595.0, 842.0)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")


@pytest.fixture(scope="module")
def loket(tmp_path_factory) -> Path:
    return build_loket_store(tmp_path_factory.mktemp("loket") / "store.gpkg")


@pytest.fixture(scope="module")
def loket_server(loket, tmp_path_factory) -> str:
    proc, url = start_server(loket, tmp_path_factory.mktemp("loket-server") / "server.log", workers=1)
    yield url
    stop_server(proc)


# --- oracles: the stored layers read with pyogrio, distances with shapely --------------------------------------

def stored(path: Path, layer: str):
    return pyogrio.read_dataframe(path, layer=layer)


def within(path: Path, point, radius_m: float) -> set[str]:
    besluiten = stored(path, "wnb_besluit")
    near = shapely.distance(besluiten.geometry.values, point) <= radius_m
    return set(besluiten.loc[near, "zaaknummer"])


def nearest_vbo(path: Path, point) -> str:
    vbo = stored(path, "verblijfsobject")
    return vbo["identificatie"].iloc[int(shapely.distance(vbo.geometry.values, point).argmin())]


def vbo_point(path: Path, postcode: str, huisnummer: int):
    vbo = stored(path, "verblijfsobject")
    return vbo[(vbo["postcode"] == postcode) & (vbo["huisnummer"] == huisnummer)].geometry.iloc[0]


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of every page object of ``pdf`` (Chromium writes them uncompressed)."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    boxes = [tuple(float(v) for v in m.split()[2:4]) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]
    assert len(boxes) >= len(pages)
    return boxes[:len(pages)]


# --- the analysis ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Teststraat 12, Schagen", "teststraat 12 schagen", "TESTSTRAAT 12",
                                  "Téststraat  12 ,  Schágen", "Teststraat 12, Schagen "])
def test_street_search_finds_the_verblijfsobject_of_the_postcode_search(loket, text):
    s = GeoPackageStore(loket)
    by_postcode = op_locatie.locate(s, adres="1741 EA 12")
    by_street = op_locatie.locate(s, adres=text)
    assert by_street.verblijfsobject == by_postcode.verblijfsobject == "0441010000000012"
    assert by_street.point.equals(vbo_point(loket, "1741EA", 12))  # where the BAG has it
    assert by_street.label == "Teststraat 12, 1741 EA Schagen"


@pytest.mark.parametrize("text", ["Kerkstraat 5, Schagen", "kérkstraat 5", "KERKSTRAAT 5 SCHAGEN"])
def test_street_search_ignores_case_and_diacritics(loket, text):
    assert op_locatie.locate(GeoPackageStore(loket), adres=text).verblijfsobject == "0441010000000020"


@pytest.mark.parametrize("text, message", [
    ("Dorpsstraat 1", "adres Dorpsstraat 1: 2 adressen passen (Dorpsstraat 1, 1741 ED Schagen; Dorpsstraat 1, "
                      "1747 AA Tuitjenhorn); geef ook de plaats"),
    ("Dorpstraat 1, Schagen", "staat niet in de BAG-verblijfsobjecten van deze server; bedoelt u: Dorpsstraat 1, "
                              "1741 ED Schagen?"),
    ("Dorpsstraat 1, Petten", "bedoelt u: Dorpsstraat 1, 1741 ED Schagen; Dorpsstraat 1, 1747 AA Tuitjenhorn?"),
    ("Nergensweg 1, Schagen", "adres Nergensweg 1, Schagen staat niet in de BAG-verblijfsobjecten van deze server"),
    ("Teststraat", "verwacht postcode en huisnummer, bijvoorbeeld 1746 XP 182, of straat, huisnummer en plaats"),
    # suggestions: the typed place (or a misspelling of it) and the typed street first
    ("Eikenlaan 1, Schagn", "bedoelt u: Eikenlaan 1, 1741 AW Schagen?"),
    ("Eikenlan 1, Zand", "bedoelt u: Eikenlaan 1, 1756 AA 't Zand?"),
    ("Eikenlaan 1, Tzand", "bedoelt u: Eikenlaan 1, 1756 AA 't Zand?"),
    ("Eikelaan 1, Schagen", "bedoelt u: Eikenlaan 1, 1741 AW Schagen?"),
])
def test_street_search_says_what_matches_when_not_exactly_one(loket, text, message):
    with pytest.raises(InputError, match=re.escape(message)):
        op_locatie.locate(GeoPackageStore(loket), adres=text)


@pytest.mark.parametrize("text, vbo", [("Eikenlaan 1 Zand", "0441010000000023"),
                                       ("eikenlaan 1, 't zand", "0441010000000023"),
                                       ("Eikenlaan 1, T Zand", "0441010000000023"),
                                       ("Dorpsstraat 3, St. Maarten", "0441010000000025"),
                                       ("Dorpsstraat 3 st maarten", "0441010000000025")])
def test_a_place_is_found_without_its_article_or_abbreviated(loket, text, vbo):
    assert op_locatie.locate(GeoPackageStore(loket), adres=text).verblijfsobject == vbo


def test_street_search_with_the_place_picks_one(loket):
    assert op_locatie.locate(GeoPackageStore(loket), adres="Dorpsstraat 1, Tuitjenhorn").verblijfsobject == \
        "0441010000000022"


@pytest.mark.parametrize("x, y", [(115530, 533480), (116280, 533870), (115880, 533330), (116500, 532100)])
def test_a_position_is_labelled_with_the_nearest_address(loket, x, y):
    lon, lat = TO_WGS84.transform(x, y)
    where = op_locatie.locate(GeoPackageStore(loket), x=lon, y=lat, crs="EPSG:4326")
    oracle = nearest_vbo(loket, shapely.Point(x, y))
    assert where.verblijfsobject == oracle
    vbo = stored(loket, "verblijfsobject").set_index("identificatie").loc[oracle]
    assert f"bij {vbo['openbare_ruimte_naam']} {vbo['huisnummer']}" in where.label
    assert where.adres_afstand_m == round(shapely.Point(x, y).distance(vbo.geometry))


def test_each_decision_names_its_natura2000_areas_and_its_publication(loket):
    besluiten = op_locatie.run(loket, adres="1741 EA 12")["wnb_besluit"].set_index("zaaknummer")
    assert besluiten.loc["Z-2023-00006-001", "natura2000_gebieden"] == \
        "84 Testduinen; 162 Abtskolk & De Putten (niet stikstofgevoelig)"
    assert besluiten.loc["Z-2023-00006-001", "publicatie_url"] == PUBLISHED
    assert besluiten.loc["Z-2021-00004-001", "natura2000_gebieden"] == "84 Testduinen"
    assert besluiten["publicatie_url"].isna().sum() == len(besluiten) - 1


def test_the_process_answers_the_data_date_the_sources_and_the_voorbeelddata(loket_server):
    import requests

    r = requests.post(f"{loket_server}/processes/wnb-op-locatie/execution", timeout=60,
                      json={"inputs": {"adres": "Teststraat 12, Schagen"}})
    assert r.status_code == 200, r.text
    fc = r.json()
    assert fc["locatie"]["properties"]["verblijfsobject"] == "0441010000000012"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fc["gegevensdatum"])
    assert fc["voorbeelddata"].startswith("Voorbeelddata: ") and "Wnb-besluiten" in fc["voorbeelddata"]
    assert "Natura 2000-gebieden" not in fc["voorbeelddata"]  # the real source is not named
    herkomst = {b["laag"]: b["herkomst"] for b in fc["bronnen"]}
    assert herkomst["wnb_besluit"].startswith("voorbeelddata") and not herkomst["natura2000_gebied"].startswith("voorb")
    assert not [v for v in PRIVATE_VALUES if v in r.text]


def test_the_process_refuses_an_ambiguous_street_with_a_400_listing_the_candidates(loket_server):
    import requests

    r = requests.post(f"{loket_server}/processes/wnb-op-locatie/execution", timeout=60,
                      json={"inputs": {"adres": "Dorpsstraat 1"}})
    assert r.status_code == 400 and "1747 AA Tuitjenhorn" in r.json()["description"]


# --- the page, in headless Chromium ------------------------------------------------------------------------------

MARKERS = ("Array.from(document.querySelectorAll('.besluit-marker')).filter(e => e.isConnected"
           " && e.getBoundingClientRect().width > 0).map(e => [e.querySelector('.besluit-nr').dataset.nr, e.title])")
ITEMS = "Array.from(document.querySelectorAll('#besluiten li')).map(li => [li.dataset.nr, li.textContent])"
ACTIVE = ("[Array.from(document.querySelectorAll('#besluiten li.actief')).map(li => li.dataset.nr),"
          " Array.from(document.querySelectorAll('.besluit-marker.actief .besluit-nr')).map(e => e.dataset.nr)]")


def click_marker(page, n: int) -> None:
    page.evaluate(f"document.querySelector('.besluit-nr[data-nr=\"{n}\"]').parentNode"
                  ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")


def click_item(page, n: int) -> None:
    page.evaluate(f"document.querySelector('#besluiten li[data-nr=\"{n}\"]').click()")


def search(page, text: str) -> None:
    page.fill("#adres", text)
    page.evaluate("document.body.dataset.state = 'leeg'; document.getElementById('zoek').requestSubmit()")
    page.wait_for("['klaar', 'fout'].includes(document.body.dataset.state)")
    assert page.evaluate("document.body.dataset.state") == "klaar", page.evaluate("status.textContent")


def assert_numbered_and_linked(page, expected: set[str]) -> None:
    """Markers drawn = the oracle's decisions, the list numbered alike, and clicks linking both ways."""
    markers, items = page.evaluate(MARKERS), page.evaluate(ITEMS)
    assert {title.split(": ", 1)[1] for _, title in markers} == expected
    assert len(markers) == len(items) == len(expected)
    assert sorted(int(n) for n, _ in markers) == [int(n) for n, _ in items] == list(range(1, len(items) + 1))
    for n, title in markers:
        assert title.split(": ", 1)[1] in dict(items)[n]  # marker N is list entry N
    for n in sorted({1, (len(items) + 1) // 2, len(items)}):
        click_marker(page, n)
        assert page.evaluate(ACTIVE) == [[str(n)], [str(n)]]
        click_item(page, 1 if n != 1 else len(items))
        other = 1 if n != 1 else len(items)
        assert page.evaluate(ACTIVE) == [[str(other)], [str(other)]]
        zaak = dict(items)[str(other)].split(" — ")[0].lstrip("0123456789")
        page.wait_for("document.querySelectorAll('.leaflet-popup-content').length === 1")  # the last one faded out
        assert zaak in page.evaluate("document.querySelector('.leaflet-popup-content').textContent")


def print_checks(page, name: str) -> None:
    """Print media screenshot at A4 width, and the PDF: one A4 page."""
    page.send("Emulation.setDeviceMetricsOverride", {"width": 718, "height": 1047, "deviceScaleFactor": 1,
                                                     "mobile": False})
    page.send("Emulation.setEmulatedMedia", {"media": "print"})
    time.sleep(0.5)
    page.screenshot(ARTEFACTS / f"{name}_print.png")
    pdf = base64.b64decode(page.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})["data"])
    (ARTEFACTS / f"{name}_print.pdf").write_bytes(pdf)
    sizes = pdf_pages(pdf)
    assert len(sizes) == 1, f"{name}: {len(sizes)} pages"
    assert all(abs(w - A4_PT[0]) < 2 and abs(h - A4_PT[1]) < 2 for w, h in sizes), sizes
    page.send("Emulation.setEmulatedMedia", {"media": ""})


def assert_notices(page, generated: list[str]) -> None:
    banner = page.evaluate("(() => { const b = document.getElementById('voorbeelddata'); const r = "
                           "b.getBoundingClientRect(); return r.width > 100 && r.height > 10 ? b.textContent : ''})()")
    assert banner.startswith("Voorbeelddata:") and all(g in banner for g in generated), banner
    text = page.evaluate("document.body.innerText")
    assert "Aan deze kaart kunnen geen rechten worden ontleend." in text
    assert re.search(r"Gegevensdatum: \d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|"
                     r"oktober|november|december) \d{4}", text)
    assert "Wnb-besluiten (Natura 2000-activiteit): voorbeelddata" in text  # the footer tells the truth
    assert "Wnb-besluiten van de omgevingsdienst" not in text


@needs_chromium
def test_page_numbers_the_decisions_within_the_radius_beside_the_list(store, server):
    from helpers.cdp import Browser

    here = vbo_point(store, "1746XP", 182)
    expected = within(store, here, 2000)
    assert len(expected) >= 10
    with Browser() as browser:
        page = browser.open(f"{server}/op-locatie/", size=(1280, 900))
        search(page, "1746 XP 182")
        by_postcode = page.evaluate("document.getElementById('status').textContent")
        search(page, "Grote Sloot 182, Dirkshorn")
        assert page.evaluate("document.getElementById('status').textContent") == by_postcode
        assert "Grote Sloot 182, 1746 XP Dirkshorn" in by_postcode
        assert_numbered_and_linked(page, expected)
        assert markers_outside_the_map(page) == []  # the whole circle is framed, none under the list
        shared = page.evaluate("Array.from(document.querySelectorAll('.zelfde-plek')).map(e => Number(e.textContent))")
        places = stored(store, "wnb_besluit")
        places = places[places["zaaknummer"].isin(expected)].geometry.map(lambda g: (round(g.x, 1), round(g.y, 1)))
        assert sorted(shared) == sorted(n for n in places.value_counts() if n > 1)  # one badge per shared place
        assert page.evaluate("document.querySelectorAll('.legenda li').length") >= 9
        assert page.evaluate("document.querySelector('.leaflet-control-scale-line').textContent").endswith(("m", "km"))
        assert page.evaluate("document.querySelectorAll('.leaflet-control-scale-line').length") == 1  # metric only
        assert_notices(page, ["Wnb-besluiten", "Stikstofbronnen", "BAG verblijfsobjecten"])
        assert "geen publicatie bekend" in page.evaluate("document.getElementById('besluiten').textContent")
        click_marker(page, 3)
        page.screenshot(ARTEFACTS / "op_locatie_loket.png")
        print_checks(page, "op_locatie_loket")
        assert page.errors() == []


def markers_outside_the_map(page) -> list:
    """Centres of the map's markers that lie outside the visible map element (e.g. under the list beside it)."""
    return page.evaluate("""(() => {
        const box = document.getElementById('kaart').getBoundingClientRect();
        return Array.from(document.querySelectorAll('#kaart .leaflet-marker-icon')).map(m => {
            const r = m.getBoundingClientRect();
            return [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
        }).filter(([x, y]) => x < box.left || x > box.right || y < box.top || y > box.bottom);
    })()""")


@needs_chromium
def test_page_gps_position_is_labelled_with_the_nearest_address(loket, loket_server):
    from helpers.cdp import Browser

    position = shapely.Point(115560, 533420)
    lon, lat = TO_WGS84.transform(position.x, position.y)
    oracle = stored(loket, "verblijfsobject").set_index("identificatie").loc[nearest_vbo(loket, position)]
    with Browser() as browser:
        page = browser.open(f"{loket_server}/op-locatie/", geolocation=(lat, lon))
        page.click("#mijn-locatie")
        page.wait_for("['klaar', 'fout'].includes(document.body.dataset.state)")
        status = page.evaluate("document.getElementById('status').textContent")
        assert f"bij {oracle['openbare_ruimte_naam']} {oracle['huisnummer']}" in status, status
        assert_numbered_and_linked(page, within(loket, position, 2000))
        link = page.evaluate("Array.from(document.querySelectorAll('#besluiten a')).map(a => [a.href, a.target])")
        assert link == [[PUBLISHED, "_blank"]]
        assert "(niet stikstofgevoelig)" in page.evaluate("document.getElementById('besluiten').textContent")
        assert page.evaluate("document.querySelector('.zelfde-plek').textContent") == "3"  # three on one farm
        assert_notices(page, ["Wnb-besluiten", "Stikstofbronnen"])
        assert not [v for v in PRIVATE_VALUES if v in page.evaluate("document.documentElement.outerHTML")]
        page.screenshot(ARTEFACTS / "op_locatie_loket_gps.png")
        assert page.errors() == []


# --- the offline map of `geo op-locatie` ------------------------------------------------------------------------

@needs_chromium
def test_cli_map_numbers_the_decisions_within_the_radius_beside_the_list(store, tmp_path):
    from helpers.cdp import Browser
    from helpers.map_check import drawn, open_map

    out = tmp_path / "kaart.html"
    result = CliRunner().invoke(main, ["op-locatie", "--adres", "Grote Sloot 182, Dirkshorn", "--out", str(out),
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    expected = within(store, vbo_point(store, "1746XP", 182), 2000)
    assert f"{len(expected)} Wnb-besluiten binnen 2000 m" in result.output
    with Browser() as browser:
        page = open_map(browser, out)
        counts = drawn(page)
        assert counts[f"Wnb-besluiten ({len(expected)})"] == len(expected)
        assert_numbered_and_linked(page, expected)
        assert_notices(page, ["Wnb-besluiten", "Stikstofbronnen", "BAG verblijfsobjecten"])
        assert page.evaluate("document.querySelectorAll('.leaflet-control-scale-line').length") == 1
        assert "cijfer: nummer in de lijst" in page.evaluate("document.getElementById('legend').textContent")
        click_marker(page, 2)
        page.screenshot(ARTEFACTS / "op_locatie_loket_kaart.png")
        print_checks(page, "op_locatie_loket_kaart")
        assert page.errors() == []


def test_cli_gps_position_in_wgs84_names_the_nearest_address(loket, tmp_path):
    position = shapely.Point(FARM.x + 40, FARM.y + 30)
    lon, lat = TO_WGS84.transform(position.x, position.y)
    out = tmp_path / "gps.html"
    result = CliRunner().invoke(main, ["op-locatie", "--x", str(lon), "--y", str(lat), "--crs", "EPSG:4326",
                                       "--out", str(out), "--store", str(loket)])
    assert result.exit_code == 0, result.output
    oracle = stored(loket, "verblijfsobject").set_index("identificatie").loc[nearest_vbo(loket, position)]
    assert f"bij {oracle['openbare_ruimte_naam']} {oracle['huisnummer']}" in result.output.splitlines()[0]
    page = out.read_text()
    assert "Aan deze kaart kunnen geen rechten worden ontleend." in page and 'id="voorbeelddata"' in page
    assert PUBLISHED in page and not [v for v in PRIVATE_VALUES if v in page + result.output]


def test_the_position_itself_stays_the_centre(loket):
    where = op_locatie.locate(GeoPackageStore(loket), x=LOCATION.x + 35, y=LOCATION.y)
    assert where.point.equals(shapely.Point(LOCATION.x + 35, LOCATION.y))
    assert where.verblijfsobject == "0441010000000012" and where.adres_afstand_m == 35


def test_the_landing_page_links_to_the_page(loket_server):
    import requests

    landing = requests.get(f"{loket_server}/", params={"f": "html"}, timeout=60)
    assert landing.status_code == 200
    links = re.findall(r'<a href="([^"]+/op-locatie/)"', landing.text)
    assert links == [f"{loket_server}/op-locatie/"]
    page = requests.get(links[0], timeout=60)
    assert page.status_code == 200 and "Wnb-besluiten op locatie" in page.text
    assert 'id="op-locatie"' not in requests.get(f"{loket_server}/collections", params={"f": "html"}, timeout=60).text


def test_a_place_outside_the_municipality_is_told_so(store):
    """Utrecht asked of Schagen's store: 0 decisions, but the label says the data are Schagen's only."""
    from analyses.op_locatie import run

    result = run(GeoPackageStore(store), x=5.12, y=52.09, crs="EPSG:4326")
    assert len(result["wnb_besluit"]) == 0
    assert "let op: buiten gemeente Schagen" in result["locatie"]["label"].iloc[0]
    inside = run(GeoPackageStore(store), adres="1746 XP 182")
    assert "let op" not in inside["locatie"]["label"].iloc[0]
