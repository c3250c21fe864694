"""Agreement of the nitrogen screening with three independent AERIUS runs, leave one case out.

    .venv/bin/python benchmarks/stikstof_aerius.py [--fixture tests/data/aerius/] [--fit-receptors 4000] [--quick]
        [--ceiling]

Cases (``$GEO_REAL_DATA``, default /work/shared/data/real; licence: none stated — benchmarks and tests only):
``overijssel`` (78 livestock farms, 10,520 hexagons), ``friesland`` (3,474 km² area sources, 38,541 hexagons) and
``kopros`` (one stable, 10,293 hexagons). For each case held out, three models (``MODELS``) are fitted on the
other two (least squares of the log ratio ours/AERIUS, each training case weighted equally, ``a`` in closed form,
the rest by Nelder–Mead on a seeded subsample of receptors): the isotropic power law (``a``, ``p``, ``d0``), the
power law with fitted wind-rose and land-use exponents (the model before the plume), and the module's model, the
low-source plume (``Kernel`` ``vorm="pluim"``: shape from sigma_z, wind rose and deposition-velocity ratio as
they are; fitted: ``a`` and the depletion ``kappa``). Each is scored on the held-out case only, through
``analyses.stikstof.depositie``: Spearman, median ratio ours/AERIUS, share within a factor 2 over all hexagons
and over the 10% most loaded (by AERIUS), and per Natura 2000 area (``--areas``). The upper-value factor
(``BOVENGRENS_FACTOR``) is the largest, over the held-out cases, of the 90th percentile of AERIUS/ours of the
plume on the 10% most loaded hexagons, rounded up. Never a score on a case the parameters were fitted to.
``--quick`` fits and scores the module's model only (the plume; about a third of the time). ``--ceiling`` adds,
for the single stable, what no radial or directional change of the model can beat (``kopros_ceiling``: a
diagnostic fitted on Kopros itself, never a score).
Indicatieve screening, geen AERIUS-berekening.
"""

import argparse
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analyses.stikstof.model import (  # noqa: E402
    HEXAGON_RMS_M,
    KERNEL,
    Kernel,
    depositie,
    emissions_mol,
    pair_distances,
    receptor_factor,
    receptor_points,
    source_reach_m,
    source_spread_m2,
)

REAL = Path(os.environ.get("GEO_REAL_DATA", "/work/shared/data/real"))
GPKG = REAL / "aerius-hexagons-overijssel" / "aerius_resultaat_veehouderijen_overijssel.gpkg"
FARM_FIELDS = ["VTHOBJECT_ID", "Type", "NH3_emissie", "sector", "geometry"]  # no Adres: tests need no address
GCN_NH3 = Path(__file__).resolve().parents[1] / "data" / "sources" / "rivm-gcn" / "conc_NH3_2023.asc"  # 1 km, µg/m³
KOPROS_MIN = 0.05  # mol/ha/jr: the single stable is scored above this (most of its 10,293 hexagons are ~0.04)


@dataclass
class Case:
    name: str
    bronnen: gpd.GeoDataFrame
    receptoren: gpd.GeoDataFrame  # points, with ``aerius`` (mol N/ha/jr)

    @property
    def scored(self) -> np.ndarray:
        """Receptors the case is scored on: all, or above ``KOPROS_MIN`` for the single stable."""
        a = self.receptoren["aerius"].to_numpy()
        return a > KOPROS_MIN if self.name == "kopros" else np.ones(len(a), bool)


def load(path: Path = GPKG) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    farms = gpd.read_file(path, layer="veehouderijen_overijssel")[FARM_FIELDS]
    hexagons = gpd.read_file(path, layer="receptor_hexagons")[["receptor_id", "deposition_nh3", "geometry"]]
    return farms, hexagons


def _csv_case(name: str, folder: str, column: str) -> Case:
    src = pd.read_csv(REAL / folder / "sources.csv.gz")
    bronnen = gpd.GeoDataFrame({"nh3_emissie": src["emission_kg_nh3"]}, crs="EPSG:28992",
                               geometry=shapely.from_wkt(src["wkt"]))
    rec = pd.read_csv(REAL / folder / "receptors.csv.gz")
    receptoren = gpd.GeoDataFrame({"receptor_id": rec["receptor_id"], "aerius": rec[column]}, crs="EPSG:28992",
                                  geometry=shapely.points(rec["x"], rec["y"]))
    return Case(name, bronnen, receptoren[receptoren["aerius"] > 0].reset_index(drop=True))


