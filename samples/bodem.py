"""Generated soil contamination register (Bodemloket / BRO SLD shaped) for a municipality without one offline.

Writes a GeoPackage (layer ``bodemlocaties``) with one record per contour of a location, in the register
columns of ``layers.bodemverontreiniging`` (the layer derives area, Natura 2000 distance and municipality
flag itself). Seeded: the same seed and BAG give the same file.

How it places things, after where Bodemloket finds contamination in the villages of Noord-Holland Noord:

- **Old village cores** (BAG panden built before 1940 near each village centre, about one location per
  220 dwellings): former smithies, workshops, garages, printers, painters, dry cleaners, domestic
  heating-oil tanks, and a few filled-in ditches; in Schagen one former gasfabriek, in Kolhorn a
  former shipyard at the old harbour.
- **Petrol stations** on the approach roads at each village edge: one per small village, two for
  villages over 1,000 dwellings, four for Schagen; about half of them closed (``Voormalig``).
- **Business parks**: most panden with gebruiksdoel industriefunctie hold one location (metalworking,
  car body repair, transport with own fuel storage, pesticide storage, wood preservation).
- **Farm yards** (houses away from the villages): an old underground tank or asbestos-bearing yard
  paving on about one farm in eleven.
- **Old landfills** (stortplaats): a few in the open countryside, away from buildings, villages and,
  when given, Natura 2000.

Every location has a ``verontreinigingscontour``: an irregular polygon of 100–5,000 m² around the site,
star-shaped around its centre. A ``saneringscontour`` (the same outline pulled towards the centre, so
it lies inside) is added for status gesaneerd and nazorg and for half of the ``ernstig`` locations (a
remediation plan exists); a ``nazorgcontour`` (between the two) for nazorg. Status follows the activity:
most locations are onverdacht, niet ernstig or gesaneerd, few ernstig, spoedeisend very rarely.
Substances follow the activity (petrol station: minerale olie, BTEX; dry cleaner: VOCl; gasfabriek:
PAK, cyanide; landfill: zware metalen, asbest, PAK). Dates lie between 1990 and mid-2025.
``eigenaar_naam`` is an invented private owner ("J. de Vries"); sites owned by the gemeente have none.

Other municipalities of Noord-Holland Noord: the same rules on their (generated) BAG sample and kernen
(``samples.kernen``); the former gasfabriek lies in the main kern, there is no shipyard, and the
locatiecodes carry that municipality's code (``NH0448…``).
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely.ops
from shapely.geometry import MultiPolygon, Point, Polygon

from geo.core.crs import RD_NEW, transformer
from layers.bodemverontreiniging import REGISTER_COLUMNS, SCHEMA, SOURCE_LAYER
from samples.bag import VILLAGES_GM0441

PROVINCIE = "NH"
GEMEENTECODE = "0441"
FIRST_DATE, LAST_DATE = date(1990, 1, 1), date(2025, 6, 30)
PRE_WAR = 1940
PUBLIC_OWNER = ("stortplaats", "gasfabriek")
# (village, activity, ring): a site found in one village only, on a pre-war pand in a ring around its centre.
SPECIAL_SITES = (("Schagen", "gasfabriek", (0.4, 0.8)), ("Kolhorn", "scheepswerf", (0.6, 1.0)))

# Status weights per kind of site, in the order of STATUS_ORDER.
STATUS_ORDER = ("onverdacht", "verdacht", "niet ernstig", "ernstig, niet spoedeisend", "ernstig, spoedeisend",
                "gesaneerd", "nazorg")
STATUS_WEIGHTS = {
    "tank": (0.36, 0.10, 0.28, 0.02, 0.00, 0.23, 0.01),
    "bedrijf": (0.16, 0.20, 0.30, 0.07, 0.01, 0.21, 0.05),
    "bss": (0.06, 0.14, 0.24, 0.12, 0.02, 0.34, 0.08),
    "zwaar": (0.00, 0.25, 0.30, 0.15, 0.02, 0.20, 0.08),  # dry cleaners, shipyards: rarely found clean
    "demping": (0.20, 0.30, 0.45, 0.05, 0.00, 0.00, 0.00),
    "asbest": (0.10, 0.30, 0.30, 0.08, 0.00, 0.22, 0.00),
    "stort": (0.00, 0.10, 0.10, 0.40, 0.00, 0.00, 0.40),
    "gasfabriek": (0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 1.00),
}


@dataclass(frozen=True)
class Activity:
    """A soil-threatening activity: how a location is named, what it leaves behind, how large it is."""

    label: str           # noun in locatienaam
    article: str         # "het" or "de": Voormalig / Voormalige
    stoffen: str         # always found or suspected
    extra: str           # each found at one location in three
    area_m2: tuple[int, int]
    kind: str            # key of STATUS_WEIGHTS


ACTIVITIES = {row[0]: Activity(*row[1:]) for row in [
    ("benzineservicestation", "tankstation", "het", "minerale olie, BTEX", "MTBE, lood", (800, 3000), "bss"),
    ("chemische wasserij", "chemische wasserij", "de", "VOCl", "minerale olie", (200, 1200), "zwaar"),
    ("gasfabriek", "gasfabriek", "de", "PAK, cyanide, BTEX, minerale olie", "zware metalen", (4000, 5000),
     "gasfabriek"),
    ("stortplaats", "stortplaats", "de", "zware metalen, asbest, PAK", "minerale olie", (2500, 5000), "stort"),
    ("metaalbewerking", "metaalbewerkingsbedrijf", "het", "zware metalen, minerale olie", "VOCl", (300, 2500),
     "bedrijf"),
    ("smederij", "smederij", "de", "zware metalen, PAK", "minerale olie", (150, 800), "bedrijf"),
    ("scheepswerf", "scheepswerf", "de", "zware metalen, PAK, TBT", "minerale olie", (1500, 4000), "zwaar"),
    ("garagebedrijf", "garagebedrijf", "het", "minerale olie, BTEX", "zware metalen, VOCl", (200, 1200), "bedrijf"),
    ("drukkerij", "drukkerij", "de", "VOCl, BTEX", "zware metalen", (150, 800), "bedrijf"),
    ("timmerwerkplaats", "timmerwerkplaats", "de", "minerale olie", "PAK", (150, 900), "bedrijf"),
    ("schildersbedrijf", "schildersbedrijf", "het", "zware metalen, BTEX", "VOCl", (150, 700), "bedrijf"),
    ("ondergrondse huisbrandolietank", "ondergrondse tank", "de", "minerale olie", "", (100, 250), "tank"),
    ("demping", "gedempte sloot", "de", "zware metalen, PAK", "asbest", (300, 2000), "demping"),
    ("autoschadeherstel", "autoschadeherstelbedrijf", "het", "minerale olie, BTEX, zware metalen", "VOCl",
     (400, 2000), "bedrijf"),
    ("transportbedrijf met brandstofopslag", "transportbedrijf", "het", "minerale olie, BTEX", "", (600, 3000),
     "bedrijf"),
    ("opslag bestrijdingsmiddelen", "opslag bestrijdingsmiddelen", "de", "bestrijdingsmiddelen", "minerale olie",
     (300, 1500), "bedrijf"),
    ("houtverduurzaming", "houtverduurzamingsbedrijf", "het", "zware metalen, PAK", "", (500, 2500), "bedrijf"),
    ("agrarisch erf met ondergrondse tank", "agrarisch erf", "het", "minerale olie", "BTEX, bestrijdingsmiddelen",
     (100, 600), "tank"),
    ("asbesthoudende erfverharding", "erfverharding", "de", "asbest", "", (300, 1500), "asbest"),
]}
NAMED_BY_PLACE = {"ondergrondse huisbrandolietank", "agrarisch erf met ondergrondse tank",
                  "asbesthoudende erfverharding", "demping"}  # "Erfverharding Hoep 4", never "Voormalige …"
CORE = {"ondergrondse huisbrandolietank": 34, "garagebedrijf": 12, "smederij": 10, "metaalbewerking": 8,
        "timmerwerkplaats": 8, "chemische wasserij": 6, "schildersbedrijf": 6, "drukkerij": 5, "demping": 6}
BUSINESS = {"metaalbewerking": 4, "autoschadeherstel": 3, "transportbedrijf met brandstofopslag": 3,
            "opslag bestrijdingsmiddelen": 2, "houtverduurzaming": 1, "garagebedrijf": 2}
FARM = {"agrarisch erf met ondergrondse tank": 3, "asbesthoudende erfverharding": 1}

SURNAMES = ["de Vries", "Jansen", "de Boer", "Bakker", "Visser", "Smit", "Meijer", "de Jong", "Mulder", "Bos",
            "Dekker", "Kok", "Schouten", "Kuiper", "Zeeman", "Beemsterboer", "Pronk", "Appelman", "Slijkerman",
            "Ruiter", "Kaan", "Blokker", "Koster", "Laan", "van der Velden", "Groot", "Tesselaar", "Dignum"]
INITIALS = "ABCDGHJKLMPRSTW"
RESTRICTIONS = {
    "nazorg": ["leeflaag in stand houden; niet graven dieper dan 0,5 m zonder melding",
               "geen grondwateronttrekking", "geen grondwateronttrekking; niet graven dieper dan 0,5 m zonder melding"],
    "rest": ["niet graven dieper dan 0,5 m zonder melding", "geen grondwateronttrekking", "geen moestuin"],
}


@dataclass(frozen=True)
class Village:
    """A village of the BAG sample: ``radius`` keeps farms away, ``edge`` is where its buildings end."""

    name: str
    centre: Point
    radius: float
    edge: float
    dwellings: int


@dataclass(frozen=True)
class Site:
    """Where a location is, what happened there, and its address for the name."""

    activity: str
    centre: Point
    address: str
    former: bool = True
    elongation: float = 1.0


def generate_bodem(gemeentegebied, pand_gdf: gpd.GeoDataFrame, vbo_gdf: gpd.GeoDataFrame, seed: int = 441,
                   natura2000=None, villages=None, gemeentecode: str = GEMEENTECODE,
                   special_sites=SPECIAL_SITES) -> gpd.GeoDataFrame:
    """Contour records of soil contamination locations in ``gemeentegebied`` (a shapely polygon, RD New).

    ``pand_gdf`` and ``vbo_gdf`` are the BAG of the area (sample or real, in any order: they are sorted
    by identificatie first); ``natura2000`` (optional geometry) keeps landfills out of nature areas.
    ``villages`` are the BAG sample's rows ``(name, lat, lon, dwellings, pc4)`` (default ``VILLAGES_GM0441``),
    ``gemeentecode`` the four digits in the locatiecode, ``special_sites`` ``(village, activity, ring)`` rows.
    """
    rng = np.random.default_rng(seed)
    pand_gdf, vbo_gdf = (g.sort_values("identificatie").reset_index(drop=True) for g in (pand_gdf, vbo_gdf))
    villages = _villages(gemeentegebied, pand_gdf, VILLAGES_GM0441 if villages is None else villages)
    addresses = _Addresses(vbo_gdf)
    sites = (_core_sites(rng, villages, pand_gdf, addresses, special_sites)
             + _edge_sites(rng, villages, gemeentegebied, addresses)
             + _business_sites(rng, pand_gdf, addresses)
             + _farm_sites(rng, villages, pand_gdf, addresses)
             + _landfill_sites(rng, villages, gemeentegebied, pand_gdf, addresses, natura2000))
    codes = _locatiecodes(rng, len(sites), gemeentecode)
    rows = [row for code, site in zip(codes, sites) for row in _records(rng, code, site)]
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)
    return gdf[[*REGISTER_COLUMNS, "geometry"]].sort_values("identificatie").reset_index(drop=True)


def write_bodem(gdf: gpd.GeoDataFrame, path: Path) -> Path:
    """Write the register as a GeoPackage (layer ``bodemlocaties``, DATE fields), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    columns = [c for c in REGISTER_COLUMNS if c in gdf.columns]
    schema = {"geometry": "MultiPolygon", "properties": {c: SCHEMA.columns[c] for c in columns}}
    gdf[[*columns, "geometry"]].to_file(tmp, layer=SOURCE_LAYER, driver="GPKG", engine="fiona", schema=schema)
    tmp.replace(path)
    return path


