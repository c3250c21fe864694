"""Dutch for advisors (issue 17): the pages an advisor reads speak Dutch, show no raw column names, and show
the operator's contact and licence from one source, without placeholders.

On the in-process app (``app_client``): the landing page (HTML), the 'op locatie' page and its messages, and the
description of every public process. Error messages for GIS clients (the API's 400s on query parameters) may
stay English; they are not checked here.
"""

import html
import re

import pytest

pytestmark = pytest.mark.inprocess

# UI strings of pygeoapi's templates and of our own messages that an advisor would meet in English
ENGLISH_UI = ["Collections", "Processes", "Landing page", "Terms of service", "License", "Contact point",
              "Provider", "View the", "in this service", "Browse", "Inputs", "Outputs", "Execution modes",
              "Description", "expected", "not found", "is not in the", "give exactly one", "Address",
              "Telephone", "Home", "e.g.", "default", "Radius", "Easting", "Northing", "longitude", "latitude"]
# raw column names of results that must reach an advisor as labels, not as ids
RAW_COLUMNS = ["overschrijding_mol_ha_jr", "top_bronnen", "bijdrage_bronnen_mol_ha_jr", "afstand_m",
               "bevinding_id", "regel_titel", "punten_", "quarantaine_export", "max_depositie_mol_ha_jr"]
PLACEHOLDERS = ["example.org", "example.com", "https://github.com/", "geo@example", "omgevingsdienst.nl"]


