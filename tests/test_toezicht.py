"""Risicogericht toezicht: a hand-built case ranks exactly as the documented score says; internal stays internal."""

import shutil
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
import requests
from click.testing import CliRunner
from shapely.geometry import Point, Polygon

from analyses import toezicht
from geo.core.crs import RD_NEW
from geo.core.schema import conform
from geo.core.validate import Quarantine
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main
from omgevingsgeo.registry import build_registry

from helpers.page_check import CHROMIUM, console_errors, dom

REGISTRY = build_registry()

PEILDATUM = date(2025, 1, 1)
MELDER = "Q. Klagerman (melder)"
EXPORT = f"""ZAAKNUMMER;VTHOBJECT_ID;INRICHTING;SOORT;DATUM;RESULTAAT;OMSCHRIJVING;MELDER_NAAM;MELDER_EMAIL;X;Y
T-1;ODA;Melkrundvee;controle;2024-03-01;overtreding;periodieke controle;;;109900;505000
T-2;ODA;Melkrundvee;handhaving;2024-05-01;last onder dwangsom;na controle;;;109900;505000
T-3;ODB;Vleesvarkens;klacht;2023-06-01;gegrond;geuroverlast;{MELDER};q@example.nl;102000;505000
T-4;ODB;Vleesvarkens;klacht;2023-07-01;gegrond;geuroverlast;{MELDER};q@example.nl;102000;505000
T-5;ODB;Vleesvarkens;klacht;2023-08-01;ongegrond;geuroverlast;{MELDER};q@example.nl;102000;505000
T-6;ODB;Vleesvarkens;controle;2018-02-01;overtreding;buiten het venster van 5 jaar;;;102000;505000
T-7;ODNX;Garagebedrijf;controle;2023-09-01;overtreding;periodieke controle;;;104000;502000
T-8;ODNX;Garagebedrijf;klacht;2024-10-01;in behandeling;geluidoverlast;{MELDER};q@example.nl;104000;502000
T-9;ODC;Paarden;klacht;2024-10-02;gegrond;stank;{MELDER};q@example.nl;;
T-10;ODC;Paarden;telefoon;2024-10-03;;;;;108000;508000
"""


def _layer(name: str, rows: list[dict]) -> gpd.GeoDataFrame:
    return conform(gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW), REGISTRY.layers[name].schema)


def _homes(points: list[tuple[float, float]]) -> list[dict]:
    return [{"identificatie": f"V{i}", "status": "Verblijfsobject in gebruik", "gebruiksdoel": "woonfunctie",
             "geometry": Point(x, y)} for i, (x, y) in enumerate(points)]


def tiny_layers() -> dict[str, gpd.GeoDataFrame]:
    bron = {"type": "Vergunning", "binnen_gemeente": True}
    return {
        "gemeentegebied": _layer("gemeentegebied", [{"statcode": "GM9999", "statnaam": "Proef", "geometry":
                                                     Polygon([(100000, 500000), (110000, 500000), (110000, 510000),
                                                              (100000, 510000)])}]),
        "natura2000_gebied": _layer("natura2000_gebied", [
            {"nr": 99, "naam": "Proefduinen", "stikstofgevoelig": True, "geometry":
             Polygon([(110000, 500000), (112000, 500000), (112000, 510000), (110000, 510000)])},
            {"nr": 162, "naam": "Vogelplas (geen stikstofgevoelige habitat)", "stikstofgevoelig": False,
             "geometry": Polygon([(101800, 504000), (101900, 504000), (101900, 506000), (101800, 506000)])}]),
        "stikstofbron": _layer("stikstofbron", [
            {**bron, "vthobject_id": "ODA", "bedrijfstype": "Melkrundvee", "nh3_emissie": 6000.0,
             "geometry": Point(109900, 505000), "naam": "Maatschap Geheim"},
            {**bron, "vthobject_id": "ODB", "bedrijfstype": "Vleesvarkens", "nh3_emissie": 1200.0,
             "geometry": Point(102000, 505000)},
            {**bron, "vthobject_id": "ODC", "bedrijfstype": "Paarden", "nh3_emissie": 50.0,
             "geometry": Point(108000, 508000)}]),
        "verblijfsobject": _layer("verblijfsobject", _homes([(102000 + 30 * i, 505100) for i in range(6)]
                                                            + [(108000, 508200), (108000, 508300)])),
        "wnb_besluit": _layer("wnb_besluit", [
            {"zaaknummer": "Z-1", "besluittype": "vergunning verleend", "activiteit": "uitbreiding",
             "besluitdatum": "2020-01-01", "stikstofbron_id": "ODB", "geometry": Point(102000, 505000)},
            {"zaaknummer": "Z-2", "besluittype": "geweigerd", "activiteit": "uitbreiding",
             "besluitdatum": "2021-01-01", "stikstofbron_id": "ODZ", "geometry": Point(103000, 505000)}]),
    }


