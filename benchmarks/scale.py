"""Scale benchmark: time and peak memory of `geo build` (the sample municipality) and of the national nitrogen
screening (geo.national.run on a local Dask cluster) for growing sets of Natura 2000 areas.

Every step runs in a fresh child process; its peak memory is ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``
read in a small wrapper after the child ended: the high-water mark of the largest single process of the step
(the driver or one Dask worker), not their sum.
Run: .venv/bin/python benchmarks/scale.py [--areas 1,4,17,all] [--workers 2]
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

# Runs argv as a child, then prints its wall time and the children's peak RSS (MB) as JSON.
WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(json.dumps({"seconds": time.perf_counter() - t,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

# The national screening restricted to the first ``n`` nitrogen-sensitive areas (by number); "all": every one.
SCREEN = """
import json, sys
from pathlib import Path
from geo.national import Inputs, cluster, read_gebieden, run
n, out, workers = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
nrs = None if n == "all" else sorted(read_gebieden(Inputs())["nr"])[: int(n)]
with cluster(None, workers) as client:
    result = run(out, client, nrs=nrs)
print(json.dumps({"areas": len(result.summary), "hexagons": result.hexagons, "bronnen": result.bronnen}),
      file=open(out / "scale.json", "w"))
"""


def measure(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", WRAPPER, *argv], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--areas", type=lambda v: v.split(","), default=["1", "4", "17", "all"])
    p.add_argument("--workers", type=int, default=2, help="Dask workers of the local cluster")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scale-"))
    try:
        build = measure([str(BIN / "geo"), "-q", "build", "--store", str(work / "store.gpkg")])
        print(f"geo build (GM0441 Schagen, all layers): {build['seconds']:.1f} s, peak {build['maxrss_mb']:.0f} MB\n")
        print(f"{'areas':>6} {'hexagons':>9} {'sources':>8} {'seconds':>8} {'peak MB':>8}")
        for n in args.areas:
            out = work / f"nationaal-{n}"
            out.mkdir()
            m = measure([sys.executable, "-c", SCREEN, n, str(out), str(args.workers)])
            r = json.loads((out / "scale.json").read_text())
            print(f"{r['areas']:6d} {r['hexagons']:9,d} {r['bronnen']:8,d} {m['seconds']:8.1f} {m['maxrss_mb']:8.0f}")
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
