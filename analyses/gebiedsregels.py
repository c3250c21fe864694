"""The rules of the gebiedsanalyse: one function each, from a ``Context`` to findings (dicts).

Every finding carries ``soort`` (kans, bedreiging, ontbrekende informatie), ``reden`` (plain Dutch),
``geometry`` (RD New; the analysis clips it to the area), ``objecten`` and, where a distance is measured,
``afstand_m``, ``norm_m`` and ``norm_bron``. The distances and thresholds are the constants below, with
their source; a rule that lacks its data says so as 'ontbrekende informatie' instead of staying silent.

Choices a reader should know:
- *gevoelige functie*: groep wonen or maatschappelijk (homes, schools, care) — VNG 2009 §1.2.
- *bouwmogelijkheid* ("planned function"): the omgevingsplan layer has no planned/existing status, so every
  function that permits new building (``BOUW_GROEPEN``) counts as plan capacity.
- *verontreinigd*: a verontreinigingscontour with any status other than onverdacht or gesaneerd.
- *bron zonder vergunning*: the supervision ranking's rule (``analyses.toezicht``, imported, not copied): a
  stikstofbron emitting at least ``EMITTER_KG`` NH3 + NOx per year whose Wnb status is 'geen' or 'geweigerd of
  ingetrokken' (``permit_status``: no wnb_besluit 'vergunning verleend' linked through ``stikstofbron_id``).
- *Natura 2000 nearby*: ``NATURA2000_M`` is the ranking's closest natuur class (``NATUUR_KLASSEN``).
- *kans voor woningbouw*: agricultural land within ``UITLEG_M`` of an existing woongebied (uitleg at the
  edge of a village), not contaminated, outside milieuzones, outside the richtafstanden of companies, further
  than ``NATURA2000_M`` from Natura 2000 and not on a hexagon in nitrogen exceedance; parts of at least
  ``MIN_KANS_HA``.
"""

from dataclasses import dataclass

import geopandas as gpd
import shapely

from analyses.invoer import read_public
from analyses.richtafstanden import RICHTAFSTANDEN, richtafstand
from analyses.richtafstanden import SOURCE as VNG_2009
from analyses.stikstof.style import klassen_tekst
from analyses.toezicht import EMITTER_KG, NATUUR_KLASSEN, VERGUNNING_PUNTEN, permit_status
from geo.render.maps import NIET_STIKSTOFGEVOELIG
from geo.render.tabel import nl_number
from geo.store.geopackage import Store

GEVOELIG = ("wonen", "maatschappelijk")
BOUW_GROEPEN = ("wonen", "maatschappelijk", "centrum", "gemengd", "bedrijventerrein", "bedrijf")
ERNSTIG = ("ernstig, niet spoedeisend", "ernstig, spoedeisend")
SCHOON = ("onverdacht", "gesaneerd")
NATURA2000_M = float(NATUUR_KLASSEN[0][0])  # 250 m: the closest class of the supervision ranking
NATURA2000_BRON = (f"screeningsafstand {NATURA2000_M:.0f} m tot Natura 2000 (werkafspraak voor de omgevingstafel; "
                   f"dezelfde afstand als de toezichtprioritering)")
ERF_M = 25.0  # a source point stands for its farmyard: a circle of this radius locates the finding
BODEMRECORD_M = 25.0  # an industrial building with no soil record within this distance has none
UITLEG_M = 300.0
MIN_KANS_HA = 1.0
MAX_RICHTAFSTAND_M = 300.0  # the largest in analyses.richtafstanden: how far outside the area sources matter
HEXAGON_LAYER = "stikstof_hexagon"
HEXAGON_OBJECTEN = "stikstofkaart per hexagoon"  # what a finding about the missing layer names as its objects
EXCEEDANCE_COLUMNS = ("overschrijding_mol_ha_jr", "overschrijding")


@dataclass
class Context:
    area: shapely.Geometry
    functie: gpd.GeoDataFrame
    milieuzone: gpd.GeoDataFrame
    bodem: gpd.GeoDataFrame  # verontreinigingscontouren
    bodem_all: gpd.GeoDataFrame  # every contour: a record of any kind counts as 'investigated'
    bronnen: gpd.GeoDataFrame
    besluiten: gpd.GeoDataFrame
    natura2000: gpd.GeoDataFrame
    hexagons: gpd.GeoDataFrame | None  # None: the store has no stikstof_hexagon yet
    industrie: gpd.GeoDataFrame  # verblijfsobjecten with an industriefunctie
    panden: gpd.GeoDataFrame


