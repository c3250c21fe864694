"""Landelijke schaal: the nitrogen screening of every nitrogen-sensitive Natura 2000 area on a Dask cluster.

Indicatieve screening, geen AERIUS-berekening; niet bruikbaar voor vergunningverlening.

The relevant receptor hexagons of all areas (``geo.core.hexagon.covering``, one area per hexagon, the lower KDW
wins) are ordered by Hilbert distance into spatial partitions and written as partitioned GeoParquet with a
``bbox`` covering column (GeoParquet 1.1). ``analyses.stikstof.model.depositie`` is mapped over the
partitions; each partition gets only the sources within 25 km of its bounds, which gives exactly the
single-process result (a source further away reaches none of its receptors). The area mean of the
contribution is a cross-partition aggregate; ``totaal`` follows ``analyses.stikstof`` (no double counting).

KDW rule (``laagste_kdw``): per area the lowest KDW class mapped in the area (the KDW-class table of 76
areas), else the lowest KDW of its designated habitat types (the NHN dune tables, areas 84–87); other areas
have no KDW here and get no exceedance figure. Background: the AERIUS Monitor 2021 total, area mean.

Needs the ``scale`` extras (``dask-geopandas``, ``distributed``); imported lazily.
"""

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analyses.stikstof import BOVENGRENS_REGEL, DISCLAIMER, TOTAAL_REGEL, bovengrens, relevant_hexagons
from analyses.stikstof.model import CUTOFF_M, depositie
from geo.core import hexagon
from geo.core.crs import RD_NEW
from geo.core.errors import GeoError
from geo.core.settings import Settings

__all__ = ["SchedulerError", "Inputs", "NationalRun", "KDW_REGEL", "read_bronnen", "read_gebieden",
           "laagste_kdw", "partition", "write_geoparquet", "bijdrage", "cluster", "screen", "summary", "run",
           "build_all_municipalities", "build_all"]

log = logging.getLogger(__name__)

REAL = Path(Settings.from_env().real_data)  # $GEO_REAL_DATA
KDW_REGEL = ("KDW per gebied: de laagste KDW-klasse die in het gebied voorkomt (KDW-klassentabel, 76 gebieden), "
             "anders de laagste KDW van de aangewezen habitattypen (NHN-duingebieden 84–87); overige gebieden: "
             "KDW onbekend, geen overschrijding berekend")
HEXAGONS_PER_PARTITION = 50_000
GEOPARQUET_VERSION = "1.1.0"


class SchedulerError(GeoError, ConnectionError):
    """No Dask scheduler at the given address."""


@dataclass(frozen=True)
class Inputs:
    """The national source files (defaults: the real data under ``$GEO_REAL_DATA``)."""

    bronnen: Path = REAL / "imaer-emissiebronnen" / "nh3_landbouw_1km_bronnen_nl.gpkg"
    natura2000: Path = REAL / "natura2000" / "natura2000_nl_rd.gpkg"
    kdw_klassen: Path | None = REAL / "kdw-habitattypen" / "kdw_klassen_oppervlak_per_n2000_gebied.csv"
    habitattypen: Path = REAL / "kdw-habitattypen" / "habitattypen_per_gebied_nhn.csv"
    kdw_habitattypen: Path = REAL / "kdw-habitattypen" / "kdw_habitattypen_nhn.csv"
    monitor: Path = REAL / "aerius-monitor-depositie" / "depositie_totaal_per_n2000_gebied.csv"
    gemeenten: Path = REAL / "gemeentegrenzen" / "gemeente_gegeneraliseerd_2022_nl.geojson"


@dataclass
class NationalRun:
    """What one national run wrote and measured."""

    out: Path
    hexagons: int
    bronnen: int
    partitions: int
    summary: pd.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)


# --- inputs -------------------------------------------------------------------------------------------