def cases() -> list[Case]:
    farms, hexagons = load()
    pts = gpd.GeoDataFrame({"receptor_id": hexagons["receptor_id"], "aerius": hexagons["deposition_nh3"]},
                           crs=hexagons.crs, geometry=hexagons.geometry.centroid)
    return [Case("overijssel", farms, pts),
            _csv_case("friesland", "aerius-friesland-landbouw-1km2", "dep_landbouw_1km2"),
            _csv_case("kopros", "aerius-kopros", "dep_kopros_5m")]


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return float(pd.Series(x).rank().corr(pd.Series(y).rank()))  # ties (AERIUS: 3 significant digits) averaged


def agreement(ours: np.ndarray, aerius: np.ndarray) -> dict[str, float]:
    """Spearman, median ratio (all, top 10%), share within a factor 2 (all, top 10% most loaded by AERIUS)."""
    ratio = ours / aerius
    within = (ratio >= 0.5) & (ratio <= 2)
    top = aerius >= np.quantile(aerius, 0.9)
    return {"spearman": round(_spearman(ours, aerius), 3), "median_ratio": round(float(np.median(ratio)), 3),
            "median_ratio_top10": round(float(np.median(ratio[top])), 3),
            "within_2x": round(float(within.mean()), 3), "within_2x_top10": round(float(within[top].mean()), 3),
            "cover_q90_top10": round(float(np.quantile(aerius[top] / ours[top], 0.9)), 3)}


# ---- fitting: precomputed pairs of a receptor subsample, evaluated with the model's own Kernel methods ----

@dataclass
class _Pairs:
    src: np.ndarray
    rec: np.ndarray
    dx: np.ndarray
    dy: np.ndarray
    d: np.ndarray
    weight: np.ndarray
    spread: np.ndarray
    reach: np.ndarray
    rx: np.ndarray
    ry: np.ndarray
    log_obs: np.ndarray

    @property
    def top(self) -> np.ndarray:
        return self.log_obs >= np.quantile(self.log_obs, 0.9)


def _fit_pairs(case: Case, n: int, seed: int = 1) -> _Pairs:
    rng = np.random.default_rng(seed)
    keep = np.flatnonzero(case.scored)
    if len(keep) > n:
        keep = np.sort(rng.choice(keep, n, replace=False))
    rec_gdf = case.receptoren.iloc[keep]
    src, rec, _ = pair_distances(case.bronnen, rec_gdf)
    sx, sy = receptor_points(case.bronnen, "bronnen")
    rx, ry = receptor_points(rec_gdf)
    dx, dy = rx[rec] - sx[src], ry[rec] - sy[src]
    return _Pairs(src, rec, dx, dy, np.hypot(dx, dy), emissions_mol(case.bronnen)[src],
                  source_spread_m2(case.bronnen)[src], source_reach_m(case.bronnen)[src], rx, ry,
                  np.log(rec_gdf["aerius"].to_numpy()))


def _log_unit(k: Kernel, p: _Pairs) -> np.ndarray:
    values = p.weight * k(p.d, p.spread, p.reach) * k.direction_factor(p.dx, p.dy)
    unit = np.bincount(p.rec, weights=values, minlength=len(p.log_obs)) * receptor_factor(p.rx, p.ry, k)
    return np.log(np.maximum(unit, 1e-300))


def _loss(residual: np.ndarray, top: np.ndarray) -> float:
    """Mean squared log ratio over all receptors plus over the 10% most loaded: the hot spots count twice."""
    return float(np.mean(residual ** 2) + np.mean(residual[top] ** 2))


MODELS = ("isotropic (3 par.)", "power law+wind+land use", "plume+wind+land use")