def load_context(store: Store, area: shapely.Geometry) -> Context:
    """The public fields of every layer the rules need, around ``area`` (sources up to 300 m outside)."""
    box = area.bounds
    wide = area.buffer(MAX_RICHTAFSTAND_M).bounds
    plan = read_public(store, "omgevingsplan_functie", bbox=wide)
    bodem = read_public(store, "bodemverontreiniging", bbox=box)
    industrie = read_public(store, "verblijfsobject", bbox=box, where="gebruiksdoel LIKE '%industriefunctie%'")
    ids = "','".join(sorted(set(industrie["pandidentificatie"].dropna()))) or "-"
    return Context(
        area=area,
        functie=plan[plan["type"] == "functie"].reset_index(drop=True),
        milieuzone=plan[plan["type"] == "milieuzone"].reset_index(drop=True),
        bodem=bodem[bodem["contourtype"] == "verontreinigingscontour"].reset_index(drop=True),
        bodem_all=bodem,
        bronnen=read_public(store, "stikstofbron", bbox=wide),
        besluiten=read_public(store, "wnb_besluit"),
        natura2000=read_public(store, "natura2000_gebied"),
        hexagons=read_public(store, HEXAGON_LAYER, bbox=box) if HEXAGON_LAYER in store.layers() else None,
        industrie=industrie,
        panden=read_public(store, "pand", where=f"identificatie IN ('{ids}')"),
    )


def _finding(soort: str, reden: str, geometry, objecten: str, afstand_m=None, norm_m=None, norm_bron=None,
             met_oppervlak: bool = True) -> dict:
    """One finding; ``met_oppervlak=False`` where its area means nothing (a point's erf, 'the whole area')."""
    return {"soort": soort, "reden": reden, "geometry": geometry, "objecten": objecten, "afstand_m": afstand_m,
            "norm_m": norm_m, "norm_bron": norm_bron, "met_oppervlak": met_oppervlak}


def _in_area(gdf: gpd.GeoDataFrame, area) -> gpd.GeoDataFrame:
    return gdf[gdf.intersects(area)]


def _pairs(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame):
    """Every (left row, right row) whose geometries intersect, with the intersection (area >= 10 m²)."""
    if left.empty or right.empty:
        return
    joined = gpd.sjoin(left, right.reset_index(names="_r"), predicate="intersects", lsuffix="l", rsuffix="r")
    for i, row in joined.iterrows():
        other = right.loc[row["_r"]]
        piece = left.geometry.loc[i].intersection(other.geometry)
        if piece.area >= 10.0:  # slivers are no finding
            yield left.loc[i], other, piece


def _functie(row) -> str:
    return f"functie '{row['naam']}' ({row['groep']})"


# --- rules (the order of RULES is the order of the report) ------------------------------------------------

def gevoelige_functie_op_ernstige_bodem(ctx: Context) -> list[dict]:
    """Bedreiging: a sensitive function on a location whose Wbb status is ernstig."""
    functies = _in_area(ctx.functie[ctx.functie["groep"].isin(GEVOELIG)], ctx.area)
    bodem = ctx.bodem[ctx.bodem["status"].isin(ERNSTIG)]
    out = []
    for f, b, piece in _pairs(functies, bodem):
        extra = (f"; stoffen: {b['stoffen']}" if _text(b["stoffen"]) else "") + (
            f"; gebruiksbeperking: {b['gebruiksbeperking']}" if _text(b["gebruiksbeperking"]) else "")
        reden = (f"De {_functie(f)} ligt op bodemlocatie {b['locatiecode']} ({b['locatienaam']}) met status "
                 f"'{b['status']}'{extra}. Ernstige verontreiniging onder woningen of maatschappelijke functies "
                 f"vraagt om sanering of een gebruiksbeperking vóór (nieuw) gebruik.")
        out.append(_finding("bedreiging", reden, piece, f"{f['identificatie']}; {b['locatiecode']}"))
    return out