def read_bronnen(path: Path) -> gpd.GeoDataFrame:
    """The 1-km NH3 sources as ``analyses.stikstof.model`` wants them: ``bron_id``, ``nh3_emissie`` (kg/jr), points."""
    gdf = gpd.read_file(path).to_crs(RD_NEW)
    gdf = gdf.rename(columns={"emissie_kg_jr": "nh3_emissie"})
    gdf.insert(0, "bron_id", [f"{s}-{int(x)}-{int(y)}" for s, x, y in
                              zip(gdf["sector_id"], gdf.geometry.x, gdf.geometry.y)])
    return gdf[["bron_id", "sector_id", "provincie", "nh3_emissie", "geometry"]]


def laagste_kdw(inputs: Inputs) -> pd.Series:
    """Lowest KDW (mol N/ha/jr) per area number; see ``KDW_REGEL``."""
    by_class = pd.Series(dtype=float)
    if inputs.kdw_klassen is not None:
        klassen = pd.read_csv(inputs.kdw_klassen)
        oppervlak = klassen[["oppervlak_m2_kdw_niet_overschreden", "oppervlak_m2_kdw_overschreden"]].fillna(0).sum(1)
        by_class = klassen[oppervlak > 0].groupby("natura2000_area_id")["kdw_mol_ha_jr"].min()
    types = pd.read_csv(inputs.habitattypen).merge(pd.read_csv(inputs.kdw_habitattypen), on="habitattype_code")
    by_type = types.groupby("natura2000_nr")["kdw_mol_ha_jr"].min()
    return by_class.combine_first(by_type).astype(float).rename("laagste_kdw_mol_ha_jr")


def read_gebieden(inputs: Inputs, nrs: list[int] | None = None) -> gpd.GeoDataFrame:
    """Nitrogen-sensitive Natura 2000 areas with lowest KDW and Monitor 2021 background (``nrs``: a subset)."""
    gdf = gpd.read_file(inputs.natura2000).to_crs(RD_NEW)
    gdf = gdf[gdf["stikstofgevoelig"].fillna(False).astype(bool)]
    if nrs is not None:
        gdf = gdf[gdf["nr"].isin(nrs)]
    monitor = pd.read_csv(inputs.monitor)
    monitor = monitor[monitor["jaar"] == 2021].set_index("nummer")["depositie"]
    gdf = gdf.assign(laagste_kdw_mol_ha_jr=gdf["nr"].map(laagste_kdw(inputs)),
                     depositie_2021_mol_ha_jr=gdf["nr"].map(monitor))
    return gdf[["nr", "naam", "stikstofgevoelig", "laagste_kdw_mol_ha_jr", "depositie_2021_mol_ha_jr", "geometry"]
               ].sort_values("nr").reset_index(drop=True)


# --- partitioned GeoParquet ---------------------------------------------------------------------------