def fit(train: list[_Pairs], model: str) -> Kernel:
    """Minimise the mean over training cases of the loss (``_loss``); ``a`` in closed form.

    ``isotropic (3 par.)``: power law, fitted p and d0. ``power law+wind+land use`` (the model before the plume):
    also the wind-rose and land-use exponents and a depletion length. ``plume+wind+land use`` (the module's
    model): the distance shape is the low-source plume (``Kernel`` ``vorm="pluim"``: near field set by
    sigma_z, 5 m source height, d0 = the hexagon's rms radius), the wind rose and the deposition-velocity ratio
    enter as they are (exponents 1); only ``a`` and the source-depletion coefficient kappa are fitted."""
    def kernel(x) -> Kernel:
        if model == MODELS[2]:
            return Kernel(1.0, 0.0, HEXAGON_RMS_M, wind=1.0, landgebruik=1.0, vorm="pluim",
                          kappa=min(abs(float(x[0])), 0.5))
        p, d0 = float(np.clip(x[0], 0.5, 3.5)), float(np.exp(np.clip(x[1], 0.0, 7.0)))
        if model == MODELS[0]:
            return Kernel(1.0, p, d0)
        return Kernel(1.0, p, d0, min(abs(float(x[2])), 4.0), min(abs(float(x[3])), 3.0),
                      float(np.exp(np.clip(x[4], 7.0, 13.0))))

    def residuals(x):
        logs = [_log_unit(kernel(x), p) for p in train]
        log_a = np.mean([np.mean(p.log_obs - u) for p, u in zip(train, logs)])
        return [_loss(u + log_a - p.log_obs, p.top) for p, u in zip(train, logs)], log_a

    def objective(x):
        return float(np.mean(residuals(x)[0]))

    x0, step = {MODELS[0]: ([1.8, np.log(130.0)], [0.2, 0.5]),
                MODELS[1]: ([1.6, np.log(130.0), 1.0, 1.0, np.log(20_000.0)], [0.2, 0.5, 0.5, 0.5, 0.7]),
                MODELS[2]: ([0.04], [0.02])}[model]
    x = nelder_mead(objective, np.array(x0), np.array(step), iterations=40 if model == MODELS[2] else 120)
    k = kernel(x)
    return replace(k, a=round(float(np.exp(residuals(x)[1])), 4), p=round(k.p, 3), d0_m=round(k.d0_m, 1),
                   wind=round(k.wind, 3), landgebruik=round(k.landgebruik, 3), depletion_m=round(k.depletion_m, -1),
                   kappa=round(k.kappa, 4))


def nelder_mead(f, x0: np.ndarray, step: np.ndarray, iterations: int = 120) -> np.ndarray:
    """Plain Nelder–Mead (reflect, expand, contract, shrink); scipy is not a dependency of the project."""
    simplex = [x0] + [x0 + np.eye(len(x0))[i] * step[i] for i in range(len(x0))]
    values = [f(x) for x in simplex]
    for _ in range(iterations):
        order = np.argsort(values)
        simplex, values = [simplex[i] for i in order], [values[i] for i in order]
        centre = np.mean(simplex[:-1], axis=0)
        reflected = centre + (centre - simplex[-1])
        fr = f(reflected)
        if fr < values[0]:
            expanded = centre + 2 * (centre - simplex[-1])
            fe = f(expanded)
            simplex[-1], values[-1] = (expanded, fe) if fe < fr else (reflected, fr)
        elif fr < values[-2]:
            simplex[-1], values[-1] = reflected, fr
        else:
            contracted = centre + 0.5 * (simplex[-1] - centre)
            fc = f(contracted)
            if fc < values[-1]:
                simplex[-1], values[-1] = contracted, fc
            else:
                simplex = [simplex[0] + 0.5 * (x - simplex[0]) for x in simplex]
                values = [values[0]] + [f(x) for x in simplex[1:]]
    return simplex[int(np.argmin(values))]


