"""Which villages (kernen) the sample generators use for a municipality of Noord-Holland Noord.

Schagen (GM0441) has a hand-made list of its real villages (``samples.bag.VILLAGES_GM0441``: real names,
approximate centres, rounded dwelling counts, real PC4s). The other 16 municipalities of the omgevingsdienst get
generated kernen, derived from the municipality itself and seeded, so the same seed gives the same kernen:

- **Dwellings** in total: ``DWELLINGS_2022``, rounded figures of the order of CBS's housing stock
  (woningvoorraad) on 1 January 2022, entered by hand from memory and not checked against StatLine offline —
  plausible sizes for a sample, not statistics.
- **Number of kernen**: one per 24 km² of the (land) area of the municipality, at least 2 and at most 16
  (Schagen's 172 km² would give 7; Texel gets 7, Hollands Kroon 16, Den Helder and Hoorn 2).
- **Sizes**: Zipf-like shares ``1 / rank^1.1`` of the dwellings (the main kern is the largest), at least 150
  dwellings, rounded to 50; each kern is a disc of 420 m² per dwelling, as for Schagen.
- **Centres**: seeded random points inside the municipality and outside Natura 2000; the main kern takes the
  candidate with the most room to the boundary, the others the first candidate clear of every kern placed
  before (500 m between the discs) with room for most of their disc. An island municipality (Texel) is one
  multipolygon: kernen may fall on any of its parts.
- **Names**: the main kern carries the municipality's name (``Bergen (NH.)`` → ``Bergen``), the others the name
  plus the compass direction from the main kern (``Texel-Noordwest``; a second one in the same direction
  ``Texel-Noordwest 2``). They are not the real woonplaatsen.
- **Postcodes**: one PC4 per kern, drawn (seeded) from 1700–1899 (the range of Noord-Holland Noord) minus
  Schagen's; generated, so they are not the real postcodes of those places and two municipalities may share one.
- **Farms**: 420 for Schagen; elsewhere 420 × area / Schagen's area (Den Helder 116, Hollands Kroon 913).
"""

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point

from geo.core.crs import RD_NEW, transformer
from samples.bag import VILLAGES_GM0441

SCHAGEN = "GM0441"
SCHAGEN_KM2 = 172.098  # area of GM0441 in the CBS 2022 generalised boundaries
SCHAGEN_FARMS = 420
KM2_PER_KERN, MIN_KERNEN, MAX_KERNEN = 24.0, 2, 16
M2_PER_DWELLING = 420.0  # as samples.bag sizes a village disc
MIN_DWELLINGS, GAP_M, CANDIDATES = 150, 500.0, 300
PC4_RANGE = range(1700, 1900)

# Approximate housing stock 1 January 2022 (CBS order of magnitude, by hand; see the module docstring).
DWELLINGS_2022 = {
    "GM0361": 50_000,  # Alkmaar
    "GM0373": 14_500,  # Bergen (NH.)
    "GM0383": 16_000,  # Castricum
    "GM0388": 8_500,   # Enkhuizen
    "GM0399": 10_000,  # Heiloo
    "GM0400": 27_000,  # Den Helder
    "GM0405": 32_000,  # Hoorn
    "GM0420": 19_500,  # Medemblik
    "GM0432": 5_000,   # Opmeer
    "GM0441": 23_100,  # Schagen: the sum of VILLAGES_GM0441
    "GM0448": 7_000,   # Texel
    "GM0450": 5_700,   # Uitgeest
    "GM0498": 8_000,   # Drechterland
    "GM0532": 9_500,   # Stede Broec
    "GM1598": 9_000,   # Koggenland
    "GM1911": 21_500,  # Hollands Kroon
    "GM1980": 38_000,  # Dijk en Waard
}
DIRECTIONS = ["Oost", "Noordoost", "Noord", "Noordwest", "West", "Zuidwest", "Zuid", "Zuidoost"]


@dataclass(frozen=True)
class SampleGemeente:
    """What the generators need to know about a municipality: code, name, kernen and number of farms.

    ``villages`` rows are ``(name, lat, lon, dwellings, pc4)`` as in ``VILLAGES_GM0441``; ``special_sites``
    are ``(village, activity, ring)`` for ``samples.bodem`` (a former gasfabriek, a shipyard).
    """

    code: str
    naam: str
    villages: list[tuple[str, float, float, int, str]]
    farms: int
    special_sites: tuple[tuple[str, str, tuple[float, float]], ...]

    @property
    def number(self) -> str:
        """The four digits of the gemeentecode (``"0441"``), as BAG identifiers and locatiecodes carry them."""
        return self.code[2:]


