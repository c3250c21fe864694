"""Scale benchmark: time and peak memory of `geo sample` + `geo build` and of the nitrogen screening for 1, 4 and 17
municipalities of Noord-Holland Noord, and for the whole country (`geo build --gemeente ALL` and the national
screening, analyses.stikstof.nationaal.run on a local Dask cluster).

- **Municipalities**: 1 = Schagen (GM0441); 4 = the Kop van Noord-Holland (Schagen, Den Helder, Hollands Kroon,
  Texel); 17 = every municipality of the omgevingsdienst (the boundary file in data/). Each municipality gets
  its own GeoPackage store and three steps, one after another: `geo sample --gemeente X` (the seeded sample
  registers; see samples/kernen.py for the 16 generated ones), `geo build --gemeente X` (all layers
  plus the after-build analyses, the nitrogen screening among them) and `geo analyse stikstof` on that store
  (the screening alone, again). The sets are nested and run one municipality after another, so each
  municipality is measured once and a set's time is the sum over its members; its peak is the largest peak
  of any one step.
- **Country**: `geo build --gemeente ALL` (the 345 municipal boundaries and the real national NH3 sources as
  GeoParquet partitioned by gemeente, analyses/stikstof/nationaal.py build_all) and the national screening on every
  nitrogen-sensitive Natura 2000 area (analyses.stikstof.nationaal.run, the code path of
  benchmarks/stikstof_nationaal.py).
  Both read the real national data in $GEO_REAL_DATA (default /work/shared/data/real).

Every step runs in a fresh child process; its peak memory is ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``
read in a small wrapper after the child ended: the high-water mark of the largest single process of the step
(the driver or one Dask worker), not their sum. The sources are a temporary copy of data/, and every store and
output lies in a temporary folder: nothing in the repository changes.
Run: .venv/bin/python benchmarks/scale.py [--gemeenten 1,4,17,all] [--workers 2] [--keep DIR]
Indicatieve screening, geen AERIUS-berekening.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GEO = str(BIN / "geo")
SCHAGEN = "GM0441"
KOP = ["GM0441", "GM0400", "GM1911", "GM0448"]  # Schagen, Den Helder, Hollands Kroon, Texel
STEPS = ("sample", "build", "stikstof")

# Runs argv as a child, then prints its wall time and the children's peak RSS (MB) as JSON.
WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(json.dumps({"seconds": time.perf_counter() - t,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

# The national screening on every nitrogen-sensitive area ("all") or the first ``n`` of them (by number).
SCREEN = """
import json, sys
from pathlib import Path
from analyses.stikstof.nationaal import Inputs, cluster, read_gebieden, run
n, out, workers = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
nrs = None if n == "all" else sorted(read_gebieden(Inputs())["nr"])[: int(n)]
with cluster(None, workers) as client:
    result = run(out, client, nrs=nrs)
print(json.dumps({"areas": len(result.summary), "hexagons": result.hexagons, "bronnen": result.bronnen}),
      file=open(out / "scale.json", "w"))