def visible_text(page: str) -> str:
    """The text a reader sees: without scripts, styles and tags, entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def english_in(text: str) -> list[str]:
    return [w for w in ENGLISH_UI if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w-])", text)]


def raw_columns_in(text: str) -> list[str]:
    return [c for c in RAW_COLUMNS if c in text]


def test_the_helpers_find_what_they_look_for():
    assert english_in(visible_text("<h2>Processes</h2><script>var Collections;</script>")) == ["Processes"]
    assert raw_columns_in("popup: top_bronnen") == ["top_bronnen"]
    assert english_in("Processen en Collecties, zie https://example.org/Home") == []


def test_landing_page_is_dutch_and_names_the_operator(app_client):
    page = app_client.get("/", query_string={"f": "html"})
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "Geo-informatie van de omgevingsdienst" in text and "Processen" in text and "Collecties" in text
    assert english_in(text) == [] and raw_columns_in(text) == []
    assert "niet ingesteld" in text  # the operator set nothing in the test: said so, not made up
    assert page.headers["Content-Language"].startswith("nl")


def test_no_placeholder_on_the_landing_page_or_in_the_catalogue(app_client):
    answers = [app_client.get("/", query_string={"f": f}) for f in ("html", "json")]
    answers.append(app_client.get("/collections/catalogus/items", query_string={"f": "json", "limit": 100}))
    answers.append(app_client.get("/collections/catalogus/items", query_string={"f": "html", "limit": 100}))
    for answer in answers:
        assert answer.status_code == 200
        body = answer.get_data(as_text=True)
        assert [p for p in PLACEHOLDERS if p in body] == [], answer.request.url


def test_landing_page_and_catalogue_name_the_same_operator_and_licence(app_client):
    from geo.core.settings import Settings

    operator = Settings.from_env().operator  # the test's environment: no GEO_OPERATOR_* set
    landing = app_client.get("/", query_string={"f": "json"}).get_json()
    openapi = app_client.get("/openapi", query_string={"f": "json"}).get_json()
    assert openapi["info"]["contact"]["name"] == operator["name"]
    # an unset e-mail ("niet ingesteld") is left out of the OpenAPI document: it is no address (OpenAPI's format)
    assert openapi["info"]["contact"].get("email", operator["email"]) == operator["email"]
    assert openapi["info"]["license"]["name"] == operator["licence"]
    assert landing["title"] == "Geo-informatie van de omgevingsdienst"
    records = app_client.get("/collections/catalogus/items", query_string={"f": "json", "limit": 100}).get_json()
    props = [f["properties"] for f in records["features"]]
    assert props and {p["uitgever"] for p in props} == {operator["name"]}
    assert {p["contactpunt"] for p in props} == {operator["email"]}
    derived = [p for p in props if p["bron_bestanden"].startswith("afgeleid")]
    assert all(p["license"] == operator["licence"] for p in derived)


def test_op_locatie_page_is_dutch(app_client):
    page = app_client.get("/op-locatie/")
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "Wnb-besluiten op locatie" in text
    assert english_in(text) == [] and raw_columns_in(text) == []


def test_op_locatie_messages_are_dutch(app_client):
    answer = app_client.post("/processes/wnb-op-locatie/execution", json={"inputs": {"adres": "Teststraat"}})
    assert answer.status_code == 400
    message = answer.get_json()["description"]
    assert "verwacht postcode en huisnummer, bijvoorbeeld 1746 XP 182" in message
    assert english_in(message.replace("Error executing process:", "")) == []  # the page strips pygeoapi's prefix


def test_process_descriptions_are_dutch(app_client):
    listing = app_client.get("/processes", query_string={"f": "json"}).get_json()
    ids = [p["id"] for p in listing["processes"]]
    assert "wnb-op-locatie" in ids and "gebiedsanalyse" in ids
    for pid in ids:
        doc = app_client.get(f"/processes/{pid}", query_string={"f": "json"}).get_json()
        texts = [doc["title"], doc["description"]]
        for part in (*doc["inputs"].values(), *doc["outputs"].values()):
            texts += [part.get("title", ""), part.get("description", "")]
        text = " ".join(texts)
        assert english_in(text) == [], pid
        assert raw_columns_in(text) == [], pid
        page = visible_text(app_client.get(f"/processes/{pid}", query_string={"f": "html"}).get_data(as_text=True))
        assert english_in(page) == [], pid


@pytest.mark.parametrize("operator_env", [{}, {
    "GEO_OPERATOR_NAME": "Omgevingsdienst Noord-Holland Noord: team geo", "GEO_OPERATOR_EMAIL": "loket@odnhn.test",
    "GEO_OPERATOR_URL": "https://www.odnhn.test/over", "GEO_LICENCE": "CC0-1.0"}])
def test_every_committed_config_takes_contact_and_licence_from_the_settings(operator_env):
    """The operator sets the values once, in the environment; every committed config shows them (a default
    that YAML would quote would keep its ${...} unsubstituted: checked here)."""
    from geo.core.settings import Settings
    from geo.serve.config import apply_operator, load_with

    from helpers.paths import ROOT

    class Env(dict):  # every other variable (store, PostGIS, URL) some value
        def __missing__(self, name):
            return "x"

        def get(self, name, default=None):
            return super().get(name, default) if name.startswith(("GEO_OPERATOR", "GEO_LICENCE")) else self[name]

    env = Env(operator_env)
    operator = Settings.from_env(operator_env).operator
    for path in sorted(ROOT.glob("pygeoapi-config*.yml")):
        with open(path, encoding="utf-8") as fh:
            config = load_with(fh, env)
        meta = config["metadata"]
        assert (meta["provider"]["name"], meta["contact"]["name"], meta["contact"]["email"]) == (
            operator["name"], operator["name"], operator["email"]), path.name
        assert meta["license"]["name"] == operator["licence"]
        assert meta["identification"]["url"] == operator["url"] == meta["provider"]["url"]
        meta = apply_operator(config, operator)["metadata"]  # as the server and its OpenAPI document
        assert meta["license"]["url"] == meta["identification"]["terms_of_service"] == operator["licence_url"]
        assert "${" not in str(meta) and not [p for p in PLACEHOLDERS if p in str(meta)], path.name


# --- the gebiedsanalyse report and the kwaliteit page (issue 17, advisor outputs) ------------------------------

def _visible_cells_and_text(page: str) -> str:
    """The visible text, plus the popup labels of the map (they reach the reader on a click)."""
    aliases = " ".join(re.findall(r'"aliases": \[([^\]]*)\]', page))
    return visible_text(page) + " " + aliases


def test_gebiedsanalyse_report_is_dutch_with_labels(store, tmp_path):
    from analyses import gebiedsanalyse
    from geo.store.geopackage import GeoPackageStore

    s = GeoPackageStore(store)
    area = gebiedsanalyse.resolve_area(s, gemeente="GM0441")
    findings = gebiedsanalyse.run(s, area)["gebiedsanalyse_bevinding"]
    page = gebiedsanalyse.write_report(s, area, findings, tmp_path / "rapport.html").read_text(encoding="utf-8")
    text = _visible_cells_and_text(page)
    assert "Gebiedsanalyse gemeente Schagen (GM0441)" in text and "Voorbeelddata" in text
    assert english_in(text) == [] and raw_columns_in(text) == []
    assert [rule.__name__ for _, _, rule in gebiedsanalyse.RULES if rule.__name__ in text] == []
    assert not re.search(r"\b\d+\.\d{1,2} (ha|mol|kg)", text)  # no English decimals in the reasons: 22,4 ha


def test_kwaliteit_page_is_dutch_with_labels(store, tmp_path):
    from analyses import kwaliteit
    from geo.store.geopackage import GeoPackageStore

    kwaliteit.write_report(GeoPackageStore(store), tmp_path / "kwaliteit.html")
    text = visible_text((tmp_path / "kwaliteit.html").read_text(encoding="utf-8"))
    assert "Datakwaliteit gemeente Schagen (GM0441)" in text and "Voorbeeldnormen" in text and "Voorbeelddata" in text
    assert english_in(text) == [] and raw_columns_in(text) == []
    assert not re.search(r"\b(max|volledigheid)_\w+", text)  # check names as labels, not keys of the yml
