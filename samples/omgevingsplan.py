"""Generated omgevingsplan for a municipality without an open IMOW delivery (default: Schagen, GM0441).

For the other municipalities of Noord-Holland Noord the same rules run on their (generated) BAG sample, with
``gemeentecode`` in the identifiers and without rules 1 and 2 (the canal and road routes are Schagen's only:
``waterways`` and ``roads`` default to them and are empty elsewhere).

Writes Gebiedsaanwijzingen shaped like IMOW (the information model of the omgevingsplan): areas of type
``functie`` that partition the whole municipality, every square metre in exactly one function, and a few
areas of type ``milieuzone`` on top of them (zones overlap functions, as they do in a real plan). The
functions are derived from the BAG (panden and verblijfsobjecten) and Natura 2000, so they fit the sample
BAG of ``samples.bag``; a real BAG works as well. Seeded: the same inputs and seed give the same frame.

How it is placed, in priority order — each rule takes only what the rules before it left, so functions never
overlap, and what no rule claims becomes agrarisch, so they leave no gaps:

1. water: the Noordhollandsch Kanaal, a 50 m strip along approximate waypoints through the Zijpe in the west
   of the municipality (Zijpersluis, Burgervlotbrug, Sint Maartensvlotbrug, De Stolpen, on to Den Helder).
2. verkeer: the provincial roads N9 (beside the canal), N245 (from the south to Schagen), N241 (east from
   Schagen) and N248 (north from Schagen), 30 m strips along approximate waypoints.
3. centrum: per village with at least 6 shops (verblijfsobjecten with winkelfunctie), the densest cluster of
   shops with 40 m around each.
4. maatschappelijk: panden with onderwijs-, gezondheidszorg- or bijeenkomstfunctie with 10 m of grounds.
5. recreatie: panden with sportfunctie with 15 m around them; then holiday parks
   (verblijfsrecreatie): 4 rotated rectangles of 8-20 ha placed at random (the seed) within 1.5 km of the
   coastal Natura 2000 areas, clear of villages, nature, water and roads.
6. bedrijventerrein: panden with industriefunctie with 50 m of yard, closed into one park per village.
7. wonen: the village areas: panden buffered 35 m (then shrunk 20 m) wherever a cluster holds at least 40
   panden, with holes under 2 ha filled; named after the woonplaats of its verblijfsobjecten. A cluster that
   holds several woonplaatsen (the sample BAG puts Winkel against Waarland) is cut along the Voronoi cells
   of their addresses.
8. natuur: the Natura 2000 areas inside the municipality, and the dunes: the strip of up to 500 m between
   those areas and the coast (the west-facing edge of the municipality).
9. agrarisch: the rest, farmland with its farms.

Leftovers under 100 m² are left to agrarisch; polygon parts under 10 m² join the neighbour they share most
border with. Milieuzones: a ``geluidzone`` of 250 m around each bedrijventerrein (``Geluidzone industrie -
<village>``). Areas outside the villages are named after the village whose area is nearest.
"""

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from geo.core.crs import RD_NEW, transformer

GEMEENTECODE = "gm0441"
PLAN_IDENTIFICATIE = f"/akn/nl/act/{GEMEENTECODE}/2024/omgevingsplan"  # AKN work id of the regeling


def plan_identificatie(gemeentecode: str = GEMEENTECODE) -> str:
    """The AKN work id of the municipality's omgevingsplan (``gemeentecode`` like ``gm0441``)."""
    return f"/akn/nl/act/{gemeentecode}/2024/omgevingsplan"
LAYER = "gebiedsaanwijzing"

