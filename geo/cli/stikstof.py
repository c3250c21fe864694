"""``geo analyse stikstof``: the nitrogen screening on the store, with optional emission measures."""

from pathlib import Path

import click

from geo.cli.options import store_at, store_option


@click.group()
def analyse():
    """Run an analysis on the store and publish its results."""


@analyse.command()
@store_option
@click.option("--maatregel", "maatregelen", multiple=True, metavar="BRON_ID:REDUCTIE%",
              help="Cut a source's emission, e.g. ODNHN2009E0001:30% (repeatable).")
@click.option("--maps", "maps_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder for the maps (default: build/maps beside the store).")
def stikstof(store, maatregelen, maps_dir):
    """Nitrogen deposition on Natura 2000 receptor hexagons (screening, not AERIUS)."""
    from analyses.stikstof import parse_maatregel
    from analyses.stikstof.run import run_and_publish

    measures = dict(parse_maatregel(m) for m in maatregelen)
    outcome = run_and_publish(store_at(store), measures, maps_dir)
    click.echo(format_report(outcome.report))
    for path in outcome.rasters + outcome.maps:
        click.echo(f"wrote {path}")


def analyse_group(main: click.Group) -> click.Group:
    """The ``analyse`` group to register: another module's, if it added one first, now holding ``stikstof``."""
    existing = main.commands.get("analyse")
    if isinstance(existing, click.Group) and existing is not analyse:
        existing.add_command(stikstof)
        return existing
    return analyse


def format_report(report: dict) -> str:
    lines = [f"Let op: {report['disclaimer']}.", report["kdw_regel"] + ".", report["totaal_regel"] + "."]
    if report["maatregelen"]:
        lines.append("maatregelen: " + ", ".join(f"{m['bron_id']} −{m['reductie_pct']:g}%" for m in report["maatregelen"]))
    lines.append(f"{'gebied':38} {'hex':>5} {'KDW':>5} {'gem. voor':>9} {'gem. na':>8} {'max voor':>9} "
                 f"{'max na':>8} {'ha overschr. voor→na':>21} {'uit overschr.':>13}")
    for a in report["gebieden"]:
        name = f"{a['natura2000_nr']} {a['naam']}"[:38]
        if not a["hexagons"]:
            lines.append(f"{name:38} {a['opmerking']}")
            continue
        before, after = a["voor"], a["na"]
        lines.append(f"{name:38} {a['hexagons']:5d} {a['kdw_mol_ha_jr']:5.0f} {before['gemiddeld_mol_ha_jr']:9.1f} "
                     f"{after['gemiddeld_mol_ha_jr']:8.1f} {before['max_mol_ha_jr']:9.1f} {after['max_mol_ha_jr']:8.1f} "
                     f"{before['ha_overschrijding']:>10d} → {after['ha_overschrijding']:<8d} "
                     f"{a['hexagons_uit_overschrijding']:13d}")
    lines.append("depositie in mol N/ha/jr; ha overschrijding = hexagons (1 ha) boven de KDW")
    return "\n".join(lines)