# --- where sites are -------------------------------------------------------------------------------

def _villages(area, pand: gpd.GeoDataFrame, rows) -> list[Village]:
    """Village centres as the BAG sample places them; the edge measured from the panden around each."""
    to_rd = transformer("EPSG:4326", RD_NEW)
    centroids = pand.geometry.centroid
    villages = []
    for name, lat, lon, dwellings, _ in rows:
        centre = Point(*to_rd.transform(lon, lat))
        if not area.contains(centre):  # as the BAG sample does: moved just inside the boundary
            centre = shapely.ops.nearest_points(area.buffer(-300), centre)[0]
        radius = math.sqrt(dwellings * 420 / math.pi)
        d = centroids.distance(centre)
        edge = float(np.percentile(d[d < radius], 98)) if (d < radius).sum() > 10 else radius / 2
        villages.append(Village(name, centre, radius, edge, dwellings))
    return villages


class _Addresses:
    """The address of a pand (its first verblijfsobject) or of the nearest verblijfsobject to a point."""

    def __init__(self, vbo: gpd.GeoDataFrame):
        self.vbo = vbo.reset_index(drop=True)
        self.by_pand = self.vbo.drop_duplicates("pandidentificatie").set_index("pandidentificatie")

    def of_pand(self, pand_id: str, geometry) -> str:
        return _format(self.by_pand.loc[pand_id]) if pand_id in self.by_pand.index else self.near(geometry.centroid)

    def near(self, point: Point, street_only: bool = False) -> str:
        row = self.vbo.iloc[int(self.vbo.sindex.nearest(point)[1][0])]
        return f"{row['openbare_ruimte_naam']}, {row['woonplaats_naam']}" if street_only else _format(row)