def gevoelige_functie_binnen_richtafstand(ctx: Context) -> list[dict]:
    """Bedreiging: a sensitive function within the VNG guideline distance of a farm or company."""
    functies = ctx.functie[ctx.functie["groep"].isin(GEVOELIG)]
    if functies.empty or ctx.bronnen.empty:
        return []
    zones = ctx.bronnen.assign(norm_m=ctx.bronnen["bedrijfstype"].map(lambda t: float(richtafstand(t)[0])))
    zones = zones.set_geometry(zones.geometry.buffer(zones["norm_m"]))
    out = []
    for bron, f, piece in _pairs(zones, functies):
        point = ctx.bronnen.geometry.loc[bron.name]
        afstand = round(f.geometry.distance(point))
        metres, aspect, entry = richtafstand(bron["bedrijfstype"])
        reden = (f"De {_functie(f)} ligt op {afstand} m van stikstofbron {bron['vthobject_id']} "
                 f"({bron['bedrijfstype']}); de richtafstand is {metres} m ({aspect}; VNG {entry}). Binnen de "
                 f"richtafstand is hinder niet uitgesloten: toets geur (Wgv/omgevingsplan), geluid en stof.")
        out.append(_finding("bedreiging", reden, piece, f"{f['identificatie']}; {bron['vthobject_id']}",
                            afstand, float(metres), VNG_2009))
    return out


def bouwmogelijkheid_in_stikstofoverschrijding(ctx: Context) -> list[dict]:
    """Bedreiging: plan capacity on AERIUS hexagons in nitrogen exceedance (needs ``stikstof_hexagon``)."""
    if ctx.hexagons is None:
        reden = ("De stikstofkaart per hexagoon (AERIUS-hexagonen van de stikstofanalyse) staat niet in de store: "
                 "bouwmogelijkheden zijn niet getoetst op stikstofoverschrijding en kansen voor woningbouw niet op "
                 "overschrijding gefilterd. Draai de stikstofanalyse en herhaal de gebiedsanalyse.")
        return [_finding("ontbrekende informatie", reden, ctx.area, HEXAGON_OBJECTEN, met_oppervlak=False)]
    over = exceeding(ctx.hexagons)
    functies = _in_area(ctx.functie[ctx.functie["groep"].isin(BOUW_GROEPEN)], ctx.area)
    out = []
    for f in functies.itertuples():
        hit = over[over.intersects(f.geometry)]
        if hit.empty:
            continue
        reden = (f"De functie '{f.naam}' ({f.groep}) laat bouwen toe op {len(hit)} hexagon(en) waar de "
                 f"stikstofdepositie de KDW overschrijdt (tot {nl_number(_exceedance(hit).max(), 1)} mol N/ha/jr; "
                 f"{_klassen(hit)}). Elke extra depositie daar vraagt een Natura 2000-vergunning.")
        out.append(_finding("bedreiging", reden, hit.union_all().intersection(f.geometry),
                            f"{f.identificatie}; receptoren {_ids(hit['receptor_id'])}"))
    return out


def bouwmogelijkheid_nabij_natura2000(ctx: Context) -> list[dict]:
    """Bedreiging: plan capacity within 250 m of a Natura 2000 area."""
    functies = _in_area(ctx.functie[ctx.functie["groep"].isin(BOUW_GROEPEN)], ctx.area)
    zones = ctx.natura2000.set_geometry(ctx.natura2000.geometry.buffer(NATURA2000_M))
    out = []
    for f, n, piece in _pairs(functies, zones):
        afstand = round(f.geometry.distance(ctx.natura2000.geometry.loc[n.name]))
        reden = (f"De {_functie(f)} ligt op {afstand} m van Natura 2000-gebied {n['nr']} {n['naam']} "
                 f"(binnen {NATURA2000_M:.0f} m). {_natura2000_gevolg(n)}")
        out.append(_finding("bedreiging", reden, piece, f"{f['identificatie']}; natura2000 {n['nr']}",
                            afstand, NATURA2000_M, NATURA2000_BRON))
    return out


