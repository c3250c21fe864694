"""The screening kernel: a hand-checked case, its physical properties, AERIUS agreement, bad input."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from analyses.stikstof import depositie
from analyses.stikstof_model import CUTOFF_M, KERNEL, Kernel, StikstofInputError
from conftest import TESTDATA
from geo import hexagon
from geo.errors import CRSMismatchError, GeoError

X0, Y0 = 120_000.0, 500_000.0


def bronnen(xy, nh3, **extra) -> gpd.GeoDataFrame:
    geometry = shapely.points(np.asarray(xy, dtype=float))
    return gpd.GeoDataFrame({"vthobject_id": [f"B{i}" for i in range(len(xy))], "nh3_emissie": nh3, **extra},
                            geometry=geometry, crs="EPSG:28992")


def punten(xy) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=shapely.points(np.asarray(xy, dtype=float)), crs="EPSG:28992")


def ring(distances) -> gpd.GeoDataFrame:
    return punten([(X0 + d, Y0) for d in distances])


def test_hand_checked_case():
    kernel = Kernel(a=10_000.0, p=2.0, d0_m=100.0)
    one = bronnen([(X0, Y0)], [17.0])  # 17 kg NH3 = 1000 mol N
    got = depositie(one, ring([100.0, 0.0, CUTOFF_M + 1]), kernel)
    # 1000 mol · 1e4 · (100² + 100²)^-1 = 500; at the source 1000 mol · 1e4 / 100² = 1000; beyond 25 km nothing
    np.testing.assert_allclose(got.to_numpy(), [500.0, 1000.0, 0.0])


def test_linear_additive_monotone_and_never_negative():
    receptors = ring(np.linspace(0, 30_000, 61))
    a = bronnen([(X0, Y0)], [1000.0])
    b = bronnen([(X0 + 700, Y0 + 300)], [250.0])
    both = bronnen([(X0, Y0), (X0 + 700, Y0 + 300)], [1000.0, 250.0])
    da, db = depositie(a, receptors), depositie(b, receptors)
    np.testing.assert_allclose(depositie(bronnen([(X0, Y0)], [3000.0]), receptors), 3 * da)
    np.testing.assert_allclose(depositie(both, receptors), da + db)
    assert (da >= 0).all() and (np.diff(da.to_numpy()) <= 0).all()
    assert da.iloc[-1] == 0.0  # 30 km: beyond the cut-off


def test_deposited_mass_is_below_the_emission():
    """Every hexagon within 25 km of one source, summed (1 ha each), against the emission in mol N."""
    ids = hexagon.covering(shapely.Point(X0, Y0).buffer(CUTOFF_M + 100))
    grid = gpd.GeoDataFrame(geometry=shapely.points(np.column_stack(hexagon.centres(ids))), crs="EPSG:28992")
    emitted = 1000.0 * 1000 / 17
    deposited = depositie(bronnen([(X0 + 17, Y0 + 5)], [1000.0]), grid).sum()
    assert 0 < deposited < emitted
    assert deposited / emitted == pytest.approx(KERNEL.mass_fraction(), rel=0.02)
    assert KERNEL.mass_fraction() < 1


def test_nox_counts_per_mol_n_and_upper_case_columns_work():
    receptors = ring([500.0])
    nh3 = depositie(bronnen([(X0, Y0)], [17.0]), receptors)
    nox = depositie(bronnen([(X0, Y0)], [0.0], nox_emissie=[46.0]), receptors)
    upper = bronnen([(X0, Y0)], [17.0]).rename(columns={"nh3_emissie": "NH3_emissie"})
    np.testing.assert_allclose(nox, nh3)
    np.testing.assert_allclose(depositie(upper, receptors), nh3)


def test_hexagon_receptors_use_their_centre():
    ids = hexagon.ids_at([X0 + 300], [Y0])
    polygons = gpd.GeoDataFrame(geometry=hexagon.hexagons(ids), crs="EPSG:28992")
    centres = punten(np.column_stack(hexagon.centres(ids)))
    src = bronnen([(X0, Y0)], [500.0])
    np.testing.assert_allclose(depositie(src, polygons), depositie(src, centres))


def test_agrees_with_aerius_on_the_real_subset():
    path = TESTDATA / "aerius" / "aerius_overijssel_subset.gpkg"
    farms = gpd.read_file(path, layer="veehouderijen_overijssel")
    hexes = gpd.read_file(path, layer="receptor_hexagons")
    ratio = depositie(farms, hexes).to_numpy() / hexes["deposition_nh3"].to_numpy()
    spearman = hexes["deposition_nh3"].rank().corr(hexes.assign(r=ratio * hexes["deposition_nh3"])["r"].rank())
    assert spearman > 0.95
    assert 0.8 <= np.median(ratio) <= 1.25
    assert ((ratio >= 0.5) & (ratio <= 2)).mean() >= 0.85


@pytest.mark.parametrize("change, message", [
    (lambda g: g.assign(nh3_emissie=[np.nan]), "bron 'B0': no emission (nh3_emissie empty)"),
    (lambda g: g.assign(nh3_emissie=[-5.0]), "bron 'B0': negative nh3_emissie -5.0 kg/jr"),
    (lambda g: g.drop(columns="nh3_emissie"), "bronnen: no emission column"),
    (lambda g: g.to_crs("EPSG:4326"), "bronnen: coordinates in degrees (EPSG:4326)"),
    (lambda g: g.set_crs(None, allow_override=True).set_geometry(shapely.points([[4.7, 52.8]])),
     "they look like lon/lat degrees"),
])
def test_bad_sources_are_one_clear_line(change, message):
    with pytest.raises(GeoError) as err:
        depositie(change(bronnen([(X0, Y0)], [100.0])), ring([100.0]))
    assert message in str(err.value) and "\n" not in str(err.value)
    assert isinstance(err.value, (StikstofInputError, CRSMismatchError))
