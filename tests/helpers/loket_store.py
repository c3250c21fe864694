"""The advisory tiny store (``advies_store``) plus what the loket tests need, built by hand in RD New.

Extra addresses: a street with diacritics (Kérkstraat 5, Schagen), one street and number in two places
(Dorpsstraat 1 in Schagen and in Tuitjenhorn; Eikenlaan 1 in Schagen and in 't Zand), a place with Sint.
Extra Natura 2000-gebied 162 Abtskolk & De Putten, which has no nitrogen-sensitive habitat. Extra decisions: two
at the place of Z-2020-00001-001 (three decisions on one farm), one with a published decision (``publicatie_url``)
that concerns 84 and 162. The build records the Wnb-besluiten, stikstofbronnen and BAG as generated files
(voorbeelddata) and Natura 2000 as a real source.
"""

from pathlib import Path

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point, box

from geo.core.source_file import SourceFile
from geo.core.validate import Quarantine
from geo.store.geopackage import GeoPackageStore

from helpers.advies_store import REGISTRY, _layer, layers

FARM = Point(115800, 532500)  # Z-2020-00001-001 and two more decisions
PUBLISHED = "https://zoek.officielebekendmakingen.nl/prb-2023-12345.html"
GENERATED = ("wnb_besluit", "stikstofbron", "verblijfsobject")


def _vbo(identificatie: str, straat: str, nr: int, postcode: str, plaats: str, point: Point) -> dict:
    return dict(identificatie=identificatie, status="Verblijfsobject in gebruik", gebruiksdoel="woonfunctie",
                openbare_ruimte_naam=straat, huisnummer=nr, postcode=postcode, woonplaats_naam=plaats,
                geometry=point)


def _decision(zaak: str, besluittype: str, datum: str | None, activiteit: str, point: Point, nrs: str,
              url: str | None = None) -> dict:
    return dict(zaaknummer=zaak, besluitdatum=datum, besluittype=besluittype, activiteit=activiteit,
                natura2000_nrs=nrs, max_depositie_mol_ha_jr=0.05, publicatie_url=url, geometry=point)


def loket_layers() -> dict[str, gpd.GeoDataFrame]:
    built = layers()
    extra = {
        "verblijfsobject": [
            _vbo("0441010000000020", "Kérkstraat", 5, "1741EC", "Schagen", Point(115200, 533700)),
            _vbo("0441010000000021", "Dorpsstraat", 1, "1741ED", "Schagen", Point(115900, 533300)),
            _vbo("0441010000000022", "Dorpsstraat", 1, "1747AA", "Tuitjenhorn", Point(116900, 533900)),
            _vbo("0441010000000023", "Eikenlaan", 1, "1756AA", "'t Zand", Point(117400, 535200)),
            _vbo("0441010000000024", "Eikenlaan", 1, "1741AW", "Schagen", Point(115100, 533900)),
            _vbo("0441010000000025", "Dorpsstraat", 3, "1744AX", "Sint Maarten", Point(118200, 531400)),
        ],
        "natura2000_gebied": [dict(nr=162, naam="Abtskolk & De Putten", richtlijn="VR", stikstofgevoelig=False,
                                   geometry=MultiPolygon([box(113000, 533000, 114200, 534000)]))],
        "wnb_besluit": [
            _decision("Z-2021-00004-001", "ontwerpbesluit", "2021-03-02", "intern salderen melkrundvee", FARM, "84"),
            _decision("Z-2022-00005-001", "ingetrokken", "2022-07-15", "uitbreiding melkrundvee", FARM, "84"),
            _decision("Z-2023-00006-001", "vergunning verleend", "2023-09-30", "woningbouw 40 woningen",
                      Point(114600, 533900), "84,162", PUBLISHED),
        ],
    }
    for name, rows in extra.items():
        built[name] = _layer(name, [*built[name].to_dict("records"), *rows])
    return built


def build_loket_store(path: Path) -> Path:
    built = loket_layers()
    meta = {name: {"title": REGISTRY.layers[name].title, "gemeente": "GM0441", "public_fields": [], "key": None,
                   "quarantined": 0, "repaired": 0} for name in built}
    used = [SourceFile(name, name, f"/data/{'generated' if name in GENERATED else 'sources'}/{name}.gpkg",
                       "0" * 64, "2026-11-01T00:00:00") for name in built]
    GeoPackageStore(path).publish(built, meta, used, Quarantine().frame())
    return Path(path)

