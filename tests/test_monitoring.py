"""Monitoring: every build appends its indicators; two builds with different source dates make a trend."""

import csv
import os
import re
import shutil
import sqlite3
from datetime import UTC, date, datetime

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely.geometry import MultiPolygon

from analyses import monitoring, omgevingswaarden
from geo.build.builder import build
from geo.core.crs import RD_NEW
from geo.core.validate import Quarantine
from geo.render.maps import nl
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main
from omgevingsgeo.registry import build_registry

from helpers.browser import screenshot
from helpers.dso import omgevingsnorm_rows
from helpers.page_check import CHROMIUM, console_errors, dom

REGISTRY = build_registry()

JAN, FEB = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 15, tzinfo=UTC)
TODAY = date(2026, 11, 28)  # targets for 2030 and 2035 lie ahead, one for 2025 is judged


def _source_copy(data_dir, path, keep_rows: int | None, when: datetime):
    """The sample's stikstofbronnen export, optionally cut to its first ``keep_rows`` sources, dated ``when``."""
    with open(data_dir / "generated" / "stikstofbronnen_GM0441.csv", encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    with open(path, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows if keep_rows is None else rows[: keep_rows + 1])
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


@pytest.fixture(scope="module")
def two_builds(store, data_dir, tmp_path_factory):
    """A copy of the session store rebuilt twice: January with every source, February with 200 of them."""
    tmp = tmp_path_factory.mktemp("monitoring")
    copy = tmp / "store.gpkg"
    shutil.copyfile(store, copy)
    for name, keep, when in (("jan.csv", None, JAN), ("feb.csv", 200, FEB)):
        source = _source_copy(data_dir, tmp / name, keep, when)
        build(REGISTRY, ["stikstofbron"], "GM0441", copy, data_dir, {"stikstofbron": source})
    return GeoPackageStore(copy)


def test_each_build_appends_a_snapshot_with_its_source_dates(store, two_builds):
    before = monitoring.history(GeoPackageStore(store))
    after = monitoring.history(two_builds)
    assert before["built_at"].nunique() == 1 and after["built_at"].nunique() == 3
    nh3 = monitoring.trend(after)
    nh3 = nh3[(nh3["indicator"] == "nh3_emissie_kg") & (nh3["gebied"] == "GM0441")].set_index("peildatum")
    assert {"2026-01-15", "2026-02-15"} <= set(nh3.index)
    assert nh3.loc["2026-02-15", "waarde"] < nh3.loc["2026-01-15", "waarde"]  # fewer sources in February
    assert set(after["indicator"]) >= {"wnb_besluiten", "bodemlocaties", "bodem_statuswijzigingen", "nox_emissie_kg"}


def test_rebuilding_unchanged_sources_adds_no_trend_point(two_builds):
    frame = monitoring.history(two_builds)
    again = frame[frame["built_at"] == frame["built_at"].max()].assign(built_at="9999-12-31T00:00:00+00:00")
    doubled = pd.concat([frame, again], ignore_index=True)
    assert len(monitoring.trend(doubled)) == len(monitoring.trend(frame))


def test_targets_are_judged(two_builds):
    latest = monitoring.trend(monitoring.history(two_builds)).sort_values("peildatum")
    latest = latest.drop_duplicates(["indicator", "gebied", "categorie"], keep="last")
    targets = [{"indicator": "nh3_emissie_kg", "gebied": "GM0441", "categorie": "", "norm": "max", "waarde": 1e9},
               {"indicator": "bodemlocaties", "gebied": "GM0441", "categorie": "onbekend", "norm": "max",
                "waarde": -1},
               {"indicator": "geen_indicator", "gebied": "GM0441", "categorie": "", "norm": "min", "waarde": 1}]
    assert [t["oordeel"] for t in monitoring.assess_targets(latest, targets)] == [
        "voldoet", "voldoet niet", "niet beschikbaar"]


def test_page_with_line_charts_and_targets(two_builds, tmp_path):
    out = tmp_path / "monitoring.html"
    result = CliRunner().invoke(main, ["monitoring", "--store", str(two_builds.path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 build(s) in the history" in result.output
    text = out.read_text()
    # the session store holds the sample plan's omgevingswaarden (DSO delivery -> omgevingsnorm): they are the targets
    assert 'id="omgevingswaarden"' in text and "Ammoniakemissie van bedrijven in de gemeente" in text
    assert 'id="voorbeeldnormen"' not in text
    assert text.count("<polyline") >= 5 and 'class="target"' in text and "2026-02-15" in text
    assert "<script" not in text


def test_hexagon_indicator_is_reported_as_not_available_without_screening(two_builds, tmp_path):
    frame = monitoring.history(two_builds)
    text = monitoring.render(frame[frame["indicator"] != "hectare_overschrijding"], [], "GM0441")
    assert 'id="niet-beschikbaar"' in text and "hectare_overschrijding: niet beschikbaar" in text


def test_deposition_per_natura2000_area_is_aerius_monitor(two_builds, data_dir):
    """Oracle: the AERIUS Monitor CSV itself (read by pandas), 2021 now and 2030 as prognosis."""
    csv_rows = pd.read_csv(data_dir / "sources/aerius-monitor/depositie_totaal_per_n2000_gebied.csv")
    rows = monitoring.indicators(two_builds, "GM0441")
    rows = rows[rows["indicator"] == "stikstofdepositie_mol_ha_jr"]
    for jaar, categorie in ((2021, ""), (2030, "prognose 2030")):
        expected = csv_rows[(csv_rows["jaar"] == jaar) & (csv_rows["nummer"] == 85)]["depositie"].iloc[0]
        got = rows[(rows["gebied"] == "85") & (rows["categorie"] == categorie)]["waarde"]
        assert got.tolist() == [pytest.approx(expected)]
    assert rows.loc[rows["categorie"] == "prognose 2030", "jaar"].eq(2030).all()
    assert rows.loc[rows["categorie"] == "", "jaar"].isna().all()  # a snapshot: part of the trend over the builds


def test_target_for_a_later_year_is_shown_against_that_year_not_judged_today():
    latest = pd.DataFrame({"indicator": ["nh3_emissie_kg"], "gebied": ["GM0441"], "categorie": [""],
                           "waarde": [500.0]})
    expected = pd.DataFrame({"indicator": ["nh3_emissie_kg"], "gebied": ["GM0441"], "categorie": ["prognose 2030"],
                             "jaar": [2030], "waarde": [350.0]})
    target = {"indicator": "nh3_emissie_kg", "gebied": "GM0441", "categorie": "", "norm": "max", "waarde": 400,
              "jaar": 2030}
    now, later = (monitoring.assess_targets(latest, [target], day, expected)[0]
                  for day in (date(2026, 11, 28), date(2031, 1, 1)))
    assert now["oordeel"] == "doel voor 2030: nog niet te beoordelen" and now["prognose"] == {"jaar": 2030,
                                                                                               "waarde": 350.0}
    assert later["oordeel"] == "voldoet niet"
    assert monitoring.assess_targets(latest, [{**target, "jaar": None}], date(2026, 11, 28))[0]["oordeel"] == (
        "voldoet niet")


def without_plan(store: GeoPackageStore, path) -> GeoPackageStore:
    """A copy of ``store`` without the omgevingsnorm collection (a plan that holds no omgevingswaarden)."""
    shutil.copyfile(store.path, path)
    with sqlite3.connect(path) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name LIKE 'rtree_omgevingsnorm%'")]
        for table in ["omgevingsnorm", *tables]:
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
        for meta, column in (("gpkg_contents", "table_name"), ("gpkg_geometry_columns", "table_name"),
                             ("geo_layers", "name")):
            con.execute(f"DELETE FROM {meta} WHERE {column} = 'omgevingsnorm'")
    return GeoPackageStore(path)


def test_voorbeeldnormen_are_labelled_as_examples(two_builds, tmp_path):
    """A store without an omgevingsnorm collection: the example file is used and says so."""
    store = without_plan(two_builds, tmp_path / "zonder_plan.gpkg")
    assert "omgevingsnorm" not in store.layers()
    targets = omgevingswaarden.targets(store, "GM0441")
    assert targets and {t["herkomst"] for t in targets} == {"voorbeeldnorm"}
    text = monitoring.write_page_for(store, tmp_path / "m.html", "GM0441", today=TODAY).read_text()
    assert 'id="voorbeeldnormen"' in text and text.count("<td>voorbeeldnorm</td>") == len(targets)
    assert "voorbeeldnorm 2030" in text  # the chart's target label


def test_titles_name_the_municipality_and_areas_with_history_over_builds(two_builds, tmp_path):
    text = monitoring.write_page_for(two_builds, tmp_path / "m.html", "GM0441", today=TODAY).read_text()
    assert "<h1>Monitoring omgevingsplan Schagen</h1>" in text and "GM0441" not in _titles(text)
    nh3 = _chart(text, "Ammoniakemissie (NH3) van stikstofbronnen — gemeente Schagen")
    assert len(re.search(r'<polyline[^>]*points="([^"]*)"', nh3).group(1).split()) >= 2  # January and February
    assert "Natura 2000-gebied 85 Zwanenwater &amp; Pettemerduinen" in _titles(text)
    assert ">2030</text>" in nh3 and 'class="target-point"' in nh3  # the 2030 target drawn at 2030


@pytest.fixture(scope="module")
def plan_store(two_builds, tmp_path_factory):
    """The two-build store plus a small omgevingsnorm collection, as the DSO reader's layer writes it."""
    path = tmp_path_factory.mktemp("plan") / "store.gpkg"
    shutil.copyfile(two_builds.path, path)
    store = GeoPackageStore(path)
    natura = store.read("natura2000_gebied")
    gemeente = store.read("gemeentegebied").geometry.union_all()
    inside_85 = natura.loc[natura["nr"] == 85].geometry.iloc[0].representative_point().buffer(200)
    rows = [_norm("ow.stikstof", "Stikstofdepositie Natura 2000, uiterlijk 2035", "omgevingswaarde",
                  "typenorm/id/concept/Depositie", 700.0, "eenheid/id/concept/MolPerHectarePerJaar", inside_85),
            _norm("ow.ammoniak", "Ammoniakemissie gemeente, uiterlijk 2025", "omgevingswaarde",
                  "typenorm/id/concept/Emissie", 1e9, "eenheid/id/concept/KilogramPerJaar", gemeente),
            _norm("ow.geluid", "Geluid in woongebieden", "omgevingswaarde", "typenorm/id/concept/Geluidbelasting",
                  53.0, "eenheid/id/concept/Decibel", gemeente.buffer(-1000)),
            _norm("on.bouwhoogte", "maximum bouwhoogte", "omgevingsnorm", "typenorm/id/concept/MaximumBouwhoogte",
                  10.0, "eenheid/id/concept/Meter", gemeente),
            {**_norm("ow.kwaliteit", "Waterkwaliteit", "omgevingswaarde", "typenorm/id/concept/Kwaliteit", None, "",
                     gemeente), "normwaarde_kwalitatief": "goed"}]
    meta = {"omgevingsnorm": {"title": "Omgevingsnormen", "gemeente": "GM0441", "public_fields": [], "key": None,
                              "quarantined": 0, "repaired": 0}}
    store.publish({"omgevingsnorm": gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)}, meta, [],
                  Quarantine().frame())
    return store


def _norm(ident, naam, soort, type_, value, eenheid, geometry) -> dict:
    base = "http://standaarden.omgevingswet.overheid.nl/"
    return {"identificatie": f"nl.imow-gm0441.{ident}", "naam": naam, "soort": soort, "type": base + type_,
            "normwaarde_kwantitatief": value, "normwaarde_kwalitatief": None,
            "eenheid": base + eenheid if eenheid else None, "geometry": MultiPolygon([geometry])}


def test_plan_omgevingswaarden_replace_the_voorbeeldnormen(plan_store, tmp_path):
    targets = omgevingswaarden.targets(plan_store, "GM0441")
    got = {(t["grondslag"].rsplit(".", 1)[1], t["indicator"], t["gebied"], t["jaar"]) for t in targets}
    assert got == {("stikstof", "stikstofdepositie_mol_ha_jr", "85", 2035),
                   ("ammoniak", "nh3_emissie_kg", "GM0441", 2025),
                   ("geluid", "", "", None)}  # no omgevingsnorm, no qualitative value
    text = monitoring.write_page_for(plan_store, tmp_path / "m.html", "GM0441", today=TODAY).read_text()
    assert "voorbeeldnorm" not in text and "Ammoniakemissie van stikstofbronnen in de gemeente" not in text
    depositie = plan_store.read("natura2000_gebied").set_index("nr").loc[85, "depositie_2021_mol_ha_jr"]
    row = _table_row(text, "Stikstofdepositie Natura 2000, uiterlijk 2035")
    assert f"{nl(depositie)} mol/ha/jr" in row and "doel voor 2035: nog niet te beoordelen" in row
    assert "in 2030" in row  # the AERIUS Monitor prognosis up to the target year
    assert "voldoet" in _table_row(text, "Ammoniakemissie gemeente, uiterlijk 2025")  # 2025 is past: judged
    assert "niet beschikbaar: deze gegevens meten dit niet" in _table_row(text, "Geluid in woongebieden")
    assert 'class="target-point"' in _chart(text, "Stikstofdepositie (AERIUS Monitor) — Natura 2000-gebied 85")


def test_the_sample_plans_omgevingswaarden_reach_monitoring(two_builds, data_dir, tmp_path):
    """The generated DSO delivery, read by an independent lxml walk into the omgevingsnorm shape: monitoring finds
    the stikstofdepositie and ammoniak values it can measure (the link between the two branches)."""
    path = tmp_path / "store.gpkg"
    shutil.copyfile(two_builds.path, path)
    store = GeoPackageStore(path)
    norms = omgevingsnorm_rows(data_dir / "generated" / "omgevingsplan_GM0441_dso")
    meta = {"omgevingsnorm": {"title": "Omgevingsnormen", "gemeente": "GM0441", "public_fields": [], "key": None,
                              "quarantined": 0, "repaired": 0}}
    store.publish({"omgevingsnorm": norms}, meta, [], Quarantine().frame())
    by_indicator = {}
    for t in omgevingswaarden.targets(store, "GM0441"):
        by_indicator.setdefault(t["indicator"], set()).add(t["gebied"])
    assert by_indicator["nh3_emissie_kg"] == {"GM0441"} and by_indicator[""] == {""}
    assert {"84", "85"} <= by_indicator["stikstofdepositie_mol_ha_jr"]


class _NormsOnly:
    """A store holding only an omgevingsnorm collection (as far as analyses.omgevingswaarden reads it)."""

    def __init__(self, frame):
        self.frame = frame

    def layers(self):
        return ["omgevingsnorm"]

    def read(self, name, columns=None):
        return self.frame


def test_an_ambtsgebied_without_geometry_and_a_collection_without_soort():
    norm = {"identificatie": "nl.imow-gm0441.omgevingswaarde.nh3", "naam": "Ammoniakemissie, uiterlijk 2030",
            "soort": "Omgevingswaarde", "type": "Emissie", "normwaarde_kwantitatief": "1000", "eenheid": "kg/jr",
            "geometry": None}
    frame = gpd.GeoDataFrame([norm], geometry="geometry", crs=RD_NEW)
    (target,) = omgevingswaarden.targets(_NormsOnly(frame), "GM0441")
    assert (target["indicator"], target["gebied"], target["waarde"], target["herkomst"]) == (
        "nh3_emissie_kg", "GM0441", 1000.0, "omgevingsplan")
    fallback = omgevingswaarden.targets(_NormsOnly(frame.drop(columns="soort")), "GM0441")
    assert fallback and {t["herkomst"] for t in fallback} == {"voorbeeldnorm"}


def _titles(text: str) -> str:
    return " ".join(re.findall(r"<title>([^<]*)</title>", text)) + " ".join(re.findall(r"<h1>([^<]*)</h1>", text))


def _chart(text: str, title: str) -> str:
    return next(svg for svg in re.findall(r"<svg.*?</svg>", text, flags=re.S) if f"<title>{title}" in svg)


def _table_row(text: str, first_cell: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", text) if f"<td>{first_cell}</td>" in row)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
@pytest.mark.parametrize("which", ["voorbeeldnormen", "omgevingsplan"])
def test_page_renders_offline_in_chromium(which, two_builds, plan_store, tmp_path):
    store = plan_store if which == "omgevingsplan" else two_builds
    out = monitoring.write_page_for(store, tmp_path / f"monitoring_{which}.html", "GM0441", today=TODAY)
    html = dom(out.as_uri())
    assert "Monitoring omgevingsplan Schagen" in html and html.count("<polyline") >= 10
    assert 'class="target-point"' in html and "Voorbeelddata" in html
    assert console_errors(out.as_uri()) == []
    screenshot(out.as_uri(), tmp_path / f"monitoring_{which}.png", size="1280,1400")
    assert (tmp_path / f"monitoring_{which}.png").stat().st_size > 10_000