def publish_tiny(path, layers) -> GeoPackageStore:
    store = GeoPackageStore(path)
    meta = {n: {"title": n, "gemeente": "GM9999", "public_fields": [], "key": None, "quarantined": 0,
                "repaired": 0} for n in layers}
    store.publish(layers, meta, [], Quarantine().frame())
    return store


@pytest.fixture()
def tiny(tmp_path):
    export = tmp_path / "vth_toezicht_GM9999.csv"
    export.write_text(EXPORT, encoding="cp1252")
    return publish_tiny(tmp_path / "tiny.gpkg", tiny_layers()), export


def test_tiny_case_ranks_exactly_as_documented(tiny):
    store, export = tiny
    quarantine = Quarantine()
    ranking = toezicht.run(store, export, PEILDATUM, quarantine)["toezicht_prioriteit"]
    columns = ["vthobject_id", "risicoscore", "punten_naleving", "punten_emissie", "punten_woningen", "punten_natuur",
               "punten_vergunning", "overtredingen_5jr", "handhaving_5jr", "klachten_5jr", "woningen_250m",
               "wnb_vergunning", "herkomst"]
    got = ranking[columns].astype(object).values.tolist()
    assert got == [
        ["ODA", 59, 14, 20, 0, 15, 10, 1, 1, 0, 0, "geen", "stikstofbron"],
        ["ODB", 26, 6, 10, 10, 0, 0, 0, 0, 2, 6, "verleend", "stikstofbron"],
        ["ODC", 11, 0, 0, 5, 6, 0, 0, 0, 0, 1, "n.v.t.", "stikstofbron"],
        ["ODNX", 11, 11, 0, 0, 0, 0, 1, 0, 1, 0, "n.v.t.", "vth-export"],  # tie with ODC: ranked by id
    ]
    assert ranking["rang"].tolist() == [1, 2, 3, 4]
    # ODB lies 100 m from 162, a bird area without nitrogen-sensitive habitat: no natuur points for that
    assert ranking.set_index("vthobject_id")["natura2000_nr"].astype(int).to_dict() == {
        "ODA": 99, "ODB": 99, "ODC": 99, "ODNX": 99}
    assert ranking["punten_hexagonen"].isna().all()  # no stikstof_hexagon: not available, said so
    top = ranking.iloc[0]["toelichting"]
    for part in ("Score 59 van 100", "Naleving (14 pnt)", "Emissie (20 pnt)", "Woningen (0 pnt)", "Natuur (15 pnt)",
                 "Stikstofhexagonen: niet beschikbaar", "Wnb-vergunning (10 pnt)"):
        assert part in top
    reasons = sorted(quarantine.frame()["reason"])
    assert len(reasons) == 2 and reasons[0] == "soort not in the code list" and reasons[1].startswith("x/y missing")


def test_hexagons_in_exceedance_count_when_the_screening_exists(tiny):
    store, export = tiny
    hexagons = gpd.GeoDataFrame({"receptor_id": [1, 2, 3], "natura2000_nr": [99, 99, 99],
                                 "overschrijding_mol_ha_jr": [120.0, 5.0, -10.0]},
                                geometry=[Point(110300, 505000).buffer(50), Point(110500, 505200).buffer(50),
                                          Point(110400, 504800).buffer(50)], crs=RD_NEW)
    publish_tiny(store.path, {"stikstof_hexagon": hexagons})
    ranking = toezicht.run(store, export, PEILDATUM)["toezicht_prioriteit"].set_index("vthobject_id")
    assert ranking.loc["ODA", "hexagonen_overschrijding_1km"] == 2
    assert ranking.loc["ODA", "punten_hexagonen"] == 3 and ranking.loc["ODA", "risicoscore"] == 62
    assert "2 hexagonen met overschrijding" in ranking.loc["ODA", "toelichting"]


