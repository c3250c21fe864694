"""Server benchmark: our GeoPackage provider vs stock pygeoapi (GeoJSON provider) on the same `pand` data.

Both run as pygeoapi under gunicorn with the same worker count, on loopback; a threaded client sends a
fixed number of requests per scenario (bounded in time too) and reports requests/s, p50 and p99, and the
ratio ours/stock. Run: .venv/bin/python benchmarks/server.py [--requests 300] [--concurrency 8]
"""

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    store = ensure_store(work)
    pand = gpd.read_file(store, layer="pand")
    scenarios = make_scenarios(pand, args.requests, random.Random(1))
    results = {}
    for label, starter in (("ours", start_ours), ("stock", start_stock)):
        proc, url = starter(store, pand, work, args.workers)
        try:
            results[label] = {name: load(url, paths, args.concurrency, args.seconds)
                              for name, paths in scenarios.items()}
        finally:
            stop(proc)
    report(results, len(pand), args)
    shutil.rmtree(work, ignore_errors=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=300, help="requests per scenario")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers for both servers")
    p.add_argument("--seconds", type=float, default=60, help="time bound per scenario")
    return p.parse_args()


def ensure_store(work: Path) -> Path:
    """A fresh build of the default data (sample BAG generated when absent)."""
    geo = str(BIN / "geo")
    if not (ROOT / "data" / "generated" / "bag_GM0441.gpkg").exists():
        subprocess.run([geo, "-q", "sample"], check=True)
    store = work / "store.gpkg"
    subprocess.run([geo, "-q", "build", "--store", str(store)], check=True)
    return store


def make_scenarios(pand: gpd.GeoDataFrame, n: int, rng: random.Random) -> dict[str, list[str]]:
    """The same request paths for both servers: bbox in CRS84 (the default), deep pages, single items."""
    centres = pand.geometry.centroid.to_crs("OGC:CRS84")
    bbox, pages, items = [], [], []
    for _ in range(n):
        c = centres.iloc[rng.randrange(len(centres))]
        d = 0.004  # ~300 x 450 m around a building: a street-level map view
        bbox.append(f"/collections/pand/items?f=json&limit=100&bbox={c.x - d:.6f},{c.y - d:.6f},{c.x + d:.6f},{c.y + d:.6f}")
        pages.append(f"/collections/pand/items?f=json&limit=100&offset={rng.randrange(0, len(pand) - 100)}")
        items.append(f"/collections/pand/items/{pand.identificatie.iloc[rng.randrange(len(pand))]}?f=json")
    return {"bbox": bbox, "deep paging": pages, "single item": items}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ours(store, pand, work, workers):
    port = free_port()
    env = {**os.environ, "GEO_SERVER_URL": f"http://127.0.0.1:{port}"}
    proc = subprocess.Popen([str(BIN / "geo"), "serve", "--port", str(port), "--workers", str(workers),
                             "--store", str(store)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    return wait(proc, f"http://127.0.0.1:{port}")


def start_stock(store, pand, work, workers):
    """Stock pygeoapi: its GeoJSON provider on the same features (CRS84, as that provider expects)."""
    port = free_port()
    data = work / "pand.geojson"
    pand.to_crs("OGC:CRS84").to_file(data, driver="GeoJSON", engine="pyogrio")
    ours = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())
    resource = ours["resources"]["pand"]
    resource["providers"] = [{"type": "feature", "name": "GeoJSON", "data": str(data), "id_field": "identificatie"}]
    config = {**ours, "resources": {"pand": resource}}
    config["server"]["url"] = f"http://127.0.0.1:{port}"
    cfg = work / "stock-config.yml"
    cfg.write_text(yaml.safe_dump(config))
    openapi = work / "stock-openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(BIN / "pygeoapi"), "openapi", "generate", str(cfg), "--output-file", str(openapi)],
                   env=env, check=True, capture_output=True)
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                             "--log-level", "warning", "--timeout", "120", "pygeoapi.flask_app:APP"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return wait(proc, f"http://127.0.0.1:{port}")


def wait(proc, url):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if requests.get(f"{url}/conformance?f=json", timeout=2).ok:
                return proc, url
        except requests.ConnectionError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"server at {url} did not start")


def stop(proc) -> None:
    os.killpg(proc.pid, 15)
    proc.wait(timeout=20)


def load(url: str, paths: list[str], concurrency: int, seconds: float) -> dict:
    """Send every path once (bounded by ``seconds``); latencies of successful requests, and errors."""
    session_per_thread = {}
    deadline = time.perf_counter() + seconds

    def one(path):
        if time.perf_counter() > deadline:
            return None
        s = session_per_thread.setdefault(threading.get_ident(), requests.Session())
        t = time.perf_counter()
        r = s.get(url + path, timeout=120)
        return time.perf_counter() - t, r.status_code

    for path in paths[:concurrency]:  # warm-up: imports, caches, connections
        one(path)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        done = [r for r in pool.map(one, paths) if r is not None]
    wall = time.perf_counter() - start
    lat = sorted(d for d, status in done if status == 200)
    return {"n": len(done), "errors": sum(1 for _, s in done if s != 200), "rps": len(done) / wall,
            "p50": statistics.median(lat) * 1000 if lat else float("nan"),
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")}


def report(results: dict, n_features: int, args) -> None:
    print(f"\npand: {n_features} features; {args.workers} gunicorn workers each; {args.concurrency} concurrent "
          f"clients; up to {args.requests} requests per scenario; machine: {os.cpu_count()} cores\n")
    print(f"{'scenario':14} {'server':6} {'req':>5} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name in results["ours"]:
        for label in ("ours", "stock"):
            r = results[label][name]
            print(f"{name:14} {label:6} {r['n']:5d} {r['errors']:4d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f}")
        ratio = results["ours"][name]["rps"] / results["stock"][name]["rps"]
        print(f"{name:14} ratio ours/stock throughput: {ratio:.1f}x\n")


if __name__ == "__main__":
    main()
