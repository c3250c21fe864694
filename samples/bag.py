"""Generated BAG for a municipality without an offline BAG extract (default: Schagen, GM0441; any of NHN's 17).

Writes a GeoPackage shaped like PDOK's BAG (layers ``pand`` and ``verblijfsobject`` with the
``bag:pand``/``bag:verblijfsobject`` attribute names and BAG 2.0 code lists), so the same reader that
takes a real PDOK BAG GeoPackage takes this one. Seeded: the same seed gives the same file.

How it is placed: each village (real name and approximate centre) gets a rotated street grid of house
lots inside a disc sized to its number of dwellings; building age falls with distance from the old core;
the core holds shops, a church, a school and some flats; each village edge a small business park. Farms
(farmhouse plus barns) are scattered over the countryside, away from villages and outside Natura 2000.

Schagen's villages are ``VILLAGES_GM0441`` (real names, approximate centres, rounded dwelling counts, real
PC4s). For the other municipalities of Noord-Holland Noord the villages are generated from the municipality
itself (seeded kernen named after it, generated PC4s 1700–1899; see ``samples.kernen``) and placed the
same way; identifiers then carry that municipality's code.
"""

import math
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity
from shapely.geometry import Point, box

from geo.core.crs import RD_NEW, transformer

GEMEENTECODE = "0441"

# name, lat, lon, dwellings, postcode (4 digits) — approximate centres, rounded dwelling counts.
VILLAGES_GM0441 = [
    ("Schagen", 52.7870, 4.8000, 9000, "1741"),
    ("Warmenhuizen", 52.7236, 4.7400, 2000, "1749"),
    ("Tuitjenhorn", 52.7367, 4.7636, 1200, "1747"),
    ("Schagerbrug", 52.8058, 4.7636, 900, "1751"),
    ("Callantsoog", 52.8392, 4.6990, 900, "1759"),
    ("Petten", 52.7661, 4.6640, 800, "1755"),
    ("Waarland", 52.7275, 4.8347, 1100, "1738"),
    ("Dirkshorn", 52.7497, 4.7769, 750, "1746"),
    ("Nieuwe Niedorp", 52.7400, 4.8931, 1400, "1733"),
    ("Winkel", 52.7550, 4.9006, 1500, "1731"),
    ("Oude Niedorp", 52.7181, 4.8700, 450, "1734"),
    ("'t Zand", 52.8358, 4.7533, 800, "1756"),
    ("Sint Maartensvlotbrug", 52.8040, 4.6900, 350, "1753"),
    ("Burgerbrug", 52.7531, 4.6967, 350, "1754"),
    ("Sint Maarten", 52.7720, 4.7380, 400, "1744"),
    ("Oudesluis", 52.8336, 4.8061, 250, "1757"),
    ("Barsingerhorn", 52.7875, 4.8611, 300, "1768"),
    ("Kolhorn", 52.8050, 4.8983, 300, "1766"),
    ("'t Veld", 52.7300, 4.8180, 350, "1736"),
]

STREETS = ["Dorpsstraat", "Kerkstraat", "Molenweg", "Schoolstraat", "Laan", "Burgemeester Lovinkstraat",
           "Hoep", "Loet", "Nes", "Noord", "Zuid", "Westerweg", "Oosterweg", "Tuinstraat", "Esdoornlaan",
           "Lindelaan", "Populierenlaan", "Tulpstraat", "Narcislaan", "Hyacintenstraat", "Sportlaan",
           "Parklaan", "Stationsweg", "Havenstraat", "Dijkweg", "Kanaalweg", "Polderweg", "Zandvaart",
           "Jan Verfailleweg", "Marktplein", "Regentesselaan", "Torenstraat", "Brugstraat", "Vaart",
           "Smidsweg", "Weidelaan", "Akkerlaan", "Bloemenlaan", "Eikenlaan", "Berkenlaan"]
RURAL_STREETS = ["Belkmerweg", "Korte Belkmerweg", "Lange Snoek", "Keinsmerweg", "Grote Sloot",
                 "Hargerweg", "Westfriesedijk", "Oudevaartsdijk", "Bosweg", "Zijpedijk", "Kerkweg",
                 "Terpweg", "Valkkoogerweg", "Veluweweg", "Schagerweg", "Noorderweg", "Zuiderweg"]

PAND_IN_GEBRUIK = "Pand in gebruik"
VBO_IN_GEBRUIK = "Verblijfsobject in gebruik"