def kopros_ceiling(case: Case, ours: np.ndarray, areas: gpd.GeoDataFrame) -> dict[str, float]:
    """Spearman (above ``KOPROS_MIN``) the single stable could reach if our distance profile and wind rose were
    replaced by the best ones for Kopros itself: the log ratio ours/AERIUS fitted by least squares on Kopros, as a
    polynomial in log distance (degree 3; any radial change of the kernel: sigma_z, mixing height, depletion) and
    also a Fourier series in the bearing (3 harmonics; any wind rose) — and per Natura 2000 area (level and slope
    per area), and that plus the log of the RIVM GCN NH3 concentration (the background that lowers NH3 deposition
    velocities). Fitted on the held-out case: a diagnostic of what is out of the model's reach, not a score."""
    s = case.scored
    aerius, ours = case.receptoren["aerius"].to_numpy()[s], ours[s]
    sx, sy = (v[0] for v in receptor_points(case.bronnen, "bronnen"))  # the one source
    rx, ry = receptor_points(case.receptoren.loc[s])
    log_d, bearing = np.log(np.hypot(rx - sx, ry - sy)), np.arctan2(rx - sx, ry - sy)
    radial = [log_d ** i for i in range(4)]
    wind = [f(k * bearing) for k in (1, 2, 3) for f in (np.sin, np.cos)]
    joined = gpd.sjoin(case.receptoren.loc[s], areas[["naam", "geometry"]], predicate="within")
    naam = joined[~joined.index.duplicated()]["naam"].reindex(case.receptoren.loc[s].index)
    naam = naam.fillna("(outside the areas file)").to_numpy()
    per_area = [(naam == n) * f for n in np.unique(naam) for f in (1.0, log_d)]

    def corrected(columns) -> float:
        x = np.column_stack(columns)
        residual = np.log(ours / aerius)
        return round(_spearman(ours * np.exp(-x @ np.linalg.lstsq(x, residual, rcond=None)[0]), aerius), 3)

    within = {n: round(_spearman(ours[naam == n], aerius[naam == n]), 2) for n in np.unique(naam)
              if (naam == n).sum() >= 100}
    return {"as scored": round(_spearman(ours, aerius), 3), "best radial profile": corrected(radial),
            "best radial profile and wind rose": corrected(radial + wind),
            "best level and slope per area": corrected(per_area),
            "that and the GCN NH3 concentration": corrected(per_area + [np.log(_gcn_nh3(rx, ry))]),
            "within area (>= 100 hexagons)": within}


