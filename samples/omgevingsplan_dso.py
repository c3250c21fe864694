"""The sample omgevingsplan as a DSO delivery (STOP/TPOD): OW files (IMOW v3.1.0) and GIO GML (STOP 1.3.0).

Since 2024 a municipality publishes its omgevingsplan through the DSO: the text in STOP, the locations of its rules
as IMOW objects in OW files, their geometry as GIOs. ``write_dso_delivery`` writes the plan that
``samples.omgevingsplan.generate_omgevingsplan`` made (the same frame, so the same seed gives the same plan) as such
a delivery folder, voorbeelddata like everything under ``data/generated/``:

- ``locaties.xml``: a ``l:Gebied`` per gebiedsaanwijzing (``nl.imow-gm0441.gebied.0001`` for
  ``...gebiedsaanwijzing.0001``), one for the ambtsgebied, a ``l:Gebiedengroep`` per groep and one of the
  Natura 2000 parts; each Gebied points with ``l:GeometrieRef`` at a ``basisgeo:id`` in ``gio/*.gml``.
- ``gebiedsaanwijzingen.xml``: type Functie (TPOD functiegroep, ``FUNCTIEGROEP``) or Geluid for the geluidzones.
- ``regelteksten.xml``, ``juridischeregels.xml``: an article per groep (the GeoPackage's ``artikelnummer``) with
  a RegelVoorIedereen, and an Omgevingswaarderegel for the omgevingswaarden.
- ``activiteiten.xml``: bouwen, a milieubelastende activiteit on the bedrijventerreinen and veehouderij in
  agrarisch gebied, allocated per article with an ActiviteitLocatieaanduiding.
- ``omgevingsnormen.xml``: maximum bouwhoogte (m) per functie.
- ``omgevingswaarden.xml``: ``OMGEVINGSWAARDEN`` — stikstofdepositie on the Natura 2000 parts (mol/ha/jr, by
  2035), ammoniakemissie in the ambtsgebied (kg/jr, by 2030: 90 % of the sample's sources) and geluid in the
  woongebieden (dB Lden). The year a value must be reached is in its ``naam`` ("uiterlijk 2035"): IMOW has no
  attribute for it (the regeltekst says it).
"""

import shutil
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from samples.dso_gio import GioLocatie, write_gio
from samples.dso_ow import (
    concept,
    element,
    object_types,
    ref,
    refs,
    value,
    write_manifest,
    write_ow_bestand,
)

VASTSTELLING = "2024-07-01"  # the date in the plan's expression identifiers (fixed: the sample is deterministic)
FUNCTIEGROEP = {  # our groep -> TPOD Functiegroep (waardelijst 4.0.0); natuur is a type of its own (NATUUR)
    "agrarisch": "Agrarisch", "bedrijventerrein": "Bedrijventerrein", "centrum": "Centrumgebied",
    "maatschappelijk": "Maatschappelijk", "natuur": "Groen", "recreatie": "Recreatie", "verkeer": "Verkeer",
    "water": "Water", "wonen": "Wonen",
}
NATUUR = ("Natuur", "natuur", "NatuurnetwerkNederland")  # TPOD: a Gebiedsaanwijzing of type Natuur, natuurgroep NNN
MILIEUZONE = {"geluidzone": ("Geluid", "geluid", "AandachtsgebiedGeluid")}  # groep -> type, lijst, groep
BOUWHOOGTE_M = {"wonen": 10, "centrum": 13, "maatschappelijk": 12, "bedrijventerrein": 15, "agrarisch": 12,
                "recreatie": 8}
ACTIVITEITEN = {  # key -> naam, Activiteitengroep, {groep: activiteitregelkwalificatie}
    "bouwen": ("Bouwen van een bouwwerk", "BouwactiviteitRuimtelijk",
               {**dict.fromkeys(BOUWHOOGTE_M, "Toegestaan"), "natuur": "Vergunningplicht"}),
    "bedrijf": ("Exploiteren van een bedrijf", "MilieubelastendeActiviteit", {"bedrijventerrein": "Toegestaan"}),
    "veehouderij": ("Houden van landbouwhuisdieren", "MilieubelastendeActiviteit", {"agrarisch": "Toegestaan"}),
}
RIJKSACTIVITEIT = "nl.imow-mnre1034.activiteit.ActInOmgevingsplan"  # the national parent of the plan's activities


