"""Vector tile benchmark: WebMercatorQuad MVT tiles of ``pand`` from ours (GeoPackage, encoded in Python), ours
(PostGIS, ``ST_AsMVT`` in the database) and tipg's MVT endpoint on the same PostGIS view, in one run.

The servers are started as in ``server.py`` (same helpers: all up at once, same worker count, a throwaway PostgreSQL
cluster built in this run) and take the same tiles in turn (``--rounds`` slices, interleaved). Tiles: ``--tiles``
distinct z14–z16 tiles around random buildings of the Schagen sample (each holds at least one building), asked
once each, so that neither our per-worker tile cache nor HTTP caching answers them: every request makes a tile.
The warm-up uses other tiles than the measured ones. tipg is given the same grid and buffer (4096, 64;
``TIPG_TILE_RESOLUTION``, ``TIPG_TILE_BUFFER``); it selects rows by bounding box only, we by ``ST_Intersects`` with
the tile's square.
Run: .venv/bin/python benchmarks/tiles.py [--tiles 600] [--concurrency 8] [--rounds 5] [--servers ours,postgis,tipg]
                                          [--tipg-bin VENV/bin]
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import geopandas as gpd
import morecantile
import server  # benchmarks/ is on sys.path when run as a script

from bench_store import ensure_store

SERVERS = ("ours", "postgis", "tipg")
ZOOMS = (14, 15, 16)


def main() -> None:
    args = parse_args()
    os.environ.update({"TIPG_TILE_RESOLUTION": "4096", "TIPG_TILE_BUFFER": "64"})  # our grid and buffer
    work = Path(tempfile.mkdtemp(prefix="bench-tiles-"))
    store = ensure_store(work)
    pand = gpd.read_file(store, layer="pand")
    tiles = distinct_tiles(pand, args.tiles + 2 * args.concurrency, random.Random(1))
    warm, measured = tiles[: 2 * args.concurrency], tiles[2 * args.concurrency:]
    notes, data = [], {"pand": pand}
    with ExitStack() as stack:
        pg = server.start_postgis_store(stack, work, {}) if {"postgis", "tipg"} & set(args.servers) else None
        starters = {"ours": server.start_ours, "postgis": partial(server.start_postgis, pg),
                    "tipg": partial(server.start_tipg, pg, Path(args.tipg_bin))}
        urls = {}
        for label in args.servers:
            try:
                proc, urls[label] = starters[label](store, data, work, args.workers)
            except (RuntimeError, server.subprocess.CalledProcessError) as e:
                notes.append(f"{label}: not measured ({e})")
                continue
            stack.callback(server.stop, proc)
        for label, url in urls.items():  # imports, connections; tiles not measured later
            server.load(url, paths(warm, label), args.concurrency, args.seconds, warm_up=False)
        results = interleaved(urls, measured, args)
    report(results, len(measured), args, notes)
    shutil.rmtree(work, ignore_errors=True)


def distinct_tiles(pand: gpd.GeoDataFrame, n: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """``n`` distinct (z, x, y) WebMercatorQuad tiles, z14–z16, each around a random building, in random order."""
    tms = morecantile.tms.get("WebMercatorQuad")
    points = pand.geometry.representative_point().to_crs(4326)
    seen: dict[tuple, None] = {}
    for _ in range(50 * n):
        p = points.iloc[rng.randrange(len(points))]
        t = tms.tile(p.x, p.y, rng.choice(ZOOMS))
        seen.setdefault((t.z, t.x, t.y), None)
        if len(seen) == n:
            break
    tiles = list(seen)
    rng.shuffle(tiles)
    return tiles


def paths(tiles: list[tuple[int, int, int]], label: str) -> list[str]:
    """OGC API Tiles orders ``{z}/{row}/{col}``; tipg's route is ``{z}/{x}/{y}`` (the same numbers, swapped)."""
    if label == "tipg":
        return [f"/collections/geo_public.pand/tiles/WebMercatorQuad/{z}/{x}/{y}" for z, x, y in tiles]
    return [f"/collections/pand/tiles/WebMercatorQuad/{z}/{y}/{x}" for z, x, y in tiles]


def interleaved(urls: dict[str, str], tiles: list, args) -> dict[str, dict]:
    """Each slice of tiles on every server in turn: load from other work falls on all alike."""
    runs = {label: [] for label in urls}
    for i in range(args.rounds):
        part = tiles[i::args.rounds]
        for label, url in urls.items():
            runs[label].append(server.load(url, paths(part, label), args.concurrency, args.seconds / args.rounds,
                                           warm_up=False))
    return {label: server.summarise(parts) | {"statuses": Counter(d[1] for p in parts for d in p["done"])}
            for label, parts in runs.items()}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiles", type=int, default=600, help="distinct tiles measured (each asked once per server)")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seconds", type=float, default=120, help="time bound per server over all rounds")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--servers", type=lambda v: v.split(","), default=list(SERVERS))
    p.add_argument("--tipg-bin", default=str(server.BIN), help="folder of the uvicorn that can import tipg")
    return p.parse_args()


def report(results: dict, n: int, args, notes: list[str]) -> None:
    print(f"\n{n} distinct WebMercatorQuad tiles z{ZOOMS[0]}-z{ZOOMS[-1]} of pand; {args.workers} workers each; "
          f"{args.concurrency} concurrent clients; {args.rounds} interleaved rounds; {os.cpu_count()} cores\n")
    print(f"{'server':8} {'req':>5} {'err':>4} {'tiles/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'kB':>7} {'gzip kB':>8}")
    for label, r in results.items():
        print(f"{label:8} {r['n']:5d} {r['errors']:4d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
              f"{r['kb']:7.1f} {r['gz_kb']:8.1f}")
    for label, r in results.items():
        if r["errors"]:
            print(f"{label}: answers by status: {dict(r['statuses'])}")
    for a, b in (("postgis", "ours"), ("ours", "tipg"), ("postgis", "tipg")):
        if a in results and b in results:
            print(f"{a}/{b} {results[a]['rps'] / max(results[b]['rps'], 1e-9):.2f}x")
    for note in notes:
        print(note)


if __name__ == "__main__":
    sys.exit(main())
