"""Wnb-besluiten op locatie: the analysis, the process, the CLI map and the web page at /op-locatie/.

The page test drives headless Chromium over the DevTools protocol (``tests/helpers/cdp.py``, no extra package):
the position is emulated with ``Emulation.setGeolocationOverride``, "Mijn locatie" is clicked, and the
decisions within the radius must be drawn, without console errors, with a screenshot in tests/artefacts/.
"""

import json
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from pyproj import Transformer

from analyses import op_locatie
from analyses.invoer import InputError
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.advies_store import LOCATION, PRIVATE_VALUES, build_store
from helpers.browser import CHROMIUM
from helpers.server import start_server, stop_server

ARTEFACTS = Path(__file__).parent / "artefacts"
LON, LAT = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True).transform(LOCATION.x, LOCATION.y)
WITHIN_2KM = ["Z-2020-00001-001", "Z-2024-00002-001"]  # the third decision lies 2.7 km away


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("advies") / "store.gpkg")


@pytest.fixture(scope="module")
def tiny_server(tiny, tmp_path_factory) -> str:
    proc, url = start_server(tiny, tmp_path_factory.mktemp("server") / "server.log", workers=1)
    yield url
    stop_server(proc)


@pytest.mark.parametrize("where", [{"adres": "1741 EA 12"}, {"adres": "1741ea12"}, {"bag_id": "0441010000000012"},
                                   {"x": LOCATION.x, "y": LOCATION.y},
                                   {"x": LON, "y": LAT, "crs": "EPSG:4326"}])
def test_every_kind_of_location_finds_the_decisions_within_the_radius(tiny, where):
    result = op_locatie.run(tiny, **where)
    besluiten = result["wnb_besluit"]
    assert list(besluiten["zaaknummer"]) == WITHIN_2KM  # vergunning verleend first, then aanvraag
    assert list(besluiten["afstand_m"]) == [1044, 650]
    assert list(result["stikstofbron"]["vthobject_id"]) == ["S1", "S3", "S2"]
    assert list(result["natura2000_gebied"]["nr"]) == [84]  # outside the radius, but the nearest is shown
    assert op_locatie.summary(result) == {"vergunning verleend": 1, "aanvraag": 1}


def test_a_smaller_radius_finds_less(tiny):
    assert list(op_locatie.run(tiny, adres="1741 EA 12", straal_m=700)["wnb_besluit"]["zaaknummer"]) == [WITHIN_2KM[1]]


@pytest.mark.parametrize("where, message", [
    ({"adres": "1741 EA 99"}, "adres 1741 EA 99 staat niet in de BAG"),
    ({"adres": "Teststraat"}, "verwacht postcode en huisnummer"),
    ({"adres": "Nergensweg 12, Schagen"}, "adres Nergensweg 12, Schagen staat niet in de BAG"),
    ({"bag_id": "0441010000009999"}, "is geen verblijfsobject"),
    ({"x": LAT, "y": LON, "crs": "EPSG:4326"}, "verwisseld erbinnen: geef ze als lengtegraad, breedtegraad"),
    ({"x": LOCATION.y, "y": LOCATION.x}, "verwisseld erbinnen: geef ze als RD-coördinaten oost, noord"),
    ({"x": 2.35, "y": 48.85, "crs": "EPSG:4326"}, "liggen buiten Nederland"),
    ({}, "geef precies één locatie"),
    ({"adres": "1741 EA 12", "bag_id": "0441010000000012"}, "geef precies één locatie"),
])
def test_bad_locations_get_a_clear_message(tiny, where, message):
    with pytest.raises(InputError, match=message):
        op_locatie.locate(GeoPackageStore(tiny), **where)