@dataclass
class _Sequence:
    """Object numbers per BAG object type: 4-digit gemeentecode + 2-digit type + 10-digit number."""
    type_code: str
    next: int = 1
    gemeentecode: str = GEMEENTECODE

    def take(self) -> str:
        value = f"{self.gemeentecode}{self.type_code}{self.next:010d}"
        self.next += 1
        return value


def generate_bag(gemeentegebied, natura2000=None, seed: int = 441, villages=None, gemeentecode: str = GEMEENTECODE,
                 farms: int = 420) -> dict[str, gpd.GeoDataFrame]:
    """Pand and verblijfsobject frames for the area ``gemeentegebied`` (a shapely polygon in RD New).

    ``villages``: rows ``(name, lat, lon, dwellings, pc4)``, by default ``VILLAGES_GM0441``;
    ``gemeentecode``: the four digits in the identifiers; ``farms``: how many farms in the countryside.
    """
    rng = np.random.default_rng(seed)
    villages = VILLAGES_GM0441 if villages is None else villages
    ids = {"pand": _Sequence("10", gemeentecode=gemeentecode), "vbo": _Sequence("01", gemeentecode=gemeentecode)}
    panden, vbos = [], []
    village_discs, centres = [], []
    land = gemeentegebied if natura2000 is None else gemeentegebied.difference(natura2000.buffer(25))
    shapely.prepare(land)
    for name, lat, lon, dwellings, pc4 in villages:
        x, y = transformer("EPSG:4326", RD_NEW).transform(lon, lat)
        centre = _inside(Point(x, y), gemeentegebied)
        radius = math.sqrt(dwellings * 420 / math.pi)
        village_discs.append(centre.buffer(radius + 150))
        centres.append((centre, name, pc4))
        p, v = _village(rng, ids, name, centre, radius, dwellings, pc4, land)
        panden += p
        vbos += v
    blocked = shapely.union_all(village_discs + ([natura2000] if natura2000 is not None else []))
    p, v = _farms(rng, ids, gemeentegebied, blocked, centres, n=farms)
    panden += p
    vbos += v
    pand = gpd.GeoDataFrame(panden, geometry="geometry", crs=RD_NEW)
    vbo = gpd.GeoDataFrame(vbos, geometry="geometry", crs=RD_NEW)
    return {"pand": _pand_summary(pand, vbo), "verblijfsobject": vbo}


