"""``datetime`` on the items of a collection with a date (wnb_besluit: ``besluitdatum``; bodemverontreiniging:
``statusdatum``), through OWSLib.

OGC API Features /req/core/fc-time-response: only features whose temporal property intersects the instant or
interval are returned; open ends are ``..`` (or empty). A DATE is its whole day, as is a date in the query. A
decision without a date (an application) has no temporal geometry and is never in the answer. A collection
without a temporal property takes every feature (the abstract test /ats/core/fc-time-response: features
without a temporal geometry are included). Oracle: pandas on the stored table, read with pyogrio.
"""

from datetime import date

import pandas as pd
import pyogrio
import pytest
import requests
from owslib.ogcapi.features import Features

BACKENDS = ["server", "pg_server"]
QUERIES = [  # datetime, (first, last) day that matches (None: open)
    ("2018-01-01/2019-01-01", (date(2018, 1, 1), date(2019, 1, 1))),
    ("2018-01-01T00:00:00Z/2019-01-01T00:00:00Z", (date(2018, 1, 1), date(2019, 1, 1))),
    ("2020-01-01/..", (date(2020, 1, 1), None)),
    ("../2016-06-30", (None, date(2016, 6, 30))),
    ("2021-01-01/", (date(2021, 1, 1), None)),
    ("/2015-12-31T00:00:00Z", (None, date(2015, 12, 31))),
    ("2040-01-01/..", (date(2040, 1, 1), None)),  # after the temporal extent: empty, not 400
]


@pytest.fixture(scope="module")
def decisions(store) -> pd.Series:
    """besluitdatum of every stored Wnb decision, by zaaknummer (NaT for applications)."""
    frame = pyogrio.read_dataframe(store, layer="wnb_besluit", columns=["zaaknummer", "besluitdatum"],
                                   read_geometry=False)
    return pd.to_datetime(frame.set_index("zaaknummer")["besluitdatum"]).dt.date


def _expected(decisions: pd.Series, first, last) -> set[str]:
    dated = decisions.dropna()
    keep = pd.Series(True, index=dated.index)
    if first is not None:
        keep &= dated >= first
    if last is not None:
        keep &= dated <= last
    return set(dated[keep].index)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("datetime_", "days"), QUERIES)
def test_owslib_datetime_returns_the_decisions_of_the_interval(request, backend, decisions, datetime_, days):
    api = Features(request.getfixturevalue(backend))
    answer = api.collection_items("wnb_besluit", datetime_=datetime_, limit=1000)
    expected = _expected(decisions, *days)
    assert answer["numberMatched"] == len(expected) == answer["numberReturned"]
    assert {f["id"] for f in answer["features"]} == expected
    assert len(expected) < decisions.notna().sum() or datetime_.startswith("..")


def test_the_new_users_query_no_longer_returns_all_69(server, decisions):
    answer = Features(server).collection_items("wnb_besluit", datetime_="2018-01-01/2019-01-01")
    assert len(decisions) == 69 and 0 < answer["numberMatched"] < 69


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_instant_is_the_decisions_of_that_day(request, backend, decisions):
    day = decisions.dropna().iloc[0]
    api = Features(request.getfixturevalue(backend))
    expected = _expected(decisions, day, day)
    for instant in (day.isoformat(), f"{day.isoformat()}T12:00:00Z"):
        answer = api.collection_items("wnb_besluit", datetime_=instant, limit=1000)
        assert {f["id"] for f in answer["features"]} == expected, instant


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_temporal_extent_is_the_first_and_last_decision(request, backend, decisions):
    collection = Features(request.getfixturevalue(backend)).collection("wnb_besluit")
    dated = decisions.dropna()
    assert collection["extent"]["temporal"]["interval"] == [[f"{min(dated).isoformat()}T00:00:00Z",
                                                             f"{max(dated).isoformat()}T00:00:00Z"]]


def test_datetime_with_open_ends_on_both_sides_selects_nothing_out(server, decisions):
    answer = Features(server).collection_items("wnb_besluit", datetime_="../..", limit=1000)
    assert answer["numberMatched"] == len(decisions)


def test_a_collection_without_a_date_takes_every_feature_and_declares_no_temporal_extent(server):
    api = Features(server)
    everything = api.collection_items("natura2000_gebied", limit=1)["numberMatched"]
    assert api.collection_items("natura2000_gebied", datetime_="2018-01-01/2019-01-01", limit=1)[
        "numberMatched"] == everything
    assert "temporal" not in api.collection("natura2000_gebied")["extent"]


def test_bad_datetime_on_wnb_besluit_is_400_naming_the_parameter(server):
    r = requests.get(f"{server}/collections/wnb_besluit/items", params={"datetime": "2019-01-01/2018-01-01"},
                     timeout=30)
    assert r.status_code == 400 and "datetime" in r.json()["description"]


def test_the_html_items_page_filters_too(server, decisions):
    r = requests.get(f"{server}/collections/wnb_besluit/items",
                     params={"datetime": "2018-01-01/2019-01-01", "f": "html", "limit": 1000}, timeout=30)
    expected = _expected(decisions, date(2018, 1, 1), date(2019, 1, 1))
    assert r.status_code == 200 and all(zaak in r.text for zaak in expected)
    assert not any(zaak in r.text for zaak in set(decisions.index) - expected)


@pytest.fixture(scope="module")
def statuses(store) -> pd.Series:
    """statusdatum of every stored soil contamination contour, by identificatie."""
    frame = pyogrio.read_dataframe(store, layer="bodemverontreiniging", columns=["identificatie", "statusdatum"],
                                   read_geometry=False)
    return pd.to_datetime(frame.set_index("identificatie")["statusdatum"]).dt.date


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("datetime_", "days"), QUERIES[:4])
def test_owslib_datetime_selects_soil_contamination_by_its_status_date(request, backend, statuses, datetime_, days):
    api = Features(request.getfixturevalue(backend))
    answer = api.collection_items("bodemverontreiniging", datetime_=datetime_, limit=1000)
    expected = _expected(statuses, *days)
    assert {f["id"] for f in answer["features"]} == expected
    assert 0 < answer["numberMatched"] == len(expected) < len(statuses)
    dated = statuses.dropna()
    assert api.collection("bodemverontreiniging")["extent"]["temporal"]["interval"] == [
        [f"{min(dated).isoformat()}T00:00:00Z", f"{max(dated).isoformat()}T00:00:00Z"]]