# name, width (m), waypoints (lat, lon) — approximate routes.
WATERWAYS = [
    ("Noordhollandsch Kanaal", 50, [(52.690, 4.714), (52.7155, 4.7044), (52.7555, 4.6920), (52.7966, 4.6960),
                                    (52.8317, 4.7126), (52.880, 4.735)]),
]
ROADS = [
    ("N9", 30, [(52.690, 4.725), (52.7155, 4.716), (52.7555, 4.703), (52.7966, 4.707), (52.8317, 4.724),
                (52.880, 4.746)]),
    ("N245", 30, [(52.690, 4.785), (52.740, 4.788), (52.777, 4.797)]),
    ("N241", 30, [(52.785, 4.817), (52.780, 4.850)]),
    ("N248", 30, [(52.797, 4.798), (52.820, 4.790), (52.850, 4.775), (52.880, 4.760)]),
]

VILLAGE_BUFFER_M, VILLAGE_SHRINK_M, MIN_VILLAGE_PANDEN, FILL_HOLES_M2 = 35.0, 20.0, 40, 20_000.0
CENTRUM_BUFFER_M, MIN_SHOPS = 40.0, 6
MAATSCHAPPELIJK_BUFFER_M = 10.0
SPORT_BUFFER_M = 15.0
BEDRIJF_BUFFER_M = 50.0
HOLIDAY_PARKS, HOLIDAY_PARK_BAND_M = 4, 1500.0
DUNE_WIDTH_M = 500.0
GELUIDZONE_M = 250.0
MIN_AREA_M2 = 100.0  # a rule's leftover smaller than this is not a feature of its own (stays agrarisch)
SLIVER_M2 = 10.0  # polygon parts smaller than this join their widest neighbour

MAATSCHAPPELIJK_DOELEN = ("onderwijsfunctie", "gezondheidszorgfunctie", "bijeenkomstfunctie")

# Functions in the order the regels number them (articles 1 and 2 are Begrippen and Wijze van meten).
ARTIKELEN = {groep: str(3 + i) for i, groep in enumerate(
    ["agrarisch", "bedrijventerrein", "centrum", "maatschappelijk", "natuur", "recreatie", "verkeer", "water",
     "wonen", "geluidzone"])}


def generate_omgevingsplan(
    gemeentegebied: shapely.Geometry,
    pand: gpd.GeoDataFrame,
    verblijfsobject: gpd.GeoDataFrame,
    natura2000: gpd.GeoDataFrame,
    seed: int = 441,
    gemeentecode: str = GEMEENTECODE,
    waterways=WATERWAYS,
    roads=ROADS,
) -> gpd.GeoDataFrame:
    """Functies covering ``gemeentegebied`` (RD New) without gaps or overlaps, plus milieuzones.

    ``pand`` needs ``gebruiksdoel`` (BAG codes, comma-separated); ``verblijfsobject`` needs ``gebruiksdoel``
    and ``woonplaats_naam``; ``natura2000`` needs ``naam``. Columns of the result: identificatie, naam, type,
    groep, artikelnummer, bron, plan_identificatie, geometry (MultiPolygon). ``gemeentecode`` (``gm0441``)
    goes into the identifiers; ``waterways`` and ``roads`` are ``(name, width_m, [(lat, lon), ...])`` routes.
    """
    rng = np.random.default_rng(seed)
    villages = _villages(pand, verblijfsobject)
    nature = _nature(gemeentegebied, natura2000)
    lines = _lines(waterways, "water", "Water") + _lines(roads, "verkeer", "Verkeer")
    parks = _holiday_parks(gemeentegebied, villages, nature, lines, rng)
    candidates = (lines + _centra(verblijfsobject, villages) + _village_functions(pand, villages, parks)
                  + [_area("wonen", f"Wonen - {name}", geom) for name, geom in villages] + nature)
    functies = _merge_slivers(_partition(candidates, gemeentegebied))
    zones = _geluidzones(functies, gemeentegebied)
    return _frame(functies + zones, gemeentecode)


