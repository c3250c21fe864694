"""pygeoapi's link titles (written in its Python code) are Dutch on the HTML pages of a Dutch request, and stay
as pygeoapi writes them in JSON answers and on English pages (geo.serve.pygeoapi_patches.install_dutch_link_titles)."""

import pytest

PAGES = ["/", "/collections", "/collections/stikstofbron", "/collections/stikstofbron/items",
         "/collections/wnb_besluit", "/collections/wnb_besluit/items"]
NL = {"Accept-Language": "nl-NL,nl"}


@pytest.mark.parametrize("path", PAGES)
def test_html_pages_show_dutch_link_titles(app_client, path):
    page = app_client.get(path, query_string={"f": "html"}, headers=NL).get_data(as_text=True)
    assert "Dit document als JSON" in page or "Dit document als GeoJSON" in page, path
    for english in ("This document as", "Items as GeoJSON", "Queryables for this collection"):
        assert english not in page, (path, english)


def test_an_item_page_shows_dutch_link_titles(app_client):
    first = app_client.get("/collections/stikstofbron/items", query_string={"f": "json", "limit": 1}).get_json()
    fid = first["features"][0]["id"]
    page = app_client.get(f"/collections/stikstofbron/items/{fid}", query_string={"f": "html"},
                          headers=NL).get_data(as_text=True)
    assert "This document as" not in page


def test_json_answers_and_english_pages_keep_pygeoapis_titles(app_client):
    body = app_client.get("/collections/stikstofbron", query_string={"f": "json"}, headers=NL).get_json()
    titles = {link.get("title") for link in body["links"]}
    assert "This document as JSON" in titles and "Items as GeoJSON" in titles
    english = app_client.get("/collections/stikstofbron", query_string={"f": "html"},
                             headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "Items as GeoJSON" in english
