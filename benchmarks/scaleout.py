"""Scale-out: throughput of 1, 2 and 4 `geo serve` instances on one PostGIS store behind the shipped nginx site.

One throwaway PostgreSQL 15 + PostGIS cluster (geo.store.testing_pg) with the default data built into it; four
`geo serve --store postgresql://...` instances (``--workers`` each, default 1) and three nginx servers with
deploy/nginx/omgevingsgeo.conf (listen address and upstream changed: the first, two or all four instances), all up at
once. The load client is Debian's ``wrk`` (one thread, epoll; a Lua script picks a random path per request), so the
client costs little CPU; every request carries ``Accept-Encoding: gzip`` as browsers and GDAL do. The shipped
site's per-client ``limit_req``/``limit_conn`` are lifted in the benchmark's copy: all load comes from 127.0.0.1,
which the limits (20 requests/s) would otherwise answer with 429.

Scenarios on ``pand`` (the same paths as benchmarks/server.py): bbox (limit 100 around a random building),
single item, page of 100 at a random offset. Each (scenario, instance count) runs ``--rounds`` times, the instance
counts taking turns within a round, so other work on the shared machine weighs on all of them alike. Reported:
requests/s, p50/p99 (wrk's latency), the ratio against 1 instance, and the CPU each group of processes used
(psutil: geo serve, postgres, nginx, wrk) in percent of one core over the run.

Run: .venv/bin/python benchmarks/scaleout.py [--seconds 10] [--rounds 3] [--connections 16] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))

from server import make_scenarios, start_postgis_store, stop, wait  # noqa: E402  (benchmarks/ is on sys.path)

from helpers.nginx import running_nginx  # noqa: E402
from helpers.server import free_port  # noqa: E402

COUNTS = (1, 2, 4)
SCENARIOS = {"bbox": "bbox", "single item": "single item", "page of 100": "deep paging"}  # ours: server.py's
GROUPS = ("geo serve", "postgres", "nginx", "wrk")
LUA = """
local paths = {}
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(tonumber(args[2]))
end
function request()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "gzip"})
end
function done(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
              + summary.errors.timeout
  io.write(string.format('RESULT {"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, bad, latency:percentile(50), latency:percentile(99)))
end
"""


def main() -> None:
    args = parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        sys.exit("scaleout: needs wrk (apt-get install -y wrk)")
    work = Path(tempfile.mkdtemp(prefix="bench-scaleout-"))
    subprocess.run([str(BIN / "geo"), "-q", "sample"], check=True, stdout=subprocess.DEVNULL)
    with ExitStack() as stack:
        pg = start_postgis_store(stack, work, {})
        paths = scenario_files(pg, work, args.paths)
        ports = [start_instance(stack, pg, work, args.workers) for _ in range(max(COUNTS))]
        fronts = {n: stack.enter_context(running_nginx(work / f"nginx-{n}", ports[:n], lift_limits=True))
                  for n in COUNTS}
        (work / "random.lua").write_text(LUA)
        runs = measure(wrk, work, fronts, paths, args, Ours(ports, work, pg))
    report(runs, args)
    shutil.rmtree(work, ignore_errors=True)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10, help="seconds per run (scenario, instance count, round)")
    p.add_argument("--rounds", type=int, default=3, help="rounds; the instance counts take turns in each")
    p.add_argument("--connections", type=int, default=16, help="wrk's open connections (requests in flight)")
    p.add_argument("--workers", type=int, default=1, help="gunicorn workers per instance")
    p.add_argument("--paths", type=int, default=2000, help="random paths per scenario")
    return p.parse_args()


def scenario_files(pg: str, work: Path, n: int) -> dict[str, Path]:
    """One file of request paths (under /v1, as nginx serves them) per scenario."""
    from geo.core.settings import Settings
    from geo.store import open_store

    frame = open_store(pg, Settings()).read("pand", columns=["identificatie"])
    made = make_scenarios("pand", frame, n, random.Random(1))
    files = {}
    for name, key in SCENARIOS.items():
        files[name] = work / f"{key.replace(' ', '-')}.txt"
        files[name].write_text("".join(f"/v1{path}\n" for path in made[key]))
    return files


def start_instance(stack: ExitStack, pg: str, work: Path, workers: int) -> int:
    """`geo serve --store postgresql://...` on a free port; its port."""
    port = free_port()
    env = {**os.environ, "GEO_SERVER_URL": "http://127.0.0.1/v1", "GEO_RASTERS": str(work / "rasters"),
           "GEO_OUTPUT": str(work / "output"), "PYGEOAPI_OPENAPI": str(work / "openapi-postgis.yml")}
    proc = subprocess.Popen([str(BIN / "geo"), "serve", "--port", str(port), "--workers", str(workers),
                             "--store", pg], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    wait(proc, f"http://127.0.0.1:{port}")
    stack.callback(stop, proc)
    return port


def measure(wrk: str, work: Path, fronts: dict[int, str], paths: dict[str, Path], args, ours: Ours) -> dict:
    """{(scenario, count): [run, ...]}: every scenario on every front, warm first, then ``--rounds`` rounds."""
    runs: dict[tuple[str, int], list[dict]] = {}
    for name, file in paths.items():
        for url in fronts.values():  # warm: every thread's connection, PROJ objects, plans
            run_wrk(wrk, work, url, file, 2, args.connections, 0, ours)
        for i in range(args.rounds):
            for n, url in (fronts.items() if i % 2 == 0 else reversed(fronts.items())):
                run = run_wrk(wrk, work, url, file, args.seconds, args.connections, i + 1, ours)
                runs.setdefault((name, n), []).append(run)
                print(f"{name:12} {n} instance(s) round {i + 1}: {run['rps']:7.1f} req/s, p50 {run['p50']:6.1f} ms, "
                      f"p99 {run['p99']:6.1f} ms, errors {run['errors']}; CPU % "
                      + ", ".join(f"{g} {run['cpu'][g]:.0f}" for g in GROUPS), flush=True)
    return runs


def run_wrk(wrk: str, work: Path, url: str, paths: Path, seconds: float, connections: int, seed: int,
            ours: Ours) -> dict:
    """One wrk run: requests/s, latencies (ms), errors, and each group's CPU in % of one core meanwhile."""
    before, started = ours.cpu(), time.monotonic()
    out = subprocess.run([wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s",
                          str(work / "random.lua"), url, "--", str(paths), str(seed)],
                         capture_output=True, text=True, check=True).stdout
    wall, after = time.monotonic() - started, ours.cpu()
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    ok = result["requests"] - result["errors"]
    return {"rps": ok / (result["duration_us"] / 1e6), "p50": result["p50_us"] / 1000,
            "p99": result["p99_us"] / 1000, "errors": result["errors"], "requests": result["requests"],
            "cpu": {g: 100 * (after[g] - before[g]) / wall for g in GROUPS}}


class Ours:
    """This run's processes (the machine is shared: other engineers run gunicorn, nginx and postgres too): the
    instances by their bind port, nginx and postgres by their master's folder and its children; wrk, the only
    child this process reaps meanwhile, by ``getrusage(RUSAGE_CHILDREN)``."""

    def __init__(self, ports: list[int], work: Path, pg: str):
        self.binds = tuple(f"--bind 127.0.0.1:{port} " for port in ports)
        self.nginx = f"-p {work}/nginx-"
        self.pg_socket = f"-k {pg.split('host=')[1].split('&')[0]}"

    def cpu(self) -> dict[str, float]:
        """CPU seconds (user + system) so far of each group."""
        infos = [p.info for p in psutil.process_iter(["pid", "ppid", "cmdline", "cpu_times"]) if p.info["cpu_times"]]
        masters = {i["pid"]: g for i in infos if (g := self._master(" ".join(i["cmdline"] or []) + " "))}
        total = dict.fromkeys(GROUPS, 0.0)
        for info in infos:
            group = masters.get(info["pid"]) or masters.get(info["ppid"])
            if group:
                total[group] += info["cpu_times"].user + info["cpu_times"].system
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        total["wrk"] = children.ru_utime + children.ru_stime
        return total

    def _master(self, cmdline: str) -> str | None:
        if any(bind in cmdline for bind in self.binds):
            return "geo serve"  # master and workers alike (forked: the same command line)
        if self.nginx in cmdline:
            return "nginx"
        return "postgres" if self.pg_socket in cmdline else None


def report(runs: dict, args) -> None:
    print(f"\n{args.workers} worker(s) x 4 threads per instance; wrk -t1 -c{args.connections}, {args.seconds:.0f} s "
          f"x {args.rounds} rounds per cell; machine: {os.cpu_count()} cores (shared); load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print(f"{'scenario':12} {'inst':>4} {'req/s':>8} {'x 1':>6} {'p50 ms':>8} {'p99 ms':>8} {'err':>4} "
          f"{'req/CPU-s':>9}  " + "  ".join(f"{g + ' %':>11}" for g in GROUPS))
    for name in SCENARIOS:
        base = None
        for n in COUNTS:
            cell = runs[(name, n)]
            rps = sum(r["rps"] for r in cell) / len(cell)
            base = base or rps
            p50 = sorted(r["p50"] for r in cell)[len(cell) // 2]
            p99 = max(r["p99"] for r in cell)
            cpu = {g: sum(r["cpu"][g] for r in cell) / len(cell) for g in GROUPS}
            per_cpu_s = rps / max((cpu["geo serve"] + cpu["postgres"]) / 100, 1e-9)
            print(f"{name:12} {n:4d} {rps:8.1f} {rps / base:5.2f}x {p50:8.1f} {p99:8.1f} "
                  f"{sum(r['errors'] for r in cell):4d} {per_cpu_s:9.1f}  "
                  + "  ".join(f"{cpu[g]:11.0f}" for g in GROUPS))
    print("\nreq/s: the mean of the rounds; p50: the median round's; p99: the worst round's; CPU: % of one core; "
          "req/CPU-s: requests per CPU-second of geo serve and postgres together (flat: the instances scale with the "
          "CPU they get, nothing is lost to coordination)")


if __name__ == "__main__":
    main()
