"""Screening model of nitrogen deposition from point and area sources: a low-source plume whose shape is set by
dispersion physics, direction dependent by a Dutch wind rose, receptor dependent by the surface's deposition velocity.

Indicatieve screening, geen AERIUS-berekening; niet bruikbaar voor vergunningverlening.

Deposition at a receptor (mol N/ha/jr) is the sum over sources within 25 km (of the source's edge) of

    E_mol · a · P(D) · W(θ) · R,    D = √(d² + d0² + s²)

with ``E_mol`` the emission in mol N/jr (1 kg NH3 = 1000/17 mol N; 1 kg NOx as NO2 = 1000/46 mol N), ``d`` the
distance (m) from the source's centroid to the receptor centre, ``d0`` the root-mean-square radius of a 1 ha
hexagon (40 m: the receptor is an area, not a point), ``s²`` the spread of an area source over its surface
(area/6; 0 for points). ``P`` is the long-term ground-level concentration of a low plume, 1 / (D · σz(D)) with
the vertical spread σz of Briggs' open-country neutral class (~D^-1.9 near the source, ~D^-1.5 far away), flat
within 61 m of a 5 m high source and depleted on the way by what it deposits (``kappa``; see ``Kernel``).
``W(θ)`` is the long-term frequency of wind blowing from the source towards the receptor
(``WIND_ROSE_FROM_PCT``, normalised to mean 1 over the circle) and ``R`` the deposition-velocity ratio of the
receptor's surface (``VD_RATIO``, by the Natura 2000 landscape class shipped in ``data/sources/landschap/``;
1 outside every known area): deposition ∝ frequency × concentration × deposition velocity, so both enter as
they are (``Kernel.wind`` = ``Kernel.landgebruik`` = 1). Only ``a`` and ``kappa`` are fitted.
The model is linear in emission, additive over sources, never negative, non-increasing with distance in each
direction on one surface, and deposits ``Kernel.mass_fraction()`` (21%) of the emission within 25 km
(at most ``Kernel.max_mass_fraction()``, 38%, if every receptor were forest).

Parameters fitted by ``benchmarks/stikstof_aerius.py`` on three independent AERIUS runs (Overijssel farms,
Friesland 1 km² area sources, one stable); its leave-one-case-out table (fit on two, score on the third) is in
the README. ``BOVENGRENS_FACTOR`` is calibrated on those held-out scores. NOx has no AERIUS reference here; it uses
the NH3 kernel per mol N, which is conservative (AERIUS deposits NOx less locally). The power-law shape
(``Kernel`` ``vorm="macht"``) stays available for comparison.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.crs import NL_BOUNDS_RD, RD_NEW
from geo.core.errors import CRSMismatchError, GeoError

__all__ = ["Kernel", "KERNEL", "CUTOFF_M", "BOVENGRENS_FACTOR", "WIND_ROSE_FROM_PCT", "VD_RATIO", "StikstofInputError",
           "depositie", "bovengrens", "pair_contributions", "pair_distances", "emissions_mol", "receptor_points",
           "source_spread_m2", "source_reach_m", "landschap_klasse", "receptor_factor", "plume_top_m",
           "HEXAGON_RMS_M", "BRONHOOGTE_M"]

CUTOFF_M = 25_000.0
MOL_N_PER_KG = {"nh3_emissie": 1000 / 17, "nox_emissie": 1000 / 46}
MAX_PAIRS_PER_CHUNK = 4_000_000  # bounds memory: ~ 100 MB of pair arrays at a time


class StikstofInputError(GeoError, ValueError):
    """Sources, receptors or measures that the screening cannot use."""


# Long-term wind rose, De Bilt (KNMI): share of the hours with wind FROM each 30° sector centred on 0° (N), 30°,
# …, 330°, in %, calms left out. Approximate values in the shape of KNMI's published long-term De Bilt wind rose
# (KNMI Klimaatatlas, "windroos De Bilt"; prevailing direction SSW–WSW over the whole country, least wind from
# NNW–ESE); NOT yet re-derived from KNMI's hourly series (uurgegevens, column DD) — that is a to-do. Used only
# through its shape: the factor below has mean 1 over all directions, so the wind rose moves deposition downwind
# and never changes the total.
WIND_ROSE_FROM_PCT = (6.0, 6.0, 7.0, 7.0, 6.0, 6.0, 9.0, 13.0, 14.0, 11.0, 8.0, 7.0)

# Deposition velocity of NH3 per landscape class relative to grassland/mixed farmland ("overig" = 1): order-of-
# magnitude literature values of the dry deposition velocity (DEPAC, Van Zanten et al. 2010, RIVM 680180001;
# Erisman, Van Pul & Wyers 1994, Atmos. Environ. 28; Asman, Sutton & Schjørring 1998, New Phytol. 139: forest
# ~2×, heath/bog ~1.5×, open water ~0.5–0.7× grassland — rough, tall vegetation takes NH3 up fastest, open water
# slowest by its low roughness). The class per receptor comes from the Natura 2000 landscape type of the area it
# lies in (``data/sources/landschap/``); outside every known area (e.g. Waddenzee, absent from the shipped
# polygons) the ratio is 1. The screening uses ratio ** ``Kernel.landgebruik`` (1 in the module's kernel: deposition
# proportional to the deposition velocity).
VD_RATIO = {"onbekend": 1.0, "water": 0.6, "moeras": 0.85, "overig": 1.0, "duinen": 1.2, "hoogveen": 1.5,
            "bos_heide": 1.8}
LANDSCHAP = Path(__file__).resolve().parents[2] / "data" / "sources" / "landschap" / "landschap_250m.npz"


# Low-source plume (``Kernel.vorm == "pluim"``): vertical spread of a ground-level plume over open country in
# neutral conditions (Pasquill–Gifford class D, Briggs 1973 as tabulated in Hanna, Briggs & Hosker 1982,
# "Handbook on atmospheric diffusion": sigma_z = 0.06 x (1 + 0.0015 x)^-1/2, x in m). The long-term, sector-
# averaged ground-level concentration of a low source is ~ 1 / (x · sigma_z(x)): ~ x^-2 near the source,
# ~ x^-1.5 beyond ~700 m; the near-field exponent is set by this, not fitted.
SIGMA_Z_C, SIGMA_Z_B = 0.06, 0.0015
HEXAGON_RMS_M = 40.0  # root-mean-square distance of a 1 ha AERIUS hexagon (r = 62.04 m) from its centre: √(5/12)·r
BRONHOOGTE_M = 5.0  # emission height of animal housing and of the area sources in the AERIUS runs (5 m)


@dataclass(frozen=True)
class Kernel:
    """Deposition per mol N emitted (1/ha) at distance ``d`` (m), 0 beyond 25 km, of one of two shapes.

    ``vorm="macht"`` (power law): ``a · (d² + d0² + s²)^(-p/2) · exp(-d / depletion_m)``.
    ``vorm="pluim"`` (low-source plume; ``p`` unused): with D = √(d² + d0² + s²) and
    σz(D) = 0.06·D/√(1 + 0.0015·D) (``SIGMA_Z_C``, ``SIGMA_Z_B``),
    ``a / (D · σz) · exp(-h² / (2 σz²)) · exp(-kappa · (F(D) − F(D_top)))``, evaluated at max(D, D_top):
    the ground-level concentration of a source at height h (``bronhoogte_m``), flat within D_top (the distance
    of its maximum, 61 m for 5 m: the near-source plateau), times the share of the plume not yet deposited
    (source depletion: d ln Q / dx = −√(2/π) · v_d / (u · σz(x)), so kappa = √(2/π) · v_d / (u · 0.06); F is its
    integral, F(x) = 2t + ln((t − 1)/(t + 1)), t = √(1 + 0.0015 x)). v_d 1–2 cm/s and u 4–5 m/s give
    kappa 0.03–0.07; it is fitted.

    ``wind``: exponent on the wind-rose factor (0 = isotropic, 1 = the frequency itself); ``landgebruik``:
    exponent on the receptor's deposition-velocity ratio (0 = the same on every surface, 1 = deposition
    proportional to the deposition velocity); ``depletion_m``: e-folding length (m) of the power law's loss
    (0 = none)."""

    a: float
    p: float
    d0_m: float
    wind: float = 0.0
    landgebruik: float = 0.0
    depletion_m: float = 0.0
    vorm: str = "macht"
    kappa: float = 0.0
    bronhoogte_m: float = BRONHOOGTE_M

    def __call__(self, d: np.ndarray, spread_m2: np.ndarray | float = 0.0, reach_m: np.ndarray | float = 0.0
                 ) -> np.ndarray:
        """``spread_m2``, ``reach_m``: an area source's spread (``source_spread_m2``) and the distance from its
        centroid to its farthest corner, by which the 25 km cut-off (measured from the source's edge) grows."""
        d = np.asarray(d, dtype=float)
        if self.vorm == "pluim":
            value = self.a * _plume(np.sqrt(d * d + self.d0_m ** 2 + spread_m2), self.bronhoogte_m, self.kappa)
        else:
            value = self.a * (d * d + self.d0_m ** 2 + spread_m2) ** (-self.p / 2)
            if self.depletion_m > 0:
                value = value * np.exp(-d / self.depletion_m)
        return np.where(d <= CUTOFF_M + reach_m, value, 0.0)

    def mass_fraction(self) -> float:
        """Share of the emission deposited within the cut-off: the kernel integrated over the disc (trapezoids).

        The wind factor has mean 1 over the circle, so this holds for any ``wind``; a receptor surface with
        deposition-velocity ratio r scales it by r ** ``landgebruik`` (``max_mass_fraction``)."""
        d = np.concatenate([[0.0], np.geomspace(0.01, CUTOFF_M, 20_000)])
        ring = self(d) * 2 * np.pi * d / 10_000  # per m of radius, in ha⁻¹·m … → share of the emission
        return float(np.sum((ring[1:] + ring[:-1]) / 2 * np.diff(d)))

    def max_mass_fraction(self) -> float:
        """Upper bound of the deposited share: every receptor on the surface with the highest ratio."""
        return self.mass_fraction() * max(VD_RATIO.values()) ** self.landgebruik

    def direction_factor(self, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
        """Factor (mean 1 over the circle) for a receptor at (dx, dy) m from the source: the wind-rose frequency
        of the wind blowing from the source towards the receptor, to the power ``wind``, normalised."""
        if self.wind == 0:
            return np.ones(np.shape(dx))
        towards = np.degrees(np.arctan2(dx, dy)) % 360  # bearing source → receptor, clockwise from north
        return _direction_table(self.wind)[np.rint(towards).astype(np.int64) % 360]


def _plume_log(D: np.ndarray, h: float) -> np.ndarray:
    t = np.sqrt(1 + SIGMA_Z_B * D)
    return np.log(t / (SIGMA_Z_C * D * D)) - (h * t / (SIGMA_Z_C * D)) ** 2 / 2


def _depletion_integral(D: np.ndarray | float) -> np.ndarray:
    t = np.sqrt(1 + SIGMA_Z_B * np.asarray(D, dtype=float))
    return 2 * t + np.log((t - 1) / (t + 1))


@lru_cache(maxsize=8)
def plume_top_m(h: float) -> float:
    """Distance (m) of the maximum of the ground-level concentration of a source at height ``h``: the plateau."""
    grid = np.geomspace(0.1, 2_000.0, 20_001)
    return float(grid[np.argmax(_plume_log(grid, h))])


def _plume(D: np.ndarray, h: float, kappa: float) -> np.ndarray:
    """The plume shape of ``Kernel`` (``vorm="pluim"``) without ``a``; flat within ``plume_top_m(h)``.

    Same as ``exp(_plume_log(D, h) − kappa · (F(D) − F(top)))``, with t = √(1 + 0.0015 D) computed once and
    the arithmetic in place (a block of 4 M pairs holds three arrays here, not eight)."""
    top = plume_top_m(h)
    shape = np.shape(D)
    D = np.maximum(np.atleast_1d(D), top)  # a fresh float array, also for a scalar distance
    t = D * SIGMA_Z_B
    t += 1
    np.sqrt(t, out=t)
    value = t / D  # σz = 0.06 D / t, so h / σz = h t / (0.06 D)
    value *= h / SIGMA_Z_C
    np.square(value, out=value)
    value *= -0.5
    if kappa:
        ratio = t - 1
        ratio /= t + 1
        np.log(ratio, out=ratio)
        ratio += 2 * t
        ratio -= float(_depletion_integral(top))
        ratio *= kappa
        value -= ratio
        del ratio
    np.exp(value, out=value)
    value *= t
    value /= D
    value /= D
    value /= SIGMA_Z_C
    return value.reshape(shape)


@lru_cache(maxsize=8)
def _direction_table(exponent: float) -> np.ndarray:
    """Factor per whole degree of bearing: wind from bearing+180°, sector frequencies interpolated, mean 1."""
    centres = np.arange(0, 361, 30.0)
    freq = np.interp((np.arange(360) + 180) % 360, centres, WIND_ROSE_FROM_PCT + WIND_ROSE_FROM_PCT[:1])
    table = freq ** exponent
    return table / table.mean()


@lru_cache(maxsize=1)
def _landschap() -> tuple[np.ndarray, float, float, float, np.ndarray]:
    grid = np.load(LANDSCHAP)
    ratio = np.array([VD_RATIO[str(k)] for k in grid["klassen"]])
    return grid["klasse"], float(grid["x0"]), float(grid["y0"]), float(grid["cell"]), ratio


def landschap_klasse(rx: np.ndarray, ry: np.ndarray) -> np.ndarray:
    """Landscape class code (index into ``data/sources/landschap`` classes; 0 = unknown) per receptor point."""
    klasse, x0, y0, cell, _ = _landschap()
    col = np.floor((np.asarray(rx) - x0) / cell).astype(np.int64)
    row = np.floor((y0 - np.asarray(ry)) / cell).astype(np.int64)
    inside = (row >= 0) & (row < klasse.shape[0]) & (col >= 0) & (col < klasse.shape[1])
    out = np.zeros(len(col), dtype=np.int64)
    out[inside] = klasse[row[inside], col[inside]]
    return out


def receptor_factor(rx: np.ndarray, ry: np.ndarray, kernel: "Kernel") -> np.ndarray:
    """Deposition-velocity ratio of each receptor's surface to the power ``kernel.landgebruik``."""
    if kernel.landgebruik == 0:
        return np.ones(len(rx))
    return _landschap()[4][landschap_klasse(rx, ry)] ** kernel.landgebruik


KERNEL = Kernel(a=1.5342, p=0.0, d0_m=HEXAGON_RMS_M, wind=1.0, landgebruik=1.0, vorm="pluim",
                kappa=0.0042)  # a and kappa fitted on all three AERIUS cases: python benchmarks/stikstof_aerius.py
BOVENGRENS_FACTOR = 2.0  # max over held-out cases of q90 AERIUS/ours on the top 10%: benchmarks/stikstof_aerius.py


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


def source_spread_m2(bronnen: gpd.GeoDataFrame) -> np.ndarray:
    """Mean squared distance (m²) of a uniform emission over each source's surface from its centroid; 0 for points.

    An area source (e.g. a 1 km² square of farmland) is spread over its surface by matching this second moment:
    the kernel is evaluated at ``d² + d0² + spread`` (a square of side L: L²/6; any polygon: area/6)."""
    geoms = bronnen.geometry.to_numpy()
    return np.where(shapely.get_type_id(geoms) == 0, 0.0, shapely.area(geoms) / 6.0)


def source_reach_m(bronnen: gpd.GeoDataFrame) -> np.ndarray:
    """Distance (m) from each source's centroid to the farthest corner of its bounds; 0 for points."""
    b = shapely.bounds(bronnen.geometry.to_numpy())
    return np.where(shapely.get_type_id(bronnen.geometry.to_numpy()) == 0, 0.0,
                    np.hypot(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]) / 2)


def pair_distances(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (source index, receptor index, distance m) with the source within 25 km of the receptor."""
    parts = [(src, rec, np.hypot(dx, dy))
             for src, rec, dx, dy in _pairs(*receptor_points(bronnen, "bronnen"), *receptor_points(receptoren),
                                            source_reach_m(bronnen))]
    if not parts:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return tuple(np.concatenate(column) for column in zip(*parts))


def pair_contributions(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame, kernel: Kernel = KERNEL
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (source index, receptor index, mol N/ha/jr) with the source within 25 km of the receptor.

    Computed a block of sources at a time with 32-bit indices: a municipality by the IJsselmeer has ~22 M pairs,
    and holding every distance as well would double the memory the pairs need."""
    emission, spread, reach = emissions_mol(bronnen), source_spread_m2(bronnen), source_reach_m(bronnen)
    rx, ry = receptor_points(receptoren)
    surface = receptor_factor(rx, ry, kernel)
    parts = [(src.astype(np.int32), rec.astype(np.int32),
              _values(kernel, emission, (spread, reach), surface, src, rec, dx, dy))
             for src, rec, dx, dy in _pairs(*receptor_points(bronnen, "bronnen"), rx, ry, reach)]
    if not parts:
        return np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0)
    return tuple(np.concatenate(column) for column in zip(*parts))


def depositie(bronnen: gpd.GeoDataFrame, receptoren: gpd.GeoDataFrame, kernel: Kernel = KERNEL) -> pd.Series:
    """Screening deposition (mol N/ha/jr) per receptor from all sources; indexed like ``receptoren``.

    ``bronnen``: points (or area-source polygons) in EPSG:28992 with ``nh3_emissie`` and/or ``nox_emissie``
    (kg/jr; upper-case ``NH3_emissie`` accepted). ``receptoren``: hexagons or points in EPSG:28992. The wind rose,
    the receptor's landscape class and the area-source spread ship with the module. Indicatieve screening,
    geen AERIUS-berekening. See the module docstring for the model and its agreement with AERIUS.
    """
    emission, spread, reach = emissions_mol(bronnen), source_spread_m2(bronnen), source_reach_m(bronnen)
    rx, ry = receptor_points(receptoren)
    surface = receptor_factor(rx, ry, kernel)
    total = np.zeros(len(rx))
    for src, rec, dx, dy in _pairs(*receptor_points(bronnen, "bronnen"), rx, ry, reach):
        total += np.bincount(rec, weights=_values(kernel, emission, (spread, reach), surface, src, rec, dx, dy),
                             minlength=len(rx))
    return pd.Series(total, index=receptoren.index, name="depositie_mol_ha_jr")


def bovengrens(bijdrage: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """Upper value of a screening contribution: ``BOVENGRENS_FACTOR`` × the central estimate (see there)."""
    return bijdrage * BOVENGRENS_FACTOR


def _values(kernel, emission, area, surface, src, rec, dx, dy) -> np.ndarray:
    spread, reach = area
    d = np.hypot(dx, dy)
    return emission[src] * kernel(d, spread[src], reach[src]) * kernel.direction_factor(dx, dy) * surface[rec]


def _pairs(sx, sy, rx, ry, reach=None):
    """Yield (source, receptor, dx, dy) arrays a block of sources at a time (STRtree on the receptors); a pair is
    kept when the receptor is within 25 km plus the source's ``reach`` (area sources) of the source's centroid."""
    if len(rx) == 0 or len(sx) == 0:
        return
    reach = np.zeros(len(sx)) if reach is None else reach
    tree = shapely.STRtree(shapely.points(rx, ry))
    step = max(1, MAX_PAIRS_PER_CHUNK // _receptors_in_reach(rx, ry))
    for start in range(0, len(sx), step):
        x, y, r = sx[start:start + step], sy[start:start + step], CUTOFF_M + reach[start:start + step]
        src, rec = tree.query(shapely.box(x - r, y - r, x + r, y + r))
        dx, dy = rx[rec] - x[src], ry[rec] - y[src]  # envelope candidates; the exact test is numpy's
        keep = dx * dx + dy * dy <= r[src] * r[src]
        yield src[keep] + start, rec[keep], dx[keep], dy[keep]


def _receptors_in_reach(rx: np.ndarray, ry: np.ndarray) -> int:
    """Upper estimate of the receptors one source reaches (uniform density over the receptors' extent)."""
    width, height = np.ptp(rx) + 2 * CUTOFF_M, np.ptp(ry) + 2 * CUTOFF_M
    share = min(1.0, 4 * (2 * CUTOFF_M) ** 2 / (width * height))
    return int(len(rx) * share) + 1
