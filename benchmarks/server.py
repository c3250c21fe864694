"""Server benchmark: our GeoPackage and PostGIS configs vs stock pygeoapi (GeoJSON) and tipg on the same data.

Datasets (``--datasets``): ``pand`` (24,018 sample buildings of Schagen), ``hexagon`` (10,520 AERIUS receptor
hexagons) and ``natura2000`` (the 160 Natura 2000 areas, 516k vertices); the last two are real data, see
``real_data.py``.

ours, postgis and stock run as pygeoapi under gunicorn, tipg under uvicorn, all with the same worker count, on
loopback; postgis and tipg read the same tables of a throwaway PostgreSQL cluster (geo.store.testing_pg) built in this
run. All servers are up at once; a threaded client sends a fixed number of requests per scenario (bounded in
time too) to each, in slices that the servers take in turn (``--rounds``), and reports requests/s, p50 and p99,
the median size of an answer (decoded, and as sent with ``Accept-Encoding: gzip``, which every request carries) and
the ratios against stock and tipg.
Run: .venv/bin/python benchmarks/server.py [--requests 300] [--concurrency 8] [--rounds 5]
                                           [--servers ours,postgis,stock,tipg] [--datasets pand,hexagon,natura2000]
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
from contextlib import ExitStack
from functools import partial
from pathlib import Path

import geopandas as gpd
import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
SERVERS = ("ours", "postgis", "stock", "tipg")
PREFIX = {"tipg": "geo_public."}  # tipg names a collection schema.table
FORMAT = {"tipg": "geojson"}  # tipg's f=json is flat JSON with WKT geometry; f=geojson is the GeoJSON answer
KEYS = {"pand": "identificatie", "hexagon": "receptor_id", "natura2000": "nr"}
# per dataset: half side of the bbox in degrees, page size of bbox and deep paging, the least deep offset
SHAPES = {"pand": (0.004, 100, 5000), "hexagon": (0.01, 100, 5000), "natura2000": (0.1, 10, 50)}
import real_data  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

from bench_store import ensure_store  # noqa: E402


def main() -> None:
    args = parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    store = ensure_store(work)
    data = {"pand": gpd.read_file(store, layer="pand")} if "pand" in args.datasets else {}
    real = {k: v for k, v in real_data.frames().items() if k in args.datasets}
    real_data.add_to_geopackage(store, real)
    data.update(real)
    rng = random.Random(1)
    scenarios = {f"{name} {kind}": paths for name, frame in data.items()
                 for kind, paths in make_scenarios(name, frame, args.requests, rng).items()}
    notes = []
    with ExitStack() as stack:
        pg = start_postgis_store(stack, work, real) if {"postgis", "tipg"} & set(args.servers) else None
        starters = {"ours": start_ours, "stock": start_stock, "postgis": partial(start_postgis, pg),
                    "tipg": partial(start_tipg, pg, Path(args.tipg_bin))}
        urls = {}
        for label in args.servers:
            try:
                proc, urls[label] = starters[label](store, data, work, args.workers)
            except (RuntimeError, subprocess.CalledProcessError) as e:
                notes.append(f"{label}: not measured ({e})")
                continue
            stack.callback(stop, proc)
        results = {label: {} for label in urls}
        for label, url in urls.items():  # every worker warm on every scenario (imports, providers, connections)
            for paths in scenarios.values():
                load(url, for_server(paths[:2 * args.concurrency], label), args.concurrency, args.seconds,
                     warm_up=False)
        for name, paths in scenarios.items():
            for label, r in interleaved(urls, paths, args).items():
                results[label][name] = r
                print(f"{name:24} {label:8} {r['rps']:8.1f} req/s {r['kb']:9.1f} kB", flush=True)
    report(results, {name: len(frame) for name, frame in data.items()}, args, notes)
    shutil.rmtree(work, ignore_errors=True)


def interleaved(urls: dict[str, str], paths: list[str], args) -> dict[str, dict]:
    """One scenario on every server, in ``--rounds`` slices taken in turn (all servers up at once), so that
    other work on a shared machine weighs on every server alike rather than on whichever ran during it."""
    rounds = max(1, min(args.rounds, len(paths) // (2 * args.concurrency)))
    runs = {label: [] for label in urls}
    for i in range(rounds):
        part = paths[i::rounds]
        for label, url in urls.items():
            runs[label].append(load(url, for_server(part, label), args.concurrency, args.seconds / rounds,
                                    warm_up=i == 0))
    return {label: summarise(parts) for label, parts in runs.items()}


def for_server(paths: list[str], label: str) -> list[str]:
    prefix, f = PREFIX.get(label, ""), FORMAT.get(label, "json")
    return [p.replace("/collections/", f"/collections/{prefix}").replace("f=json", f"f={f}") for p in paths]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=300, help="requests per scenario")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--workers", type=int, default=2, help="gunicorn workers for both servers")
    p.add_argument("--seconds", type=float, default=60, help="time bound per scenario and server")
    p.add_argument("--rounds", type=int, default=5, help="slices per scenario, the servers taking turns")
    p.add_argument("--servers", type=lambda v: v.split(","), default=list(SERVERS),
                   help=f"comma-separated subset of {','.join(SERVERS)}")
    p.add_argument("--tipg-bin", default=str(BIN), help="folder of the uvicorn that can import tipg (its venv)")
    p.add_argument("--datasets", type=lambda v: v.split(","), default=list(KEYS),
                   help=f"comma-separated subset of {','.join(KEYS)}")
    return p.parse_args()


def make_scenarios(name: str, frame: gpd.GeoDataFrame, n: int, rng: random.Random) -> dict[str, list[str]]:
    """The same request paths for every server: bbox in CRS84 (the default) around a random feature, deep pages,
    single items, pages of 1,000 (a quarter as many)."""
    centres = frame.geometry.representative_point().to_crs("OGC:CRS84")
    key, (d, page, deep) = frame[KEYS[name]], SHAPES[name]
    items = f"/collections/{name}/items?f=json"
    bbox, pages, single, big = [], [], [], []
    for _ in range(n):
        c = centres.iloc[rng.randrange(len(centres))]
        bbox.append(f"{items}&limit={page}&bbox={c.x - d:.6f},{c.y - d:.6f},{c.x + d:.6f},{c.y + d:.6f}")
        pages.append(f"{items}&limit={page}&offset={rng.randrange(deep, len(frame) - page)}")
        single.append(f"/collections/{name}/items/{key.iloc[rng.randrange(len(frame))]}?f=json")
        big.append(f"{items}&limit=1000&offset={rng.randrange(0, max(1, len(frame) - 1000))}")
    return {"bbox": bbox, "deep paging": pages, "single item": single, "page 1000": big[: max(n // 4, 8)]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_ours(store, data, work, workers):
    port = free_port()
    env = {**os.environ, "GEO_SERVER_URL": f"http://127.0.0.1:{port}"}
    config = real_data.config_with_datasets(ROOT / "pygeoapi-config.yml", work / "ours-config.yml", data)
    proc = subprocess.Popen([str(BIN / "geo"), "serve", "--port", str(port), "--workers", str(workers),
                             "--store", str(store), "--config", str(config)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    return wait(proc, f"http://127.0.0.1:{port}")


def start_stock(store, data, work, workers):
    """Stock pygeoapi: its GeoJSON provider on the same features (CRS84, as that provider expects)."""
    port = free_port()
    ours = yaml.safe_load((ROOT / "pygeoapi-config.yml").read_text())
    resources = {}
    for name, frame in data.items():
        path = work / f"{name}.geojson"
        frame.to_crs("OGC:CRS84").to_file(path, driver="GeoJSON", engine="pyogrio")
        resource = dict(ours["resources"]["pand"], title=name, description=name)
        resource["providers"] = [{"type": "feature", "name": "GeoJSON", "data": str(path), "id_field": KEYS[name]}]
        resources[name] = resource
    config = {**ours, "resources": resources}
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


def start_postgis_store(stack: ExitStack, work: Path, real: dict) -> str:
    """A throwaway cluster with the default data built into it (rasters as COGs under ``work``) and the real
    datasets added."""
    from geo.store import testing_pg

    url = stack.enter_context(testing_pg.throwaway_cluster())
    env = {**os.environ, "GEO_RASTERS": str(work / "rasters"), "GEO_OUTPUT": str(work / "output")}
    subprocess.run([str(BIN / "geo"), "-q", "build", "--store", url], check=True, env=env)
    real_data.add_to_postgis(testing_pg.tcp_url(url), real)
    return url


def start_postgis(pg, store, data, work, workers):
    """Our PostGIS config (geo.serve.postgis_provider.PostGISProvider on the geo_public views and tables):
    geo serve --store URL."""
    port = free_port()
    config = real_data.config_with_datasets(ROOT / "pygeoapi-config-postgis.yml", work / "pg-config.yml", data)
    env = {**os.environ, "GEO_SERVER_URL": f"http://127.0.0.1:{port}", "GEO_RASTERS": str(work / "rasters"),
           "PYGEOAPI_OPENAPI": str(work / "postgis-openapi.yml")}
    proc = subprocess.Popen([str(BIN / "geo"), "serve", "--port", str(port), "--workers", str(workers),
                             "--store", pg, "--config", str(config)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    return wait(proc, f"http://127.0.0.1:{port}")


def start_tipg(pg, tipg_bin, store, data, work, workers):
    """tipg (FastAPI + asyncpg) on the same geo_public views and tables, with the same keys; uvicorn workers
    (from ``--tipg-bin``: tipg's own venv keeps its FastAPI and pydantic out of ours)."""
    from geo.store import testing_pg

    if shutil.which("uvicorn", path=str(tipg_bin)) is None:
        raise RuntimeError(f"uvicorn/tipg not installed in {tipg_bin}: python -m venv V && V/bin/pip install "
                           f"tipg==1.6.1 uvicorn, then --tipg-bin V/bin")
    port = free_port()
    tables = ",".join(f'"geo_public.{name}"' for name in data)
    env = {**os.environ, "DATABASE_URL": testing_pg.tcp_url(pg), "TIPG_DB_SCHEMAS": '["geo_public"]',
           "TIPG_DB_TABLES": f"[{tables}]",
           **{f"TIPG_TABLE_CONFIG__geo_public_{name}__PK": KEYS[name] for name in data}}
    proc = subprocess.Popen([str(tipg_bin / "uvicorn"), "tipg.main:app", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers), "--log-level", "warning", "--no-access-log"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return wait(proc, f"http://127.0.0.1:{port}")


def wait(proc, url, seconds: float = 120):
    """The server once it answers; on a busy shared machine the first answer may take seconds."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if requests.get(f"{url}/conformance?f=json", timeout=10).ok:
                return proc, url
        except requests.RequestException:  # not listening yet, or still importing
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"server at {url} did not start")


def stop(proc) -> None:
    os.killpg(proc.pid, 15)
    proc.wait(timeout=20)


def load(url: str, paths: list[str], concurrency: int, seconds: float, warm_up: bool = True) -> dict:
    """Send every path once (bounded by ``seconds`` after the warm-up) with ``Accept-Encoding: gzip``: (latency,
    status, decoded bytes, bytes sent) of each request and the wall time."""
    session_per_thread = {}
    deadline = float("inf")

    def one(path):
        if time.perf_counter() > deadline:
            return None
        s = session_per_thread.setdefault(threading.get_ident(), requests.Session())
        t = time.perf_counter()
        try:
            r = s.get(url + path, timeout=120, headers={"Accept-Encoding": "gzip"})
        except requests.RequestException:  # a worker killed on its timeout: an error, not the end of the run
            return time.perf_counter() - t, 0, 0, 0
        return time.perf_counter() - t, r.status_code, len(r.content), r.raw.tell()

    for path in paths[:concurrency] if warm_up else ():  # warm-up: imports, caches, connections
        one(path)
    start = time.perf_counter()
    deadline = start + seconds
    with ThreadPoolExecutor(concurrency) as pool:
        done = [r for r in pool.map(one, paths) if r is not None]
    wall = time.perf_counter() - start
    return {"done": done, "wall": wall}


def summarise(parts: list[dict]) -> dict:
    """Successful requests/s over the summed wall time of the slices, and their latencies."""
    done = [d for part in parts for d in part["done"]]
    ok = [d for d in done if d[1] == 200]
    lat = sorted(d[0] for d in ok)
    return {"n": len(done), "errors": len(done) - len(ok),
            "rps": len(lat) / max(sum(p["wall"] for p in parts), 1e-9),
            "kb": statistics.median(d[2] for d in ok) / 1000 if ok else float("nan"),
            "gz_kb": statistics.median(d[3] for d in ok) / 1000 if ok else float("nan"),
            "p50": statistics.median(lat) * 1000 if lat else float("nan"),
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")}


def report(results: dict, sizes: dict[str, int], args, notes: list[str]) -> None:
    counts = ", ".join(f"{name}: {n} features" for name, n in sizes.items())
    print(f"\n{counts}; {args.workers} workers each; {args.concurrency} concurrent "
          f"clients; up to {args.requests} requests per scenario (page 1000: a quarter); machine: "
          f"{os.cpu_count()} cores, shared with the client; median answer size decoded and gzip-encoded\n")
    print(f"{'scenario':24} {'server':8} {'req':>5} {'err':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'kB':>9} {'gzip kB':>8}")
    scenarios = next(iter(results.values()), {})
    for name in scenarios:
        for label, r in ((label, results[label][name]) for label in results):
            print(f"{name:24} {label:8} {r['n']:5d} {r['errors']:4d} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} "
                  f"{r['kb']:9.1f} {r['gz_kb']:8.1f}")
        for ours in ("ours", "postgis"):
            ratios = [f"{ours}/{base} {results[ours][name]['rps'] / max(results[base][name]['rps'], 1e-9):.2f}x"
                      for base in ("stock", "tipg") if ours in results and base in results]
            if ratios:
                print(f"{name:24} throughput {', '.join(ratios)}")
        print()
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