@dataclass(frozen=True)
class Waarde:
    """An omgevingswaarde of the sample plan; ``locatie`` is "natura2000", "ambtsgebied" or a functie groep."""

    key: str
    naam: str
    groep: str
    typenorm: str
    eenheid: str
    locatie: str


# TPOD's waardelijsten (2.0.0) have no type norm for a deposition, emission or noise load and no unit for mol/ha/jr:
# such a value is written as the lists prescribe for a missing value, NogToeTeVoegen, and its naam says what it is
OMGEVINGSWAARDEN = (
    Waarde("stikstofdepositie", "Stikstofdepositie op stikstofgevoelige Natura 2000-natuur (mol N/ha/jr), "
           "uiterlijk 2035", "Overig", "NogToeTeVoegen", "NogToeTeVoegen", "natura2000"),
    Waarde("ammoniakemissie", "Ammoniakemissie van bedrijven in de gemeente (kg per jaar), uiterlijk 2030",
           "Luchtkwaliteit", "NogToeTeVoegen", "Kilogram", "ambtsgebied"),
    Waarde("geluid", "Geluidbelasting door wegverkeer in woongebieden (Lden)",
           "Geluid", "NogToeTeVoegen", "Decibel", "wonen"),
)
STIKSTOFDEPOSITIE_DOEL = 700.0  # mol N/ha/jr, a voorbeeld value near the KDW of grey dunes, below today's deposition
GELUID_DOEL_DB = 53.0
AMMONIAK_AANDEEL = 0.9  # the 2030 target: 90 % of the sample's current emission


def write_dso_delivery(plan: gpd.GeoDataFrame, folder: Path, gemeentenaam: str, gemeentegebied,
                       nh3_emissie_kg: float, gemeentecode: str = "gm0441",
                       stikstofgevoelig: set[str] | None = None) -> Path:
    """Write the delivery folder for ``plan`` (the ``generate_omgevingsplan`` frame); atomic: a complete new
    folder replaces the old one. ``stikstofgevoelig``: the names of the nitrogen-sensitive Natura 2000 areas (the
    location of the stikstofdepositie omgevingswaarde); None: every Natura 2000 area of the plan."""
    folder = Path(folder)
    tmp = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "gio").mkdir(parents=True)
    _Plan(plan, gemeentecode, gemeentenaam, gemeentegebied, nh3_emissie_kg, stikstofgevoelig).write(tmp)
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder


