"""Real data for the server benchmark (issue 20): 10,520 AERIUS hexagons and the 160 Natura 2000 areas.

Both from ``$GEO_REAL_DATA`` (default /work/shared/data/real; see the SOURCE.md files there): the receptor hexagons
of an AERIUS run for Overijssel (small polygons, 7 vertices) and the Natura 2000 areas of the Netherlands (RVO/PDOK,
516k vertices: big multipolygons). They are added as collections ``hexagon`` and ``natura2000`` to a copy of the
GeoPackage store and to the PostGIS store (schema ``geo_public``, primary key and GiST index), and to the served
pygeoapi configs with the same provider as the store's other collections.
"""

import os
from pathlib import Path

import geopandas as gpd
import yaml

REAL = Path(os.environ.get("GEO_REAL_DATA", "/work/shared/data/real"))
DATASETS = {  # collection: (source file, layer, key, public columns)
    "hexagon": (REAL / "aerius-hexagons-overijssel" / "aerius_resultaat_veehouderijen_overijssel.gpkg",
                "receptor_hexagons", "receptor_id", ["edge_effect", "deposition_nh3", "deposition_nox"]),
    "natura2000": (REAL / "natura2000" / "natura2000_nl_rd.gpkg", "natura2000", "nr",
                   ["naam", "status", "stikstofgevoelig", "opp_ha"]),
}


def frames() -> dict[str, gpd.GeoDataFrame]:
    """Each dataset's key, public columns and geometry (EPSG:28992), ordered by key."""
    out = {}
    for name, (path, layer, key, columns) in DATASETS.items():
        frame = gpd.read_file(path, layer=layer, engine="pyogrio")[[key, *columns, "geometry"]]
        out[name] = frame.sort_values(key).reset_index(drop=True)
    return out


def add_to_geopackage(store: Path, data: dict[str, gpd.GeoDataFrame]) -> None:
    """Each dataset as a layer (integer fid, R-tree) with a unique index on its key, as ``geo build`` publishes a
    layer's key (``geo.store.geopackage``); PostGIS gets a primary key in ``add_to_postgis``."""
    import sqlite3

    for name, frame in data.items():
        frame.to_file(store, layer=name, driver="GPKG", engine="pyogrio")
    with sqlite3.connect(store) as con:
        for name in data:
            key = DATASETS[name][2]
            con.execute(f'CREATE UNIQUE INDEX IF NOT EXISTS "idx_{name}_{key}" ON "{name}" ("{key}")')


def add_to_postgis(url: str, data: dict[str, gpd.GeoDataFrame]) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1))
    for name, frame in data.items():
        key = DATASETS[name][2]
        frame.rename_geometry("geom").to_postgis(name, engine, schema="geo_public", if_exists="replace", index=False)
        with engine.begin() as con:
            con.execute(text(f'ALTER TABLE geo_public."{name}" ADD PRIMARY KEY ("{key}")'))
            con.execute(text(f'CREATE INDEX ON geo_public."{name}" USING gist (geom)'))
            con.execute(text(f'ANALYZE geo_public."{name}"'))
    engine.dispose()


def config_with_datasets(base: Path, out: Path, data: dict) -> Path:
    """``base`` (a committed config) with a collection per real dataset in ``data``, its provider copied from
    natura2000_gebied's (the same store), keyed and limited to the key and the public columns."""
    config = yaml.safe_load(base.read_text())
    template = config["resources"]["natura2000_gebied"]
    for name, (_, _, key, columns) in ((n, d) for n, d in DATASETS.items() if n in data):
        resource = {k: v for k, v in template.items() if k not in ("links",)}
        resource["title"] = resource["description"] = name
        provider = dict(next(p for p in template["providers"] if p.get("type") == "feature"))
        provider.update(table=name, id_field=key, title_field=key, properties=[key, *columns])
        resource["providers"] = [provider]
        config["resources"][name] = resource
    out.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return out