def _format(vbo_row) -> str:
    return f"{vbo_row['openbare_ruimte_naam']} {int(vbo_row['huisnummer'])}, {vbo_row['woonplaats_naam']}"


def _core_sites(rng, villages, pand, addresses, special_sites) -> list[Site]:
    """Pre-war panden near each centre; one location per ~220 dwellings, activities weighted by CORE."""
    old = pand[(pand["bouwjaar"] < PRE_WAR) & pand["gebruiksdoel"].notna()]
    centroids = old.geometry.centroid
    sites = []
    for v in villages:
        near = old[(centroids.distance(v.centre) < 0.5 * v.edge).to_numpy()]
        n = min(len(near), max(2, round(v.dwellings / 220)))
        for pand_id, geom in _pick(rng, near, n):
            activity = _weighted(rng, CORE)
            elongation = rng.uniform(3, 6) if activity == "demping" else 1.0
            sites.append(Site(activity, geom.centroid, addresses.of_pand(pand_id, geom), True, elongation))
    for village, activity, ring in special_sites:
        sites += _special_site(rng, villages, old, addresses, village, activity, ring)
    return sites


def _special_site(rng, villages, old, addresses, village_name, activity, ring) -> list[Site]:
    """One site of a kind found in one village only, on a pre-war pand in a ring around its centre."""
    village = next((v for v in villages if v.name == village_name), None)
    if village is None:
        return []
    d = old.geometry.centroid.distance(village.centre) / village.edge
    candidates = old[((d >= ring[0]) & (d <= ring[1])).to_numpy()]
    return [Site(activity, g.centroid, addresses.of_pand(p, g)) for p, g in _pick(rng, candidates, 1)]


