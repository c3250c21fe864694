"""The bodemverontreiniging layer: the generated Schagen register, its contours, and bad input quarantined."""

import re
from datetime import date, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from geo.build.inputs import Base, Sources
from geo.core.errors import SourceError
from geo.core.schema import check
from layers.bodemverontreiniging import (
    CONTOURTYPES,
    REGISTER_COLUMNS,
    SCHEMA,
    SOURCE_LAYER,
    SPEC,
    STATUSES,
    VERVOLGEN,
    build,
)
from samples.bodem import generate_bodem, write_bodem

from helpers.layer_helpers import base_from, reasons


@pytest.fixture(scope="module")
def base(store) -> Base:
    """Read once for the module: every build here reuses it."""
    return base_from(store)


@pytest.fixture(scope="module")
def sample(base) -> gpd.GeoDataFrame:
    nature = base.layer("natura2000_gebied").geometry.union_all()
    return generate_bodem(base.gebied, base.layer("pand"), base.layer("verblijfsobject"), natura2000=nature)


@pytest.fixture(scope="module")
def built(sample, base, tmp_path_factory) -> gpd.GeoDataFrame:
    gdf, sources = build_from(sample, base, tmp_path_factory.mktemp("bodem"))
    assert sources.quarantine.count(SPEC.name) == 0
    return gdf


@pytest.fixture(scope="module")
def good(sample) -> gpd.GeoDataFrame:
    """A small clean register: the first dozen records of the sample."""
    return sample.head(12).reset_index(drop=True)


@pytest.fixture(scope="module")
def good_count(good, base, tmp_path_factory) -> int:
    return len(build_from(good, base, tmp_path_factory.mktemp("good"))[0])


def build_from(gdf: gpd.GeoDataFrame, base: Base, folder) -> tuple[gpd.GeoDataFrame, Sources]:
    path = write_bodem(gdf, folder / "bodem.gpkg")
    sources = Sources(root=folder, gemeentecode="GM0441", overrides={"bodem": path})
    return check(build(base, sources), SCHEMA, SPEC.name), sources


def extra_location(good: gpd.GeoDataFrame, number: int, **changes) -> gpd.GeoDataFrame:
    """``good`` plus one new location (a copy of its first record) with ``changes`` applied."""
    code = f"NH0441{number:05d}"
    record = good.iloc[[0]].copy()
    record["locatiecode"] = code
    record["identificatie"] = f"{code}-verontreinigingscontour"
    record["contourtype"] = "verontreinigingscontour"
    for column, value in changes.items():
        record[column] = [value]
    combined = pd.concat([good, record], ignore_index=True)
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=good.crs)