def write_omgevingsplan(gdf: gpd.GeoDataFrame, path: Path | str) -> Path:
    """Write the GeoPackage layer ``gebiedsaanwijzing``; atomic: a temporary file replaces ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    gdf.to_file(tmp, layer=LAYER, driver="GPKG", engine="pyogrio")
    tmp.replace(path)
    return path


def _area(groep: str, naam: str, geometry, type_: str = "functie") -> dict:
    return {"type": type_, "groep": groep, "naam": naam, "geometry": geometry}


def _lines(routes, groep: str, label: str) -> list[dict]:
    """Strips of ``width`` metres along each route's waypoints."""
    to_rd = transformer("EPSG:4326", RD_NEW)
    areas = []
    for name, width, waypoints in routes:
        line = LineString([to_rd.transform(lon, lat) for lat, lon in waypoints])
        areas.append(_area(groep, f"{label} - {name}", line.buffer(width / 2, cap_style="flat")))
    return areas


def _villages(pand: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame) -> list[tuple[str, Polygon]]:
    """(woonplaats, area) of the clusters of at least MIN_VILLAGE_PANDEN panden, one entry per woonplaats."""
    blobs = _polygons(shapely.union_all(shapely.buffer(pand.geometry.values, VILLAGE_BUFFER_M, quad_segs=4)))
    counts = _count_within(blobs, pand.geometry.centroid.values)
    kernen = [_fill_holes(b.buffer(-VILLAGE_SHRINK_M, quad_segs=4)) for b, n in zip(blobs, counts)
              if n >= MIN_VILLAGE_PANDEN]
    by_name: dict[str, list] = {}
    for kern in kernen:
        for name, piece in _split_by_woonplaats(kern, vbo):
            by_name.setdefault(name, []).append(piece)
    return [(name, shapely.union_all(pieces)) for name, pieces in sorted(by_name.items())]


def _split_by_woonplaats(kern, vbo: gpd.GeoDataFrame) -> list[tuple[str, shapely.Geometry]]:
    """A built-up area that holds several woonplaatsen, cut along the Voronoi cells of their addresses."""
    inside = vbo.iloc[vbo.sindex.query(kern, predicate="contains")]
    names = inside["woonplaats_naam"].fillna("Kern") if "woonplaats_naam" in inside else []
    if len(set(names)) <= 1:
        return [(next(iter(set(names)), "Kern"), kern)]
    coords, first = np.unique(shapely.get_coordinates(inside.geometry.values), axis=0, return_index=True)
    cells = shapely.voronoi_polygons(shapely.multipoints(coords), extend_to=kern, ordered=True)
    labels = names.to_numpy()[first]
    return [(str(name), shapely.intersection(kern, shapely.union_all(np.array(cells.geoms)[labels == name])))
            for name in sorted(set(labels))]


def _count_within(areas: list, points: np.ndarray) -> np.ndarray:
    _, hit = shapely.STRtree(areas).query(points, predicate="within")
    return np.bincount(hit, minlength=len(areas))


def _fill_holes(geom) -> MultiPolygon:
    """Fill holes smaller than FILL_HOLES_M2 (courtyards, small parks)."""
    polygons = []
    for poly in _polygons(geom):
        holes = [ring for ring in poly.interiors if Polygon(ring).area >= FILL_HOLES_M2]
        polygons.append(Polygon(poly.exterior, holes))
    return MultiPolygon(polygons)


def _nearest_name(geom, villages: list[tuple[str, Polygon]]) -> str:
    return min(villages, key=lambda v: v[1].distance(geom))[0] if villages else "Buitengebied"


def _centra(vbo: gpd.GeoDataFrame, villages) -> list[dict]:
    """Per village the densest cluster of shops, if it has at least MIN_SHOPS of them."""
    shops = vbo[vbo["gebruiksdoel"] == "winkelfunctie"].geometry
    areas = []
    for name, village in villages:
        points = shops[shops.within(village)].values
        if len(points) < MIN_SHOPS:
            continue
        clusters = _polygons(shapely.union_all(shapely.buffer(points, CENTRUM_BUFFER_M, quad_segs=8)))
        densest = clusters[int(np.argmax(_count_within(clusters, points)))]
        if _count_within([densest], points)[0] >= MIN_SHOPS:
            areas.append(_area("centrum", f"Centrum - {name}", densest.intersection(village)))
    return areas


