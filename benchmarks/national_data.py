"""Synthetic BAG panden made by the database: a seeded generator in SQL, for ``national.py``.

Per gemeente of the national boundary file (CBS generalised 2022, 345 gemeenten) the count of panden follows a
documented rule, ``BASE + PER_KM2 × area`` (12,000 + 170 per km², ~10.1 M for the country, 41,257 for Schagen):
the base stands for the gemeente's core, so small (urban) gemeenten get a higher density than large rural ones.
``ST_GeneratePoints(geom, n, seed)`` places the centres with the gemeente's own seed (the digits of its code),
and every attribute is a hash of (ordinal, seed) (``hashint8extended``), so a gemeente's panden do not depend on
which other gemeenten are in the set: Schagen's are identical in the sets of 1, 17 and 345 gemeenten.

Each pand is a small rotated rectangle in RD New (6–16 m wide, 1–2.5 times as long) with plausible BAG
attributes, the columns and types of the real ``geo.pand`` table, and a 16-digit identificatie
``<gemeentecode>10<ordinal, 10 digits>`` as BAG numbers them. The table is emptied and refilled in place (its
``geo_public.pand`` view stays), its primary key and GiST index are rebuilt with the names the store gives them,
then ``VACUUM ANALYZE`` and the layer's feature count and bounds in ``geo.geo_layers``.
"""

import time
from pathlib import Path

import geopandas as gpd
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parents[1]
BOUNDARIES = ROOT / "data/sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nl_rd.gpkg"
NHN = ROOT / "data/sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nhn_rd.gpkg"
SCHAGEN = "GM0441"
BASE, PER_KM2 = 12_000, 170

COUNT_RULE = f"({BASE} + round({PER_KM2} * ST_Area(geom) / 1e6))::int"
STATUSES = [(0.94, "Pand in gebruik"), (0.96, "Verbouwing pand"), (0.97, "Bouw gestart"),
            (0.98, "Bouwvergunning verleend"), (0.99, "Pand buiten gebruik"), (1.01, "Sloopvergunning verleend")]
DOELEN = [(0.70, "woonfunctie"), (0.78, "industriefunctie"), (0.84, "overige gebruiksfunctie"),
          (0.89, "winkelfunctie"), (0.93, "kantoorfunctie"), (0.96, "bijeenkomstfunctie"),
          (0.98, "logiesfunctie"), (1.01, "gezondheidszorgfunctie")]


def sets() -> dict[str, list[str]]:
    """The three sets by size label: Schagen, the 17 NHN gemeenten, the whole country."""
    nhn = sorted(gpd.read_file(NHN, columns=["statcode"], ignore_geometry=True)["statcode"])
    country = sorted(gpd.read_file(BOUNDARIES, columns=["statcode"], ignore_geometry=True)["statcode"])
    return {"1": [SCHAGEN], "17": nhn, "345": country}


