"""``geo toezicht``, ``geo kwaliteit``, ``geo monitoring``: the omgevingsdienst's pages and lists.

Thin wrappers over ``analyses.toezicht``, ``analyses.kwaliteit`` and ``analyses.monitoring``.
"""

import sys
from pathlib import Path

import click

from geo.cli.options import gemeente_option, store_option

BELOW_THRESHOLDS_EXIT = 3  # geo kwaliteit: page written, but quality below the thresholds


@click.command()
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="CSV file of the ranking; the map is written beside it (same name, .html).")
@click.option("--export", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="VTH export of inspections/complaints (CSV or GPKG); default: $GEO_VTH_TOEZICHT or "
                   "vth_toezicht_<gemeente>.csv beside the stikstofbron source.")
@click.option("--peildatum", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Reference date of the 5-year compliance window (default: today).")
@gemeente_option
@store_option
def toezicht(out, export, peildatum, gemeente, store):
    """Rank establishments by risk for supervision: CSV, map, and the internal collection toezicht_prioriteit."""
    from analyses import toezicht as analysis
    from geo.render.reports import ranking_map, write_ranking_csv
    from geo.core.errors import GeoError
    from geo.cli.options import store_at

    s = store_at(store)
    path = analysis.find_export(s, gemeente, export)
    if path is None:
        raise GeoError(f"no VTH export found for {gemeente}; give --export PATH or set ${analysis.EXPORT_ENV}")
    results = analysis.publish(s, gemeente, path, peildatum.date() if peildatum else None)
    ranking = results["toezicht_prioriteit"]
    write_ranking_csv(ranking, out)
    html = ranking_map(ranking, s, Path(out).with_suffix(".html"))
    quarantined = len(s.quarantine("toezicht_zaak"))
    click.echo(f"ranked {len(ranking)} establishments ({quarantined} export records quarantined); "
               f"wrote {out} and {html}")


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


@click.command()
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="HTML page to write.")
@click.option("--targets", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Omgevingswaarden (default: data/omgevingswaarden.yml or $GEO_OMGEVINGSWAARDEN).")
@gemeente_option
@store_option
def monitoring(out, targets, gemeente, store):
    """Monitoring page: indicators over the builds so far against the omgevingswaarden."""
    from analyses.monitoring import history, write_page_for
    from geo.cli.options import store_at

    s = store_at(store)
    write_page_for(s, out, gemeente, targets)
    click.echo(f"wrote {out}: {history(s)['built_at'].nunique()} build(s) in the history")