def partition(cells: gpd.GeoDataFrame, npartitions: int | None = None):
    """A dask-geopandas frame of ``cells`` in Hilbert order, ``npartitions`` spatially compact partitions."""
    import dask
    import dask_geopandas

    n = npartitions or max(2, -(-len(cells) // HEXAGONS_PER_PARTITION))
    whole = dask_geopandas.from_geopandas(cells, npartitions=1)  # the cells are here: sort here, no shuffle
    distance = whole.hilbert_distance(total_bounds=cells.total_bounds).compute(scheduler="sync").to_numpy()
    ordered = cells.iloc[np.argsort(distance, kind="stable")].reset_index(drop=True)
    ddf = dask_geopandas.from_geopandas(ordered, npartitions=n, sort=False)
    with dask.config.set(scheduler="sync"):  # the cells are in this process: no need to ship them
        ddf.calculate_spatial_partitions()
    return ddf


def write_geoparquet(ddf, directory: Path) -> list:
    """Delayed writes of one GeoParquet file per partition (``part.N.parquet``, bbox covering column).

    dask-geopandas' own ``to_parquet`` writes no covering column; geopandas does, per partition.
    """
    import dask

    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("part.*.parquet"):
        old.unlink()
    write = dask.delayed(_write_part)
    return [write(part, directory / f"part.{i:04d}.parquet") for i, part in enumerate(ddf.to_delayed())]


def _write_part(gdf: gpd.GeoDataFrame, path: Path) -> int:
    gdf.to_parquet(path, index=False, write_covering_bbox=True, schema_version=GEOPARQUET_VERSION)
    return len(gdf)


# --- the screening ------------------------------------------------------------------------------------


def bijdrage(cells: gpd.GeoDataFrame, bronnen: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``cells`` plus ``bijdrage_bronnen_mol_ha_jr`` from the sources within 25 km of the cells' bounds."""
    if len(cells) == 0:
        return cells.assign(bijdrage_bronnen_mol_ha_jr=np.empty(0))
    minx, miny, maxx, maxy = cells.total_bounds
    x, y = bronnen.geometry.x.to_numpy(), bronnen.geometry.y.to_numpy()
    near = (x >= minx - CUTOFF_M) & (x <= maxx + CUTOFF_M) & (y >= miny - CUTOFF_M) & (y <= maxy + CUTOFF_M)
    return cells.assign(bijdrage_bronnen_mol_ha_jr=depositie(bronnen[near], cells).to_numpy())


def _totaal(cells: gpd.GeoDataFrame, area_mean: pd.Series) -> gpd.GeoDataFrame:
    """``totaal`` and ``overschrijding`` by the no-double-counting rule of ``analyses.stikstof``."""
    mean = cells["natura2000_nr"].map(area_mean).to_numpy(dtype=float)
    totaal = np.maximum(cells["achtergrond_mol_ha_jr"].to_numpy(dtype=float) - mean
                        + cells["bijdrage_bronnen_mol_ha_jr"].to_numpy(), 0.0)
    return bovengrens(cells.assign(totaal_mol_ha_jr=totaal, overschrijding_mol_ha_jr=totaal - cells["kdw_mol_ha_jr"]))


def screen(hexagons, bronnen: gpd.GeoDataFrame):
    """Lazy dask-geopandas frame: ``bijdrage`` mapped over the hexagon partitions (sources sent once)."""
    import dask

    meta = hexagons._meta.assign(bijdrage_bronnen_mol_ha_jr=np.empty(0))
    return hexagons.map_partitions(bijdrage, dask.delayed(bronnen), meta=meta)


def summary(table: pd.DataFrame, gebieden: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per area: hexagons, mean/max contribution, KDW, background, hectares with totaal above the KDW."""
    per_ha = hexagon.AREA_M2 / 10_000
    over = (table["overschrijding_mol_ha_jr"] > 0).where(table["overschrijding_mol_ha_jr"].notna())
    grouped = table.assign(over=over).groupby("natura2000_nr")
    out = pd.DataFrame({
        "hexagons": grouped.size(),
        "bijdrage_gemiddeld_mol_ha_jr": grouped["bijdrage_bronnen_mol_ha_jr"].mean().round(3),
        "bijdrage_max_mol_ha_jr": grouped["bijdrage_bronnen_mol_ha_jr"].max().round(3),
        "ha_overschrijding": grouped["over"].sum(min_count=1) * per_ha,
        "ha_mogelijk_overbelast": grouped["mogelijk_overbelast"].sum(min_count=1) * per_ha,
    })
    areas = gebieden.set_index("nr")[["naam", "laagste_kdw_mol_ha_jr", "depositie_2021_mol_ha_jr"]]
    out = areas.join(out, how="left").rename(columns={"laagste_kdw_mol_ha_jr": "kdw_mol_ha_jr",
                                                      "depositie_2021_mol_ha_jr": "achtergrond_mol_ha_jr"})
    out["hexagons"] = out["hexagons"].fillna(0).astype(int)
    out["opmerking"] = np.select([out["kdw_mol_ha_jr"].isna(), out["achtergrond_mol_ha_jr"].isna()],
                                 ["KDW onbekend", "geen Monitor-achtergrond"], "")
    out["disclaimer"] = DISCLAIMER
    return out.rename_axis("natura2000_nr").reset_index()


# --- the cluster and the run --------------------------------------------------------------------------


@contextmanager
def cluster(scheduler: str | None = None, workers: int = 2, timeout_s: float = 10.0):
    """A ``distributed.Client``: of ``scheduler`` (``tcp://host:port``), else of a local cluster."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as local, \
                Client(local) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=f"{timeout_s}s")
    except (OSError, ValueError, TypeError) as err:
        reason = " ".join(str(err).split()) or type(err).__name__
        raise SchedulerError(f"scheduler {scheduler!r}: no Dask scheduler reachable within {timeout_s:g} s "
                             f"({reason}); start one with `dask scheduler` and use tcp://host:8786, or leave "
                             "--scheduler out for a local cluster") from None
    with client:
        yield client


def run(out: Path, client, inputs: Inputs = Inputs(), nrs: list[int] | None = None, npartitions: int | None = None,
        progress: bool = False) -> NationalRun:
    """The national screening on ``client``'s cluster; writes ``out``/hexagons, stikstof_hexagon, samenvatting.

    ``nrs`` restricts the run to some areas (tests). ``progress`` shows dask's progress bar. The workers
    read and write ``out``: with a remote scheduler it must be a path they share.
    """
    import dask
    import dask_geopandas
    from distributed import progress as bar
    from distributed import wait

    seconds, clock = {}, time.perf_counter()
    bronnen = read_bronnen(inputs.bronnen)
    gebieden = read_gebieden(inputs, nrs)
    cells = relevant_hexagons(gebieden)
    seconds["hexagons"] = time.perf_counter() - clock
    log.info("relevant hexagons: %d in %d areas in %.1fs", len(cells), len(gebieden), seconds["hexagons"])

    clock = time.perf_counter()
    hexes = partition(cells, npartitions)
    dask.compute(write_geoparquet(hexes, out / "hexagons"), scheduler="sync")  # the cells are here, not there
    seconds["geoparquet"] = time.perf_counter() - clock

    clock = time.perf_counter()
    hexes = dask_geopandas.read_parquet(out / "hexagons", columns=list(cells.columns))  # without bbox
    result = client.persist(screen(hexes, bronnen))
    if progress:
        bar(result)
    wait(result)
    area_mean = client.compute(result.groupby("natura2000_nr")["bijdrage_bronnen_mol_ha_jr"].mean(), sync=True)
    final = result.map_partitions(_totaal, dask.delayed(area_mean), meta=_totaal(result._meta, area_mean))
    client.compute(write_geoparquet(final, out / "stikstof_hexagon"), sync=True)
    table = client.compute(final.drop(columns="geometry"), sync=True)
    seconds["depositie"] = time.perf_counter() - clock

    per_area = summary(table, gebieden)
    _write_summary(per_area, out)
    return NationalRun(out, len(cells), len(bronnen), hexes.npartitions, per_area, seconds)


def _write_summary(per_area: pd.DataFrame, out: Path) -> None:
    per_area.to_csv(out / "samenvatting.csv", index=False)
    head = {"disclaimer": DISCLAIMER, "kdw_regel": KDW_REGEL, "totaal_regel": TOTAAL_REGEL,
            "bovengrens_regel": BOVENGRENS_REGEL}
    body = per_area.drop(columns="disclaimer").astype(object).where(per_area.notna(), None)
    pd.Series(head | {"gebieden": body.to_dict("records")}).to_json(out / "samenvatting.json", force_ascii=False,
                                                                    indent=1)


# --- all municipalities -------------------------------------------------------------------------------


def build_all_municipalities(out: Path, client, inputs: Inputs = Inputs()) -> dict[str, int]:
    """Municipal boundaries (345) and the nitrogen sources per municipality as GeoParquet partitioned by gemeente.

    Writes ``out``/gemeente (one Hive partition per ``statcode``) and ``out``/stikstofbron (the same
    partitioning; each source in the municipality holding its point). Returns feature counts.
    """
    import dask

    gemeenten = gpd.read_file(inputs.gemeenten).to_crs(RD_NEW)[["statcode", "statnaam", "geometry"]]
    bronnen = gpd.sjoin(read_bronnen(inputs.bronnen), gemeenten, how="inner", predicate="within")
    bronnen = bronnen.drop(columns="index_right")
    write = dask.delayed(_write_gemeente)
    tasks = [write(gdf, out / name, code) for name, table in (("gemeente", gemeenten), ("stikstofbron", bronnen))
             for code, gdf in table.groupby("statcode")]
    client.compute(tasks, sync=True)
    return {"gemeente": len(gemeenten), "stikstofbron": len(bronnen)}


def build_all(out: Path, scheduler: str | None = None, workers: int = 2, inputs: Inputs = Inputs()) -> dict[str, int]:
    """``build_all_municipalities`` on a local cluster or on ``scheduler``.

    The hook for ``geo build --gemeente ALL``.
    """
    with cluster(scheduler, workers) as client:
        return build_all_municipalities(out, client, inputs)


def _write_gemeente(gdf: gpd.GeoDataFrame, directory: Path, code: str) -> int:
    part = directory / f"statcode={code}"
    part.mkdir(parents=True, exist_ok=True)
    gdf.drop(columns="statcode").to_parquet(part / "part.0.parquet", index=False, write_covering_bbox=True,
                                            schema_version=GEOPARQUET_VERSION)
    return len(gdf)


# --- publishing to a store (PostGIS) ----------------------------------------------------------------------

NATIONAL = "NL"  # the gemeente code of a national build in the store's metadata


def publish(out: Path, location: "str | Path") -> dict[str, int]:
    """Publish the national results found in ``out`` to the store at ``location`` (a PostGIS URL in production):
    ``stikstof_hexagon`` (from ``geo nationaal stikstof``) and ``gemeentegebied`` (all municipalities, from
    ``geo build --gemeente ALL``), under the same collection ids and schemas as a municipal build, so the same
    config serves them. A store that holds a municipal build is refused: give the national build its own database.
    """
    from analyses.stikstof import HEXAGON
    from geo.core.schema import conform
    from geo.store.geopackage import as_store
    from layers import gemeentegebied

    store = as_store(location)
    _refuse_municipal(store)
    found = {}
    if (out / "stikstof_hexagon").exists():
        found[HEXAGON.name] = (conform(gpd.read_parquet(out / "stikstof_hexagon"), HEXAGON.schema), HEXAGON)
    if (out / "gemeente").exists():
        gdf = gpd.read_parquet(out / "gemeente")
        gdf = gdf.assign(statcode=gdf["statcode"].astype(str), opp_ha=gdf.geometry.area / 10_000)
        found[gemeentegebied.SPEC.name] = (conform(gdf, gemeentegebied.SPEC.schema), gemeentegebied.SPEC)
    if not found:
        raise GeoError(f"{out}: no national results to publish; run 'geo nationaal stikstof' or "
                       "'geo build --gemeente ALL' first")
    _publish(store, found)
    return {name: len(gdf) for name, (gdf, _) in found.items()}


def _refuse_municipal(store) -> None:
    if not store.exists():
        return
    held = set(store.info()["gemeente"]) - {NATIONAL}
    if held:
        raise GeoError(f"{store.path}: holds the municipal build of {sorted(held)}; publish national results to "
                       f"a database of their own (e.g. postgresql://.../nederland)")


def _publish(store, found: dict) -> None:
    from analyses import result_layers
    from geo.build.builder import publish_meta
    from geo.core.schema import check
    from geo.core.validate import Quarantine
    from geo.store import catalogue
    from layers import LAYERS

    for name, (gdf, spec) in found.items():
        check(gdf, spec.schema, name)
    meta = {name: publish_meta(spec, NATIONAL) for name, (_, spec) in found.items()}
    store.publish({n: gdf for n, (gdf, _) in found.items()}, meta, [], Quarantine().frame())
    catalogue.write(store, {**{s.name: s for s in LAYERS}, **result_layers()})
    log.info("published %s to %s", ", ".join(found), store.path)