def _edge_sites(rng, villages, area, addresses) -> list[Site]:
    """Petrol stations on the approach roads at the village edge; filled-in ditches just outside."""
    inner = area.buffer(-30)
    sites = []
    for v in villages:
        count = 4 if v.dwellings > 5000 else 2 if v.dwellings > 1000 else 1
        for point in _ring_points(rng, v, inner, count, (1.0, 1.2)):
            sites.append(Site("benzineservicestation", point, addresses.near(point), bool(rng.random() < 0.5)))
        if rng.random() < 0.3:
            for point in _ring_points(rng, v, inner, 1, (1.1, 1.5)):
                sites.append(Site("demping", point, addresses.near(point, street_only=True), True,
                                  rng.uniform(4, 8)))
    return sites


def _ring_points(rng, village, inner, count, ring) -> list[Point]:
    points = []
    for _ in range(count * 20):
        a, r = rng.uniform(0, 2 * math.pi), village.edge * rng.uniform(*ring)
        p = Point(village.centre.x + r * math.cos(a), village.centre.y + r * math.sin(a))
        if inner.contains(p) and all(p.distance(q) > 150 for q in points):
            points.append(p)
        if len(points) == count:
            break
    return points


def _business_sites(rng, pand, addresses) -> list[Site]:
    """About three in four industrial panden hold a location."""
    industry = pand[pand["gebruiksdoel"].fillna("").str.contains("industriefunctie")]
    chosen = _pick(rng, industry, round(0.75 * len(industry)))
    return [Site(_weighted(rng, BUSINESS), g.centroid, addresses.of_pand(p, g), bool(rng.random() < 0.4))
            for p, g in chosen]


