"""Screening model of nitrogen deposition from point sources: a softened power-law distance kernel.

Indicatieve screening, geen AERIUS-berekening; niet bruikbaar voor vergunningverlening.

Deposition at a receptor (mol N/ha/jr) is the sum over sources within 25 km of

    E_mol · a · (d² + d0²)^(-p/2)

with ``E_mol`` the emission in mol N/jr (1 kg NH3 = 1000/17 mol N; 1 kg NOx as NO2 = 1000/46 mol N),
``d`` the distance (m) from the source to the receptor centre and three global parameters ``a``, ``p``
and ``d0``. The softening distance ``d0`` stands for what a point-to-centre distance misses near a
source: the 1 ha hexagon around the centre, the stable's emission height and plume spread.
The kernel is linear in emission, additive over sources, never negative, decreasing with distance,
and deposits ``Kernel.mass_fraction()`` (about 30%) of the emission within 25 km.

Fitted by ``benchmarks/stikstof_aerius.py`` on a real AERIUS calculation (78 livestock farms in
Overijssel, 10,520 receptor hexagons, ``deposition_nh3``; minimising the mean squared log ratio):
Spearman 0.974, median ratio ours/AERIUS 1.005, 92.8% of the hexagons within a factor 2, 90.8% of the
10% most loaded. NOx has no AERIUS reference here; it uses the NH3 kernel per mol N, which is
conservative (AERIUS deposits NOx less locally).
"""

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import NL_BOUNDS_RD, RD_NEW
from geo.errors import CRSMismatchError, GeoError

__all__ = ["Kernel", "KERNEL", "CUTOFF_M", "StikstofInputError", "depositie", "pair_contributions", "pair_distances",
           "emissions_mol", "receptor_points"]

CUTOFF_M = 25_000.0
MOL_N_PER_KG = {"nh3_emissie": 1000 / 17, "nox_emissie": 1000 / 46}
MAX_PAIRS_PER_CHUNK = 4_000_000  # bounds memory: ~ 100 MB of pair arrays at a time


class StikstofInputError(GeoError, ValueError):
    """Sources, receptors or measures that the screening cannot use."""


@dataclass(frozen=True)
class Kernel:
    """Deposition per mol N emitted (1/ha) at distance ``d`` (m): ``a · (d² + d0²)^(-p/2)``, 0 beyond 25 km."""

    a: float
    p: float
    d0_m: float

    def __call__(self, d: np.ndarray) -> np.ndarray:
        d = np.asarray(d, dtype=float)
        return np.where(d <= CUTOFF_M, self.a * (d * d + self.d0_m ** 2) ** (-self.p / 2), 0.0)

    def mass_fraction(self) -> float:
        """Share of the emission deposited within the cut-off: the kernel integrated over the disc (ha)."""
        e = 1 - self.p / 2
        if abs(e) < 1e-12:
            radial = 0.5 * np.log((CUTOFF_M ** 2 + self.d0_m ** 2) / self.d0_m ** 2)
        else:
            radial = ((CUTOFF_M ** 2 + self.d0_m ** 2) ** e - self.d0_m ** (2 * e)) / (2 * e)
        return float(self.a * 2 * np.pi * radial / 10_000)


KERNEL = Kernel(a=18.0846, p=1.79, d0_m=130.0)  # fitted: python benchmarks/stikstof_aerius.py


def emissions_mol(bronnen: gpd.GeoDataFrame) -> np.ndarray:
    """Emission per source in mol N/jr (NH3 plus NOx); rejects missing, negative or NaN-only emissions."""
    columns = {c.lower(): c for c in bronnen.columns}
    present = [c for c in MOL_N_PER_KG if c in columns]
    if not present:
        raise StikstofInputError(f"bronnen: no emission column; expected one of {list(MOL_N_PER_KG)} (kg/jr)")
    values = {c: pd.to_numeric(bronnen[columns[c]], errors="coerce").to_numpy(dtype=float) for c in present}
    _check_emissions(bronnen, values)
    return sum(np.nan_to_num(v) * MOL_N_PER_KG[c] for c, v in values.items())


def _check_emissions(bronnen: gpd.GeoDataFrame, values: dict[str, np.ndarray]) -> None:
    for column, v in values.items():
        negative = np.flatnonzero(v < 0)
        if len(negative):
            i = negative[0]
            raise StikstofInputError(f"bron {_label(bronnen, i)}: negative {column} {v[i]} kg/jr; "
                                     "emissions must be ≥ 0")
    empty = np.flatnonzero(np.all([np.isnan(v) for v in values.values()], axis=0))
    if len(empty):
        raise StikstofInputError(f"bron {_label(bronnen, empty[0])}: no emission ({' and '.join(values)} empty); "
                                 "fill in kg/jr or leave the source out")


def _label(bronnen: gpd.GeoDataFrame, i: int) -> str:
    for column in ("vthobject_id", "VTHOBJECT_ID", "bron_id"):
        if column in bronnen.columns:
            return repr(bronnen[column].iloc[i])
    return f"#{i}"


