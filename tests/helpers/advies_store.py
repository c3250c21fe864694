"""A hand-built tiny store for the advisory analyses: a 2 × 2 km municipality with a few features each.

Coordinates in RD New. The expected findings are worked out by hand in ``EXPECTED_FINDINGS``; the private
values (``PRIVATE_VALUES``) must never show up in a map, report or response.

    y 534000 ┌──────────── F1 wonen ───────────┬ F2 maatschappelijk (P1 industrie, B2 verdacht)
             │  L = 1741 EA 12  (115500,533500)│
    y 533000 ├─ zone ─┬─ S1 varkens ──── kans ─┴──────────────┐
             │        │   S3 rundvee (Wnb verleend)  S2  F3 bedrijventerrein │ N Natura 2000 (x ≥ 117100)
    y 532000 └──────────────── F4 agrarisch ──────────────────┘
             x 115000                                   x 117000
"""

from pathlib import Path

import geopandas as gpd
from shapely.geometry import MultiPolygon, Point, box

from geo.core.crs import RD_NEW
from geo.core.schema import conform
from geo.core.validate import Quarantine
from geo.store.geopackage import GeoPackageStore
from omgevingsgeo.registry import build_registry

GEMEENTE = box(115000, 532000, 117000, 534000)
LOCATION = Point(115500, 533500)  # verblijfsobject 1741 EA 12
PRIVATE_VALUES = ("Geheime Eigenaar Jansen", "Maatschap Geheimhouder", "Geheimstraat 1 1741ZZ Schagen",
                  "Aanvrager Geheimnaam", "geheim.aanvrager@example.nl", "Tweede Aanvrager Verborgen")

EXPECTED_FINDINGS = {  # (regel, objecten)
    ("gevoelige_functie_op_ernstige_bodem", "F1; NH044100001"),
    ("gevoelige_functie_binnen_richtafstand", "F1; S1"),
    ("bouwmogelijkheid_in_stikstofoverschrijding", "stikstofkaart per hexagoon"),
    ("bouwmogelijkheid_nabij_natura2000", "F3; natura2000 84"),
    ("bron_zonder_wnb_vergunning", "S1"),  # 3.000 kg NH3, only an aanvraag
    ("bron_zonder_wnb_vergunning", "S2"),  # 1.000 kg NH3 >= toezicht's 100 kg, no decision (S3: verleend)
    ("bodemonderzoek_ontbreekt", "F2; NH044100002"),
    ("bodemonderzoek_ontbreekt", "F2; pand 0441100000000001"),
    ("geschikt_voor_woningbouw", "F1"),
}

REGISTRY = build_registry()


def _layer(name: str, rows: list[dict]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)
    return conform(gdf, REGISTRY.layers[name].schema)


def _multi(geom):
    return MultiPolygon([geom])