def bron_zonder_wnb_vergunning(ctx: Context) -> list[dict]:
    """Bedreiging: a source the supervision ranking scores for its permit (``analyses.toezicht.permit_status``:
    at least ``EMITTER_KG`` NH3 + NOx per year and no granted Wnb permit linked)."""
    bronnen = ctx.bronnen[ctx.bronnen.within(ctx.area)]
    emissie = bronnen["nh3_emissie"].astype(float).fillna(0) + bronnen["nox_emissie"].astype(float).fillna(0)
    status = permit_status(bronnen, ctx.besluiten, emissie)
    zonder = bronnen[status.map(VERGUNNING_PUNTEN) > 0]
    linked = ctx.besluiten[ctx.besluiten["stikstofbron_id"].notna()]
    out = []
    for b in zonder.itertuples():
        other = linked[linked["stikstofbron_id"] == b.vthobject_id]
        zaken = ", ".join(f"{r.besluittype} {r.zaaknummer}" for r in other.itertuples())
        reden = (f"Stikstofbron {b.vthobject_id} ({b.bedrijfstype}, NH3 {_kg(b.nh3_emissie)}, NOx "
                 f"{_kg(b.nox_emissie)}) heeft geen verleende Wnb-vergunning (Natura 2000-activiteit) gekoppeld"
                 f"{'; wel: ' + zaken if zaken else ''}. Ga na of de emissie vergund is of onder de referentie"
                 f"situatie valt; zo niet, dan is dit een handhavingsvraag.")
        out.append(_finding("bedreiging", reden, b.geometry.buffer(ERF_M), b.vthobject_id, met_oppervlak=False))
    return out


def bodemonderzoek_ontbreekt(ctx: Context) -> list[dict]:
    """Ontbrekende informatie: a sensitive function on a 'verdacht' location, or on a (former) industrial site
    (a BAG industriefunctie) with no soil record at all."""
    functies = _in_area(ctx.functie[ctx.functie["groep"].isin(GEVOELIG)], ctx.area)
    out = []
    for f, b, piece in _pairs(functies, ctx.bodem[ctx.bodem["status"] == "verdacht"]):
        reden = (f"De {_functie(f)} ligt op bodemlocatie {b['locatiecode']} ({b['locatienaam']}) met status "
                 f"'verdacht': er is geen afgerond bodemonderzoek. Voor een functiewijziging of nieuwbouw is een "
                 f"verkennend bodemonderzoek (NEN 5740) nodig.")
        out.append(_finding("ontbrekende informatie", reden, piece, f"{f['identificatie']}; {b['locatiecode']}"))
    return out + _industrie_zonder_bodemrecord(ctx, functies)


def _industrie_zonder_bodemrecord(ctx: Context, functies: gpd.GeoDataFrame) -> list[dict]:
    vbo = gpd.sjoin(ctx.industrie, functies[["identificatie", "naam", "groep", "geometry"]].rename(
        columns={"identificatie": "functie_id"}), predicate="within", lsuffix="vbo", rsuffix="f")
    if vbo.empty:
        return []
    known = ctx.bodem_all.geometry.buffer(BODEMRECORD_M).union_all() if len(ctx.bodem_all) else None
    out = []
    for pand_id, group in vbo.groupby("pandidentificatie"):
        pand = ctx.panden[ctx.panden["identificatie"] == pand_id]
        where = pand.geometry.iloc[0] if len(pand) else group.geometry.iloc[0].buffer(ERF_M)
        if known is not None and where.intersects(known):
            continue
        first = group.iloc[0]
        reden = (f"Pand {pand_id} heeft {len(group)} verblijfsobject(en) met industriefunctie binnen de "
                 f"functie '{first['naam']}' ({first['groep']}), maar het bodemregister kent hier geen locatie. "
                 f"Vóór een functiewijziging is een historisch bodemonderzoek (NEN 5725) nodig.")
        out.append(_finding("ontbrekende informatie", reden, where, f"{first['functie_id']}; pand {pand_id}"))
    return out


