"""The remote OGC API Features reader against PDOK's server software, replayed from its recorded responses.

The expected features come from the recorded files parsed on their own (json), not from the reader.
"""

import json

import pytest
import shapely

from geo.core.errors import SourceError
from geo.formats import remote

from helpers.pdok_replay import RECORDED, start

RD_FILE, FOO_1, FOO_2 = "expected_multiple_gpkgs_rd.json", "expected_foo_collection_with_limit.json", \
    "expected_foo_collection_with_cursor.json"
BBOX_RD = (120379.69, 566718.72, 120396.30, 566734.62)  # the recorded bbox request


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


@pytest.fixture
def pdok(monkeypatch):
    server = start()
    monkeypatch.setattr(remote, "BACKOFF_S", 0.01)
    yield server
    server.shutdown()


def test_cursor_paging_without_number_matched_reads_every_feature_once(pdok, tmp_path, monkeypatch):
    """Collection foo offers no RD: refused (400), read in CRS84, page 1 -> cursor -> page 2 (chain ends there)."""
    monkeypatch.setattr(remote, "PAGE", 2)
    pdok.end_after = {FOO_2}
    path, _ = remote.fetch(f"{pdok.url}/collections/foo", tmp_path)
    import geopandas as gpd

    got = gpd.read_file(path)
    expected = recorded(FOO_1)["features"] + recorded(FOO_2)["features"]
    assert pdok.served == [FOO_1, FOO_2]
    assert sorted(got["nummer_id"].astype(str)) == sorted(str(f["properties"]["nummer_id"]) for f in expected)
    assert got.crs.to_epsg() is None or got.crs.to_string().endswith("CRS84") or got.crs.to_epsg() == 4326


def test_rd_output_is_asked_for_and_taken_from_content_crs(pdok, tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "PAGE", 2)
    pdok.end_after = {RD_FILE}
    path, _ = remote.fetch(f"{pdok.url}/collections/dutch-addresses", tmp_path)
    import geopandas as gpd

    got = gpd.read_file(path)
    assert got.crs.to_epsg() == 28992
    truth = {f["id"]: shapely.geometry.shape(f["geometry"]) for f in recorded(RD_FILE)["features"]}
    assert len(got) == len(truth) == 2
    for geom in got.geometry:
        assert any(shapely.equals_exact(geom, t, 1e-6) for t in truth.values())


def test_json_fg_place_in_rd_becomes_the_geometry(pdok, tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "PAGE", 10)
    pdok.prefer = "expected_multiple_gpkgs_bbox_rd_output_also_rd_jsonfg.json"
    path, _ = remote.fetch(f"{pdok.url}/collections/dutch-addresses", tmp_path, bbox_rd=BBOX_RD)
    import geopandas as gpd

    got = gpd.read_file(path)
    places = [shapely.geometry.shape(f["place"]) for f in recorded(pdok.prefer)["features"]]
    assert got.crs.to_epsg() == 28992 and len(got) == len(places) == 6
    assert all(any(shapely.equals_exact(g, p, 1e-6) for p in places) for g in got.geometry)


def test_a_short_outage_is_retried(pdok, tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "PAGE", 2)
    pdok.end_after, pdok.fail_next = {FOO_2}, 3
    path, _ = remote.fetch(f"{pdok.url}/collections/foo", tmp_path)
    assert path.exists() and pdok.served == [FOO_1, FOO_2]


def test_a_500_storm_ends_in_one_line_and_writes_nothing(pdok, tmp_path):
    pdok.fail_next = 1000
    with pytest.raises(SourceError) as err:
        remote.fetch(f"{pdok.url}/collections/foo", tmp_path)
    assert "503" in str(err.value) and "attempts" in str(err.value) and "\n" not in str(err.value)
    assert not list(tmp_path.iterdir())


def test_a_404_names_the_problem_in_one_line(pdok, tmp_path):
    with pytest.raises(SourceError, match="404 Not Found: no recorded response") as err:
        remote.fetch(f"{pdok.url}/collections/bestaat-niet", tmp_path)
    assert "\n" not in str(err.value)


def test_a_truncated_page_stops_the_fetch(pdok, tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "PAGE", 2)
    pdok.truncate = {FOO_2}
    with pytest.raises(SourceError, match="not JSON"):
        remote.fetch(f"{pdok.url}/collections/foo", tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_page_that_repeats_features_is_refused(pdok, tmp_path, monkeypatch):
    monkeypatch.setattr(remote, "PAGE", 2)
    pdok.repeat = {FOO_2: FOO_1}  # the cursor page answers with the first page again
    with pytest.raises(SourceError, match="page 2 repeats 2 feature"):
        remote.fetch(f"{pdok.url}/collections/foo", tmp_path)
