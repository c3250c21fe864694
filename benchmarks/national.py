"""National scale: latency of the PostGIS server on 1, 17 and 345 gemeenten of synthetic BAG panden (~10 M).

One throwaway PostgreSQL 15 + PostGIS cluster (``geo.store.testing_pg``; with ``--keep DIR`` kept in DIR and reused
on the next run, since 10 M panden take a while), the default data built into database ``built`` with the real
``geo build --store``, and three copies of it (``CREATE DATABASE nl_N TEMPLATE built``) whose ``geo.pand`` holds
the panden of ``national_data.py`` (seeded SQL; Schagen's panden identical in all three). Each copy is served by
the real ``geo serve --store`` (2 workers) and loaded by ``wrk`` (Debian package ``wrk``) with 64 connections,
which picks a random path per request from a list (``national.lua``). Scenarios: bbox (CRS84, ±0.004° ≈
540 × 890 m around a random Schagen pand, limit=100), single item (a random id of the whole table), paging (the same
offsets 5,000–20,000 at every size, limit=100) and vector tiles (WebMercatorQuad z14–16 over Schagen panden). The
sizes take turns per scenario in ``--rounds`` slices, so load from other work falls on all alike. Prints req/s and
p50/p95/p99 per scenario and size, and the p99 ratios against one gemeente, as markdown.

Run: .venv/bin/python benchmarks/national.py [--keep DIR] [--seconds 10] [--rounds 3] [--connections 64]
                                             [--sizes 1,17,345] [--scenarios bbox,item,paging,tiles]
"""

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import national_data  # noqa: E402  (benchmarks/ is on sys.path when run as a script)
from server import free_port, stop, wait  # noqa: E402

from geo.store import testing_pg

HERE = Path(__file__).resolve().parent
PG_OPTIONS = "-c shared_buffers=1GB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c max_connections=300"
SCENARIOS = ("bbox", "item", "paging", "tiles")
PATHS_PER_SCENARIO = 5000


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="national-"))
    with ExitStack() as stack:
        if args.keep:
            url = stack.enter_context(testing_pg.kept_cluster(Path(args.keep), "built", PG_OPTIONS))
        else:
            url = stack.enter_context(testing_pg.throwaway_cluster("built", PG_OPTIONS))
        sets = {label: codes for label, codes in national_data.sets().items() if label in args.sizes}
        urls = prepare(url, sets, work)
        paths = make_paths(urls, args.scenarios)
        servers = {}
        for label, db_url in urls.items():
            t = time.perf_counter()
            proc, servers[label] = start(db_url, work, label)
            stack.callback(stop, proc)
            print(f"{label:>3} gemeenten: geo serve answered after {time.perf_counter() - t:.0f} s", flush=True)
        same_answers(servers, paths)
        results = measure(servers, paths, args, work)
        print(report(results, urls, args))
    shutil.rmtree(work, ignore_errors=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--keep", help="folder of a cluster kept between runs (made on first use)")
    p.add_argument("--seconds", type=float, default=10, help="seconds per slice (size, scenario, round)")
    p.add_argument("--rounds", type=int, default=3, help="slices per scenario, the sizes taking turns")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    p.add_argument("--sizes", type=lambda v: v.split(","), default=["1", "17", "345"])
    p.add_argument("--scenarios", type=lambda v: v.split(","), default=list(SCENARIOS))
    return p.parse_args()


def prepare(url: str, sets: dict[str, list[str]], work: Path) -> dict[str, str]:
    """The default build in ``built`` and one database per set filled by the generator (reused when a kept one
    was made by the same SQL); the socket URL of each."""
    if not _has_layers(url):
        env = {**os.environ, "GEO_RASTERS": str(work / "rasters"), "GEO_OUTPUT": str(work / "output")}
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "omgevingsgeo.cli", "-q", "build", "--store", url], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        print(f"geo build: {time.perf_counter() - t:.0f} s", flush=True)
    if testing_pg.psql(url, "SELECT to_regclass('bench.gemeente') IS NOT NULL").strip() != "t":
        national_data.load_boundaries(testing_pg.tcp_url(url))
    server = url.replace("///built", "///postgres")
    urls = {}
    for label, codes in sets.items():
        urls[label] = db = url.replace("///built", f"///nl_{label}")
        kept = national_data.made(db)
        if kept and kept[0] == national_data.fingerprint(codes):
            national_data.record_bounds(db)
            print(f"{len(codes):3d} gemeenten: kept database, generated in {kept[1]:.0f} s", flush=True)
            continue
        testing_pg.psql(server, f"DROP DATABASE IF EXISTS nl_{label}")
        testing_pg.psql(server, f"CREATE DATABASE nl_{label} TEMPLATE built")
        seconds = national_data.generate(db, codes)
        national_data.record(db, codes, seconds)
        print(f"{len(codes):3d} gemeenten: generated in {seconds:.0f} s", flush=True)
    return urls


