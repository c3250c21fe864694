"""Gebiedsanalyse on a hand-built tiny area: exactly the expected findings, a report that opens offline,
clear messages for bad polygons, and no private value anywhere."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Transformer

from analyses import gebiedsanalyse
from analyses.invoer import InputError
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.advies_store import EXPECTED_FINDINGS, PRIVATE_VALUES, build_store
from helpers.browser import CHROMIUM

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
    assert gebiedsanalyse.counts(findings) == {"bedreiging": 5, "kans": 1, "ontbrekende informatie": 3}
    assert findings["reden"].str.len().min() > 40 and findings["bevinding_id"].is_unique
    richtafstand = findings[findings["regel"] == "gevoelige_functie_binnen_richtafstand"].iloc[0]
    assert (richtafstand["afstand_m"], richtafstand["norm_m"]) == (150, 200)
    assert "VNG" in richtafstand["norm_bron"] and "Vleesvarkens" in richtafstand["reden"]


def test_hexagons_replace_the_missing_information(tmp_path):
    store = build_store(tmp_path / "store.gpkg", with_hexagons=True)
    findings = gebiedsanalyse.run(store, gemeente="GM0441")["gebiedsanalyse_bevinding"]
    expected = EXPECTED_FINDINGS - {("bouwmogelijkheid_in_stikstofoverschrijding", "stikstofkaart per hexagoon")}
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
     "buiten gemeente Testgemeente"),
    (polygon_wgs84([(115000, 533000), (116000, 534000), (115000, 534000), (116000, 533000), (115000, 533000)]),
     "zelfdoorsnijding bij lengte"),
    (polygon_wgs84([(115000, 533000), (116000, 533000), (116000, 534000), (115000, 533000)], swap=True),
     "assen verwisseld"),
    ({"type": "Point", "coordinates": [4.8, 52.8]}, "verwacht een Polygon"),
    ("{not json", "geen GeoJSON"),
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
    assert mime == "application/json" and fc["type"] == "FeatureCollection" and len(fc["features"]) == 9
    lon, lat = fc["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 4.5 < lon < 5.2 and 52.5 < lat < 53.0
    assert fc["samenvatting"] == {"bedreiging": 5, "kans": 1, "ontbrekende informatie": 3}
    with pytest.raises(InputRejected, match="staat niet op deze server, die GM0441") as err:
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
    assert "published 9 findings as collection gebiedsanalyse_bevinding" in result.output
    assert "5 bedreiging, 1 kans, 3 ontbrekende informatie" in result.output
    from analyses.invoer import read_public

    assert len(read_public(store, "gebiedsanalyse_bevinding")) == 9


def test_cli_bad_polygon_is_one_line(tiny, tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(polygon_wgs84([(115000, 533000), (116000, 534000), (115000, 534000),
                                              (116000, 533000), (115000, 533000)])))
    result = CliRunner().invoke(main, ["gebiedsanalyse", "--geometrie", str(bad), "--out", str(tmp_path / "r.html"),
                                       "--store", str(tiny)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: geometrie is geen geldig vlak: zelfdoorsnijding bij lengte")
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


# --- the report for the meeting, in Chromium with the network blocked ---------------------------------------
# Oracles from the stored tables (pyogrio, pandas, shapely), never through the analysis.

EMITTER_KG = 100  # NH3 + NOx kg/jr: the supervision ranking's threshold (analyses/toezicht docstring)
CONTEXT_N2000_M = 5000  # Natura 2000 on the map: the ranking's widest natuur class


def sources_without_granted_permit(store_path) -> set[str]:
    """Stikstofbronnen inside the municipality emitting >= 100 kg NH3 + NOx without a 'vergunning verleend'."""
    import pyogrio

    bronnen = pyogrio.read_dataframe(store_path, layer="stikstofbron")
    besluiten = pyogrio.read_dataframe(store_path, layer="wnb_besluit", read_geometry=False)
    gemeente = shapely.union_all(pyogrio.read_dataframe(store_path, layer="gemeentegebied").geometry.values)
    inside = bronnen[shapely.within(bronnen.geometry.values, gemeente)]
    kg = inside["nh3_emissie"].fillna(0) + inside["nox_emissie"].fillna(0)
    granted = set(besluiten.loc[besluiten["besluittype"] == "vergunning verleend", "stikstofbron_id"].dropna())
    return set(inside.loc[(kg >= EMITTER_KG) & ~inside["vthobject_id"].isin(granted), "vthobject_id"])


def context_counts(store_path) -> dict[str, int]:
    import pyogrio

    gemeente = shapely.union_all(pyogrio.read_dataframe(store_path, layer="gemeentegebied").geometry.values)
    natura = pyogrio.read_dataframe(store_path, layer="natura2000_gebied")
    plan = pyogrio.read_dataframe(store_path, layer="omgevingsplan_functie")
    functies = plan[(plan["type"] == "functie") & shapely.intersects(plan.geometry.values, gemeente)]
    return {"Natura 2000-gebieden": int((shapely.distance(natura.geometry.values, gemeente) <= CONTEXT_N2000_M).sum()),
            "Omgevingsplan: functies": len(functies)}


GROUPS_JS = """Array.from(document.querySelectorAll('section.groep')).map(s => [s.dataset.soort, s.dataset.regel,
    Number(s.dataset.rijen), s.querySelectorAll('tbody tr').length, s.querySelector('h3').textContent])"""


def open_report(browser, path: Path, shot: str):
    from helpers.map_check import drawn, open_map

    page = open_map(browser, path, size=(1280, 2400))
    page.wait_for("Number(document.getElementById('kaart-status').dataset.features) >= 0")
    page.screenshot(ARTEFACTS / shot)
    return page, drawn(page)


def group_table(page, regel: str) -> str:
    return page.evaluate(f"document.querySelector('section.groep[data-regel=\"{regel}\"] table').id")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_report_groups_the_findings_of_the_tiny_store_as_worked_out_by_hand(report, tiny):
    from collections import Counter

    from helpers.cdp import Browser

    expected = Counter(regel for regel, _ in EXPECTED_FINDINGS)
    with Browser() as browser:
        page, drawn = open_report(browser, report, "gebiedsanalyse_rapport.png")
        shown = page.evaluate(GROUPS_JS)
        assert page.errors() == []
    assert {regel: rows for _, regel, _, rows, _ in shown} == dict(expected)
    assert all(declared == rows for _, _, declared, rows, _ in shown)
    bron = next(h for _, regel, _, _, h in shown if regel == "bron_zonder_wnb_vergunning")
    assert bron == f"{len(sources_without_granted_permit(tiny))} stikstofbronnen zonder verleende Wnb-vergunning"
    assert drawn["bedreiging (5)"] == 5 and drawn["kans (1)"] == 1 and drawn["ontbrekende informatie (3)"] == 3
    assert {k.rsplit(" (", 1)[0]: v for k, v in drawn.items() if k.startswith(("Natura", "Omgevingsplan"))} == \
        context_counts(tiny)


@pytest.fixture(scope="module")
def sample_report(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rapport") / "rapport.html"
    result = CliRunner().invoke(main, ["gebiedsanalyse", "--gemeente", "GM0441", "--out", str(out),
                                       "--store", str(store)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_sample_report_groups_sorts_filters_and_draws_the_context(sample_report, store):
    from helpers.cdp import Browser
    from helpers.interact import click, column, type_into

    oracle = sources_without_granted_permit(store)
    with Browser() as browser:
        page, drawn = open_report(browser, sample_report, "gebiedsanalyse_schagen.png")
        shown = page.evaluate(GROUPS_JS)
        bron = group_table(page, "bron_zonder_wnb_vergunning")
        objecten = column(page, bron, 1)
        click(page, "#overzicht thead th:nth-child(3) button")  # aantal, ascending
        ascending = [float(v) for v in column(page, "overzicht", 2, "data-waarde")]
        click(page, "#overzicht thead th:nth-child(3) button")
        descending = [float(v) for v in column(page, "overzicht", 2, "data-waarde")]
        query = sorted(oracle)[len(oracle) // 2]
        type_into(page, f'input[data-tabel="{bron}"]', query)
        filtered, counter = column(page, bron, 1), page.evaluate(f"document.querySelector('[data-teller=\"{bron}\"]')"
                                                                  ".textContent")
        page.screenshot(ARTEFACTS / "gebiedsanalyse_schagen_gefilterd.png")
        legend = page.evaluate("document.querySelector('.kaart-legenda').textContent")
        scale = page.evaluate("Array.from(document.querySelectorAll('.leaflet-control-scale-line'))"
                              ".map(e => e.textContent)")
        assert page.errors() == []
    assert "Natura 2000-gebieden" in legend and "Omgevingsplan: functies: wonen" in legend
    assert len(scale) == 1 and re.fullmatch(r"\d+ k?m", scale[0])  # one metric scale bar, no feet or miles
    assert len(oracle) > 20 and set(objecten) == oracle and len(objecten) == len(oracle)
    heading = next(h for _, regel, _, _, h in shown if regel == "bron_zonder_wnb_vergunning")
    assert heading == f"{len(oracle)} stikstofbronnen zonder verleende Wnb-vergunning"
    assert all(declared == rows for _, _, declared, rows, _ in shown) and len(shown) < sum(r for *_, r, _ in shown)
    assert ascending == sorted(ascending) and descending == sorted(ascending, reverse=True) and len(ascending) > 2
    assert filtered == [query] and counter == f"1 van {len(oracle)} rijen"
    context = context_counts(store)
    assert {k.rsplit(" (", 1)[0]: v for k, v in drawn.items() if k.startswith(("Natura", "Omgevingsplan"))} == context
    assert context["Natura 2000-gebieden"] > 0 and context["Omgevingsplan: functies"] > 10


def test_report_header_and_areas_only_where_they_mean_something(report):
    page = report.read_text()
    assert "Testgemeente (GM0441)" in page and re.search(r"<dt>Datum</dt><dd>\d\d-\d\d-20\d\d</dd>", page)
    assert re.search(r"<dt>Build</dt><dd>\d{8}T\d{6} \(\d\d-\d\d-\d{4} \d\d:\d\d UTC\)</dd>", page)
    bron = re.search(r'data-regel="bron_zonder_wnb_vergunning".*?</section>', page, re.S).group(0)
    assert "oppervlak" not in bron  # a source point's erf has no meaningful area
    kans = re.search(r'data-regel="geschikt_voor_woningbouw".*?</section>', page, re.S).group(0)
    assert "oppervlak (ha)" in kans and "m²" not in kans


def test_findings_of_points_have_no_area(tiny):
    findings = gebiedsanalyse.run(tiny, gemeente="GM0441")["gebiedsanalyse_bevinding"]
    by_rule = findings.set_index("regel")["opp_m2"]
    assert by_rule[["bron_zonder_wnb_vergunning"]].isna().all()
    assert by_rule["geschikt_voor_woningbouw"] > 10_000
