"""``geo kwaliteit``: the data-quality page of the store; exit code 3 when below the thresholds.

A thin wrapper over ``analyses.kwaliteit``, imported when the command runs.
"""

import sys
from pathlib import Path

import click

from geo.cli.options import store_option

BELOW_THRESHOLDS_EXIT = 3  # geo kwaliteit: page written, but quality below the thresholds


@click.command()
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML page to write.")
@click.option("--thresholds", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Thresholds (default: data/kwaliteit.yml or $GEO_KWALITEIT).")
@store_option
def kwaliteit(out, thresholds, store):
    """Data quality page of the store; exit code 3 when below the thresholds."""
    from analyses.kwaliteit import load_thresholds, write_report
    from geo.cli.options import store_at

    report = write_report(store_at(store), out, load_thresholds(thresholds))
    click.echo(f"wrote {out}: {len(report.layers)} layers")
    if not report.ok:
        click.echo(f"WARNING: data quality below thresholds ({len(report.breaches)}): "
                   + "; ".join(str(b) for b in report.breaches), err=True)
        sys.exit(BELOW_THRESHOLDS_EXIT)