def geschikt_voor_woningbouw(ctx: Context) -> list[dict]:
    """Kans: agricultural land at the edge of a woongebied, free of the constraints the other rules check."""
    wonen = ctx.functie[ctx.functie["groep"] == "wonen"]
    agrarisch = ctx.functie[ctx.functie["groep"] == "agrarisch"]
    if wonen.empty or agrarisch.empty:
        return []
    land = agrarisch.union_all().intersection(wonen.buffer(UITLEG_M).union_all()).intersection(ctx.area)
    land = land.difference(_constraints(ctx))
    parts = [p for p in shapely.get_parts(land) if p.geom_type == "Polygon" and p.area >= MIN_KANS_HA * 10_000]
    hexagons = ("en ligt niet op een hexagoon met stikstofoverschrijding" if ctx.hexagons is not None
                else "(stikstofoverschrijding niet getoetst: de stikstofkaart per hexagoon ontbreekt)")
    out = []
    for part in parts:
        near = wonen.iloc[wonen.distance(part).argmin()]
        reden = (f"{nl_number(part.area / 10_000, 1)} ha agrarische grond aansluitend op woongebied '{near['naam']}' "
                 f"(binnen {UITLEG_M:.0f} m): niet verontreinigd volgens het bodemregister, buiten milieuzones en "
                 f"de richtafstanden van bedrijven, verder dan {NATURA2000_M:.0f} m van Natura 2000 {hexagons}.")
        out.append(_finding("kans", reden, part, f"{near['identificatie']}"))
    return out


def _constraints(ctx: Context):
    pieces = [ctx.bodem[~ctx.bodem["status"].isin(SCHOON)].geometry, ctx.milieuzone.geometry,
              ctx.natura2000.geometry.buffer(NATURA2000_M)]
    if len(ctx.bronnen):
        pieces.append(ctx.bronnen.geometry.buffer(ctx.bronnen["bedrijfstype"].map(lambda t: richtafstand(t)[0])))
    if ctx.hexagons is not None:
        pieces.append(exceeding(ctx.hexagons).geometry)
    geoms = [g for s in pieces for g in s if g is not None and not g.is_empty]
    return shapely.union_all(geoms) if geoms else shapely.Polygon()


def _exceedance(hexagons: gpd.GeoDataFrame):
    """Deposition minus KDW (mol N/ha/jr): ``overschrijding_mol_ha_jr`` of analyses.stikstof, or ``overschrijding``."""
    column = next((c for c in EXCEEDANCE_COLUMNS if c in hexagons.columns), None)
    if column is None:
        return hexagons.geometry.area * 0.0
    return hexagons[column].astype(float).fillna(0.0)


def _klassen(hexagons: gpd.GeoDataFrame) -> str:
    """"AERIUS Monitor: 3 evenwicht, 2 matige overbelasting" when the hexagons carry total and KDW."""
    if not {"totaal_mol_ha_jr", "kdw_mol_ha_jr"} <= set(hexagons.columns):
        return "klasse van overbelasting onbekend"
    return "AERIUS Monitor: " + klassen_tekst(hexagons["totaal_mol_ha_jr"], hexagons["kdw_mol_ha_jr"])


def _natura2000_gevolg(area) -> str:
    """What new building near this area asks: a nitrogen calculation only where the area is nitrogen-sensitive."""
    if area.get("stikstofgevoelig") is False or area.get("stikstofgevoelig") == 0:
        return (f"Het gebied is {NIET_STIKSTOFGEVOELIG} (geen stikstofgevoelige habitat): geen stikstoftoets, "
                f"wel mogelijk verstoring: een voortoets is nodig.")
    return ("Nieuwe bebouwing hier geeft stikstofdepositie en mogelijk verstoring: een voortoets en "
            "AERIUS-berekening zijn nodig.")


