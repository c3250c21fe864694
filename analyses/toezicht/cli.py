"""``geo toezicht``: the risk ranking as CSV or Excel workbook and map, and the internal collection
toezicht_prioriteit.

A thin wrapper over ``analyses.toezicht``, imported when the command runs.
"""

from pathlib import Path

import click

from geo.cli.options import gemeente_option, store_option


@click.command()
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The ranking for a spreadsheet: .csv (Dutch Excel: ';', decimal commas, UTF-8 with BOM) or "
                   ".xlsx (an Excel workbook with an explanation of the score); the map is written beside it "
                   "(same name, .html).")
@click.option("--export", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="VTH export of inspections/complaints (CSV or GPKG); default: $GEO_VTH_TOEZICHT or "
                   "vth_toezicht_<gemeente>.csv beside the stikstofbron source.")
@click.option("--peildatum", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Reference date of the 5-year compliance window (default: today).")
@gemeente_option
@store_option
def toezicht(out, export, peildatum, gemeente, store):
    """Rank establishments by risk for supervision: CSV/Excel, map, and the internal collection
    toezicht_prioriteit."""
    from analyses import toezicht as analysis
    from analyses.toezicht.excel import SUFFIXES, write_ranking
    from analyses.toezicht.kaart import ranking_map, refuse_public_folder
    from geo.cli.options import store_at
    from geo.core.errors import GeoError

    if out.suffix.lower() not in SUFFIXES:
        raise GeoError(f"--out {out.name}: expected a file ending in .csv or .xlsx")
    s = store_at(store)
    page = out.with_suffix(".html")
    refuse_public_folder(s, out)
    path = analysis.find_export(s, gemeente, export)
    if path is None:
        raise GeoError(f"no VTH export found for {gemeente}; give --export PATH or set ${analysis.EXPORT_ENV}")
    results = analysis.publish(s, gemeente, path, peildatum.date() if peildatum else None)
    ranking = results["toezicht_prioriteit"]
    write_ranking(ranking, s, out)
    ranking_map(ranking, s, page)
    quarantined = len(s.quarantine("toezicht_zaak"))
    click.echo(f"ranked {len(ranking)} establishments ({quarantined} export records quarantined); "
               f"wrote {out} and {page}")
