"""Make the bad-input corpus in this folder (run once; the files are committed).

    .venv/bin/geo sample && .venv/bin/python tests/data/bad/make_bad.py

Every file is derived from a few records of the generated Schagen sample (``geo sample``, seed 441: no
real persons) and broken in one way. What each file should do at ``geo build``: see README.md here.
"""

import sqlite3
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import GeometryCollection, Point

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SAMPLE = ROOT / "data" / "generated"


def main() -> None:
    wnb = gpd.read_file(SAMPLE / "wnb_besluiten_GM0441.gpkg").iloc[:6].reset_index(drop=True)
    bag = SAMPLE / "bag_GM0441.gpkg"
    csv_lines = (SAMPLE / "stikstofbronnen_GM0441.csv").read_text(encoding="cp1252").splitlines()[:6]
    bodem = gpd.read_file(SAMPLE / "bodem_GM0441.gpkg", layer="bodemlocaties").iloc[:4].reset_index(drop=True)

    (HERE / "bag_empty.gpkg").write_bytes(b"")
    small_bag(bag, HERE / "bag_truncated.gpkg", keep_bytes=6_000)
    (HERE / "stikstofbronnen_utf16.csv").write_text("\n".join(csv_lines) + "\n", encoding="utf-16")
    (HERE / "stikstofbronnen_swapped_axes.csv").write_text("\n".join(swap_xy(csv_lines, rows=3)) + "\n",
                                                           encoding="utf-8")
    write(wnb.drop(columns=["zaaknummer", "besluittype"]), "wnb_missing_columns.gpkg")
    dupes = wnb.copy()
    dupes.loc[[1, 2], "zaaknummer"] = dupes.loc[0, "zaaknummer"]
    write(dupes, "wnb_duplicate_ids.gpkg")
    write(wnb.set_geometry(shapely.force_3d(wnb.geometry.values, 12.5)), "wnb_3d.gpkg")
    huge = wnb.copy()
    huge.loc[0, "geometry"] = Point(1e300, -1e300)
    huge.loc[1, "geometry"] = Point(5e15, 5e15)
    write(huge, "wnb_huge_coordinates.gpkg")
    collection = bodem.copy()
    collection.loc[0, "geometry"] = GeometryCollection([bodem.geometry[0], bodem.geometry[0].centroid])
    write(collection, "bodem_geometrycollection.gpkg", layer="bodemlocaties", geometry_type="Unknown")
    gml = (ROOT / "tests" / "data" / "imro" / "NL.IMRO.0798.BPDoornboom-ON01.gml").read_bytes()
    (HERE / "omgevingsplan_truncated.gml").write_bytes(gml[: len(gml) // 3])
    total = sum(p.stat().st_size for p in HERE.iterdir() if p.is_file())
    print(f"wrote {HERE}: {total / 1000:.0f} kB")


def small_bag(source: Path, target: Path, keep_bytes: int) -> None:
    """A BAG GeoPackage of 5 panden, cut off after ``keep_bytes`` (a download that broke off)."""
    tmp = target.with_suffix(".full.gpkg")
    tmp.unlink(missing_ok=True)
    pand = gpd.read_file(source, layer="pand").iloc[:5]
    vbo = gpd.read_file(source, layer="verblijfsobject")
    pand.to_file(tmp, layer="pand")
    vbo[vbo.pandidentificatie.isin(pand.identificatie)].to_file(tmp, layer="verblijfsobject")
    compact(tmp)
    target.write_bytes(tmp.read_bytes()[:keep_bytes])
    tmp.unlink()


def swap_xy(lines: list[str], rows: int) -> list[str]:
    """The first ``rows`` records with X and Y exchanged (the last two columns)."""
    out = [lines[0]]
    for i, line in enumerate(lines[1:]):
        cells = line.split(";")
        if i < rows:
            cells[-2], cells[-1] = cells[-1], cells[-2]
        out.append(";".join(cells))
    return out


def write(gdf: gpd.GeoDataFrame, name: str, layer: str | None = None, geometry_type: str | None = None) -> None:
    path = HERE / name
    path.unlink(missing_ok=True)
    kwargs = {"geometry_type": geometry_type} if geometry_type else {}
    gdf.to_file(path, layer=layer or path.stem, engine="pyogrio", SPATIAL_INDEX="NO", **kwargs)
    compact(path)


def compact(path: Path) -> None:
    """Smallest pages and no free space: a GeoPackage of a few records in ~20 kB instead of ~100 kB."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA page_size = 512")  # takes effect with the VACUUM on the same connection
    con.execute("VACUUM")
    con.close()


if __name__ == "__main__":
    if not SAMPLE.exists():
        sys.exit("run 'geo sample' first")
    main()
