"""Speed of ``analyses.stikstof.depositie``: vectorised against a naive per-pair loop, and how it scales.

    .venv/bin/python benchmarks/stikstof_speed.py [--full]

1. The same sources and receptors through ``depositie`` (STRtree + numpy) and through a naive loop over
   every (source, receptor) pair with geopandas/shapely distances; checks equal results, prints the ratio.
2. Scaling: 100 → 10,000 sources × 10^4 → 10^6 receptors spread over 100 × 100 km (the 25 km cut-off then
   reaches ~15% of the receptors), with time, pairs within 25 km and peak memory (tracemalloc: Python
   and numpy allocations; ru_maxrss: the process high-water mark). ``--full`` adds 10,000 × 10^6.
"""

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyses.stikstof.model import KERNEL, MOL_N_PER_KG, _pairs, depositie, receptor_factor, receptor_points  # noqa: E402

X0, Y0, SIDE = 100_000.0, 450_000.0, 100_000.0
SEED = 441


def sources(n: int, rng: np.random.Generator) -> gpd.GeoDataFrame:
    xy = rng.uniform([X0, Y0], [X0 + SIDE, Y0 + SIDE], size=(n, 2))
    return gpd.GeoDataFrame({"vthobject_id": [f"B{i}" for i in range(n)], "nh3_emissie": rng.gamma(2, 800, n)},
                            geometry=shapely.points(xy), crs="EPSG:28992")


def receptors(n: int, rng: np.random.Generator, side: float = SIDE) -> gpd.GeoDataFrame:
    xy = rng.uniform([X0, Y0], [X0 + side, Y0 + side], size=(n, 2))
    return gpd.GeoDataFrame(geometry=shapely.points(xy), crs="EPSG:28992")


def naive(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame) -> np.ndarray:
    """The baseline: one geopandas row and one shapely distance per pair, in Python (same model: distance
    kernel × wind-rose direction factor × the receptor's surface factor)."""
    out = np.zeros(len(receptoren))
    for _, bron in bronnen.iterrows():
        emission = bron["nh3_emissie"] * MOL_N_PER_KG["nh3_emissie"]
        for j, receptor in enumerate(receptoren.geometry):
            dx, dy = np.array([receptor.x - bron.geometry.x]), np.array([receptor.y - bron.geometry.y])
            surface = receptor_factor(np.array([receptor.x]), np.array([receptor.y]), KERNEL)[0]
            out[j] += emission * float(KERNEL(bron.geometry.distance(receptor))) * float(
                KERNEL.direction_factor(dx, dy)[0]) * surface
    return out


def compare(rng: np.random.Generator) -> None:
    bronnen, receptoren = sources(40, rng), receptors(2_500, rng, side=40_000)
    start = time.perf_counter()
    slow = naive(bronnen, receptoren)
    t_naive = time.perf_counter() - start
    repeats = 20
    start = time.perf_counter()
    for _ in range(repeats):
        fast = depositie(bronnen, receptoren).to_numpy()
    t_fast = (time.perf_counter() - start) / repeats
    np.testing.assert_allclose(fast, slow, rtol=1e-9)
    print(f"same inputs ({len(bronnen)} sources × {len(receptoren)} receptors = {len(bronnen) * len(receptoren):,} "
          f"pairs), equal results:\n  naive per-pair loop {t_naive:8.3f} s\n  depositie (vectorised) "
          f"{t_fast:8.4f} s\n  ratio {t_naive / t_fast:,.0f}x")


def scale(n_src: int, n_rec: int, rng: np.random.Generator) -> str:
    bronnen, receptoren = sources(n_src, rng), receptors(n_rec, rng)
    tracemalloc.start()
    start = time.perf_counter()
    result = depositie(bronnen, receptoren)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pairs = _pairs_count(bronnen, receptoren)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert (result >= 0).all()
    return (f"| {n_src:>6,} | {n_rec:>9,} | {pairs:>13,.0f} | {seconds:8.2f} | {pairs / seconds / 1e6:7.1f} | "
            f"{peak / 2**20:8.0f} | {rss:7.0f} |")


def _pairs_count(bronnen, receptoren) -> int:
    """Pairs within 25 km, counted block by block after the timing (memory stays bounded)."""
    return sum(len(src) for src, *_ in _pairs(*receptor_points(bronnen), *receptor_points(receptoren)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also 10,000 sources × 10^6 receptors")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    compare(rng)
    print("\n| sources | receptors | pairs ≤ 25 km | seconds | M pairs/s | peak MB (tracemalloc) | maxrss MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    runs = [(s, r) for r in (10**4, 10**5, 10**6) for s in (100, 1_000, 10_000)]
    for n_src, n_rec in runs:
        if (n_src, n_rec) == (10_000, 10**6) and not args.full:
            continue
        print(scale(n_src, n_rec, rng), flush=True)


if __name__ == "__main__":
    main()