class _Plan:
    """The identifiers and objects of one plan; ``write`` puts them in OW files and GIOs."""

    def __init__(self, plan: gpd.GeoDataFrame, code: str, naam: str, gemeentegebied, nh3_emissie_kg: float,
                 stikstofgevoelig: set[str] | None = None):
        self.plan, self.code, self.naam = plan.reset_index(drop=True), code, naam
        self.stikstofgevoelig = stikstofgevoelig
        self.gemeentegebied, self.nh3_emissie_kg = gemeentegebied, nh3_emissie_kg
        self.work = str(plan["plan_identificatie"].iloc[0])
        self.groepen = list(dict.fromkeys(self.plan["groep"]))
        self.artikelen = dict(zip(self.plan["groep"], self.plan["artikelnummer"]))
        self.artikel_waarden = str(max(int(a) for a in self.artikelen.values()) + 1)

    def id(self, kind: str, local: str) -> str:
        return f"nl.imow-{self.code}.{kind}.{local}"

    def gebied_id(self, row) -> str:
        return self.id("gebied", row.identificatie.rsplit(".", 1)[1])

    def basisgeo_id(self, gebied_id: str) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.work}/{gebied_id}"))

    def rows(self, groep: str):
        return [r for r in self.plan.itertuples() if r.groep == groep]

    def natura2000_rows(self):
        """The plan's Natura 2000 parts (not the dunes), only the nitrogen-sensitive ones when they are known."""
        areas = [r for r in self.rows("natuur") if r.naam != "Natuur - Duinen"]
        if self.stikstofgevoelig is None:
            return areas
        return [r for r in areas if r.naam.removeprefix("Natuur - ") in self.stikstofgevoelig]

    # --- files -----------------------------------------------------------------------------------------

    def write(self, folder: Path) -> None:
        files = {
            "locaties.xml": self.locaties(),
            "gebiedsaanwijzingen.xml": [self.gebiedsaanwijzing(r) for r in self.plan.itertuples()],
            "regelteksten.xml": self.regelteksten(),
            "juridischeregels.xml": self.juridische_regels(),
            "activiteiten.xml": [self.activiteit(k) for k in ACTIVITEITEN],
            "omgevingsnormen.xml": [self.bouwhoogte()],
            "omgevingswaarden.xml": self.omgevingswaarden(),
        }
        dataset = f"Omgevingsplan gemeente {self.naam} (voorbeelddata)"
        levering = f"voorbeelddata-omgevingsplan-{self.code}-{VASTSTELLING}"
        for name, objects in files.items():
            write_ow_bestand(folder / name, dataset, self.naam, levering, objects)
        write_manifest(folder / "manifest-ow.xml", self.work, f"{self.work}/nld@{VASTSTELLING};1",
                       {name: object_types(folder / name) for name in files})
        self.write_gios(folder / "gio")
        (folder / "README.md").write_text(_readme(self.naam, self.code), encoding="utf-8")

    def write_gios(self, folder: Path) -> None:
        groups = {groep: self.rows(groep) for groep in self.groepen}
        for groep, rows in groups.items():
            locaties = [GioLocatie(r.naam, self.basisgeo_id(self.gebied_id(r)), r.geometry) for r in rows]
            self.gio(folder, f"{_kind(groep)}-{groep}", locaties)
        ambtsgebied = self.id("gebied", "ambtsgebied")
        self.gio(folder, "ambtsgebied", [GioLocatie(f"Gemeente {self.naam}", self.basisgeo_id(ambtsgebied),
                                                    _polygonal(self.gemeentegebied))])

    def gio(self, folder: Path, name: str, locaties: list[GioLocatie]) -> Path:
        work = f"/join/id/regdata/{self.code}/2024/voorbeelddata-{name}"
        return write_gio(folder / f"{name}.gml", work, f"{work}/nld@{VASTSTELLING};1", locaties)

    # --- locaties --------------------------------------------------------------------------------------

    def locaties(self) -> list[ET.Element]:
        gebieden = [self.gebied(self.gebied_id(r), r.naam) for r in self.plan.itertuples()]
        gebieden.append(self.gebied(self.id("gebied", "ambtsgebied"), f"Gemeente {self.naam}"))
        groepen = [self.gebiedengroep(self.id("gebiedengroep", g), _groep_noemer(g),
                                      [self.gebied_id(r) for r in self.rows(g)]) for g in self.groepen]
        natura = [self.gebied_id(r) for r in self.natura2000_rows()]
        if natura:
            groepen.append(self.gebiedengroep(self.id("gebiedengroep", "natura2000"),
                                              "Stikstofgevoelige Natura 2000-gebieden in de gemeente", natura))
        return gebieden + groepen

    def gebied(self, identificatie: str, noemer: str) -> ET.Element:
        geometrie = element("l", "geometrie", ref("l", "GeometrieRef", self.basisgeo_id(identificatie)))
        return element("l", "Gebied", value("l", "identificatie", identificatie), value("l", "noemer", noemer),
                       geometrie)

    def gebiedengroep(self, identificatie: str, noemer: str, gebieden: list[str]) -> ET.Element:
        return element("l", "Gebiedengroep", value("l", "identificatie", identificatie), value("l", "noemer", noemer),
                       refs("l", "l", "groepselement", "GebiedRef", gebieden))

    def locatie_van(self, locatie: str) -> str:
        """The Locatie id of "ambtsgebied", "natura2000" or a groep."""
        return self.id("gebied", "ambtsgebied") if locatie == "ambtsgebied" else self.id("gebiedengroep", locatie)

    # --- gebiedsaanwijzingen, regels, activiteiten -----------------------------------------------------------

    def gebiedsaanwijzing(self, row) -> ET.Element:
        if row.type == "functie":
            type_, lijst, groep = NATUUR if row.groep == "natuur" else ("Functie", "functie", FUNCTIEGROEP[row.groep])
        else:
            type_, lijst, groep = MILIEUZONE[row.groep]
        return element("ga", "Gebiedsaanwijzing", value("ga", "identificatie", row.identificatie),
                       value("ga", "type", concept("typegebiedsaanwijzing", type_)), value("ga", "naam", row.naam),
                       value("ga", "groep", concept(lijst, groep)),
                       refs("l", "ga", "locatieaanduiding", "LocatieRef", [self.gebied_id(row)]))

    def regelteksten(self) -> list[ET.Element]:
        artikelen = sorted(set(self.artikelen.values()) | {self.artikel_waarden}, key=int)
        return [element("r", "Regeltekst", value("r", "identificatie", self.id("regeltekst", a)),
                        attrib={"wId": f"{self.code}_1__art_{a}"}) for a in artikelen]

    def juridische_regels(self) -> list[ET.Element]:
        return [self.regel_voor_iedereen(g) for g in self.groepen] + [self.omgevingswaarderegel()]

    def regel_kern(self, artikel: str, locaties: list[str]) -> list[ET.Element | None]:
        return [value("r", "identificatie", self.id("juridischeregel", artikel)),
                value("r", "idealisatie", concept("idealisatie", "Exact")),
                element("r", "artikelOfLid", ref("r", "RegeltekstRef", self.id("regeltekst", artikel))),
                refs("l", "r", "locatieaanduiding", "LocatieRef", locaties)]

    def regel_voor_iedereen(self, groep: str) -> ET.Element:
        artikel = self.artikelen[groep]
        aanwijzingen = [r.identificatie for r in self.rows(groep)]
        activiteiten = [self.activiteitaanduiding(k, groep) for k, (_, _, waar) in ACTIVITEITEN.items()
                        if groep in waar]
        norm = [self.id("omgevingsnorm", "bouwhoogte")] if groep in BOUWHOOGTE_M else []
        return element("r", "RegelVoorIedereen", *self.regel_kern(artikel, [self.locatie_van(groep)]),
                       refs("ga", "r", "gebiedsaanwijzing", "GebiedsaanwijzingRef", aanwijzingen), *activiteiten,
                       refs("rol", "r", "omgevingsnormaanduiding", "OmgevingsnormRef", norm))

    def activiteitaanduiding(self, key: str, groep: str) -> ET.Element:
        kwalificatie = ACTIVITEITEN[key][2][groep]
        ala = element("r", "ActiviteitLocatieaanduiding",
                      value("r", "identificatie", self.id("activiteitlocatieaanduiding", f"{key}{groep}")),
                      value("r", "activiteitregelkwalificatie", concept("activiteitregelkwalificatie", kwalificatie)),
                      refs("l", "r", "locatieaanduiding", "LocatieRef", [self.locatie_van(groep)]))
        return element("r", "activiteitaanduiding", ref("rol", "ActiviteitRef", self.id("activiteit", key)), ala)

    def omgevingswaarderegel(self) -> ET.Element:
        waarden = [self.id("omgevingswaarde", w.key) for w in self.waarden()]
        return element("r", "Omgevingswaarderegel",
                       *self.regel_kern(self.artikel_waarden, [self.locatie_van("ambtsgebied")]),
                       refs("rol", "r", "omgevingswaardeaanduiding", "OmgevingswaardeRef", waarden))

    def activiteit(self, key: str) -> ET.Element:
        naam, groep, _ = ACTIVITEITEN[key]
        return element("rol", "Activiteit", value("rol", "identificatie", self.id("activiteit", key)),
                       value("rol", "naam", naam), value("rol", "groep", concept("activiteit", groep)),
                       element("rol", "bovenliggendeActiviteit", ref("rol", "ActiviteitRef", RIJKSACTIVITEIT)))

    # --- normen ------------------------------------------------------------------------------------------

    def bouwhoogte(self) -> ET.Element:
        waarden = [self.normwaarde(f"bouwhoogte{g}", m, g) for g, m in BOUWHOOGTE_M.items() if g in self.groepen]
        return self.norm("Omgevingsnorm", self.id("omgevingsnorm", "bouwhoogte"), "maximum bouwhoogte",
                         "MaximumBouwhoogte", "Meter", waarden, concept("omgevingsnorm", "MaatvoeringBouwen"))

    def waarden(self) -> list[Waarde]:
        """The omgevingswaarden this plan can locate (no Natura 2000 part, no stikstofdepositie value)."""
        present = set(self.groepen) | {"ambtsgebied"} | ({"natura2000"} if self.natura2000_rows() else set())
        return [w for w in OMGEVINGSWAARDEN if w.locatie in present]

    def omgevingswaarden(self) -> list[ET.Element]:
        targets = {"stikstofdepositie": STIKSTOFDEPOSITIE_DOEL, "geluid": GELUID_DOEL_DB,
                   "ammoniakemissie": round(self.nh3_emissie_kg * AMMONIAK_AANDEEL, -2)}
        return [self.norm("Omgevingswaarde", self.id("omgevingswaarde", w.key), w.naam, w.typenorm, w.eenheid,
                          [self.normwaarde(w.key, targets[w.key], w.locatie)], concept("omgevingswaarde", w.groep))
                for w in self.waarden()]

    def normwaarde(self, local: str, amount: float, locatie: str) -> ET.Element:
        return element("rol", "Normwaarde", value("rol", "identificatie", self.id("normwaarde", local)),
                       value("rol", "kwantitatieveWaarde", _decimal(amount)),
                       refs("l", "rol", "locatieaanduiding", "LocatieRef", [self.locatie_van(locatie)]))

    def norm(self, kind: str, identificatie: str, naam: str, typenorm: str, eenheid: str,
             waarden: list[ET.Element], groep: str) -> ET.Element:
        return element("rol", kind, value("rol", "identificatie", identificatie), value("rol", "naam", naam),
                       value("rol", "type", concept("typenorm", typenorm)),
                       value("rol", "eenheid", concept("eenheid", eenheid)), element("rol", "normwaarde", *waarden),
                       value("rol", "groep", groep))


