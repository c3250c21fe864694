"""Load test: 32 concurrent connections of mixed queries against `geo serve` on loopback.

A fixed number of requests (bounded in time too) over a mix of map-view bbox, deep paging, single items,
CQL2 filters and RD output; every answer must be a 200. Prints requests/s and p50/p95/p99 latency per kind
and overall, as a markdown table for RELIABILITY.md. (Debian's `wrk` is not installed here, so the client
is Python threads with keep-alive sessions; it shares the 2 cores with the server.)

Run: .venv/bin/python benchmarks/load.py [--requests 3200] [--concurrency 32] [--workers 2] [--seconds 120]
"""

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers.reliability_helpers import start  # noqa: E402
from helpers.server import stop_server  # noqa: E402

RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
from bench_store import ensure_store  # noqa: E402  (benchmarks/ is on sys.path when run as a script)


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="load-"))
    store = ensure_store(work)
    requests_ = mixed_requests(store, args.requests, random.Random(8))
    proc, url = start(store, work / "server.log", workers=args.workers)
    try:
        results, wall = run(url, requests_, args.concurrency, args.seconds)
    finally:
        stop_server(proc)
    report(results, wall, args)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if any(r[1] != 200 for r in results) or len(results) < len(requests_) else 0)


def mixed_requests(store: Path, n: int, rng: random.Random) -> list[tuple[str, str]]:
    pand = gpd.read_file(store, layer="pand", columns=["identificatie"])
    centres = pand.geometry.centroid.to_crs("OGC:CRS84")
    kinds = ["bbox", "deep page", "single item", "cql2 filter", "rd output", "stikstofbron"]
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        j = rng.randrange(len(pand))
        c, d = centres.iloc[j], 0.004
        path = {
            "bbox": "/collections/pand/items?f=json&limit=100&bbox="
                    f"{c.x - d:.5f},{c.y - d:.5f},{c.x + d:.5f},{c.y + d:.5f}",
            "deep page": f"/collections/verblijfsobject/items?f=json&limit=100&offset={rng.randrange(20000)}",
            "single item": f"/collections/pand/items/{pand.identificatie.iloc[j]}?f=json",
            "cql2 filter": "/collections/pand/items?f=json&limit=50&filter="
                           f"bouwjaar%20%3C%20{rng.randrange(1850, 2000)}",
            "rd output": f"/collections/natura2000_gebied/items?f=json&crs={RD}&skipGeometry=true",
            "stikstofbron": "/collections/stikstofbron/items?f=json&limit=100&sortby=-nh3_emissie",
        }[kind]
        out.append((kind, path))
    return out


def run(url: str, work: list[tuple[str, str]], concurrency: int, seconds: float):
    local = threading.local()
    deadline = time.monotonic() + seconds

    def one(item):
        if time.monotonic() > deadline:
            return None
        session = getattr(local, "session", None) or setattr(local, "session", requests.Session()) or local.session
        start_time = time.perf_counter()
        try:
            status = session.get(url + item[1], timeout=60).status_code
        except requests.RequestException:
            status = 0
        return item[0], status, time.perf_counter() - start_time

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = [r for r in pool.map(one, work) if r is not None]
    return results, time.perf_counter() - t0


def report(results, wall: float, args) -> None:
    print(f"{len(results)} requests, {args.concurrency} concurrent connections, {args.workers} gunicorn workers, "
          f"{wall:.1f} s wall\n")
    print("| kind | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    kinds = sorted({r[0] for r in results})
    for kind in [*kinds, "all"]:
        rows = [r for r in results if kind == "all" or r[0] == kind]
        lat = sorted(r[2] * 1000 for r in rows)
        errors = sum(1 for r in rows if r[1] != 200)
        rate = len(rows) / wall
        print(f"| {kind} | {len(rows)} | {errors} | {rate:.1f} | {statistics.median(lat):.0f} | "
              f"{pct(lat, 95):.0f} | {pct(lat, 99):.0f} |")


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=3200)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seconds", type=float, default=120, help="time bound for the whole run")
    return p.parse_args()


if __name__ == "__main__":
    main()