def layers() -> dict[str, gpd.GeoDataFrame]:
    functie = dict(type="functie", bron="imow", plan_identificatie="/akn/nl/act/gm0441/2024/test")
    return {
        "gemeentegebied": _layer("gemeentegebied", [dict(statcode="GM0441", statnaam="Testgemeente",
                                                         jrstatcode="2022GM0441", geometry=_multi(GEMEENTE))]),
        "pand": _layer("pand", [dict(identificatie="0441100000000001", bouwjaar=1960, status="Pand in gebruik",
                                     geometry=box(116280, 533880, 116320, 533920))]),
        "verblijfsobject": _layer("verblijfsobject", [
            dict(identificatie="0441010000000012", status="Verblijfsobject in gebruik", gebruiksdoel="woonfunctie",
                 openbare_ruimte_naam="Teststraat", huisnummer=12, postcode="1741EA", woonplaats_naam="Schagen",
                 pandidentificatie="0441100000000002", geometry=LOCATION),
            dict(identificatie="0441010000000013", status="Verblijfsobject in gebruik",
                 gebruiksdoel="industriefunctie", openbare_ruimte_naam="Schoolweg", huisnummer=3,
                 postcode="1741EB", woonplaats_naam="Schagen", pandidentificatie="0441100000000001",
                 geometry=Point(116300, 533900)),
        ]),
        "natura2000_gebied": _layer("natura2000_gebied", [dict(nr=84, naam="Testduinen", richtlijn="HR",
                                                               stikstofgevoelig=True,
                                                               geometry=_multi(box(117100, 532000, 118000, 533000)))]),
        "stikstofbron": _layer("stikstofbron", [
            dict(vthobject_id="S1", naam="Maatschap Geheimhouder", adres="Geheimstraat 1 1741ZZ Schagen",
                 type="Vergunning", bedrijfstype="Vleesvarkens", nh3_emissie=3000.0, geometry=Point(115500, 532850)),
            dict(vthobject_id="S2", type="Meldingsplicht", bedrijfstype="Melkrundvee", nh3_emissie=1000.0,
                 geometry=Point(116300, 532300)),
            dict(vthobject_id="S3", type="Vergunning", bedrijfstype="Melkrundvee", nh3_emissie=2000.0,
                 geometry=Point(115800, 532500)),
        ]),
        "wnb_besluit": _layer("wnb_besluit", [
            dict(zaaknummer="Z-2020-00001-001", besluitdatum="2020-05-01", besluittype="vergunning verleend",
                 activiteit="wijziging stalsysteem melkrundvee", max_depositie_mol_ha_jr=0.12, stikstofbron_id="S3",
                 aanvrager_naam="Aanvrager Geheimnaam", aanvrager_contact="geheim.aanvrager@example.nl",
                 geometry=Point(115800, 532500)),
            dict(zaaknummer="Z-2024-00002-001", besluittype="aanvraag", activiteit="uitbreiding vleesvarkens",
                 max_depositie_mol_ha_jr=0.31, stikstofbron_id="S1", aanvrager_naam="Tweede Aanvrager Verborgen",
                 geometry=Point(115500, 532850)),
            dict(zaaknummer="Z-2019-00003-001", besluitdatum="2019-01-02", besluittype="geweigerd",
                 activiteit="oprichting leghennen", max_depositie_mol_ha_jr=1.5, geometry=Point(118000, 534500)),
        ]),
        "bodemverontreiniging": _layer("bodemverontreiniging", [
            dict(identificatie="NH044100001-verontreinigingscontour", locatiecode="NH044100001",
                 locatienaam="Voormalige wasserij Teststraat 1", contourtype="verontreinigingscontour",
                 status="ernstig, niet spoedeisend", statusdatum="2010-01-01", stoffen="PCE",
                 eigenaar_naam="Geheime Eigenaar Jansen", geometry=_multi(box(115100, 533100, 115200, 533200))),
            dict(identificatie="NH044100002-verontreinigingscontour", locatiecode="NH044100002",
                 locatienaam="Voormalige garage Schoolweg 1", contourtype="verontreinigingscontour",
                 status="verdacht", statusdatum="2015-01-01", geometry=_multi(box(116100, 533600, 116200, 533700))),
            dict(identificatie="NH044100003-verontreinigingscontour", locatiecode="NH044100003",
                 locatienaam="Erf Zuidweg 4", contourtype="verontreinigingscontour", status="niet ernstig",
                 statusdatum="2012-01-01", geometry=_multi(box(116000, 532100, 116100, 532200))),
        ]),
        "omgevingsplan_functie": _layer("omgevingsplan_functie", [
            dict(identificatie="F1", naam="Wonen - Noord", groep="wonen",
                 geometry=_multi(box(115000, 533000, 116000, 534000)), **functie),
            dict(identificatie="F2", naam="Maatschappelijk - School", groep="maatschappelijk",
                 geometry=_multi(box(116000, 533500, 116400, 534000)), **functie),
            dict(identificatie="F3", naam="Bedrijventerrein - Oost", groep="bedrijventerrein",
                 geometry=_multi(box(116700, 532000, 117000, 532600)), **functie),
            dict(identificatie="F4", naam="Agrarisch - Zuid", groep="agrarisch",
                 geometry=_multi(box(115000, 532000, 116700, 533000)), **functie),
            dict(identificatie="Z1", naam="Geluidzone - Weg", type="milieuzone", groep="geluidzone", bron="imow",
                 geometry=_multi(box(115000, 532700, 115300, 533000))),
        ]),
    }


def hexagon_layer() -> gpd.GeoDataFrame:
    """One exceeding hexagon on F3 (bedrijventerrein), one below the KDW on F4: as analyses.stikstof publishes."""
    from geo.core.hexagon import hexagons, ids_at

    ids = ids_at([116850, 116200], [532300, 532300])
    gdf = gpd.GeoDataFrame({"receptor_id": ids, "natura2000_nr": [84, 84], "kdw_mol_ha_jr": [786.0, 786.0],
                            "totaal_mol_ha_jr": [836.0, 700.0], "overschrijding_mol_ha_jr": [50.0, -86.0]},
                           geometry=hexagons(ids), crs=RD_NEW)
    return conform(gdf, REGISTRY.results(True)["stikstof_hexagon"].schema)


def build_store(path: Path, with_hexagons: bool = False) -> Path:
    built = layers()
    if with_hexagons:
        built["stikstof_hexagon"] = hexagon_layer()
    meta = {name: {"title": name, "gemeente": "GM0441", "public_fields": [], "key": None, "quarantined": 0,
                   "repaired": 0} for name in built}
    GeoPackageStore(path).publish(built, meta, [], Quarantine().frame())
    return Path(path)