def receptor_points(gdf: gpd.GeoDataFrame, what: str = "receptoren") -> tuple[np.ndarray, np.ndarray]:
    """x, y (RD New) of point geometries, or of the centroids of hexagons and other polygons."""
    _check_rd(gdf, what)
    geoms = gdf.geometry.to_numpy()
    if len(geoms) and not (shapely.get_type_id(geoms) == 0).all():
        geoms = shapely.centroid(geoms)
    return shapely.get_x(geoms), shapely.get_y(geoms)


def _check_rd(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is not None and gdf.crs.is_geographic:
        raise CRSMismatchError(f"{what}: coordinates in degrees ({gdf.crs.to_string()}), expected {RD_NEW}; "
                               "reproject with to_crs('EPSG:28992')")
    if gdf.crs is not None and gdf.crs != RD_NEW:
        raise CRSMismatchError(f"{what}: CRS {gdf.crs.to_string()}, expected {RD_NEW}; reproject with to_crs()")
    if gdf.geometry.isna().any() or gdf.geometry.is_empty.any():
        raise StikstofInputError(f"{what}: {int((gdf.geometry.isna() | gdf.geometry.is_empty).sum())} "
                                 "features without geometry")
    minx, miny, maxx, maxy = gdf.total_bounds if len(gdf) else NL_BOUNDS_RD
    lo_x, lo_y, hi_x, hi_y = NL_BOUNDS_RD
    if minx < lo_x or miny < lo_y or maxx > hi_x or maxy > hi_y:
        hint = " (they look like lon/lat degrees)" if abs(maxx) <= 180 and abs(maxy) <= 90 else ""
        raise CRSMismatchError(f"{what}: coordinates outside the Netherlands in RD New "
                               f"({minx:.6g}, {miny:.6g}, {maxx:.6g}, {maxy:.6g}){hint}; expected {RD_NEW}")


def pair_distances(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (source index, receptor index, distance m) with the source within 25 km of the receptor."""
    parts = list(_pairs(*receptor_points(bronnen, "bronnen"), *receptor_points(receptoren)))
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return tuple(np.concatenate(column) for column in zip(*parts))


def pair_contributions(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame, kernel: Kernel = KERNEL
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (source index, receptor index, mol N/ha/jr) with the source within 25 km of the receptor.

    Computed a block of sources at a time with 32-bit indices: a municipality by the IJsselmeer has ~22 M pairs,
    and holding every distance as well would double the memory the pairs need."""
    emission = emissions_mol(bronnen)
    parts = [(src.astype(np.int32), rec.astype(np.int32), emission[src] * kernel(d))
             for src, rec, d in _pairs(*receptor_points(bronnen, "bronnen"), *receptor_points(receptoren))]
    if not parts:
        return np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0)
    return tuple(np.concatenate(column) for column in zip(*parts))


def depositie(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame, kernel: Kernel = KERNEL) -> pd.Series:
    """Screening deposition (mol N/ha/jr) per receptor from all sources; indexed like ``receptoren``.

    ``bronnen``: points in EPSG:28992 with ``nh3_emissie`` and/or ``nox_emissie`` (kg/jr; upper-case
    ``NH3_emissie`` accepted). ``receptoren``: hexagons or points in EPSG:28992. Indicatieve screening,
    geen AERIUS-berekening. See the module docstring for the model and its agreement with AERIUS.
    """
    emission = emissions_mol(bronnen)
    rx, ry = receptor_points(receptoren)
    total = np.zeros(len(rx))
    for src, rec, d in _pairs(*receptor_points(bronnen, "bronnen"), rx, ry):
        total += np.bincount(rec, weights=emission[src] * kernel(d), minlength=len(rx))
    return pd.Series(total, index=receptoren.index, name="depositie_mol_ha_jr")


def _pairs(sx, sy, rx, ry):
    """Yield (source, receptor, distance) arrays a block of sources at a time (STRtree on the receptors)."""
    if len(rx) == 0 or len(sx) == 0:
        return
    tree = shapely.STRtree(shapely.points(rx, ry))
    step = max(1, MAX_PAIRS_PER_CHUNK // _receptors_in_reach(rx, ry))
    for start in range(0, len(sx), step):
        x, y = sx[start:start + step], sy[start:start + step]
        src, rec = tree.query(shapely.box(x - CUTOFF_M, y - CUTOFF_M, x + CUTOFF_M, y + CUTOFF_M))
        d = np.hypot(rx[rec] - x[src], ry[rec] - y[src])  # envelope candidates; the exact test is numpy's
        keep = d <= CUTOFF_M
        yield src[keep] + start, rec[keep], d[keep]


def _receptors_in_reach(rx: np.ndarray, ry: np.ndarray) -> int:
    """Upper estimate of the receptors one source reaches (uniform density over the receptors' extent)."""
    width, height = np.ptp(rx) + 2 * CUTOFF_M, np.ptp(ry) + 2 * CUTOFF_M
    share = min(1.0, 4 * (2 * CUTOFF_M) ** 2 / (width * height))
    return int(len(rx) * share) + 1
