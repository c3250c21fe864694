"""The commands of the nitrogen analysis: ``geo analyse stikstof`` (the screening on the store, with optional
emission measures) and ``geo nationaal stikstof|gemeenten`` (the national screening on a Dask cluster).

Thin wrappers over ``analyses.stikstof.run`` and ``analyses.stikstof.nationaal``, imported when a command runs.
"""

from pathlib import Path

import click

from geo.cli.options import ROOT, GeoGroup, store_option


@click.group()
def analyse():
    """Run an analysis on the store and publish its results."""


@analyse.command()
@store_option
@click.option("--maatregel", "maatregelen", multiple=True, metavar="BRON_ID:REDUCTIE%",
              help="Cut a source's emission, e.g. ODNHN2009E0001:30% (repeatable).")
@click.option("--maps", "maps_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder for the maps (default: build/maps beside the store).")
@click.pass_obj
def stikstof(obj, store, maatregelen, maps_dir):
    """Nitrogen deposition on Natura 2000 receptor hexagons (screening, not AERIUS)."""
    from analyses.stikstof import parse_maatregel
    from analyses.stikstof.run import run_and_publish
    from geo.cli.options import settings, store_at
    from geo.store import catalogue

    measures = dict(parse_maatregel(m) for m in maatregelen)
    outcome = run_and_publish(store, measures, maps_dir)
    catalogue.write(store_at(store), obj["registry"].collections(), operator=settings().operator)
    click.echo(format_report(outcome.report))
    for path in outcome.rasters + outcome.maps:
        click.echo(f"wrote {path}")


def format_report(report: dict) -> str:
    lines = [f"Let op: {report['disclaimer']}.", report["kdw_regel"] + ".", report["totaal_regel"] + "."]
    if report["maatregelen"]:
        lines.append("maatregelen: "
                     + ", ".join(f"{m['bron_id']} −{m['reductie_pct']:g}%" for m in report["maatregelen"]))
    lines.append(f"{'gebied':38} {'hex':>5} {'KDW':>5} {'gem. voor':>9} {'gem. na':>8} {'max voor':>9} "
                 f"{'max na':>8} {'ha overschr. voor→na':>21} {'uit overschr.':>13}")
    for a in report["gebieden"]:
        name = f"{a['natura2000_nr']} {a['naam']}"[:38]
        if not a["hexagons"]:
            lines.append(f"{name:38} {a['opmerking']}")
            continue
        before, after = a["voor"], a["na"]
        lines.append(f"{name:38} {a['hexagons']:5d} {a['kdw_mol_ha_jr']:5.0f} {before['gemiddeld_mol_ha_jr']:9.1f} "
                     f"{after['gemiddeld_mol_ha_jr']:8.1f} {before['max_mol_ha_jr']:9.1f} "
                     f"{after['max_mol_ha_jr']:8.1f} "
                     f"{before['ha_overschrijding']:>10d} → {after['ha_overschrijding']:<8d} "
                     f"{a['hexagons_uit_overschrijding']:13d}")
    lines.append("depositie in mol N/ha/jr; ha overschrijding = hexagons (1 ha) boven de KDW")
    return "\n".join(lines)


# --- geo build --gemeente ALL, geo nationaal --------------------------------------------------------------------------

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
def nationaal_stikstof(ctx, scheduler: str | None, workers: int, out: Path, partitions: int | None,
                       connect_timeout: float, store: str | None):
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

        counts = publish(out, store)
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


def build_national(store: "Path | str", quiet: bool) -> None:
    """`--gemeente ALL`: all 345 municipalities and the national sources as GeoParquet partitioned by gemeente;
    with a PostGIS store the municipalities are also published there (collection gemeentegebied)."""
    from analyses.stikstof.nationaal import build_all, publish
    from geo.cli.options import store_at

    target = store_at(store)
    out = target.output_dir / "nationaal"
    counts = build_all(out)
    click.echo(f"built the national layers into {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if isinstance(store, str):
        published = publish(out, target)
        click.echo(f"published to {target.path}: " + ", ".join(f"{k} {v}" for k, v in published.items()))