def exceeding(hexagons: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return hexagons[_exceedance(hexagons) > 0]


def _ids(values) -> str:
    values = [str(v) for v in sorted(values)]
    return ", ".join(values[:5]) + (f" en {len(values) - 5} meer" if len(values) > 5 else "")


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _kg(value) -> str:
    """Kilograms per year in Dutch, or 'onbekend' (then without a unit)."""
    return "onbekend" if value is None or value != value else f"{nl_number(float(value))} kg/jr"


def _richtafstanden_text() -> str:
    by_distance: dict[int, list[str]] = {}
    for bedrijfstype, (metres, _, _) in RICHTAFSTANDEN.items():
        by_distance.setdefault(metres, []).append(bedrijfstype.lower())
    return "; ".join(f"{m} m: {', '.join(types)}" for m, types in sorted(by_distance.items()))


# (titel, uitleg, rule): the order is the order of the report
RULES = (
    ("Gevoelige functie op ernstig verontreinigde bodem",
     "Wonen of maatschappelijk op een verontreinigingscontour met Wbb-status ernstig (spoedeisend of niet).",
     gevoelige_functie_op_ernstige_bodem),
    ("Gevoelige functie binnen de richtafstand van een bedrijf",
     f"Wonen of maatschappelijk binnen de richtafstand van een stikstofbron per bedrijfstype ({VNG_2009}): "
     f"{_richtafstanden_text()}; onbekend bedrijfstype 100 m.",
     gevoelige_functie_binnen_richtafstand),
    ("Bouwmogelijkheid op hexagoon met stikstofoverschrijding",
     f"Functies die bouwen toelaten ({', '.join(BOUW_GROEPEN)}) op een AERIUS-hexagoon waar de depositie de KDW "
     "overschrijdt (de stikstofkaart per hexagoon); ontbreekt die kaart, dan 'ontbrekende informatie'.",
     bouwmogelijkheid_in_stikstofoverschrijding),
    ("Bouwmogelijkheid binnen 250 m van Natura 2000",
     f"Functies die bouwen toelaten binnen {NATURA2000_M:.0f} m van een Natura 2000-gebied ({NATURA2000_BRON}).",
     bouwmogelijkheid_nabij_natura2000),
    ("Emissiebron zonder verleende Wnb-vergunning",
     f"Stikstofbron met een emissie van ten minste {EMITTER_KG:.0f} kg NH3 + NOx per jaar zonder Wnb-besluit "
     f"'vergunning verleend' voor die bron: dezelfde drempel als de toezichtprioritering (screeningsdrempel, geen "
     f"wettelijke norm); locatie: het erf, een cirkel van {ERF_M:.0f} m om het bronpunt.",
     bron_zonder_wnb_vergunning),
    ("Bodemonderzoek ontbreekt voor functiewijziging",
     f"Wonen of maatschappelijk op een locatie met status 'verdacht', of op een pand met industriefunctie (BAG) "
     f"zonder bodemrecord binnen {BODEMRECORD_M:.0f} m.",
     bodemonderzoek_ontbreekt),
    ("Kansrijke grond voor woningbouw",
     f"Agrarische grond binnen {UITLEG_M:.0f} m van een woongebied, binnen de gemeente, niet verontreinigd, buiten "
     f"milieuzones, richtafstanden, {NATURA2000_M:.0f} m rond Natura 2000 en stikstofoverschrijding; delen van "
     f"minstens {MIN_KANS_HA:g} ha.",
     geschikt_voor_woningbouw),
)


# (regel, soort) -> (enkelvoud, meervoud): the heading of a group of findings in the report, after its count
GROEPSKOPPEN = {
    ("gevoelige_functie_op_ernstige_bodem", "bedreiging"): (
        "gevoelige functie op ernstig verontreinigde bodem", "gevoelige functies op ernstig verontreinigde bodem"),
    ("gevoelige_functie_binnen_richtafstand", "bedreiging"): (
        "gevoelige functie binnen de richtafstand van een bedrijf",
        "gevoelige functies binnen de richtafstand van een bedrijf"),
    ("bouwmogelijkheid_in_stikstofoverschrijding", "bedreiging"): (
        "bouwmogelijkheid op hexagonen met stikstofoverschrijding",
        "bouwmogelijkheden op hexagonen met stikstofoverschrijding"),
    ("bouwmogelijkheid_in_stikstofoverschrijding", "ontbrekende informatie"): (
        "stikstofkaart per hexagoon ontbreekt", "stikstofkaarten per hexagoon ontbreken"),
    ("bouwmogelijkheid_nabij_natura2000", "bedreiging"): (
        f"bouwmogelijkheid binnen {NATURA2000_M:.0f} m van Natura 2000",
        f"bouwmogelijkheden binnen {NATURA2000_M:.0f} m van Natura 2000"),
    ("bron_zonder_wnb_vergunning", "bedreiging"): (
        "stikstofbron zonder verleende Wnb-vergunning", "stikstofbronnen zonder verleende Wnb-vergunning"),
    ("bodemonderzoek_ontbreekt", "ontbrekende informatie"): (
        "locatie zonder afgerond bodemonderzoek", "locaties zonder afgerond bodemonderzoek"),
    ("geschikt_voor_woningbouw", "kans"): ("kansrijk gebied voor woningbouw", "kansrijke gebieden voor woningbouw"),
}
