"""Monitoring: every build appends its indicators; two builds with different source dates make a trend."""

import csv
import os
import shutil
from datetime import UTC, datetime

import pandas as pd
import pytest
from click.testing import CliRunner

from analyses import monitoring
from geo.build.builder import build
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main
from omgevingsgeo.registry import build_registry

from helpers.page_check import CHROMIUM, console_errors, dom

REGISTRY = build_registry()

JAN, FEB = datetime(2026, 1, 15, tzinfo=UTC), datetime(2026, 2, 15, tzinfo=UTC)


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
    assert 'id="omgevingswaarden"' in text and "Ammoniakemissie van stikstofbronnen in de gemeente" in text
    assert text.count("<polyline") >= 5 and 'class="target"' in text and "2026-02-15" in text
    assert "<script" not in text


def test_hexagon_indicator_is_reported_as_not_available_without_screening(two_builds, tmp_path):
    frame = monitoring.history(two_builds)
    text = monitoring.render(frame[frame["indicator"] != "hectare_overschrijding"], [], "GM0441")
    assert 'id="niet-beschikbaar"' in text and "hectare_overschrijding: niet beschikbaar" in text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_page_renders_offline_in_chromium(two_builds, tmp_path):
    out = monitoring.write_page_for(two_builds, tmp_path / "m.html", "GM0441")
    html = dom(out.as_uri())
    assert "Monitoring omgevingsplan GM0441" in html and "<polyline" in html
    assert console_errors(out.as_uri()) == []
