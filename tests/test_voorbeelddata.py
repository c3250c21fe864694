"""Which layers are voorbeelddata is decided in one place (geo.render.voorbeelddata) from the files a build used."""

import pandas as pd

from geo.render.pages import page
from geo.render.voorbeelddata import banner, describe, generated_layers, is_generated, notice
from omgevingsgeo.registry import build_registry

REGISTRY = build_registry()


class Sources:
    """A store as far as geo.render.voorbeelddata reads it: the recorded source file and the title of each layer."""

    def __init__(self, rows: dict[str, str]):
        self.rows = rows

    def sources(self) -> pd.DataFrame:
        return pd.DataFrame({"layer": list(self.rows), "path": list(self.rows.values())})

    def exists(self) -> bool:
        return True

    def info(self) -> pd.DataFrame:
        return pd.DataFrame({"name": list(self.rows), "title": [REGISTRY.layers[n].title for n in self.rows]})


SAMPLE = Sources({"gemeentegebied": "/d/sources/gemeentegrenzen/g.gpkg", "stikstofbron": "/d/generated/s.csv",
                  "wnb_besluit": "/d/generated/w.gpkg"})
REAL = Sources({"gemeentegebied": "/d/sources/gemeentegrenzen/g.gpkg", "stikstofbron": "/srv/vth/export.csv",
                "wnb_besluit": "/srv/zaken/generated_by_zaaksysteem.gpkg"})  # a file name is not a folder


def test_generated_means_built_from_the_generators_folder():
    assert is_generated("/data/generated/bag_GM0441.gpkg") and not is_generated("/data/sources/kdw/kdw.csv")
    assert generated_layers(SAMPLE) == ["stikstofbron", "wnb_besluit"]
    assert generated_layers(SAMPLE, ["wnb_besluit", "gemeentegebied"]) == ["wnb_besluit"]
    assert generated_layers(REAL) == []


def test_banner_names_the_generated_layers_and_disappears_for_real_data():
    text = notice(SAMPLE, ["gemeentegebied", "stikstofbron", "wnb_besluit"])
    assert text.startswith("Voorbeelddata: Stikstofbronnen, Wnb-besluiten (Natura 2000-activiteit) zijn gegenereerd")
    assert "Gemeente" not in text
    assert notice(SAMPLE, ["stikstofbron"]).startswith("Voorbeelddata: Stikstofbronnen is gegenereerd")
    assert 'id="voorbeelddata"' in banner(SAMPLE) and banner(REAL) == "" and notice(REAL) == ""
    assert 'id="voorbeelddata"' in page("t", "", voorbeelddata=text)
    assert "voorbeelddata" not in page("t", "").split("</style>")[1]


def test_collection_descriptions_say_real_with_register_and_peildatum_or_generated():
    layers = REGISTRY.layers
    assert describe(layers["gemeentegebied"]).endswith("Echte gegevens: CBS gebiedsindelingen (via PDOK), "
                                                       "peildatum 2022.")
    assert "peildatum 2023" in describe(layers["nh3_concentratie"])
    for name in ("pand", "verblijfsobject", "stikstofbron", "wnb_besluit", "bodemverontreiniging",
                 "omgevingsplan_functie"):
        assert "Voorbeelddata: gegenereerd" in describe(layers[name]), name
    assert "Voorbeelddata" not in describe(layers["natura2000_gebied"])


def test_config_uses_the_described_collections(tmp_path):
    from geo.serve import config

    collection = config._collection(REGISTRY.layers["stikstofbron"], [4.5, 52.6, 5.0, 52.9])
    assert "Voorbeelddata: gegenereerd" in collection["description"]