def load_boundaries(tcp_url: str) -> None:
    """The national boundaries into ``bench.gemeente`` (statcode, seed, panden, geom) of the template database."""
    gdf = gpd.read_file(BOUNDARIES)[["statcode", "geometry"]].rename_geometry("geom")
    engine = create_engine(tcp_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    with engine.begin() as con:
        con.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS bench")
    gdf.to_postgis("gemeente", engine, schema="bench", if_exists="replace", index=False)
    with engine.begin() as con:
        con.exec_driver_sql("ALTER TABLE bench.gemeente ADD COLUMN seed int, ADD COLUMN panden int")
        con.exec_driver_sql(f"UPDATE bench.gemeente SET seed = substr(statcode, 3)::int, panden = {COUNT_RULE}")
    engine.dispose()


def _u(k: int) -> str:
    """A uniform number in [0, 1) from the pand's ordinal and its gemeente's seed; ``k`` picks the attribute."""
    return f"((hashint8extended(p.n, g.seed * 16 + {k}) & 16777215)::float8 / 16777216)"


def _pick(u: str, table: list[tuple[float, str]]) -> str:
    whens = " ".join(f"WHEN {u} < {bound} THEN '{value}'" for bound, value in table)
    return f"CASE {whens} END"


def generate_sql(codes: list[str]) -> str:
    """The statements that replace ``geo.pand`` by the synthetic panden of ``codes``."""
    in_set = ", ".join(f"'{c}'" for c in codes)  # codes come from our boundary file, never from a request
    width, stretch, angle = f"(6 + 10 * {_u(1)})", f"(1 + 1.5 * {_u(2)})", f"(pi() * {_u(3)})"
    return f"""
ALTER TABLE geo.pand DROP CONSTRAINT IF EXISTS pand_pkey;
DROP INDEX IF EXISTS geo.pand_gist;
TRUNCATE geo.pand;
INSERT INTO geo.pand (identificatie, bouwjaar, status, gebruiksdoel, oppervlakte_min, oppervlakte_max,
                      aantal_verblijfsobjecten, rdf_seealso, geom)
SELECT id, bouwjaar, status, doel, round(area)::bigint, round(area * floors)::bigint, vbo,
       'https://bag.basisregistraties.overheid.nl/bag/id/pand/' || id,
       ST_Rotate(ST_MakeEnvelope(x - l / 2, y - w / 2, x + l / 2, y + w / 2, 28992), angle, x, y)
FROM (
    SELECT substr(g.statcode, 3) || '10' || lpad(p.n::text, 10, '0') AS id,
           (1850 + floor(174 * sqrt({_u(4)})))::bigint AS bouwjaar,
           {_pick(_u(5), STATUSES)} AS status, {_pick(_u(6), DOELEN)} AS doel,
           (1 + floor(20 * power({_u(7)}, 6)))::bigint AS vbo, 1 + floor(3 * {_u(8)}) AS floors,
           {width} AS w, {width} * {stretch} AS l, {width} * {width} * {stretch} AS area, {angle} AS angle,
           ST_X(p.geom) AS x, ST_Y(p.geom) AS y
    FROM bench.gemeente g
    CROSS JOIN LATERAL (SELECT d.path[1]::bigint AS n, d.geom
                        FROM ST_Dump(ST_GeneratePoints(g.geom, g.panden, g.seed)) d) p
    WHERE g.statcode IN ({in_set})
) s;
ALTER TABLE geo.pand ADD CONSTRAINT pand_pkey PRIMARY KEY (identificatie);
CREATE INDEX pand_gist ON geo.pand USING GIST (geom);
VACUUM ANALYZE geo.pand;
UPDATE geo.geo_layers SET features = (SELECT count(*) FROM geo.pand) WHERE name = 'pand';
"""


# the layer metadata a publish writes: the feature count (in generate_sql) and the bounds (geo.store.postgis.BOUNDS),
# which the server reads at start-up; set once, also in a database kept from before the bounds were recorded
BOUNDS_SQL = """
ALTER TABLE geo.geo_layers ADD COLUMN IF NOT EXISTS min_x float8, ADD COLUMN IF NOT EXISTS min_y float8,
                           ADD COLUMN IF NOT EXISTS max_x float8, ADD COLUMN IF NOT EXISTS max_y float8;
UPDATE geo.geo_layers SET min_x = ST_XMin(e), min_y = ST_YMin(e), max_x = ST_XMax(e), max_y = ST_YMax(e)
FROM (SELECT ST_Extent(geom) e FROM geo.pand) t WHERE name = 'pand' AND min_x IS NULL;
"""


def record_bounds(socket_url: str) -> None:
    from geo.store import testing_pg

    testing_pg.psql(socket_url, BOUNDS_SQL)


def generate(socket_url: str, codes: list[str]) -> float:
    """Fill ``geo.pand`` of the database at ``socket_url`` with the panden of ``codes``; seconds taken."""
    from geo.store import testing_pg

    start = time.perf_counter()
    testing_pg.psql(socket_url, generate_sql(codes))
    record_bounds(socket_url)
    return time.perf_counter() - start


def fingerprint(codes: list[str]) -> str:
    """Identifies the generator and the set: a kept database made by the same SQL is reused."""
    import hashlib

    return hashlib.sha256(generate_sql(codes).encode()).hexdigest()[:16]


def made(socket_url: str) -> tuple[str, float] | None:
    """(fingerprint, generation seconds) recorded in a database filled before, or None."""
    from geo.store import testing_pg

    try:
        out = testing_pg.psql(socket_url, "SELECT fingerprint || '|' || seconds FROM bench.made").strip()
    except RuntimeError:
        return None
    if not out:
        return None
    value, seconds = out.split("|")
    return value, float(seconds)


def record(socket_url: str, codes: list[str], seconds: float) -> None:
    from geo.store import testing_pg

    testing_pg.psql(socket_url, "CREATE TABLE IF NOT EXISTS bench.made (fingerprint text, seconds float8); "
                                f"TRUNCATE bench.made; INSERT INTO bench.made VALUES ('{fingerprint(codes)}', "
                                f"{seconds})")
