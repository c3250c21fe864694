"""``geo op-locatie`` and ``geo gebiedsanalyse``: thin commands over analyses.op_locatie / analyses.gebiedsanalyse.

Registered in ``geo.cli.main`` with ``main.add_command``; library errors become one line through ``GeoGroup``.
"""

from pathlib import Path

import click

from geo.cli.options import default_store

store_option = click.option("--store", type=click.Path(path_type=Path, dir_okay=False), default=default_store,
                            show_default="build/store.gpkg or $GEO_STORE", help="GeoPackage store to read.")


def _existing(store: Path):
    from geo.core.errors import StoreError
    from geo.cli.options import store_at

    if not Path(store).exists():
        raise StoreError(f"{store}: no store yet; run 'geo build' first")
    return store_at(store)


@click.command("op-locatie")
@click.option("--adres", help="Postcode and huisnummer, e.g. '1741 EA 12'.")
@click.option("--bag-id", help="BAG identificatie of a verblijfsobject (16 digits).")
@click.option("--x", type=float, help="Easting (EPSG:28992) or longitude (EPSG:4326).")
@click.option("--y", type=float, help="Northing (EPSG:28992) or latitude (EPSG:4326).")
@click.option("--crs", default="EPSG:28992", show_default=True, type=click.Choice(["EPSG:28992", "EPSG:4326"]),
              help="CRS of --x/--y.")
@click.option("--straal-m", default=2000.0, show_default=True, type=float, help="Radius in metres.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Map (HTML) to write.")
@store_option
def op_locatie(adres, bag_id, x, y, crs, straal_m, out, store):
    """Wnb-besluiten, Natura 2000-gebieden and stikstofbronnen around an address, BAG id or coordinate."""
    from analyses import op_locatie as analysis
    from geo.render.maps import provenance
    from geo.render.report import location_map
    from geo.render.voorbeelddata import notice

    s = _existing(store)
    result = analysis.run(s, straal_m=straal_m, adres=adres, bag_id=bag_id, x=x, y=y, crs=crs)
    where = result["locatie"]
    path = location_map(where["label"].iloc[0], where.geometry.iloc[0], straal_m, result["wnb_besluit"],
                        result["natura2000_gebied"], result["stikstofbron"], provenance(s), out,
                        notice(s, ["verblijfsobject", "wnb_besluit", "stikstofbron", "natura2000_gebied"]))
    click.echo(f"{where['label'].iloc[0]}: {len(result['wnb_besluit'])} Wnb-besluiten binnen {straal_m:.0f} m")
    for besluittype, n in analysis.summary(result).items():
        click.echo(f"  {besluittype:20} {n}")
    for r in result["wnb_besluit"].itertuples():
        datum = r.besluitdatum if isinstance(r.besluitdatum, str) else "-"
        click.echo(f"  {r.afstand_m:6.0f} m  {r.zaaknummer}  {datum:10}  {r.besluittype:20} "
                   f"{r.activiteit}")
    click.echo(f"wrote {path}")


@click.command("gebiedsanalyse")
@click.option("--gemeente", help="CBS code of the municipality, e.g. GM0441; publishes the findings to the store.")
@click.option("--geometrie", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="GeoJSON file with one Polygon (CRS84 unless --crs).")
@click.option("--functie", help="identificatie of an omgevingsplan_functie area.")
@click.option("--crs", default=None, help="CRS of --geometrie: EPSG:4326/CRS84 (default) or EPSG:28992.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Report (HTML) to write.")
@store_option
def gebiedsanalyse(gemeente, geometrie, functie, crs, out, store):
    """Kansen, bedreigingen and ontbrekende informatie in an area, as an offline HTML report."""
    from analyses import gebiedsanalyse as analysis
    from geo.build.builder import publish_results

    s = _existing(store)
    text = Path(geometrie).read_text(encoding="utf-8") if geometrie else None
    area = analysis.resolve_area(s, gemeente=gemeente, geometrie=text, crs=crs, functie=functie)
    results = analysis.run(s, area)
    findings = results[analysis.RESULT.NAME]
    path = analysis.write_report(s, area, findings, out)
    if gemeente:
        publish_results(results, area.gemeente, s)
        click.echo(f"published {len(findings)} findings as collection {analysis.RESULT.NAME}")
    click.echo(f"{area.label}: " + ", ".join(f"{n} {k}" for k, n in analysis.counts(findings).items()))
    click.echo(f"wrote {path}")
