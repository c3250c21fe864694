"""Gebiedsanalyse on a hand-built tiny area: exactly the expected findings, a report that opens offline,
clear messages for bad polygons, and no private value anywhere."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from pyproj import Transformer

from analyses import gebiedsanalyse
from analyses.invoer import InputError
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.advies_store import EXPECTED_FINDINGS, PRIVATE_VALUES, build_store
from helpers.browser import CHROMIUM, dom

ARTEFACTS = Path(__file__).parent / "artefacts"
TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("advies") / "store.gpkg")


def polygon_wgs84(coords_rd, swap=False) -> dict:
    ring = [list(TO_WGS84.transform(x, y)) for x, y in coords_rd]
    return {"type": "Polygon", "coordinates": [[p[::-1] if swap else p for p in ring]]}


def found(findings) -> set[tuple[str, str]]:
    return set(zip(findings["regel"], findings["objecten"]))


def test_tiny_area_gives_exactly_the_expected_findings(tiny):
    findings = gebiedsanalyse.run(tiny, gemeente="GM0441")["gebiedsanalyse_bevinding"]
    assert found(findings) == EXPECTED_FINDINGS
    assert gebiedsanalyse.counts(findings) == {"bedreiging": 4, "kans": 1, "ontbrekende informatie": 3}
    assert findings["reden"].str.len().min() > 40 and findings["bevinding_id"].is_unique
    richtafstand = findings[findings["regel"] == "gevoelige_functie_binnen_richtafstand"].iloc[0]
    assert (richtafstand["afstand_m"], richtafstand["norm_m"]) == (150, 200)
    assert "VNG" in richtafstand["norm_bron"] and "Vleesvarkens" in richtafstand["reden"]


def test_hexagons_replace_the_missing_information(tmp_path):
    store = build_store(tmp_path / "store.gpkg", with_hexagons=True)
    findings = gebiedsanalyse.run(store, gemeente="GM0441")["gebiedsanalyse_bevinding"]
    expected = EXPECTED_FINDINGS - {("bouwmogelijkheid_in_stikstofoverschrijding", "stikstof_hexagon")}
    hexagon = {(r, o) for r, o in found(findings) if r == "bouwmogelijkheid_in_stikstofoverschrijding"}
    assert found(findings) - hexagon == expected
    assert len(hexagon) == 1 and next(iter(hexagon))[1].startswith("F3; receptoren ")
    reden = findings.loc[findings["regel"] == "bouwmogelijkheid_in_stikstofoverschrijding", "reden"].iloc[0]
    assert "tot 50,0 mol N/ha/jr; AERIUS Monitor: 1 evenwicht)" in reden  # 836 against KDW 786: within ± 70


def test_a_building_site_near_an_area_without_nitrogen_sensitive_habitat_needs_no_nitrogen_calculation():
    from analyses.gebiedsregels import _natura2000_gevolg

    assert "niet stikstofgevoelig" in _natura2000_gevolg(pd.Series({"nr": 162, "stikstofgevoelig": False}))
    assert "AERIUS-berekening" in _natura2000_gevolg(pd.Series({"nr": 84, "stikstofgevoelig": True}))


def test_a_drawn_polygon_is_clipped_to_the_municipality_and_analysed(tiny):
    square = [(115000, 533000), (116500, 533000), (116500, 534500), (115000, 534500), (115000, 533000)]
    area = gebiedsanalyse.resolve_area(GeoPackageStore(tiny), geometrie=json.dumps(polygon_wgs84(square)))
    assert "buiten de gemeente" in area.note
    findings = gebiedsanalyse.run(tiny, area)["gebiedsanalyse_bevinding"]
    assert ("gevoelige_functie_op_ernstige_bodem", "F1; NH044100001") in found(findings)
    assert ("bouwmogelijkheid_nabij_natura2000", "F3; natura2000 84") not in found(findings)


@pytest.mark.parametrize("geometrie, message", [
    (polygon_wgs84([(120000, 540000), (121000, 540000), (121000, 541000), (120000, 540000)]),
     "outside gemeente Testgemeente"),
    (polygon_wgs84([(115000, 533000), (116000, 534000), (115000, 534000), (116000, 533000), (115000, 533000)]),
     "self-intersection at lon"),
    (polygon_wgs84([(115000, 533000), (116000, 533000), (116000, 534000), (115000, 533000)], swap=True),
     "axes swapped"),
    ({"type": "Point", "coordinates": [4.8, 52.8]}, "expected a Polygon"),
    ("{not json", "not GeoJSON"),
])
def test_bad_polygons_get_a_clear_message(tiny, geometrie, message):
    with pytest.raises(InputError, match=message):
        gebiedsanalyse.resolve_area(GeoPackageStore(tiny), geometrie=geometrie)


def test_process_answers_findings_in_crs84_and_400_on_bad_input(tiny, monkeypatch):
    from analyses.process import GebiedsanalyseProcessor
    from geo.serve.processing import InputRejected

    monkeypatch.setenv("GEO_STORE", str(tiny))
    process = GebiedsanalyseProcessor({"name": "gebiedsanalyse"})
    mime, fc = process.execute({"gemeente": "GM0441"})
    assert mime == "application/json" and fc["type"] == "FeatureCollection" and len(fc["features"]) == 8
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 4.5 < lon < 5.2 and 52.5 < lat < 53.0
    assert fc["samenvatting"] == {"bedreiging": 4, "kans": 1, "ontbrekende informatie": 3}
    with pytest.raises(InputRejected, match="is not in the store, which holds GM0441") as err:
        process.execute({"gemeente": "GM0363"})
    assert err.value.http_status_code == 400
    text = json.dumps(fc)
    assert not [v for v in PRIVATE_VALUES if v in text]


def test_cli_writes_report_and_publishes_the_collection(tiny, tmp_path):
    import shutil

    store = shutil.copy(tiny, tmp_path / "store.gpkg")
    out = tmp_path / "rapport.html"
    result = CliRunner().invoke(main, ["gebiedsanalyse", "--gemeente", "GM0441", "--out", str(out), "--store", store])
    assert result.exit_code == 0, result.output
    assert "published 8 findings as collection gebiedsanalyse_bevinding" in result.output
    assert "4 bedreiging, 1 kans, 3 ontbrekende informatie" in result.output
    from analyses.invoer import read_public

    assert len(read_public(store, "gebiedsanalyse_bevinding")) == 8


def test_cli_bad_polygon_is_one_line(tiny, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(polygon_wgs84([(115000, 533000), (116000, 534000), (115000, 534000),
                                              (116000, 533000), (115000, 533000)])))
    result = CliRunner().invoke(main, ["gebiedsanalyse", "--geometrie", str(bad), "--out", str(tmp_path / "r.html"),
                                       "--store", str(tiny)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: geometrie is not a valid polygon: self-intersection at lon")
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def report(tiny, tmp_path_factory) -> Path:
    store = GeoPackageStore(tiny)
    area = gebiedsanalyse.resolve_area(store, gemeente="GM0441")
    findings = gebiedsanalyse.run(store, area)["gebiedsanalyse_bevinding"]
    return gebiedsanalyse.write_report(store, area, findings, tmp_path_factory.mktemp("rapport") / "rapport.html")


def test_report_is_self_contained_and_private_free(report):
    page = report.read_text()
    assert not re.findall(r'<(?:script|img|iframe)[^>]+src="https?://', page)
    assert not re.findall(r'<link[^>]+href="https?://', page)
    assert "L.map(" in page and '<svg id="grafiek"' in page and "VNG" in page
    assert 'id="tabel-bedreiging"' in page and 'id="privacy"' in page and "Gebouwd " in page
    assert not [v for v in PRIVATE_VALUES if v in page]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_report_renders_all_findings_offline_without_errors(report):
    from helpers.cdp import Browser

    html = dom(report.as_uri())
    assert 'data-features="8"' in html  # every finding drawn by Leaflet
    assert html.count('class="leaflet-interactive"') >= 8
    with Browser() as browser:
        page = browser.open(report.as_uri(), size=(1280, 1800))
        page.wait_for("document.getElementById('kaart-status').dataset.features === '8'")
        page.screenshot(ARTEFACTS / "gebiedsanalyse_rapport.png")
        assert page.errors() == []
