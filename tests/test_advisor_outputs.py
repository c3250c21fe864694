"""Every advisor output, as an advisor sees it (issue 17): Dutch, no raw column names, the voorbeelddata banner where
generated data are shown, no console errors; and a screenshot of each for a person to look at.

The outputs are made the way an advisor makes them: the ``geo`` commands run on a copy of the session's Schagen
store (maps, reports, pages), and the pages of the server the suite starts (landing page, a collection, the
"op locatie" page after a search). Each is opened in headless Chromium with every request but loopback failing;
the test reads the text the browser renders (``innerText``: no scripts, no hidden elements), not the layout, so the
other branches that change these outputs can move things around freely.

Screenshots go to ``tests/artefacts/screenshots/<output>.png``. ``tests/artefacts/`` is git-ignored: the screenshots
are made anew on every run, so committing them would dirty the working tree each time and grow the repository (a
CI that wants them can keep the folder as a build artefact). A picture meant as documentation is copied by hand to
``docs/`` (as ``docs/qgis_project.png``). Beside each screenshot, ``<output>.txt`` holds the text the test read.
"""

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_advisor_language import ENGLISH_UI, RAW_COLUMNS, english_in
from test_offline_html import CAN_FAIL

from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.cli import main

from helpers.browser import CHROMIUM
from helpers.cdp import Browser
from helpers.map_check import ARTEFACTS, BANNER

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")

SCREENSHOTS = ARTEFACTS / "screenshots"
ADRES = "1746 XP 182"  # Grote Sloot 182, Dirkshorn: decisions, sources and Natura 2000 within 2 km in the sample

# more UI English that an advisor could meet in these outputs (ENGLISH_UI: the pygeoapi and process pages); not
# "Download" or "Score", which Dutch uses as well
MORE_ENGLISH = ["Legend", "Layers", "Sources", "Built", "Search", "Loading", "Items", "Close", "Warning", "Error",
                "Rank", "None", "True", "False", "NaN", "null", "undefined"]
# more column names of the store and the results that must reach an advisor as labels; "x_" matches every column
# starting with "x_", "_x" every column ending in "_x"
MORE_RAW = ["vthobject_id", "nh3_emissie", "nox_emissie", "nh3_emissie_kg", "nox_emissie_kg", "risicoscore", "_5jr",
            "woningen_250m", "wnb_vergunning", "laatste_controle", "afstand_natura2000_m", "natura2000_nr",
            "binnen_gemeente", "receptor_id", "_mol_ha_jr", "stikstofbron_id", "contourtype", "statcode", "x_rd",
            "mogelijk_overbelast", "stikstof_hexagon", "hectare_overschrijding", "bodem_statuswijzigingen"]
RAW = RAW_COLUMNS + MORE_RAW


@dataclass(frozen=True)
class Output:
    """One advisor output: how to make it (returns a file or a server path) and which generated layers it shows."""

    name: str
    make: Callable  # (Made) -> Path | str
    generated: tuple[str, ...] = ()  # titles the voorbeelddata banner must name; () = no banner required
    ready: str = "true"  # JavaScript condition: the page has drawn what it shows
    act: Callable | None = None  # what the advisor does on the page before reading it


@dataclass
class Made:
    """The store copy the commands write to, the folder for their outputs, the server."""

    store: Path
    folder: Path
    server: str

    def geo(self, *args: str) -> None:
        result = CliRunner().invoke(main, [*args, "--store", str(self.store)])
        assert result.exit_code in (0, 3), result.output  # 3: kwaliteit below its thresholds (still written)


def _file(command: list[str], name: str) -> Callable[[Made], Path]:
    def make(made: Made) -> Path:
        out = made.folder / name
        if not out.exists():
            made.geo(*command, "--out", str(out))
        return out
    return make


def _nitrogen(name: str) -> Callable[[Made], Path]:
    """The maps of ``geo analyse stikstof`` with one measure: per-area maps and the measures map."""
    def make(made: Made) -> Path:
        maps = made.folder / "stikstof"
        if not maps.exists():
            bron = GeoPackageStore(made.store).read("stikstofbron").sort_values("nh3_emissie").iloc[-1]
            made.geo("analyse", "stikstof", "--maps", str(maps), "--maatregel", f"{bron.vthobject_id}:30%")
        found = sorted(p for p in maps.glob("*.html") if ("maatregel" in p.name) == (name == "maatregelen"))
        assert found, f"geo analyse stikstof wrote no {name} map into {maps}: {sorted(maps.iterdir())}"
        return found[0]
    return make


def _search_address(page) -> None:
    page.fill("#adres", ADRES)
    page.evaluate("document.getElementById('zoek').requestSubmit()")
    page.wait_for("['klaar', 'fout'].includes(document.body.dataset.state)")


LEAFLET = "typeof L === 'object'"
OUTPUTS = [
    Output("overzichtskaart", _file(["map"], "overzicht.html"), ("Stikstofbronnen",), LEAFLET),
    Output("stikstof_gebied", _nitrogen("gebied"), ("Stikstofbronnen",), LEAFLET),
    Output("stikstof_maatregelen", _nitrogen("maatregelen"), ("Stikstofbronnen",), LEAFLET),
    Output("op_locatie_kaart", _file(["op-locatie", "--adres", ADRES], "op_locatie.html"), ("Wnb-besluiten",),
           LEAFLET),
    Output("op_locatie_pagina", lambda made: "/op-locatie/", ("Wnb-besluiten",), LEAFLET, _search_address),
    Output("gebiedsanalyse", _file(["gebiedsanalyse", "--gemeente", "GM0441"], "gebiedsanalyse.html"),
           ("Wnb-besluiten",)),
    Output("kwaliteit", _file(["kwaliteit"], "kwaliteit.html"), ("Stikstofbronnen",)),
    Output("monitoring", _file(["monitoring"], "monitoring.html"), ("Stikstofbronnen",)),
    Output("toezicht_kaart", lambda made: _file(["toezicht"], "toezicht.csv")(made).with_suffix(".html"),
           ("Toezicht- en handhavingszaken",), LEAFLET),
    Output("landingspagina", lambda made: "/?f=html"),
    Output("collectie", lambda made: "/collections/stikstofbron?f=html", ("Voorbeelddata",)),
]