def _kind(groep: str) -> str:
    return "functie" if groep in FUNCTIEGROEP else "milieuzone"


def _groep_noemer(groep: str) -> str:
    return f"Functie {groep}" if groep in FUNCTIEGROEP else f"Milieuzone {groep}"


def _decimal(amount: float) -> str:
    return f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"


def _polygonal(geometry):
    """The polygonal part of a (possibly mixed) geometry."""
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def _readme(naam: str, code: str) -> str:
    return f"""# Omgevingsplan gemeente {naam} — voorbeelddata

**Dit is voorbeelddata, geen echt omgevingsplan.** Gegenereerd door `geo sample` (`samples/omgevingsplan.py`,
`samples/omgevingsplan_dso.py`) naar het model van een DSO-aanlevering (STOP/TPOD): dezelfde inhoud als
`../omgevingsplan_{code.upper()}.gpkg`.

- OW-bestanden (IMOW v3.1.0, `ow-dc:owBestand`): `locaties.xml`, `gebiedsaanwijzingen.xml`, `regelteksten.xml`,
  `juridischeregels.xml`, `activiteiten.xml`, `omgevingsnormen.xml`, `omgevingswaarden.xml`; `manifest-ow.xml`.
- GIO's (STOP 1.3.0, `geo:GeoInformatieObjectVaststelling`, RD New EPSG:28992): `gio/*.gml`. Elk `l:Gebied`
  verwijst met `l:GeometrieRef` naar de `basisgeo:id` van zijn geometrie.
- De regeltekst zelf (STOP-tekst van de regeling) ontbreekt; de `wId`'s van de regelteksten volgen de
  AKN-conventie. Waarden uit TPOD-waardelijsten die niet in een gepubliceerde lijst zijn gecontroleerd:
  omgevingswaardegroep, typenorm en eenheid van de omgevingswaarden.
"""
