"""``geo nationaal stikstof``: the national nitrogen screening on a Dask cluster (thin wrapper over analyses.stikstof.nationaal)."""

from pathlib import Path

import click

from geo.cli.options import ROOT, GeoGroup, store_at


@click.group("nationaal", cls=GeoGroup)
def nationaal():
    """Landelijke schaal: partitioned GeoParquet and dask-geopandas on a Dask cluster."""


@nationaal.command("stikstof")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Existing Dask scheduler, e.g. tcp://host:8786 [default: a local cluster].")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="Workers of the local cluster (ignored with --scheduler).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=ROOT / "build" / "nationaal",
              show_default="build/nationaal", help="Directory for the GeoParquet and the summary.")
@click.option("--partitions", type=click.IntRange(1), default=None,
              help="Spatial partitions [default: one per 50,000 hexagons].")
@click.option("--connect-timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds to wait for --scheduler.")
@click.option("--store", default=None, metavar="URL",
              help="Also publish stikstof_hexagon to this store, e.g. postgresql://user@host/nederland.")
@click.pass_context
def stikstof(ctx, scheduler: str | None, workers: int, out: Path, partitions: int | None, connect_timeout: float,
             store: str | None):
    """Screen every nitrogen-sensitive Natura 2000 area: deposition per hexagon and a summary per area.

    Indicatieve screening, geen AERIUS-berekening.
    """
    from analyses.stikstof.nationaal import DISCLAIMER, cluster, run

    quiet = (ctx.find_root().obj or {}).get("quiet", False)
    with cluster(scheduler, workers, connect_timeout) as client:
        click.echo(f"Dask cluster: {client.scheduler.address} ({len(client.scheduler_info()['workers'])} workers)",
                   err=True)
        result = run(out, client, npartitions=partitions, progress=not quiet)
    areas = result.summary
    over = areas["ha_overschrijding"].sum()
    click.echo(f"\n{result.hexagons:,} hexagons in {len(areas)} areas, {result.bronnen:,} sources, "
               f"{result.partitions} partitions; {over:,.0f} ha above the KDW where known "
               f"({sum(result.seconds.values()):.1f} s)")
    click.echo(f"wrote {out / 'stikstof_hexagon'} (GeoParquet), {out / 'samenvatting.csv'}, "
               f"{out / 'samenvatting.json'}")
    if store:
        from analyses.stikstof.nationaal import publish

        counts = publish(out, store_at(store))
        click.echo("published to the store: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    click.echo(DISCLAIMER)


@nationaal.command("gemeenten")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Existing Dask scheduler, e.g. tcp://host:8786 [default: a local cluster].")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=ROOT / "build" / "nationaal",
              show_default="build/nationaal", help="Directory for the GeoParquet.")
def gemeenten(scheduler: str | None, out: Path):
    """All 345 municipalities and their nitrogen sources as GeoParquet partitioned by gemeente."""
    from analyses.stikstof.nationaal import build_all

    counts = build_all(out, scheduler)
    click.echo(f"wrote {out / 'gemeente'} ({counts['gemeente']} municipalities) and {out / 'stikstofbron'} "
               f"({counts['stikstofbron']:,} sources), partitioned by statcode")