def _has_layers(url: str) -> bool:
    """Whether the default build has published here (a kept cluster: from an earlier run)."""
    if testing_pg.psql(url, "SELECT to_regclass('geo.geo_layers') IS NOT NULL").strip() != "t":
        return False
    return "pand" in testing_pg.psql(url, "SELECT name FROM geo.geo_layers").split()


def make_paths(urls: dict[str, str], scenarios: list[str]) -> dict[str, dict[str, list[str]]]:
    """Per size and scenario, the request paths (seeded): the same bbox, paging and tile paths at every size
    (around Schagen's panden, identical in every set), single items drawn over the size's whole table."""
    smallest = next(iter(urls.values()))
    centres = [tuple(map(float, line.split("|"))) for line in testing_pg.psql(
        smallest, "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) c "
                  "FROM geo.pand WHERE identificatie LIKE '0441%' ORDER BY identificatie) t").split()]
    rng = random.Random(20)
    shared = {"bbox": bbox_paths(centres, rng), "paging": paging_paths(rng), "tiles": tile_paths(centres, rng)}
    paths = {}
    for label, url in urls.items():
        counts = [line.split("|") for line in testing_pg.psql(
            url, "SELECT g.statcode, g.panden FROM bench.gemeente g WHERE substr(g.statcode, 3) IN "
                 "(SELECT DISTINCT left(identificatie, 4) FROM geo.pand) ORDER BY 1").split()]
        paths[label] = {**shared, "item": item_paths(counts, random.Random(21))}
    return {label: {s: p for s, p in by.items() if s in scenarios} for label, by in paths.items()}


def bbox_paths(centres: list[tuple[float, float]], rng: random.Random, d: float = 0.004) -> list[str]:
    out = []
    for _ in range(PATHS_PER_SCENARIO):
        x, y = rng.choice(centres)
        out.append(f"/collections/pand/items?f=json&limit=100&bbox={x - d:.6f},{y - d:.6f},{x + d:.6f},{y + d:.6f}")
    return out


def paging_paths(rng: random.Random) -> list[str]:
    return [f"/collections/pand/items?f=json&limit=100&offset={rng.randrange(5000, 20000)}"
            for _ in range(PATHS_PER_SCENARIO)]


def item_paths(counts: list[list[str]], rng: random.Random) -> list[str]:
    """Random ids of the whole table: a gemeente weighted by its panden, an ordinal within it (the generator's
    identificatie rule ``<code>10<ordinal>``)."""
    codes, weights = [c for c, _ in counts], [int(n) for _, n in counts]
    out = []
    for code in rng.choices(codes, weights, k=PATHS_PER_SCENARIO):
        n = rng.randint(1, weights[codes.index(code)])
        out.append(f"/collections/pand/items/{code[2:]}10{n:010d}?f=json")
    return out


def tile_paths(centres: list[tuple[float, float]], rng: random.Random) -> list[str]:
    """WebMercatorQuad tiles z14–16 that hold a random Schagen pand."""
    out = []
    for _ in range(PATHS_PER_SCENARIO):
        (lon, lat), z = rng.choice(centres), rng.randint(14, 16)
        n = 2 ** z
        col = int((lon + 180) / 360 * n)
        row = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        out.append(f"/collections/pand/tiles/WebMercatorQuad/{z}/{row}/{col}")
    return out