def test_cli_writes_csv_and_map_without_complainant_names(tiny, tmp_path):
    store, export = tiny
    out = tmp_path / "out" / "toezicht.csv"
    result = CliRunner().invoke(main, ["toezicht", "--store", str(store.path), "--export", str(export),
                                       "--peildatum", "2025-01-01", "--gemeente", "GM9999", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ranked 4 establishments (2 export records quarantined)" in result.output
    csv = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig", skiprows=1)  # line 1: the title
    assert csv["VTH-object"].tolist() == ["ODA", "ODB", "ODC", "ODNX"] and "Toelichting" in csv.columns
    assert csv["X (RD, m)"].dtype.kind == "f"  # decimal commas, as a Dutch Excel reads them
    assert f"{csv['X (RD, m)'][0]:.1f}".replace(".", ",") + ";" in out.read_text(encoding="utf-8-sig")
    page = out.with_suffix(".html").read_text()
    for text in (out.read_text(encoding="utf-8-sig"), page):
        assert MELDER not in text and "q@example.nl" not in text and "Maatschap Geheim" not in text
    assert store.read("toezicht_zaak")["melder_naam"].eq(MELDER).sum() == 4  # kept internally only (T-9 quarantined)
    assert "toezicht_prioriteit" in store.layers() and len(store.quarantine("toezicht_zaak")) == 2


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_ranking_map_renders_offline(tiny, tmp_path):
    from analyses.toezicht.kaart import ranking_map

    store, export = tiny
    ranking = toezicht.run(store, export, PEILDATUM)["toezicht_prioriteit"]
    page = ranking_map(ranking, store, tmp_path / "kaart.html")
    html = dom(page.as_uri())
    assert "leaflet-container" in html and "Toezichtprioriteit (intern)" in html
    assert console_errors(page.as_uri()) == []


def test_sample_build_ranks_with_the_generated_export(store):
    s = GeoPackageStore(store)
    ranking = s.read("toezicht_prioriteit")
    assert len(ranking) > 250 and ranking["rang"].tolist() == sorted(ranking["rang"])
    assert (ranking["herkomst"] == "vth-export").sum() == 8
    reasons = s.quarantine("toezicht_zaak")["reason"]
    assert len(reasons) == 3 and "duplicate zaaknummer" in set(reasons)  # the three planted bad records


def test_internal_results_never_reach_the_public_api_or_maps(server, store, tmp_path):
    from geo.render.maps import overview_map

    assert "toezicht_prioriteit" not in REGISTRY.results() and "toezicht_zaak" not in REGISTRY.results()
    names = {v for v in GeoPackageStore(store).read("toezicht_zaak")["melder_naam"].dropna()}
    assert names
    collections = requests.get(f"{server}/collections", params={"f": "json"}, timeout=30)
    ids = {c["id"] for c in collections.json()["collections"]}
    assert not ids & {"toezicht_prioriteit", "toezicht_zaak"}
    for name in ("toezicht_prioriteit", "toezicht_zaak"):
        assert requests.get(f"{server}/collections/{name}/items", params={"f": "json"}, timeout=30).status_code == 404
    openapi = requests.get(f"{server}/openapi", params={"f": "json"}, timeout=60).text
    public_map = overview_map(GeoPackageStore(store), tmp_path / "overzicht.html", REGISTRY.collections()).read_text()
    for text in (collections.text, openapi, public_map):
        assert "toezicht_prioriteit" not in text and not [n for n in names if n in text]


def test_store_copy_cli_on_sample(store, data_dir, tmp_path):
    copy = tmp_path / "store.gpkg"
    shutil.copyfile(store, copy)
    out = tmp_path / "toezicht.csv"
    result = CliRunner().invoke(main, ["toezicht", "--store", str(copy), "--out", str(out)])
    assert result.exit_code == 0, result.output  # the export is found beside the stikstofbron source
    assert out.exists() and out.with_suffix(".html").exists()
