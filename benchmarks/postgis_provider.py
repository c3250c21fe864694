"""Provider benchmark: geo.serve.postgis_provider.PostGISProvider vs its parent, pygeoapi's PostgreSQLProvider.

Both are built from the same provider definition (the committed pygeoapi-config-postgis.yml, collection `pand`)
on a throwaway PostgreSQL cluster (geo.store.testing_pg) with the default data built into it, and called directly
(no HTTP, no Flask): a single item by id, a bbox page of up to 100 (a ~540 × 890 m box in RD, as the API hands
it to the provider; CRS84 output) and a page at offset ≥ 5,000. Three columns, measured in the same run: the
parent as pygeoapi ships it, the parent with the transform cache ``PostGISProvider`` installs for the paths it
leaves to the parent (CQL2, sortby, ...), and ``PostGISProvider``; median ms per call and ratios.
Run: .venv/bin/python benchmarks/postgis_provider.py [--calls 200]
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def provider_def(url: str, work: Path) -> dict:
    """The `pand` provider of the committed PostGIS config, with this cluster's connection settings."""
    from pygeoapi.util import yaml_load

    from geo.serve.postgis_config import connection_env

    os.environ.update({**connection_env(url), "GEO_RASTERS": str(work), "GEO_STORE": url,
                       "GEO_CATALOGUE": str(work / "catalogus.json")})
    config = yaml_load(io.StringIO((ROOT / "pygeoapi-config-postgis.yml").read_text()))
    return config["resources"]["pand"]["providers"][0]


def calls(provider, spec, ids: list[str], boxes: list[list[float]]) -> dict:
    """One request of each kind, by name: a function of the call number."""
    return {"single item": lambda i: provider.get(ids[i % len(ids)], crs_transform_spec=spec),
            "bbox (100)": lambda i: provider.query(bbox=boxes[i % len(boxes)], limit=100, crs_transform_spec=spec),
            "deep paging (100)": lambda i: provider.query(offset=5_000 + (i * 7_919) % 15_000, limit=100,
                                                          crs_transform_spec=spec)}


def measure(call, n: int, transform=None) -> float:
    """Median milliseconds of ``n`` calls, with pygeoapi's ``get_transform_from_spec`` set to ``transform``."""
    import pygeoapi.provider.sql as sql

    if transform is not None:
        sql.get_transform_from_spec = transform
    times = []
    for i in range(n):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--calls", type=int, default=200, help="calls per kind and provider")
    args = p.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)  # the parent's shapely.ops.transform
    import pygeoapi.provider.sql as sql
    from pygeoapi.crs import create_crs_transform_spec
    from pygeoapi.provider.sql import PostgreSQLProvider

    from geo.serve.postgis_provider import PostGISProvider
    from geo.store import testing_pg

    work = Path(tempfile.mkdtemp(prefix="pgprov-"))
    with testing_pg.throwaway_cluster() as url:
        env = {**os.environ, "GEO_RASTERS": str(work / "rasters"), "GEO_OUTPUT": str(work / "output")}
        subprocess.run([str(BIN / "geo"), "-q", "sample"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([str(BIN / "geo"), "-q", "build", "--store", url], check=True, env=env)
        definition = provider_def(url, work)
        spec = create_crs_transform_spec(definition, None)  # the default output, CRS84
        stock = sql.get_transform_from_spec  # before PostGISProvider installs its cache
        parent, ours = PostgreSQLProvider(definition), PostGISProvider(definition)
        cached = sql.get_transform_from_spec
        rng = random.Random(441)
        ids = [str(f["id"]) for f in rng.sample(ours.query(limit=10_000, skip_geometry=True)["features"], 200)]
        centres = [ours.get(i)["geometry"]["coordinates"][0][0] for i in ids[:50]]  # storage CRS: RD
        boxes = [[x - 270, y - 445, x + 270, y + 445] for x, y in centres]
        print(f"{'request':18} {'stock parent':>13} {'cached parent':>14} {'ours':>7} {'stock / ours':>13} "
              f"{'cached / ours':>14}  (median ms per call)")
        for (name, slow), fast in zip(calls(parent, spec, ids, boxes).items(), calls(ours, spec, ids, boxes).values()):
            a, b = measure(slow, args.calls, stock), measure(slow, args.calls, cached)
            c = measure(fast, args.calls)
            print(f"{name:18} {a:13.2f} {b:14.2f} {c:7.2f} {a / c:12.1f}× {b / c:13.1f}×")

if __name__ == "__main__":
    main()
