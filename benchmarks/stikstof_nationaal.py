"""The national nitrogen screening on a local Dask cluster against the same computation in one process.

    .venv/bin/python benchmarks/stikstof_nationaal.py [--workers 2] [--out build/nationaal-bench]

1. ``analyses.stikstof.nationaal.run`` on a ``LocalCluster`` (all nitrogen-sensitive Natura 2000 areas, 3,411
   real 1-km NH3 sources): time per stage (relevant hexagons, GeoParquet, deposition + totaal + GeoParquet + summary).
2. The deposition alone: ``depositie`` mapped over the GeoParquet partitions on the cluster against one
   ``depositie`` call on all hexagons in this process; checks equal results (rtol 1e-9), prints the ratio.
3. Hexagons, pairs within 25 km, peak memory: tracemalloc of the single-process call, ru_maxrss of this
   process and of each worker.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyses.stikstof import relevant_hexagons  # noqa: E402
from analyses.stikstof.model import _pairs, depositie, receptor_points  # noqa: E402
from analyses.stikstof.nationaal import Inputs, cluster, read_bronnen, read_gebieden, run, screen  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def on_cluster(out: Path, workers: int) -> tuple[dict, np.ndarray, np.ndarray]:
    import dask_geopandas
    from distributed import wait

    start = time.perf_counter()
    with cluster(workers=workers) as client:
        startup = time.perf_counter() - start
        result = run(out, client)
        hexes = dask_geopandas.read_parquet(out / "hexagons", columns=["receptor_id", "natura2000_nr", "kdw_mol_ha_jr",
                                                                       "achtergrond_mol_ha_jr", "geometry"])
        clock = time.perf_counter()
        persisted = screen(hexes, read_bronnen(Inputs().bronnen)).persist()
        wait(persisted)
        seconds_dep = time.perf_counter() - clock
        table = persisted[["receptor_id", "bijdrage_bronnen_mol_ha_jr"]].compute()
        worker_rss = client.run(_maxrss_mb)
    figures = {"startup": startup, "run": result.seconds, "depositie": seconds_dep, "hexagons": result.hexagons,
               "partitions": result.partitions, "workers_rss": sorted(worker_rss.values()),
               "ha_over": result.summary["ha_overschrijding"].sum(), "areas": len(result.summary)}
    return figures, table["receptor_id"].to_numpy(), table["bijdrage_bronnen_mol_ha_jr"].to_numpy()


def single_process() -> tuple[dict, np.ndarray, np.ndarray]:
    bronnen = read_bronnen(Inputs().bronnen)
    clock = time.perf_counter()
    cells = relevant_hexagons(read_gebieden(Inputs()))
    seconds_hex = time.perf_counter() - clock
    tracemalloc.start()
    clock = time.perf_counter()
    values = depositie(bronnen, cells).to_numpy()
    seconds = time.perf_counter() - clock
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    pairs = sum(len(s) for s, *_ in _pairs(*receptor_points(bronnen, "bronnen"), *receptor_points(cells)))
    return ({"hexagons": seconds_hex, "depositie": seconds, "peak": peak, "pairs": pairs, "bronnen": len(bronnen)},
            cells["receptor_id"].to_numpy(), values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "nationaal-bench")
    args = parser.parse_args()
    start = time.perf_counter()
    dask, ids_dask, dep_dask = on_cluster(args.out, args.workers)
    wall_dask = time.perf_counter() - start
    one, ids_one, dep_one = single_process()
    order = np.argsort(ids_dask)
    assert np.array_equal(ids_dask[order], np.sort(ids_one))
    np.testing.assert_allclose(dep_dask[order], dep_one[np.argsort(ids_one)], rtol=1e-9)
    rel = np.max(np.abs(dep_dask[order] - dep_one[np.argsort(ids_one)]) / np.maximum(dep_one.max(), 1e-300))
    run_s = dask["run"]
    print(f"national screening: {dask['hexagons']:,} hexagons in {dask['areas']} areas, {one['bronnen']:,} sources, "
          f"{one['pairs']:,} pairs within 25 km, {dask['partitions']} partitions, {args.workers} workers")
    print(f"cluster run (analyses.stikstof.nationaal.run): {sum(run_s.values()):.1f} s"
          f" = relevant hexagons {run_s['hexagons']:.1f} s"
          f" + GeoParquet {run_s['geoparquet']:.1f} s + deposition/totaal/GeoParquet/summary {run_s['depositie']:.1f}"
          f" s; cluster start-up {dask['startup']:.1f} s; wall incl. start-up {wall_dask:.1f} s")
    print(f"deposition only: Dask map_partitions {dask['depositie']:.2f} s, single process {one['depositie']:.2f} s "
          f"({one['pairs'] / one['depositie'] / 1e6:.1f} M pairs/s), ratio single/Dask "
          f"{one['depositie'] / dask['depositie']:.2f}x; equal results (max difference {rel:.1e} of the maximum)")
    print(f"peak memory: single-process depositie {one['peak']:.0f} MB (tracemalloc); ru_maxrss this process "
          f"{_maxrss_mb():.0f} MB, workers {', '.join(f'{m:.0f}' for m in dask['workers_rss'])} MB")
    print(f"hectares above the KDW (areas with a known KDW): {dask['ha_over']:,.0f}")


if __name__ == "__main__":
    main()