def locations(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    return gdf[gdf["contourtype"] == "verontreinigingscontour"]


# --- the generated register ---------------------------------------------------------------------

def test_sample_has_register_columns_and_code_lists(sample, built):
    assert list(sample.columns) == [*REGISTER_COLUMNS, "geometry"]
    assert sample.crs == "EPSG:28992"
    assert len(built) == len(sample)
    assert set(built["status"]) <= STATUSES
    assert set(built["contourtype"]) <= CONTOURTYPES
    assert set(built["vervolg"]) <= VERVOLGEN
    assert built["locatiecode"].str.fullmatch(r"NH0441\d{5}").all()
    assert (built["identificatie"] == built["locatiecode"] + "-" + built["contourtype"]).all()
    assert built["binnen_gemeente"].all()


def test_sample_is_plausible_for_schagen(built):
    sites = locations(built)
    assert 150 <= len(sites) <= 300
    share = sites["status"].value_counts(normalize=True)
    assert share[["onverdacht", "niet ernstig", "gesaneerd"]].sum() > 0.5
    assert share.get("ernstig, spoedeisend", 0) < 0.03
    assert sites["opp_m2"].between(95, 5005).all()
    assert (sites["voormalige_activiteit"] == "gasfabriek").sum() == 1
    assert (sites["voormalige_activiteit"] == "stortplaats").sum() >= 2
    assert not sites["locatienaam"].str.contains(r"[A-Z]\. ", regex=True).any()  # a place, not a person


def test_stoffen_follow_the_activity(built):
    expected = {"benzineservicestation": {"minerale olie", "BTEX"}, "chemische wasserij": {"VOCl"},
                "gasfabriek": {"PAK", "cyanide"}, "stortplaats": {"zware metalen", "asbest", "PAK"}}
    sites = locations(built).dropna(subset=["stoffen"])
    for activity, stoffen in expected.items():
        found = sites.loc[sites["voormalige_activiteit"] == activity, "stoffen"].str.split(", ").map(set)
        assert len(found) and all(stoffen <= s for s in found), activity


def test_dates_lie_between_1990_and_2025_and_status_follows_research(built):
    statusdatum = pd.to_datetime(built["statusdatum"])
    onderzoek = pd.to_datetime(built["onderzoek_datum"])
    assert statusdatum.between("1990-01-01", "2025-12-31").all()
    assert (statusdatum >= onderzoek).all()


def test_saneringscontour_and_nazorgcontour_lie_within_the_verontreinigingscontour(built):
    outer = locations(built).set_index("locatiecode").geometry
    inner = built[built["contourtype"] != "verontreinigingscontour"]
    assert (inner["contourtype"] == "saneringscontour").sum() > 10
    assert all(g.within(outer[code]) for code, g in zip(inner["locatiecode"], inner.geometry))
    remediated = built.loc[built["contourtype"] == "saneringscontour", "status"]
    assert set(remediated) <= {"gesaneerd", "nazorg", "ernstig, niet spoedeisend", "ernstig, spoedeisend"}


def test_afstand_natura2000_is_zero_inside_and_matches_shapely(good, base, tmp_path):
    areas = base.layer("natura2000_gebied")
    inside = MultiPolygon([areas.geometry.iloc[0].representative_point().buffer(15)])
    gdf, _ = build_from(extra_location(good, 99990, geometry=inside), base, tmp_path)
    row = gdf.set_index("locatiecode").loc["NH044199990"]
    assert row["afstand_natura2000_m"] == 0
    assert row["natura2000_nr"] in set(areas.loc[areas.intersects(inside), "nr"])
    for record in gdf[gdf["locatiecode"] != "NH044199990"].head(5).itertuples():
        distances = np.array([shapely.distance(record.geometry, a) for a in areas.geometry])
        assert record.afstand_natura2000_m == pytest.approx(distances.min(), abs=0.051)
        assert record.natura2000_nr == areas["nr"].iloc[distances.argmin()]


# --- bad input ----------------------------------------------------------------------------------

BAD_RECORDS = {
    "unknown status": (dict(status="licht verontreinigd"), "status not in the code list"),
    "missing geometry": (dict(geometry=None), "no geometry"),
    "wgs84 written as rd": (dict(geometry=MultiPolygon([box(4.8, 52.7, 4.801, 52.7008)])),
                            "coordinates outside the Netherlands"),
    "statusdatum in the future": (dict(statusdatum=(date.today() + timedelta(days=400)).isoformat()),
                                  "statusdatum lies in the future"),
}


@pytest.mark.parametrize("case", list(BAD_RECORDS))
def test_bad_record_is_quarantined_and_the_rest_load(case, good, good_count, base, tmp_path):
    changes, reason = BAD_RECORDS[case]
    gdf, sources = build_from(extra_location(good, 99991, **changes), base, tmp_path)
    assert len(gdf) == good_count
    assert "NH044199991" not in set(gdf["locatiecode"])
    found = reasons(sources, SPEC.name)
    assert len(found) == 1 and reason in found[0]


def test_statusdatum_that_is_not_a_date_is_quarantined(good, good_count, base, tmp_path):
    """A delivery with text dates: one impossible date is refused with its own reason, not as empty."""
    path = tmp_path / "bodem.gpkg"
    extra_location(good, 99993, statusdatum="2023-02-30").to_file(path, layer=SOURCE_LAYER, engine="pyogrio")
    sources = Sources(root=tmp_path, gemeentecode="GM0441", overrides={"bodem": path})
    gdf = check(build(base, sources), SCHEMA, SPEC.name)
    assert len(gdf) == good_count
    assert reasons(sources, SPEC.name) == ["statusdatum is not a valid date (YYYY-MM-DD)"]


def test_duplicate_identificatie_keeps_the_first(good, good_count, base, tmp_path):
    twin = good.iloc[[1]].copy()
    twin["geometry"] = twin.geometry.translate(50, 50)
    twin["status"] = "verdacht"
    gdf, sources = build_from(pd.concat([good, twin], ignore_index=True), base, tmp_path)
    assert len(gdf) == good_count
    first = gdf.set_index("identificatie").loc[good["identificatie"].iloc[1]]
    assert first["status"] == good["status"].iloc[1]
    assert reasons(sources, SPEC.name) == ["duplicate identificatie"]


def test_self_intersecting_polygon_is_repaired(good, good_count, base, tmp_path):
    x, y = good.geometry.iloc[0].centroid.coords[0]
    bowtie = MultiPolygon([Polygon([(x, y), (x + 40, y + 40), (x + 40, y), (x, y + 40)])])
    assert not bowtie.is_valid
    gdf, sources = build_from(extra_location(good, 99992, geometry=bowtie), base, tmp_path)
    assert len(gdf) == good_count + 1
    assert sources.quarantine.count(SPEC.name) == 0
    assert sources.quarantine.repaired[SPEC.name] == 1
    repaired = gdf.set_index("locatiecode").loc["NH044199992"]
    assert repaired.geometry.is_valid and repaired["opp_m2"] == pytest.approx(800, abs=1)


def test_empty_file_names_the_file(base, tmp_path):
    path = tmp_path / "bodem.gpkg"
    path.write_bytes(b"")
    sources = Sources(root=tmp_path, gemeentecode="GM0441", overrides={"bodem": path})
    with pytest.raises(SourceError, match=re.escape(str(path))):
        build(base, sources)


def test_truncated_geopackage_names_the_file(good, base, tmp_path):
    whole = write_bodem(good, tmp_path / "whole.gpkg")
    path = tmp_path / "bodem.gpkg"
    path.write_bytes(whole.read_bytes()[:4000])
    sources = Sources(root=tmp_path, gemeentecode="GM0441", overrides={"bodem": path})
    with pytest.raises(SourceError, match=re.escape(str(path))):
        build(base, sources)


# --- privacy ------------------------------------------------------------------------------------

def test_eigenaar_naam_is_kept_but_not_public(built):
    assert "eigenaar_naam" in SCHEMA.columns
    assert "eigenaar_naam" not in SPEC.public_fields
    assert set(SPEC.public_fields) == set(SCHEMA.columns) - {"eigenaar_naam"}
    owners = built["eigenaar_naam"].dropna()
    assert len(owners) > 0.9 * len(built)
    assert owners.str.fullmatch(r"([A-Z]\.)+ [a-z ]*[A-Z][a-z]+").all()