def _farm_sites(rng, villages, pand, addresses) -> list[Site]:
    """About one farm in eleven: farmhouses are the dwellings away from every village."""
    houses = pand[pand["gebruiksdoel"].fillna("").str.contains("woonfunctie")]
    centroids = houses.geometry.centroid
    rural = np.ones(len(houses), dtype=bool)
    for v in villages:
        rural &= (centroids.distance(v.centre) > v.radius + 200).to_numpy()
    chosen = _pick(rng, houses[rural], round(rural.sum() / 11))
    return [Site(_weighted(rng, FARM), _offset(rng, g.centroid, 20), addresses.of_pand(p, g)) for p, g in chosen]


def _landfill_sites(rng, villages, area, pand, addresses, natura2000, count: int = 4) -> list[Site]:
    """Old municipal dumps in open land: 150 m from any building, 500 m beyond the villages."""
    open_land = area.buffer(-150)
    if natura2000 is not None:
        open_land = open_land.difference(natura2000.buffer(200))
    minx, miny, maxx, maxy = open_land.bounds
    sites: list[Site] = []
    for _ in range(5000):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if _open(p, open_land, villages, pand) and all(p.distance(s.centre) > 2000 for s in sites):
            sites.append(Site("stortplaats", p, addresses.near(p, street_only=True)))
        if len(sites) == count:
            break
    return sites


def _open(p: Point, open_land, villages, pand) -> bool:
    if not open_land.contains(p) or any(p.distance(v.centre) < v.radius + 500 for v in villages):
        return False
    return float(pand.sindex.nearest(p, return_distance=True)[1][0]) > 150


def _pick(rng, gdf: gpd.GeoDataFrame, n: int) -> list[tuple[str, object]]:
    rows = rng.choice(len(gdf), size=min(n, len(gdf)), replace=False) if len(gdf) else []
    return [(gdf["identificatie"].iloc[i], gdf.geometry.iloc[i]) for i in sorted(rows)]


def _weighted(rng, weights: dict[str, int]) -> str:
    names = list(weights)
    p = np.array([weights[n] for n in names], dtype=float)
    return str(rng.choice(names, p=p / p.sum()))


def _offset(rng, point: Point, distance: float) -> Point:
    a = rng.uniform(0, 2 * math.pi)
    return Point(point.x + distance * math.cos(a), point.y + distance * math.sin(a))


# --- what each site records ------------------------------------------------------------------------

def _locatiecodes(rng, n: int, gemeentecode: str = GEMEENTECODE) -> list[str]:
    numbers = np.sort(rng.choice(np.arange(1, max(3000, 2 * n)), size=n, replace=False))
    return [f"{PROVINCIE}{gemeentecode}{k:05d}" for k in numbers]


def _records(rng, code: str, site: Site) -> list[dict]:
    """One record per contour of the location: the same attributes, a different outline."""
    location = _location(rng, code, site)
    outlines = _contours(rng, site, location["status"])
    location["vervolg"] = _vervolg(rng, location["status"])
    return [{**location, "identificatie": f"{code}-{kind}", "contourtype": kind,
             "geometry": MultiPolygon([outline])} for kind, outline in outlines.items()]


def _location(rng, code: str, site: Site) -> dict:
    activity = ACTIVITIES[site.activity]
    status = str(rng.choice(STATUS_ORDER, p=STATUS_WEIGHTS[activity.kind]))
    onderzoek = _research_date(rng)
    return {
        "locatiecode": code,
        "locatienaam": _name(activity, site),
        "status": status,
        "statusdatum": _status_date(rng, status, onderzoek).isoformat(),
        "stoffen": None if status == "onverdacht" else _stoffen(rng, activity),
        "voormalige_activiteit": site.activity,
        "gebruiksbeperking": _restriction(rng, status),
        "onderzoek_datum": onderzoek.isoformat(),
        "eigenaar_naam": None if site.activity in PUBLIC_OWNER else _owner(rng),
    }


