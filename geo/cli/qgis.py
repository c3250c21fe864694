"""``geo qgis-project``: a ready QGIS project of every published layer, from the server or a GeoPackage."""

from pathlib import Path

import click

from geo.cli.options import ROOT, default_store, settings, store_at

DEFAULT_URL = "http://127.0.0.1:5000"


def default_url() -> str:
    return settings().server_url or DEFAULT_URL


@click.command("qgis-project")
@click.option("--url", default=default_url, show_default=f"$GEO_SERVER_URL or {DEFAULT_URL}",
              help="Base URL of the server whose OGC API Features the project reads.")
@click.option("--source", type=click.Choice(["server", "gpkg"]), default=None,
              help="Layers from the server (OGC API Features) or from a GeoPackage [default: server, "
                   "or gpkg when --gpkg is given].")
@click.option("--gpkg", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="GeoPackage for --source gpkg (default: the store; the store holds non-public fields, a "
                   "download of /downloads/openbaar.gpkg does not).")
@click.option("--store", type=click.Path(path_type=Path, dir_okay=False), default=default_store,
              show_default="build/store.gpkg or $GEO_STORE",
              help="The store: which layers are published, the map extent, the raster files.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=ROOT / "build" / "omgevingsgeo.qgz",
              show_default="build/omgevingsgeo.qgz", help="Project file: .qgz (zipped) or .qgs.")
@click.pass_obj
def qgis_project(obj, url: str, source: str | None, gpkg: Path | None, store: Path, out: Path):
    """Write a QGIS project: layers grouped by theme, styled as the overview map, in RD New."""
    from geo.core.errors import GeoError
    from geo.render.qgis import extent, gpkg_layers, server_layers, write_project
    s = store_at(store)
    collections = obj["registry"].collections()
    source = source or ("gpkg" if gpkg else "server")
    if source == "server":
        layers = server_layers(url, s, collections)
    elif gpkg is None and not isinstance(s.path, Path):
        raise GeoError("--source gpkg of a PostGIS store needs --gpkg FILE (e.g. a /downloads/openbaar.gpkg)")
    else:
        layers = gpkg_layers(gpkg or s.path, s, collections)
    path = write_project(out, layers, extent(s, collections))
    origin = url if source == "server" else (gpkg or s.path)
    click.echo(f"wrote {path}: {len(layers)} layers from {origin}")