def _gcn_nh3(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """RIVM GCN NH3 concentration (µg/m³) of the 1 km cell of each point (the file shipped with the project);
    no-data cells (-999, outside the country) count as 0.1 µg/m³."""
    with rasterio.open(GCN_NH3) as grid:
        return np.maximum(grid.read(1)[rasterio.transform.rowcol(grid.transform, x, y)], 0.1)


def score(case: Case, kernel: Kernel) -> tuple[dict, np.ndarray]:
    ours = depositie(case.bronnen, case.receptoren, kernel).to_numpy()
    s = case.scored
    return agreement(ours[s], case.receptoren["aerius"].to_numpy()[s]), ours


def per_area(case: Case, ours: np.ndarray, areas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per Natura 2000 area: hexagons, median ratio (all, top 10% of the case), share within ×2."""
    joined = gpd.sjoin(case.receptoren.assign(ours=ours), areas[["nr", "naam", "geometry"]], predicate="within")
    joined = joined[~joined.index.duplicated()]
    top = case.receptoren["aerius"].quantile(0.9)
    joined["ratio"] = joined["ours"] / joined["aerius"]
    rows = []
    for (nr, naam), g in joined.groupby(["nr", "naam"]):
        t = g[g["aerius"] >= top]
        rows.append({"nr": nr, "naam": naam, "hexagons": len(g), "median_ratio": round(g["ratio"].median(), 2),
                     "within_2x": round(g["ratio"].between(0.5, 2).mean(), 2), "top10": len(t),
                     "median_ratio_top10": round(t["ratio"].median(), 2) if len(t) else np.nan})
    return pd.DataFrame(rows).sort_values("hexagons", ascending=False)


def unseen_case(path: Path, areas: gpd.GeoDataFrame) -> Case:
    """Any AERIUS IMAER export (.gml or .zip) the model was never fitted to, with its receptors inside
    nitrogen-sensitive Natura 2000 areas (parsed with ``$GEO_REAL_DATA/aerius-kopros/imaer_parse.py``)."""
    sys.path.insert(0, str(REAL / "aerius-kopros"))
    import imaer_parse

    text = imaer_parse.read_text(path)
    src, rec = imaer_parse.sources(text), imaer_parse.receptors(text)
    geometry = [shapely.from_wkt(w) if w else shapely.Point(x, y) for x, y, w in
                zip(src["x"], src["y"], src["wkt"].fillna(""))]
    bronnen = gpd.GeoDataFrame({"nh3_emissie": src["emission_kg_nh3"]}, crs="EPSG:28992", geometry=geometry)
    receptoren = gpd.GeoDataFrame({"receptor_id": rec["receptor_id"], "aerius": rec["deposition_mol_ha_yr"]},
                                  crs="EPSG:28992", geometry=shapely.points(rec["x"], rec["y"]))
    sensitive = areas[areas["stikstofgevoelig"].astype(bool)]
    inside = receptoren.sjoin(sensitive[["geometry"]], predicate="within").index.unique()
    receptoren = receptoren.loc[inside]
    return Case(Path(path).stem, bronnen[bronnen["nh3_emissie"] > 0],
                receptoren[receptoren["aerius"] > 0].reset_index(drop=True))


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
    parser.add_argument("--fit-receptors", type=int, default=4000, help="receptor subsample per training case")
    parser.add_argument("--fixture", type=Path, default=None, help="write the Overijssel test subset here")
    parser.add_argument("--areas", action="store_true", help="print the per-area table of every held-out case")
    parser.add_argument("--quick", action="store_true", help="fit and score the module's model (the plume) only")
    parser.add_argument("--ceiling", action="store_true",
                        help="print what no radial or directional change can beat on Kopros (a diagnostic)")
    parser.add_argument("--unseen", type=Path, nargs="*", default=[],
                        help="AERIUS IMAER exports never fitted to: score the module's kernel on them and stop")
    args = parser.parse_args()
    if args.unseen:
        return score_unseen(args.unseen)
    clock = time.perf_counter()
    all_cases = cases()
    areas = gpd.read_file(REAL / "natura2000" / "natura2000_nl_rd.gpkg")
    pairs = {c.name: _fit_pairs(c, args.fit_receptors) for c in all_cases}
    rows, covers = [], []
    for held in all_cases:
        train = [pairs[c.name] for c in all_cases if c is not held]
        for label in MODELS[-1:] if args.quick else MODELS:
            kernel = fit(train, label)
            result, ours = score(held, kernel)
            rows.append({"held_out": held.name, "model": label, **result, "kernel": kernel})
            if label == MODELS[-1]:
                covers.append(result["cover_q90_top10"])
                if args.areas:
                    print(f"\n{held.name} held out, {label}:\n{per_area(held, ours, areas).head(12).to_string()}")
                if args.ceiling and held.name == "kopros":
                    print(f"\nkopros held out, {label}, Spearman above {KOPROS_MIN} "
                          f"(ceiling, fitted on Kopros itself): {kopros_ceiling(held, ours, areas)}")
        for label, kernel in (("module KERNEL", KERNEL),):
            rows.append({"held_out": held.name, "model": label, **score(held, kernel)[0], "kernel": kernel})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_colwidth", 120):
        print(table.to_string(index=False))
    print(f"\nupper-value factor (max over held-out cases of q90 AERIUS/ours, top 10%): {max(covers):.2f} "
          f"({', '.join(f'{c:.2f}' for c in covers)})  [{time.perf_counter() - clock:.0f} s]")
    final = fit([pairs[c.name] for c in all_cases], MODELS[-1])
    print(f"module kernel, fitted on all three cases (no score: it has no held-out case): {final}")
    if args.fixture:
        print(f"wrote {write_fixture(*load(), args.fixture)}")


PREVIOUS = Kernel(a=18.0846, p=1.79, d0_m=130.0)  # the isotropic kernel fitted on Overijssel only (before issue 18)
POWER_LAW = Kernel(a=3.548, p=1.625, d0_m=25.5, wind=0.956, landgebruik=0.738,
                   depletion_m=442_410.0)  # issue 18's first model: power law, fitted exponents (before the plume)


def score_unseen(paths: list[Path]) -> None:
    areas = gpd.read_file(REAL / "natura2000" / "natura2000_nl_rd.gpkg")
    for path in paths:
        case = unseen_case(path, areas)
        print(f"{case.name}: {len(case.bronnen)} sources, {len(case.receptoren)} receptors in nitrogen-sensitive "
              "Natura 2000 areas")
        ours = {}
        for label, kernel in (("module KERNEL", KERNEL), ("power law (before)", POWER_LAW),
                              ("previous kernel", PREVIOUS)):
            result, ours[label] = score(case, kernel)
            print(f"  {label:18} {result}")
        print("per area, module KERNEL:")
        print(per_area(case, ours["module KERNEL"], areas).head(12).to_string())


if __name__ == "__main__":
    main()