def write_bag(frames: dict[str, gpd.GeoDataFrame], path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    for name, gdf in frames.items():
        gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
    tmp.replace(path)
    return path


def _inside(point: Point, area) -> Point:
    return point if area.contains(point) else shapely.ops.nearest_points(area.buffer(-300), point)[0]


def _village(rng, ids, name, centre, radius, dwellings, pc4, area):
    """Rotated street grid of lots; houses on lots, a core of shops and services, flats and a business park."""
    angle = rng.uniform(0, 90)
    lot_w, row_h = 11.0, 26.0
    n = int(radius / lot_w) + 2
    gx, gy = np.meshgrid(np.arange(-n, n + 1) * lot_w, np.arange(-n, n + 1) * row_h / 2.2)
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    pts = pts[np.hypot(pts[:, 0], pts[:, 1]) <= radius]
    order = np.argsort(np.hypot(pts[:, 0], pts[:, 1]))
    pts = pts[order][:dwellings]
    panden, vbos = [], []
    streets = _street_namer(rng, pc4)
    rot = math.radians(angle)
    for k, (dx, dy) in enumerate(pts):
        x = centre.x + dx * math.cos(rot) - dy * math.sin(rot)
        y = centre.y + dx * math.sin(rot) + dy * math.cos(rot)
        if not area.contains(Point(x, y)):
            continue
        dist = math.hypot(dx, dy) / max(radius, 1)
        row = int(round(dy / (row_h / 2.2)))
        kind = _lot_kind(rng, dist, k)
        p, v = _building(rng, ids, kind, x, y, angle, dist, streets(row), name)
        panden.append(p)
        vbos += v
    for j in range(max(2, dwellings // 600)):  # business park on the village edge
        a = rng.uniform(0, 2 * math.pi)
        x, y = centre.x + (radius + 90 + 60 * j) * math.cos(a), centre.y + (radius + 90 + 60 * j) * math.sin(a)
        if area.contains(Point(x, y)):
            p, v = _building(rng, ids, "bedrijf", x, y, angle, 1.0, streets(999), name)
            panden.append(p)
            vbos += v
    return panden, vbos


def _lot_kind(rng, dist: float, k: int) -> str:
    if dist < 0.15:
        return rng.choice(["winkel", "winkel", "woning", "woning", "woning", "kantoor", "bijeenkomst",
                           "gezondheidszorg"] + (["flat"] if rng.random() < 0.3 else []))
    if k % 97 == 5:
        return "onderwijs"
    if k % 131 == 7:
        return "sport"
    if dist < 0.5 and rng.random() < 0.008:
        return "flat"
    return "woning"


BUILDINGS = {
    # kind: (width, depth, gebruiksdoel, vbo count range, vbo area range)
    "woning": ((6, 9), (8, 12), "woonfunctie", (1, 1), (70, 180)),
    "flat": ((14, 20), (18, 40), "woonfunctie", (8, 30), (50, 110)),
    "winkel": ((7, 14), (12, 25), "winkelfunctie", (1, 2), (60, 400)),
    "kantoor": ((10, 18), (12, 20), "kantoorfunctie", (1, 3), (80, 600)),
    "bijeenkomst": ((14, 22), (20, 32), "bijeenkomstfunctie", (1, 1), (300, 900)),
    "gezondheidszorg": ((16, 30), (20, 40), "gezondheidszorgfunctie", (1, 1), (400, 2500)),
    "onderwijs": ((20, 40), (25, 45), "onderwijsfunctie", (1, 1), (800, 3000)),
    "sport": ((25, 40), (30, 50), "sportfunctie", (1, 1), (600, 2000)),
    "bedrijf": ((20, 45), (30, 70), "industriefunctie", (1, 2), (300, 3000)),
}


def _building(rng, ids, kind, x, y, angle, dist, street, woonplaats):
    (w0, w1), (d0, d1), doel, (n0, n1), (a0, a1) = BUILDINGS[kind]
    w, d = rng.uniform(w0, w1), rng.uniform(d0, d1)
    footprint = affinity.rotate(box(x - w / 2, y - d / 2, x + w / 2, y + d / 2), angle, origin=(x, y))
    bouwjaar = _bouwjaar(rng, dist)
    status = _pand_status(rng, bouwjaar)
    pand = {"identificatie": ids["pand"].take(), "bouwjaar": bouwjaar, "status": status, "geometry": footprint}
    count = int(rng.integers(n0, n1 + 1))
    nummer, postcode = street["next"]()
    vbos = []
    for i in range(count):
        inner = affinity.scale(footprint, 0.6, 0.6)
        px, py = _random_point_in(rng, inner)
        vbos.append({
            "identificatie": ids["vbo"].take(),
            "oppervlakte": int(rng.uniform(a0, a1)),
            "status": _vbo_status(status),
            "gebruiksdoel": doel,
            "openbare_ruimte_naam": street["name"],
            "huisnummer": nummer,
            "huisletter": None,
            "toevoeging": str(i + 1) if count > 1 else None,
            "postcode": postcode,
            "woonplaats_naam": woonplaats,
            "bouwjaar": bouwjaar,
            "pandidentificatie": pand["identificatie"],
            "pandstatus": status,
            "geometry": Point(px, py),
        })
    return pand, vbos


def _random_point_in(rng, polygon):
    minx, miny, maxx, maxy = polygon.bounds
    for _ in range(50):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if polygon.contains(Point(x, y)):
            return x, y
    c = polygon.representative_point()
    return c.x, c.y


def _bouwjaar(rng, dist: float) -> int:
    """Old cores, post-war rings, recent edges; a few buildings under construction."""
    if rng.random() < 0.01:
        return 2026
    base = 1880 + dist * 130
    return int(min(2025, max(1650, rng.normal(base, 18))))


def _pand_status(rng, bouwjaar: int) -> str:
    if bouwjaar >= 2026:
        return rng.choice(["Bouwvergunning verleend", "Bouw gestart"])
    r = rng.random()
    if r < 0.01:
        return "Pand in gebruik (niet ingemeten)"
    if r < 0.015:
        return "Verbouwing pand"
    return PAND_IN_GEBRUIK


def _vbo_status(pand_status: str) -> str:
    return {"Bouwvergunning verleend": "Verblijfsobject gevormd", "Bouw gestart": "Verblijfsobject gevormd",
            "Pand in gebruik (niet ingemeten)": "Verblijfsobject in gebruik (niet ingemeten)",
            "Verbouwing pand": "Verbouwing verblijfsobject"}.get(pand_status, VBO_IN_GEBRUIK)


def _street_namer(rng, pc4: str):
    """One street per grid row; house numbers count up along it; postcode letters per 25 numbers."""
    names = list(rng.permutation(STREETS))
    streets: dict[int, dict] = {}
    letters = iter(_postcode_letters(rng))

    def street(row: int) -> dict:
        if row not in streets:
            state = {"name": names[len(streets) % len(names)] if row != 999 else "Industrieweg", "n": 0,
                     "pc": None}

            def next_number(state=state):
                state["n"] += 1
                if state["pc"] is None or state["n"] % 25 == 1:
                    state["pc"] = pc4 + next(letters)
                return state["n"], state["pc"]

            state["next"] = next_number
            streets[row] = state
        return streets[row]

    return street


def _postcode_letters(rng):
    alphabet = "ABCDEGHJKLMNPRTVWXZ"  # PostNL skips F, I, O, Q, U, Y
    pairs = [a + b for a in alphabet for b in alphabet if a + b not in ("SA", "SD", "SS")]
    while True:
        yield from pairs


def _farms(rng, ids, area, blocked, centres, n: int):
    """Farmhouse with address plus one to three barns, on open land away from villages and nature."""
    rural = area.difference(blocked).buffer(-40)
    panden, vbos = [], []
    if rural.is_empty:
        return panden, vbos
    minx, miny, maxx, maxy = rural.bounds
    prepared = shapely.prepared.prep(rural)
    placed, tries = 0, 0
    while placed < n and tries < 10_000 * n:  # a municipality without open land gets fewer farms, not a hang
        tries += 1
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not prepared.contains(Point(x, y)):
            continue
        placed += 1
        street = {"name": RURAL_STREETS[placed % len(RURAL_STREETS)], "n": placed}
        _, woonplaats, pc4 = min(centres, key=lambda c: c[0].distance(Point(x, y)))
        postcode = pc4 + "X" + "ABCDEGHJKLMNPRTVWXZ"[placed % 19]
        angle = rng.uniform(0, 90)
        bouwjaar = int(rng.uniform(1880, 1995))
        house = affinity.rotate(box(x - 6, y - 7, x + 6, y + 7), angle, origin=(x, y))
        pand_id = ids["pand"].take()
        panden.append({"identificatie": pand_id, "bouwjaar": bouwjaar, "status": PAND_IN_GEBRUIK,
                       "geometry": house})
        vbos.append({"identificatie": ids["vbo"].take(), "oppervlakte": int(rng.uniform(120, 260)),
                     "status": VBO_IN_GEBRUIK, "gebruiksdoel": "woonfunctie",
                     "openbare_ruimte_naam": street["name"], "huisnummer": int(rng.integers(1, 300)),
                     "huisletter": None, "toevoeging": None, "postcode": postcode, "woonplaats_naam": woonplaats,
                     "bouwjaar": bouwjaar, "pandidentificatie": pand_id, "pandstatus": PAND_IN_GEBRUIK,
                     "geometry": house.centroid})
        for b in range(int(rng.integers(1, 4))):
            bx, by = x + 25 + 35 * b, y + rng.uniform(-20, 20)
            barn = affinity.rotate(box(bx - 12, by - 30, bx + 12, by + 30), angle, origin=(x, y))
            panden.append({"identificatie": ids["pand"].take(), "bouwjaar": int(rng.uniform(1960, 2022)),
                           "status": PAND_IN_GEBRUIK, "geometry": barn})
    return panden, vbos


def _pand_summary(pand: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The ``bag:pand`` view: gebruiksdoel, area range and count of the verblijfsobjecten in each pand."""
    g = vbo.groupby("pandidentificatie")
    summary = pd.DataFrame({
        "gebruiksdoel": g["gebruiksdoel"].agg(lambda d: ",".join(sorted(set(d)))),
        "oppervlakte_min": g["oppervlakte"].min(),
        "oppervlakte_max": g["oppervlakte"].max(),
        "aantal_verblijfsobjecten": g.size(),
    })
    pand = pand.merge(summary, how="left", left_on="identificatie", right_index=True)
    pand["aantal_verblijfsobjecten"] = pand["aantal_verblijfsobjecten"].fillna(0).astype(int)
    pand["rdf_seealso"] = "https://bag.basisregistraties.overheid.nl/bag/id/pand/" + pand["identificatie"]
    vbo["rdf_seealso"] = "https://bag.basisregistraties.overheid.nl/bag/id/verblijfsobject/" + vbo["identificatie"]
    return pand
