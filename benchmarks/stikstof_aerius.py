"""Agreement of the screening model with a real AERIUS calculation; fits the model's three parameters.

    .venv/bin/python benchmarks/stikstof_aerius.py [--gpkg PATH] [--fixture tests/data/aerius/]

Reads the 78 Overijssel farms (``NH3_emissie``, kg/jr) and AERIUS's ``deposition_nh3`` per receptor
hexagon, fits ``a``, ``p`` and ``d0`` of ``analyses.stikstof_model.Kernel`` (least squares of the log
ratio; ``a`` in closed form, ``p`` and ``d0`` on a grid refined twice), and prints Spearman rank
correlation, median ratio ours/AERIUS and the share of hexagons within a factor 2 (all, and the 10% most
loaded) for the fitted kernel, the kernel in the module and a plain power law (d0 = 0) as baseline.
``--fixture`` writes the small real subset the tests use.
"""

import argparse
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyses.stikstof_model import KERNEL, Kernel, depositie, emissions_mol, pair_distances  # noqa: E402

GPKG = Path("/work/shared/data/real/aerius-hexagons-overijssel/aerius_resultaat_veehouderijen_overijssel.gpkg")
FARM_FIELDS = ["VTHOBJECT_ID", "Type", "NH3_emissie", "sector", "geometry"]  # no Adres: tests need no address


def load(path: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    farms = gpd.read_file(path, layer="veehouderijen_overijssel")[FARM_FIELDS]
    hexagons = gpd.read_file(path, layer="receptor_hexagons")[["receptor_id", "deposition_nh3", "geometry"]]
    return farms, hexagons


def agreement(ours: np.ndarray, aerius: np.ndarray) -> dict[str, float]:
    """Spearman, median ratio, share within a factor 2 (all hexagons and the 10% most loaded by AERIUS)."""
    ratio = ours / aerius
    within = (ratio >= 0.5) & (ratio <= 2)
    top = aerius >= np.quantile(aerius, 0.9)
    spearman = pd.Series(ours).rank().corr(pd.Series(aerius).rank())
    return {"spearman": round(float(spearman), 4), "median_ratio": round(float(np.median(ratio)), 3),
            "within_2x": round(float(within.mean()), 3), "within_2x_top10": round(float(within[top].mean()), 3)}


def fit(farms: gpd.GeoDataFrame, hexagons: gpd.GeoDataFrame, soften: bool = True) -> Kernel:
    """Least squares of log(ours/AERIUS) over p and d0 (grid, refined twice); a in closed form."""
    src, rec, d = pair_distances(farms, hexagons)
    weight = emissions_mol(farms)[src]
    log_obs = np.log(hexagons["deposition_nh3"].to_numpy())

    def score(p: float, d0: float) -> tuple[float, float]:
        unit = np.bincount(rec, weights=weight * Kernel(1.0, p, d0)(d), minlength=len(hexagons))
        log_a = np.mean(log_obs - np.log(unit))
        return float(np.mean((np.log(unit) + log_a - log_obs) ** 2)), float(np.exp(log_a))

    ps, d0s = np.arange(1.0, 2.61, 0.1), (np.arange(0, 401, 25.0) if soften else np.array([0.0]))
    for step_p, step_d0 in ((0.1, 25.0), (0.02, 5.0), (0.01, 1.0)):
        best = min(((score(p, d0)[0], p, d0) for p in ps for d0 in d0s))
        _, p0, d00 = best
        ps = np.arange(p0 - step_p, p0 + step_p + 1e-9, step_p / 2 if step_p > 0.01 else 0.01)
        d0s = np.arange(max(0.0, d00 - step_d0), d00 + step_d0 + 1e-9, max(step_d0 / 5, 1.0)) if soften else d0s
    _, p, d0 = best
    return Kernel(round(score(p, d0)[1], 4), round(float(p), 2), round(float(d0), 0))


def write_fixture(farms: gpd.GeoDataFrame, hexagons: gpd.GeoDataFrame, folder: Path, n: int = 200) -> Path:
    """A seeded subset of ``n`` hexagons, stratified over the deposition range, plus all farms."""
    ranked = hexagons.sort_values("deposition_nh3").reset_index(drop=True)
    picks = np.unique(np.linspace(0, len(ranked) - 1, n).round().astype(int))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "aerius_overijssel_subset.gpkg"
    path.unlink(missing_ok=True)
    ranked.iloc[picks].to_file(path, layer="receptor_hexagons", engine="pyogrio")
    farms.to_file(path, layer="veehouderijen_overijssel", engine="pyogrio")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", type=Path, default=GPKG)
    parser.add_argument("--fixture", type=Path, default=None, help="write the test subset into this folder")
    args = parser.parse_args()
    farms, hexagons = load(args.gpkg)
    aerius = hexagons["deposition_nh3"].to_numpy()
    print(f"{len(farms)} farms, {len(hexagons)} hexagons, AERIUS deposition_nh3 "
          f"{aerius.min():.3f}–{aerius.max():.1f} mol/ha/jr")
    fitted, plain = fit(farms, hexagons), fit(farms, hexagons, soften=False)
    for label, kernel in (("fitted", fitted), ("in module", KERNEL), ("plain power law", plain)):
        ours = depositie(farms, hexagons, kernel).to_numpy()
        print(f"{label:16} a={kernel.a:<9g} p={kernel.p:<5g} d0={kernel.d0_m:<5g} m  "
              f"mass within 25 km {kernel.mass_fraction():.1%}  {agreement(ours, aerius)}")
    if args.fixture:
        print(f"wrote {write_fixture(farms, hexagons, args.fixture)}")


if __name__ == "__main__":
    main()