def test_cli_writes_an_offline_map_and_says_what_it_found(tiny, tmp_path):
    out = tmp_path / "kaart.html"
    result = CliRunner().invoke(main, ["op-locatie", "--adres", "1741 EA 12", "--out", str(out), "--store", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "2 Wnb-besluiten binnen 2000 m" in result.output and "Z-2020-00001-001" in result.output
    page = out.read_text()
    assert '<script src="http' not in page and "Z-2024-00002-001" in page and '"afstand_m": 1044.0' in page
    assert " 1044 m  Z-2020-00001-001" in result.output
    assert not [v for v in PRIVATE_VALUES if v in page + result.output]


def test_cli_swapped_coordinates_are_one_line(tiny, tmp_path):
    result = CliRunner().invoke(main, ["op-locatie", "--x", str(LAT), "--y", str(LON), "--crs", "EPSG:4326",
                                       "--out", str(tmp_path / "k.html"), "--store", str(tiny)])
    assert result.exit_code == 1 and "x en y verwisseld" in result.output and "Traceback" not in result.output


def execute(url: str, inputs: dict) -> requests.Response:
    return requests.post(f"{url}/processes/wnb-op-locatie/execution", json={"inputs": inputs}, timeout=60)


def test_process_answers_geojson_with_distances_and_only_public_fields(tiny_server):
    r = execute(tiny_server, {"adres": "1741 EA 12", "straal_m": 2000})
    assert r.status_code == 200, r.text
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and [f["properties"]["zaaknummer"] for f in fc["features"]] == WITHIN_2KM
    assert [f["properties"]["afstand_m"] for f in fc["features"]] == [1044, 650]
    lon, lat = fc["features"][0]["geometry"]["coordinates"]
    assert 4.5 < lon < 5.2 and 52.5 < lat < 53.0  # CRS84: lon, lat
    assert "aanvrager_naam" not in r.text and "adres\"" not in json.dumps(fc["stikstofbron"])
    assert not [v for v in PRIVATE_VALUES if v in r.text]


@pytest.mark.parametrize("inputs, message", [
    ({"adres": "9999 ZZ 1"}, "staat niet in de BAG"),
    ({"x": LAT, "y": LON, "crs": "EPSG:4326"}, "x en y verwisseld"),
    ({"adres": "1741 EA 12", "straal_m": -5}, "straal_m -5"),
    ({"adres": "1741 EA 12", "naam": "x"}, "onbekende invoer 'naam'"),
])
def test_process_bad_input_is_a_400_with_a_message(tiny_server, inputs, message):
    r = execute(tiny_server, inputs)
    assert r.status_code == 400 and message in r.json()["description"]
    assert "Traceback" not in r.text and "File \"" not in r.text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_page_my_location_shows_the_decisions_within_the_radius(tiny_server):
    from helpers.cdp import Browser

    with Browser() as browser:
        page = browser.open(f"{tiny_server}/op-locatie/", geolocation=(LAT, LON), mobile=True)
        assert page.evaluate("typeof L") == "object"  # Leaflet served by us, offline
        page.click("#mijn-locatie")
        page.wait_for("['klaar', 'fout'].includes(document.body.dataset.state)")
        assert page.evaluate("document.body.dataset.state") == "klaar", page.evaluate("status.textContent")
        assert page.evaluate("document.body.dataset.besluiten") == "2"
        assert page.evaluate("document.querySelectorAll('.besluit-marker .besluit-nr').length") == 2  # numbered
        assert page.evaluate("document.body.dataset.features") == "6"  # 2 besluiten, 3 bronnen, 1 Natura 2000
        text = page.evaluate("document.body.innerText")
        assert "Z-2020-00001-001" in text and "1.044 m" in text and "Testduinen" in text
        assert not [v for v in PRIVATE_VALUES if v in page.evaluate("document.documentElement.outerHTML")]
        page.screenshot(ARTEFACTS / "op_locatie_mobiel.png")
        assert page.errors() == []


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_page_unknown_address_shows_a_message(tiny_server):
    from helpers.cdp import Browser

    with Browser() as browser:
        page = browser.open(f"{tiny_server}/op-locatie/")
        page.fill("#adres", "1741 EA 99")
        page.evaluate("document.getElementById('zoek').requestSubmit()")
        page.wait_for("document.body.dataset.state === 'fout'")
        assert "adres 1741 EA 99 staat niet in de BAG" in page.evaluate("document.getElementById('status').textContent")
        page.screenshot(ARTEFACTS / "op_locatie_fout.png")
        assert [e for e in page.errors() if "status of 400" not in e] == []  # only the process's own 400