def _village_functions(pand: gpd.GeoDataFrame, villages, parks: list[dict]) -> list[dict]:
    """Maatschappelijk, recreatie (sports, then the holiday parks) and bedrijventerrein, in that order."""
    doel = pand["gebruiksdoel"].fillna("")
    maatschappelijk = pand[doel.str.contains("|".join(MAATSCHAPPELIJK_DOELEN))].geometry
    sport = pand[doel.str.contains("sportfunctie")].geometry
    industrie = pand[doel.str.contains("industriefunctie")].geometry
    return (_per_village(maatschappelijk, MAATSCHAPPELIJK_BUFFER_M, villages, "maatschappelijk", "Maatschappelijk")
            + _per_village(sport, SPORT_BUFFER_M, villages, "recreatie", "Recreatie - Sport")
            + parks
            + _per_village(industrie, BEDRIJF_BUFFER_M, villages, "bedrijventerrein", "Bedrijventerrein", close=True))


def _per_village(geoms, buffer_m: float, villages, groep: str, label: str, close: bool = False) -> list[dict]:
    """Buffered buildings, merged into one area per nearest village; ``close`` fills the gaps in between."""
    if len(geoms) == 0:
        return []
    merged = shapely.union_all(shapely.buffer(geoms.values, buffer_m, quad_segs=4))
    if close:
        merged = merged.buffer(buffer_m, quad_segs=4).buffer(-buffer_m, quad_segs=4)
    by_name: dict[str, list] = {}
    for part in _polygons(merged):
        by_name.setdefault(_nearest_name(part, villages), []).append(part)
    return [_area(groep, f"{label} - {name}", shapely.union_all(parts)) for name, parts in sorted(by_name.items())]