@pytest.fixture(scope="module")
def made(store, server, tmp_path_factory) -> Made:
    folder = tmp_path_factory.mktemp("advisor-outputs")
    copy = folder / "store.gpkg"
    shutil.copyfile(store, copy)
    return Made(copy, folder, server)


@dataclass
class Seen:
    """What the browser rendered: the visible text, the voorbeelddata banner, console errors."""

    text: str
    banner: str
    errors: list[str]


def render(made: Made, output: Output) -> Seen:
    """Open the output as a Dutch advisor's browser does, do what the advisor does, read it; screenshot and text
    to ``tests/artefacts/screenshots/``."""
    target = output.make(made)
    url = f"{made.server}{target}" if isinstance(target, str) else Path(target).resolve().as_uri()
    with Browser() as browser:
        page = open_as_advisor(browser, url)
        page.wait_for(output.ready, timeout=30)
        if output.act is not None:
            output.act(page)
        page.evaluate("new Promise(r => setTimeout(r, 500))")  # icons, canvas redraws
        seen = Seen(page.evaluate("document.body.innerText"), page.evaluate(BANNER), page.errors(CAN_FAIL))
        page.screenshot(SCREENSHOTS / f"{output.name}.png")
    (SCREENSHOTS / f"{output.name}.txt").write_text(seen.text, encoding="utf-8")
    return seen


def open_as_advisor(browser: Browser, url: str):
    """``url`` in a browser set to Dutch (``Accept-Language: nl-NL,nl``), as an advisor's: headless Chromium asks
    for en-US, and pygeoapi then answers in English, which is right for an English browser."""
    page = browser.open("about:blank", size=(1280, 1000))
    agent = browser.send("Browser.getVersion")["userAgent"]
    page.send("Emulation.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "nl-NL,nl"})
    page.send("Page.navigate", {"url": url})
    page.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'")
    return page


def raw_in(text: str) -> list[str]:
    """The raw column names among the words of ``text`` (a value such as "bron_zonder_wnb_vergunning-0001", an id,
    is not the column ``wnb_vergunning``)."""
    words = set(re.findall(r"\w+", text))
    return [c for c in RAW if any(w == c or (c.endswith("_") and w.startswith(c))
                                  or (c.startswith("_") and w.endswith(c)) for w in words)]


def more_english_in(text: str) -> list[str]:
    return [w for w in MORE_ENGLISH if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w-])", text)]


def test_the_lists_catch_what_they_are_for():
    assert raw_in("Woningen binnen 250 m: woningen_250m") == ["woningen_250m"]
    assert raw_in("punten_natuur, totaal_mol_ha_jr; bron_zonder_wnb_vergunning-0001") == ["punten_", "_mol_ha_jr"]
    assert more_english_in("Legend: 3 Layers") == ["Legend", "Layers"] and more_english_in("Legenda, Lagen") == []
    assert not set(MORE_ENGLISH) & set(ENGLISH_UI) and not set(MORE_RAW) & set(RAW_COLUMNS)


def _xfail(reason: str):
    return pytest.mark.xfail(strict=True, reason=reason)


# (output, check) of other branches that fail today: remove the mark when the branch that fixes it is merged
KNOWN: dict = {}


def cases(check: str) -> list:
    return [pytest.param(o, id=o.name, marks=KNOWN.get((o.name, check), ())) for o in OUTPUTS]


@pytest.fixture(scope="module")
def seen(made) -> Callable[[Output], Seen]:
    """Each output rendered once, on first use."""
    done: dict[str, Seen] = {}

    def get(output: Output) -> Seen:
        if output.name not in done:
            done[output.name] = render(made, output)
        return done[output.name]
    return get


@pytest.mark.parametrize("output", cases("errors"))
def test_advisor_output_renders_without_console_errors(seen, output):
    page = seen(output)
    assert page.errors == [], f"{output.name}: console errors {page.errors[:5]}"
    assert len(page.text) > 50, f"{output.name}: nearly nothing visible: {page.text!r}"


@pytest.mark.parametrize("output", cases("dutch"))
def test_advisor_output_speaks_dutch(seen, output):
    text = seen(output).text
    assert english_in(text) + more_english_in(text) == [], output.name


@pytest.mark.parametrize("output", cases("raw"))
def test_advisor_output_shows_no_raw_column_names(seen, output):
    assert raw_in(seen(output).text) == [], output.name


@pytest.mark.parametrize("output", cases("banner"))
def test_advisor_output_with_generated_data_shows_the_voorbeelddata_banner(seen, output):
    page = seen(output)
    if output.generated == ("Voorbeelddata",):  # a server page: the collection's description says so
        assert "Voorbeelddata" in page.text, output.name
    elif output.generated:
        assert page.banner.startswith("Voorbeelddata:"), f"{output.name}: no visible voorbeelddata banner"
        named = page.banner.split(":", 1)[1]
        assert [t for t in output.generated if t not in named] == [], (output.name, page.banner)
    else:  # the landing page shows no data of a layer
        assert output.name == "landingspagina"