def _name(activity: Activity, site: Site) -> str:
    if site.activity in NAMED_BY_PLACE or not site.former:
        return f"{activity.label.capitalize()} {site.address}"
    prefix = "Voormalig" if activity.article == "het" else "Voormalige"
    return f"{prefix} {activity.label} {site.address}"


def _stoffen(rng, activity: Activity) -> str:
    extra = [s for s in activity.extra.split(", ") if s and rng.random() < 1 / 3]
    return ", ".join([activity.stoffen, *extra])


def _research_date(rng) -> date:
    """Most investigations date from the Wbb programmes of the 1990s and 2000s."""
    span = (LAST_DATE - FIRST_DATE).days
    return FIRST_DATE + timedelta(days=int(rng.beta(2.0, 3.0) * span))


def _status_date(rng, status: str, onderzoek: date) -> date:
    """Beschikking within months of the investigation; evaluation of a remediation years later."""
    days = {"onverdacht": (0, 60), "verdacht": (0, 60), "gesaneerd": (365, 6 * 365),
            "nazorg": (2 * 365, 8 * 365)}.get(status, (30, 400))
    return min(LAST_DATE, onderzoek + timedelta(days=int(rng.integers(*days))))


def _vervolg(rng, status: str) -> str:
    if status == "verdacht":
        return "verkennend onderzoek" if rng.random() < 0.6 else "nader onderzoek"
    if status.startswith("ernstig"):
        return "sanering"
    return "nazorg" if status == "nazorg" else "geen"


def _restriction(rng, status: str) -> str | None:
    if status == "nazorg":
        return str(rng.choice(RESTRICTIONS["nazorg"]))
    chance = {"gesaneerd": 0.3, "ernstig, niet spoedeisend": 0.4, "ernstig, spoedeisend": 1.0}.get(status, 0.0)
    return str(rng.choice(RESTRICTIONS["rest"])) if rng.random() < chance else None


def _owner(rng) -> str:
    initials = "".join(f"{c}." for c in rng.choice(list(INITIALS), size=int(rng.integers(1, 3))))
    return f"{initials} {rng.choice(SURNAMES)}"


# --- contours -------------------------------------------------------------------------------------

def _contours(rng, site: Site, status: str) -> dict[str, Polygon]:
    """The contamination outline; inside it the remediation and aftercare outlines where status asks."""
    activity = ACTIVITIES[site.activity]
    offsets = _blob(rng, rng.uniform(*activity.area_m2), site.elongation)
    outlines = {"verontreinigingscontour": _polygon(site.centre, offsets)}
    remediated = status in ("gesaneerd", "nazorg") or (status.startswith("ernstig") and rng.random() < 0.5)
    if remediated:
        pull = rng.uniform(0.45, 0.8, len(offsets))
        outlines["saneringscontour"] = _polygon(site.centre, offsets * pull[:, None])
        if status == "nazorg":
            outlines["nazorgcontour"] = _polygon(site.centre, offsets * np.minimum(pull + 0.12, 0.95)[:, None])
    return outlines


def _blob(rng, area_m2: float, elongation: float = 1.0) -> np.ndarray:
    """Vertex offsets of an irregular polygon of ``area_m2``, star-shaped around (0, 0).

    Angles increase strictly, so the outline never crosses itself, and scaling any vertex towards
    the centre keeps the result inside.
    """
    n = int(rng.integers(10, 18))
    step = 2 * math.pi / n
    angles = np.arange(n) * step + rng.uniform(-0.35, 0.35, n) * step
    radii = 1 + 0.3 * rng.standard_normal(n)
    radii = np.clip((np.roll(radii, 1) + 2 * radii + np.roll(radii, -1)) / 4, 0.5, 1.6)
    xy = np.column_stack([radii * np.cos(angles) * elongation, radii * np.sin(angles)])
    turn = rng.uniform(0, math.pi)
    xy = xy @ np.array([[math.cos(turn), math.sin(turn)], [-math.sin(turn), math.cos(turn)]])
    return xy * math.sqrt(area_m2 / Polygon(xy).area)


def _polygon(centre: Point, offsets: np.ndarray) -> Polygon:
    return Polygon(offsets + np.array([centre.x, centre.y]))
