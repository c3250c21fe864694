"""analyses.stikstof.nationaal: the Dask run equals the single-process screening; partitioned GeoParquet;
scheduler errors."""

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely
from click.testing import CliRunner

dask_geopandas = pytest.importorskip("dask_geopandas")
pytest.importorskip("distributed")

from analyses.stikstof import DISCLAIMER, relevant_hexagons  # noqa: E402
from analyses.stikstof.cli import nationaal  # noqa: E402
from analyses.stikstof.model import depositie  # noqa: E402
from analyses.stikstof.nationaal import Inputs, build_all_municipalities, cluster, read_bronnen, read_gebieden, run  # noqa: E402
from geo.core.errors import GeoError  # noqa: E402
from geo.store import testing_pg  # noqa: E402

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"
AREAS = [84, 85]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Inputs:
    """The repo's NHN areas, KDW and Monitor tables; 50 sources in the 1-km source format around 84 and 85."""
    rng = np.random.default_rng(7)
    xy = rng.uniform([100_000, 525_000], [125_000, 555_000], size=(50, 2)).round(-3) + 500
    bronnen = gpd.GeoDataFrame({"bronbestand": "test", "sector_id": 4110, "provincie": "Noord-Holland", "stof": "NH3",
                                "emissie_kg_jr": rng.gamma(2, 3_000, 50)}, geometry=shapely.points(xy),
                               crs="EPSG:28992")
    path = tmp_path_factory.mktemp("bronnen") / "bronnen.gpkg"
    bronnen.to_file(path, layer="emissiebronnen")
    return Inputs(bronnen=path, natura2000=SOURCES / "natura2000" / "natura2000_nhn_rd.gpkg", kdw_klassen=None,
                  habitattypen=SOURCES / "kdw" / "habitattypen_per_gebied_nhn.csv",
                  kdw_habitattypen=SOURCES / "kdw" / "kdw_habitattypen_nhn.csv",
                  monitor=SOURCES / "aerius-monitor" / "depositie_totaal_per_n2000_gebied.csv",
                  gemeenten=SOURCES / "gemeentegrenzen" / "gemeente_gegeneraliseerd_2022_nhn_rd.gpkg")


@pytest.fixture(scope="module")
def client():
    with cluster(workers=2) as c:
        yield c


@pytest.fixture(scope="module")
def national(client, inputs, tmp_path_factory):
    return run(tmp_path_factory.mktemp("nationaal"), client, inputs, nrs=AREAS, npartitions=3)


def test_dask_equals_single_process(national, inputs):
    cells = relevant_hexagons(read_gebieden(inputs, AREAS))
    expected = depositie(read_bronnen(inputs.bronnen), cells).to_numpy()
    got = gpd.read_parquet(national.out / "stikstof_hexagon").set_index("receptor_id").loc[cells["receptor_id"]]
    assert national.hexagons == len(cells) > 1000
    assert expected.min() > 0
    np.testing.assert_allclose(got["bijdrage_bronnen_mol_ha_jr"].to_numpy(), expected, rtol=1e-9)
    mean = cells.assign(b=expected).groupby("natura2000_nr")["b"].transform("mean").to_numpy()
    totaal = np.maximum(cells["achtergrond_mol_ha_jr"].to_numpy() - mean + expected, 0)
    np.testing.assert_allclose(got["totaal_mol_ha_jr"].to_numpy(), totaal, rtol=1e-9)


def test_geoparquet_is_partitioned_with_bbox_covering(national):
    directory = national.out / "stikstof_hexagon"
    parts = sorted(directory.glob("part.*.parquet"))
    assert len(parts) == 3
    geo = json.loads(pq.read_schema(parts[0]).metadata[b"geo"])
    assert geo["version"] == "1.1.0"
    assert geo["columns"]["geometry"]["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert gpd.read_parquet(directory).crs.to_epsg() == 28992
    ddf = dask_geopandas.read_parquet(directory)
    assert ddf.npartitions == 3 and ddf.spatial_partitions is not None


def test_summary_per_area(national):
    table = national.summary.set_index("natura2000_nr")
    assert list(table.index) == AREAS
    assert (table["hexagons"] > 0).all() and (table["kdw_mol_ha_jr"] > 0).all()
    assert table["ha_overschrijding"].between(0, table["hexagons"]).all()
    # the upper value flags every hectare in exceedance and possibly more, never fewer
    assert (table["ha_mogelijk_overbelast"] >= table["ha_overschrijding"]).all()
    assert table["ha_mogelijk_overbelast"].between(0, table["hexagons"]).all()
    assert (table["disclaimer"] == DISCLAIMER).all()
    summary = json.loads((national.out / "samenvatting.json").read_text())
    assert summary["disclaimer"] == DISCLAIMER and "bovengrens" in summary["bovengrens_regel"]


def test_bad_scheduler_is_one_line():
    result = CliRunner().invoke(nationaal, ["stikstof", "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "1"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: scheduler 'tcp://127.0.0.1:1': no Dask scheduler reachable")


def test_all_municipalities_partitioned_by_gemeente(client, inputs, tmp_path):
    counts = build_all_municipalities(tmp_path, client, inputs)
    gemeenten = gpd.read_parquet(tmp_path / "gemeente")
    assert counts["gemeente"] == len(gemeenten) == len(list((tmp_path / "gemeente").glob("statcode=GM*")))
    schagen = gpd.read_parquet(tmp_path / "stikstofbron", filters=[("statcode", "=", "GM0441")])
    assert 0 < len(schagen) <= counts["stikstofbron"] <= 50
    assert set(schagen["statnaam"]) == {"Schagen"}


def test_national_results_are_published_to_postgis(national, client, inputs, tmp_path, monkeypatch):
    from analyses.stikstof.nationaal import publish
    from geo.core.settings import Settings
    from geo.store import open_store

    if not testing_pg.available():
        pytest.skip("needs Debian postgresql-15 and postgresql-15-postgis-3")
    pytest.importorskip("geoalchemy2", reason="pip install -e .[postgis]")
    monkeypatch.setenv("GEO_OUTPUT", str(tmp_path / "out"))
    build_all_municipalities(national.out, client, inputs)
    with testing_pg.throwaway_cluster() as url:
        store = open_store(url, Settings.from_env())
        counts = publish(national.out, store)
        hexagons = store.read("stikstof_hexagon")
        assert counts["stikstof_hexagon"] == len(hexagons) == national.hexagons
        expected = gpd.read_parquet(national.out / "stikstof_hexagon").set_index("receptor_id")
        got = hexagons.set_index("receptor_id").loc[expected.index]
        np.testing.assert_allclose(got["totaal_mol_ha_jr"], expected["totaal_mol_ha_jr"])
        assert hexagons.crs.to_epsg() == 28992
        assert "GM0441" in set(store.read("gemeentegebied")["statcode"])
        assert set(store.info()["gemeente"]) == {"NL"}
        from sqlalchemy import text

        with store.engine.begin() as con:  # as if a municipal build had been published to this database
            con.execute(text("UPDATE geo.geo_layers SET gemeente = 'GM0441' WHERE name = 'gemeentegebied'"))
        with pytest.raises(GeoError, match="database of their own"):
            publish(national.out, url)