def _holiday_parks(area, villages, nature: list[dict], lines: list[dict], rng) -> list[dict]:
    """Rotated rectangles of 8-20 ha near the coastal nature, clear of villages, nature, water and roads."""
    natura = [n["geometry"] for n in nature if n["naam"] != "Natuur - Duinen"]
    if not natura:
        return []
    coastal = shapely.union_all(natura)
    blocked = shapely.union_all([coastal.buffer(100)] + [v.buffer(150) for _, v in villages]
                                + [line["geometry"].buffer(20) for line in lines])
    band = coastal.buffer(HOLIDAY_PARK_BAND_M).intersection(area).difference(blocked)
    minx, miny, maxx, maxy = band.bounds
    band = shapely.prepared.prep(band)
    parks: list[dict] = []
    for _ in range(5000):
        if len(parks) == HOLIDAY_PARKS:
            break
        park = _park(rng, rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if band.contains(park) and not any(p["geometry"].intersects(park) for p in parks):
            parks.append(_area("recreatie", f"Recreatie - Verblijfsrecreatie {_nearest_name(park, villages)}", park))
    return parks


def _park(rng, x: float, y: float) -> Polygon:
    width, depth = rng.uniform(280, 450), rng.uniform(280, 450)
    rectangle = box(x - width / 2, y - depth / 2, x + width / 2, y + depth / 2)
    return affinity.rotate(rectangle, rng.uniform(0, 90), origin=(x, y))


def _nature(area, natura2000: gpd.GeoDataFrame) -> list[dict]:
    """The Natura 2000 areas inside ``area`` and the dunes between them and the coast."""
    areas = []
    for row in natura2000.sort_values("naam").itertuples():
        inside = shapely.intersection(row.geometry, area)
        if inside.area >= MIN_AREA_M2:
            areas.append(_area("natuur", f"Natuur - {row.naam}", inside))
    if areas:
        protected = shapely.union_all([a["geometry"] for a in areas])
        coast = area.difference(affinity.translate(area, xoff=DUNE_WIDTH_M))  # west-facing edge strip
        dunes = coast.intersection(protected.buffer(DUNE_WIDTH_M)).difference(protected)
        areas.append(_area("natuur", "Natuur - Duinen", dunes))
    return areas


def _partition(candidates: list[dict], area) -> list[dict]:
    """Each candidate takes what is left of ``area``; agrarisch takes the rest. No overlaps, no gaps."""
    claimed = Polygon()
    functies = []
    for candidate in candidates:
        geom = _multi(shapely.difference(shapely.intersection(candidate["geometry"], area), claimed))
        if geom.area < MIN_AREA_M2:
            continue
        functies.append({**candidate, "geometry": geom})
        claimed = shapely.union(claimed, geom)
    functies.append(_area("agrarisch", "Agrarisch", _multi(shapely.difference(area, claimed))))
    return functies


def _merge_slivers(functies: list[dict], rounds: int = 3) -> list[dict]:
    """Polygon parts under SLIVER_M2 join the neighbour they share most border with; the partition stays exact.

    A few rounds, since a sliver that meets its neighbour only at a corner stays a part of its own there.
    """
    for _ in range(rounds):
        geoms = [f["geometry"] for f in functies]
        tree = shapely.STRtree(geoms)
        keep: list[list] = [[] for _ in geoms]
        for i, geom in enumerate(geoms):
            for part in _polygons(geom):
                target = _widest_neighbour(part, i, geoms, tree) if part.area < SLIVER_M2 else i
                keep[i if target is None else target].append(part)
        merged = [_multi(shapely.union_all(parts)) for parts in keep]
        if all(m.equals_exact(g, 0) for m, g in zip(merged, geoms)):
            break
        functies = [{**f, "geometry": m} for f, m in zip(functies, merged)]
    return functies


def _widest_neighbour(part, own: int, geoms: list, tree) -> int | None:
    """Index of the other geometry that shares the longest border with ``part`` (None if none touches)."""
    rim = part.buffer(0.05)
    shared = {j: rim.intersection(geoms[j]).area for j in tree.query(rim) if j != own}
    best = max(shared, key=shared.get, default=None)
    return best if best is not None and shared[best] > 0 else None


def _geluidzones(functies: list[dict], area) -> list[dict]:
    """A geluidzone around each bedrijventerrein (Wet geluidhinder-style industrial noise zone)."""
    zones = []
    for f in functies:
        if f["groep"] == "bedrijventerrein":
            village = f["naam"].split(" - ", 1)[1]
            geom = _multi(shapely.intersection(f["geometry"].buffer(GELUIDZONE_M, quad_segs=8), area))
            zones.append(_area("geluidzone", f"Geluidzone industrie - {village}", geom, type_="milieuzone"))
    return zones


def _frame(areas: list[dict], gemeentecode: str = GEMEENTECODE) -> gpd.GeoDataFrame:
    rows = [{"identificatie": f"nl.imow-{gemeentecode}.gebiedsaanwijzing.{n:04d}", "naam": a["naam"],
             "type": a["type"], "groep": a["groep"], "artikelnummer": ARTIKELEN[a["groep"]], "bron": "imow",
             "plan_identificatie": plan_identificatie(gemeentecode), "geometry": a["geometry"]}
            for n, a in enumerate(areas, start=1)]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=RD_NEW)


def _multi(geom) -> MultiPolygon:
    """The polygonal parts of any geometry (overlay results may carry lines or points), made valid."""
    return MultiPolygon(_polygons(shapely.make_valid(geom)))


def _polygons(geom) -> list[Polygon]:
    """Non-degenerate polygons in ``geom`` (overlays can leave rings of zero area)."""
    if geom.geom_type == "Polygon":
        return [] if geom.area < 1e-6 else [geom]
    return [p for part in getattr(geom, "geoms", []) for p in _polygons(part)]