def start(db_url: str, work: Path, label: str):
    """``geo serve --store URL`` on a free port, as users run it."""
    port = free_port()
    env = {**os.environ, "GEO_SERVER_URL": f"http://127.0.0.1:{port}", "GEO_RASTERS": str(work / "rasters"),
           "GEO_OUTPUT": str(work / f"output-{label}"), "PYGEOAPI_OPENAPI": str(work / f"openapi-{label}.yml")}
    proc = subprocess.Popen([sys.executable, "-m", "omgevingsgeo.cli", "serve", "--port", str(port), "--store", db_url,
                             "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    return wait(proc, f"http://127.0.0.1:{port}", seconds=300)  # up to ~110 s seen on the loaded machine


def same_answers(servers: dict[str, str], paths: dict, n: int = 40) -> None:
    """How many of the first bbox and tile paths answer the same at every size: Schagen's panden are the same in
    every set, so only the table size differs, except at Schagen's border, where the bigger sets add the
    neighbours' panden (all of them NHN gemeenten, so 17 and 345 must always agree)."""
    import requests

    first = next(iter(paths.values()))
    for scenario in [s for s in ("bbox", "tiles") if s in first]:
        same = 0
        for path in first[scenario][:n]:
            answers = {label: requests.get(url + path, timeout=120) for label, url in servers.items()}
            answers = {label: repr((r.status_code, _ids(r) if scenario == "bbox" else r.content))
                       for label, r in answers.items()}
            same += len(set(answers.values())) == 1
            if "17" in answers and "345" in answers and answers["17"] != answers["345"]:
                raise SystemExit(f"{path}: 17 and 345 gemeenten answer differently")
        print(f"{scenario}: {same} of {n} answers identical at every size", flush=True)


def _ids(response) -> tuple:
    body = response.json()
    return body.get("numberMatched"), tuple(f["id"] for f in body["features"])


def measure(servers: dict[str, str], paths: dict, args, work: Path) -> dict:
    """Per scenario: a warm-up slice per size, then ``--rounds`` slices in which each size takes its turn."""
    results = {label: {s: [] for s in args.scenarios} for label in servers}
    for scenario in args.scenarios:
        for label, url in servers.items():
            wrk(url, paths[label][scenario], args, work, min(args.seconds, 5))
        for _ in range(args.rounds):
            for label, url in servers.items():
                r = wrk(url, paths[label][scenario], args, work, args.seconds)
                results[label][scenario].append(r)
                print(f"{scenario:7} {label:>4} gemeenten {r['rps']:8.1f} req/s p99 {r['p99']:8.1f} ms "
                      f"({r['errors']} errors)", flush=True)
    return results


def wrk(url: str, paths: list[str], args, work: Path, seconds: float) -> dict:
    """One wrk run: 2 threads, ``--connections``, a random path of ``paths`` per request; its summary."""
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    done = subprocess.run(["wrk", "-t", "2", "-c", str(args.connections), "-d", f"{seconds:.0f}s", "--timeout", "30s",
                           "-s", str(HERE / "national.lua"), url, "--", str(listing)],
                          capture_output=True, text=True, check=True)
    line = next(x for x in done.stdout.splitlines() if x.startswith("{"))
    return json.loads(line)


def combined(runs: list[dict]) -> dict:
    """Slices of one scenario and size together: summed requests over summed time; percentiles as the median of
    the slices' (wrk gives percentiles, not the latencies)."""
    import statistics

    seconds = sum(r["seconds"] for r in runs)
    return {"rps": sum(r["rps"] * r["seconds"] for r in runs) / seconds, "errors": sum(r["errors"] for r in runs),
            **{p: statistics.median(r[p] for r in runs) for p in ("p50", "p95", "p99")},
            "worst_p99": max(r["p99"] for r in runs)}


def report(results: dict, urls: dict[str, str], args) -> str:
    sizes = {label: int(testing_pg.psql(url, "SELECT count(*) FROM geo.pand")) for label, url in urls.items()}
    load = os.getloadavg()
    lines = [f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {args.connections} connections (wrk, 2 threads), "
             f"{args.workers} gunicorn workers per server, {args.rounds} rounds × {args.seconds:.0f} s per scenario "
             f"and size; load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; "
             + ", ".join(f"{label} gemeenten: {n:,} panden" for label, n in sizes.items()), "",
             "| scenario | gemeenten | panden | req/s | p50 ms | p95 ms | p99 ms | worst slice p99 ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    summary = {label: {s: combined(runs) for s, runs in by.items()} for label, by in results.items()}
    for scenario in args.scenarios:
        for label in results:
            r = summary[label][scenario]
            lines.append(f"| {scenario} | {label} | {sizes[label]:,} | {r['rps']:.1f} | {r['p50']:.1f} | "
                         f"{r['p95']:.1f} | {r['p99']:.1f} | {r['worst_p99']:.1f} | {r['errors']} |")
    base = next(iter(results))
    others = [label for label in results if label != base]
    lines += ["", "| scenario | " + " | ".join(f"p99({o})/p99({base})" for o in others) + " |",
              "|---|" + "---:|" * len(others)]
    for scenario in args.scenarios:
        ratios = [summary[o][scenario]["p99"] / summary[base][scenario]["p99"] for o in others]
        lines.append(f"| {scenario} | " + " | ".join(f"{r:.2f}×" for r in ratios) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