"""


def measure(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *argv], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def nhn_codes(data: Path) -> list[str]:
    """The 17 municipalities of the boundary file: Schagen, the rest of the Kop, then the others by code."""
    import pyogrio

    codes = sorted(pyogrio.read_dataframe(data / "sources/gemeentegrenzen/gemeente_gegeneraliseerd_2022_nhn_rd.gpkg",
                                          columns=["statcode"], read_geometry=False)["statcode"])
    return KOP + [c for c in codes if c not in KOP]


def features(store: Path) -> dict[str, int]:
    import pyogrio

    return {layer: pyogrio.read_info(store, layer=layer)["features"]
            for layer in ("verblijfsobject", "stikstofbron", "stikstof_hexagon")}


def municipality(code: str, data: Path, work: Path) -> dict:
    """sample, build and the nitrogen screening of one municipality, each step in its own child."""
    store = work / f"store_{code}.gpkg"
    steps = {
        "sample": measure([GEO, "-q", "sample", "--gemeente", code, "--data", str(data)]),
        "build": measure([GEO, "-q", "build", "--gemeente", code, "--data", str(data), "--store", str(store)]),
        "stikstof": measure([GEO, "-q", "analyse", "stikstof", "--store", str(store)]),
    }
    return {"code": code, **steps, **features(store)}


def country(work: Path, workers: int) -> dict:
    """`geo build --gemeente ALL` and the national screening on all areas."""
    build = measure([GEO, "-q", "build", "--gemeente", "ALL", "--store", str(work / "nl" / "store.gpkg")])
    out = work / "nationaal-screening"
    out.mkdir()
    screen = measure([sys.executable, "-c", SCREEN, "all", str(out), str(workers)])
    return {"build": build, "stikstof": screen, **json.loads((out / "scale.json").read_text())}


def summarise(runs: list[dict]) -> dict:
    row = {step: sum(r[step]["seconds"] for r in runs) for step in STEPS}
    row["peak"] = max(r[step]["maxrss_mb"] for r in runs for step in STEPS)
    row["n"] = len(runs)
    row.update({k: sum(r[k] for r in runs) for k in ("verblijfsobject", "stikstofbron", "stikstof_hexagon")})
    return row


def print_tables(sets: dict[str, dict], runs: list[dict], national: dict | None) -> None:
    base = sets.get("1")
    print(f"\n{'gemeenten':>9} {'vbo':>8} {'bronnen':>7} {'hexagons':>8} {'sample s':>8} {'build s':>8} "
          f"{'stikstof s':>10} {'total s':>8} {'mean/gem s':>10} {'peak MB':>7} {'× time':>6} {'× vbo':>6}")
    for _label, s in sets.items():
        total = s["sample"] + s["build"] + s["stikstof"]
        ratio = f"{total / (base['sample'] + base['build'] + base['stikstof']):6.1f}" if base else "     -"
        vbo = f"{s['verblijfsobject'] / base['verblijfsobject']:6.1f}" if base else "     -"
        print(f"{s['n']:9d} {s['verblijfsobject']:8,d} {s['stikstofbron']:7,d} {s['stikstof_hexagon']:8,d} "
              f"{s['sample']:8.1f} {s['build']:8.1f} {s['stikstof']:10.1f} {total:8.1f} {total / s['n']:10.1f} "
              f"{s['peak']:7.0f} {ratio} {vbo}")
    print(f"\n{'gemeente':>8} {'vbo':>7} {'hexagons':>8} {'sample s':>8} {'build s':>8} {'stikstof s':>10} "
          f"{'peak MB':>7}")
    for r in runs:
        peak = max(r[step]["maxrss_mb"] for step in STEPS)
        print(f"{r['code']:>8} {r['verblijfsobject']:7,d} {r['stikstof_hexagon']:8,d} {r['sample']['seconds']:8.1f} "
              f"{r['build']['seconds']:8.1f} "
              f"{r['stikstof']['seconds']:10.1f} {peak:7.0f}")
    if national:
        print(f"\ncountry: geo build --gemeente ALL {national['build']['seconds']:.1f} s, peak "
              f"{national['build']['maxrss_mb']:.0f} MB; national screening ({national['areas']} areas, "
              f"{national['hexagons']:,} hexagons, {national['bronnen']:,} sources) "
              f"{national['stikstof']['seconds']:.1f} s, peak {national['stikstof']['maxrss_mb']:.0f} MB")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gemeenten", type=lambda v: v.split(","), default=["1", "4", "17", "all"],
                   help="sets to measure: 1, 4, 17 municipalities of NHN and/or all (the country)")
    p.add_argument("--workers", type=int, default=2, help="Dask workers of the local cluster (country)")
    p.add_argument("--keep", type=Path, default=None, help="write the measurements as JSON to this file")
    args = p.parse_args()
    sizes = sorted(int(g) for g in args.gemeenten if g != "all")
    work = Path(tempfile.mkdtemp(prefix="scale-"))
    try:
        data = work / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("generated"))
        order = nhn_codes(data)[: max(sizes, default=0)]
        runs = []
        for code in order:
            runs.append(municipality(code, data, work))
            r = runs[-1]
            print(f"{code}: sample {r['sample']['seconds']:.1f} s, build {r['build']['seconds']:.1f} s, "
                  f"stikstof {r['stikstof']['seconds']:.1f} s", flush=True)
        sets = {str(n): summarise(runs[:n]) for n in sizes}
        national = country(work, args.workers) if "all" in args.gemeenten else None
        print_tables(sets, runs, national)
        if args.keep:
            args.keep.write_text(json.dumps({"runs": runs, "sets": sets, "country": national}, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