def default_seed(gemeente: str) -> int:
    """The seed of a municipality when none is given: the number of its code (GM0441 → 441)."""
    return int(gemeente[2:])


def sample_gemeente(code: str, naam: str, area, natura2000=None, seed: int | None = None) -> SampleGemeente:
    """The kernen of municipality ``code`` (``area``: its shapely (multi)polygon in RD New)."""
    if code == SCHAGEN:
        return SampleGemeente(code, naam, VILLAGES_GM0441, SCHAGEN_FARMS,
                              (("Schagen", "gasfabriek", (0.4, 0.8)), ("Kolhorn", "scheepswerf", (0.6, 1.0))))
    if code not in DWELLINGS_2022:
        raise KeyError(code)
    rng = np.random.default_rng((default_seed(code) if seed is None else seed) + 11)
    villages = generated_villages(_base_name(naam), area, natura2000, DWELLINGS_2022[code], rng)
    farms = round(SCHAGEN_FARMS * area.area / 1e6 / SCHAGEN_KM2)
    return SampleGemeente(code, naam, villages, farms, ((villages[0][0], "gasfabriek", (0.4, 0.8)),))


def generated_villages(name: str, area, natura2000, dwellings: int, rng) -> list[tuple]:
    """Seeded kernen ``(name, lat, lon, dwellings, pc4)`` inside ``area`` and outside ``natura2000``."""
    land = area if natura2000 is None else area.difference(natura2000.buffer(25))
    sizes = _sizes(dwellings, _count(area))
    radii = [math.sqrt(s * M2_PER_DWELLING / math.pi) for s in sizes]
    centres: list[Point] = []
    for radius in radii:
        centres.append(_place(rng, land, radius, centres, radii))
    names = _names(name, centres)
    pc4s = rng.choice([pc for pc in PC4_RANGE if str(pc) not in {v[4] for v in VILLAGES_GM0441}],
                      size=len(sizes), replace=False)
    to_wgs = transformer(RD_NEW, "EPSG:4326")
    rows = []
    for kern, centre, size, pc4 in zip(names, centres, sizes, pc4s):
        lon, lat = to_wgs.transform(centre.x, centre.y)
        rows.append((kern, round(lat, 5), round(lon, 5), size, str(pc4)))
    return rows


def _base_name(naam: str) -> str:
    return naam.split(" (")[0]


def _count(area) -> int:
    return int(np.clip(round(area.area / 1e6 / KM2_PER_KERN), MIN_KERNEN, MAX_KERNEN))


def _sizes(dwellings: int, n: int) -> list[int]:
    shares = 1 / np.arange(1, n + 1) ** 1.1
    shares /= shares.sum()
    return [max(MIN_DWELLINGS, int(round(dwellings * s / 50)) * 50) for s in shares]


def _place(rng, land, radius: float, centres: list[Point], radii: list[float]) -> Point:
    """The main kern: the candidate with most room; the others: the first clear of the kernen before them."""
    core = land.buffer(-min(300.0, radius / 2))
    core = core if not core.is_empty else land
    points = _candidates(rng, core)
    room = np.array([min(land.boundary.distance(p), radius) for p in points])
    if not centres:
        return points[int(np.argmax(room))]
    gap = np.array([min(p.distance(c) - radius - radii[j] for j, c in enumerate(centres)) for p in points])
    fits = np.flatnonzero((gap >= GAP_M) & (room >= 0.6 * radius))
    if len(fits):
        return points[int(fits[0])]
    return points[int(np.argmax(np.minimum(gap, room)))]  # crowded: the least crowded candidate


def _candidates(rng, polygon) -> list[Point]:
    shapely.prepare(polygon)
    minx, miny, maxx, maxy = polygon.bounds
    points: list[Point] = []
    while len(points) < CANDIDATES:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(CANDIDATES * 4, 2))
        inside = shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])
        points += [Point(x, y) for x, y in xy[inside]]
    return points[:CANDIDATES]


def _names(name: str, centres: list[Point]) -> list[str]:
    names, seen = [name], {name}
    main = centres[0]
    for c in centres[1:]:
        angle = math.degrees(math.atan2(c.y - main.y, c.x - main.x)) % 360
        label = f"{name}-{DIRECTIONS[int(((angle + 22.5) % 360) // 45)]}"
        k, candidate = 2, label
        while candidate in seen:
            candidate, k = f"{label} {k}", k + 1
        names.append(candidate)
        seen.add(candidate)
    return names
