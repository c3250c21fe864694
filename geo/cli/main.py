"""The ``geo`` command: thin commands over library functions; library errors become one line.

The registry comes from the edge: ``omgevingsgeo.cli.main`` runs this group with ``obj={"registry": ...,
"app": ...}``; every command reads it from ``ctx.obj`` (``_registry``), never from the domain.
"""

import logging
import os
import shutil
import sys
from pathlib import Path

import click
from tqdm import tqdm

from geo.cli.options import (  # noqa: F401
    DEFAULT_GEMEENTE,
    POSTGIS_CONFIG,
    POSTGIS_INTERNAL_CONFIG,
    ROOT,
    GeoGroup,
    _store_location,
    data_option,
    default_config,
    default_data,
    default_store,
    gemeente_option,
    settings,
    store_at,
    store_option,
)
from geo.core.errors import GeoError
from geo.core.settings import Settings
from geo.serve.asgi import THREADS_ENV


@click.group(cls=GeoGroup)
@click.option("-v", "--verbose", count=True, help="More output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.pass_context
def main(ctx, verbose: int, quiet: bool):
    """Geo-information for the omgevingsplan: build layers, serve OGC API Features."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pyogrio").setLevel(max(level, logging.WARNING))
    obj = ctx.ensure_object(dict)  # the edge (omgevingsgeo.cli) put the registry and the app in it
    obj["quiet"] = quiet
    obj["settings"] = Settings.from_env()  # the environment, read once: passed down


@main.command()
@click.argument("layers", nargs=-1)
@gemeente_option
@store_option
@data_option
@click.option("--source", "sources", multiple=True, metavar="KEY=PATH",
              help="Use another file or OGC API collection URL for a source, e.g. bag=/data/lvbag/ (repeatable).")
@click.pass_obj
def build(obj, layers, gemeente, store, data, sources):
    """Build LAYERS (all by default) and publish them to the store atomically."""
    from geo.build.builder import build as build_layers
    from geo.build.builder import resolve

    if gemeente.upper() == "ALL":
        return _build_all(obj, store)
    overrides = _parse_sources(sources)
    registry = obj["registry"]
    names = resolve(registry, layers)
    with tqdm(total=len(names), desc="build", unit="layer", disable=obj["quiet"]) as bar:
        def progress(name):
            bar.set_postfix_str(name)
            bar.update(1)
        report = build_layers(registry, names, gemeente, store_at(store), data, overrides, progress,
                              obj["settings"].operator)
    for r in report.layers:
        click.echo(f"{r.name:22} {r.features:8d} features  {r.quarantined:5d} quarantined  "
                   f"{r.repaired:4d} repaired  {r.seconds:5.1f}s")
    click.echo(f"published {len(report.layers)} layers for {gemeente} to {store}")


def _build_all(obj: dict, store: "Path | str") -> None:
    """``--gemeente ALL``: the national builds the analyses offer (the nitrogen analysis: every municipality)."""
    registry = obj.get("registry")
    hooks = [a.build_all for a in registry.analyses.values() if a.build_all] if registry else []
    if not hooks:
        raise GeoError("--gemeente ALL: no analysis of this geo offers a national build")
    for hook in hooks:
        hook(store, obj["quiet"])


def _parse_sources(items) -> dict[str, Path]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise click.BadParameter(f"{item!r}: expected KEY=PATH", param_hint="--source")
        out[key] = value if value.startswith(("http://", "https://")) else Path(value)
    return out


@main.command()
@gemeente_option
@data_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              show_default="pygeoapi-config.yml, with --internal pygeoapi-config-internal.yml")
@click.option("--openapi", type=click.Path(path_type=Path), default=None,
              help="Where to write the OpenAPI document (default: beside the store).")
@click.option("--internal", is_flag=True,
              help="The internal instance's config: all fields, the quarantine, internal results.")
@store_option
@click.pass_obj
def config(obj, gemeente, data, out, openapi, internal, store):
    """Write the pygeoapi config from the layer registry, and its OpenAPI document."""
    from geo.serve import internal as internal_instance
    from geo.serve.config import write, write_openapi
    from geo.store.catalogue import catalogue_path

    if isinstance(store, str):  # a PostGIS URL: PostgreSQL providers on the public views (internal: the tables)
        from geo.serve.postgis_config import write as write_postgis

        out = out or ROOT / (POSTGIS_INTERNAL_CONFIG if internal else POSTGIS_CONFIG)
        click.echo(f"wrote {write_postgis(obj['registry'], out, gemeente, data, internal)}")
        return
    out = out or (ROOT / internal_instance.CONFIG_NAME if internal else default_config())
    write(obj["registry"], out, gemeente, data, internal)
    s = settings()
    env = s.child_env({"GEO_STORE": s.store or str(Path(store).resolve()),  # the operator's variables win
                       "GEO_RASTERS": s.rasters or str(store_at(store).raster_dir.resolve()),
                       "GEO_CATALOGUE": s.catalogue or str(catalogue_path(store_at(Path(store).resolve())))})
    name = internal_instance.OPENAPI_NAME if internal else "openapi.yml"
    doc = write_openapi(out, openapi or Path(store).parent / name, env)
    click.echo(f"wrote {out} and {doc}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per worker running the app on whole requests (slow clients hold none).")
@store_option
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              show_default="pygeoapi-config.yml, with --internal pygeoapi-config-internal.yml")
@click.option("--internal", is_flag=True,
              help="Serve the internal config (all fields, quarantine); needs GEO_API_KEY, sent as X-API-Key.")
@click.pass_obj
def serve(obj, host, port, workers, threads, store, config_path, internal):
    """Serve the store as OGC API Features (pygeoapi under gunicorn)."""
    from geo.serve import internal as internal_instance

    s = settings()
    if internal:
        internal_instance.api_key(s)  # refuse to start without a key
    _check_coordinate_decimals(s)
    if isinstance(store, str):  # PostGIS: pygeoapi's PostgreSQL provider, connection from GEO_PG_*
        from geo.serve.postgis_config import serve_env

        store_at(store).info()  # one line when the database is unreachable or not built yet
        config_path = config_path or ROOT / (POSTGIS_INTERNAL_CONFIG if internal else POSTGIS_CONFIG)
        env = serve_env(store, config_path, host, port, internal, s)
        _exec_gunicorn(obj["app"], host, port, workers, config_path, store, env | {THREADS_ENV: str(threads)})
    config_path = config_path or (ROOT / internal_instance.CONFIG_NAME if internal else default_config())
    from geo.store.catalogue import catalogue_path

    store = Path(store).resolve()
    if not store.exists():
        raise GeoError(f"{store}: no store yet; run 'geo build' first")
    url = s.server_url or f"http://{host}:{port}"
    openapi = store.parent / (internal_instance.OPENAPI_NAME if internal else "openapi.yml")
    opened = store_at(store)
    env = {internal_instance.INTERNAL_ENV: "1" if internal else "0", "GEO_STORE": str(store),
           "GEO_RASTERS": str(opened.raster_dir), "GEO_CATALOGUE": str(catalogue_path(opened)),
           "GEO_SERVER_URL": url, "PYGEOAPI_CONFIG": str(Path(config_path).resolve()),
           "PYGEOAPI_OPENAPI": str(openapi), THREADS_ENV: str(threads)}
    _exec_gunicorn(obj["app"], host, port, workers, config_path, store, env)


def _check_coordinate_decimals(s: Settings) -> None:
    """A malformed GEO_COORDINATE_DECIMALS: one line here, not a traceback from every worker."""
    from geo.serve.geometry_json import parse_decimals

    try:
        parse_decimals(s.coordinate_decimals)
    except ValueError as err:
        raise GeoError(str(err)) from err


def _exec_gunicorn(app: str, host: str, port: int, workers: int, config_path: Path, store, values: dict) -> None:
    """Replace this process by gunicorn serving ``app`` (e.g. ``omgevingsgeo.wsgi:create_app()``), its
    environment this one's with ``values`` set (this process's left unchanged)."""
    from geo.serve.config import write_openapi

    env = settings().child_env(values)
    write_openapi(config_path, Path(env["PYGEOAPI_OPENAPI"]), env)
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    if gunicorn is None:
        raise GeoError("gunicorn not found; install the project with pip install -e .")
    click.echo(f"serving {store} at {env['GEO_SERVER_URL']} ({workers} workers x {env[THREADS_ENV]} threads)")
    # asyncio workers with a buffering front (geo.serve.asgi): slow and idle clients hold no worker (issue 16)
    os.execve(gunicorn, [gunicorn, "-c", "python:geo.serve.gunicorn_conf", "--workers", str(workers),
                         "--bind", f"{host}:{port}", app], env)


@main.command()
@click.argument("layer", required=False)
@store_option
def info(layer, store):
    """What the store holds: per layer features, build time and quarantine; or one layer in detail."""
    s = store_at(store)
    table = s.info()
    if not layer:
        click.echo(table[["name", "features", "quarantined", "repaired", "gemeente", "built_at"]]
                   .to_string(index=False))
        return
    if layer not in set(table["name"]):
        raise GeoError(f"{store}: layer {layer!r} not in the store (has {', '.join(table['name'])})")
    row = table.set_index("name").loc[layer]
    gdf = s.read(layer)
    click.echo(f"{layer}: {row['title']}\n  features: {row['features']}  built: {row['built_at']}  "
               f"gemeente: {row['gemeente']}\n  bounds (RD): {[round(v) for v in gdf.total_bounds]}\n"
               f"  public fields: {row['public_fields']}")
    for src in s.sources().query("layer == @layer").itertuples():
        click.echo(f"  source {src.key}: {src.path} (modified {src.modified}, sha256 {src.sha256[:12]})")
    q = s.quarantine(layer)
    if len(q):
        click.echo("  quarantined:\n" + q.groupby("reason").size().to_string())


@main.command("map")
@store_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="HTML file (default: build/maps/overzicht.html).")
@click.option("--inline-limit", type=click.IntRange(min=0), default=None,
              help="Most panden inlined; more are drawn from the server's vector tiles at GEO_SERVER_URL "
                   "(default 30000).")
@click.pass_obj
def map_(obj, store, out, inline_limit):
    """Write the overview map (Folium, opens offline) of the store's layers."""
    from geo.render.maps import DEFAULT_SERVER_URL, overview_map
    from geo.render.tiled_layer import MAX_INLINE_FEATURES

    s = store_at(store)
    limit = MAX_INLINE_FEATURES if inline_limit is None else inline_limit
    path = overview_map(s, out or s.output_dir / "maps" / "overzicht.html", obj["registry"].collections(),
                        settings().server_url or DEFAULT_SERVER_URL, limit)
    click.echo(f"wrote {path}")


@main.command()
@store_option
@data_option
@click.pass_obj
def refresh(obj, store, data):
    """Rebuild only the layers (and analyses) whose sources changed since the last build; one log line."""
    from geo.build.refresh import refresh as run_refresh

    s = store_at(store)
    report = run_refresh(obj["registry"], s, data)
    click.echo(report.line(s.info()["gemeente"].iloc[0]))


# --- commands that live in their own modules, and those of the analyses (handed down by the edge) --------
from geo.cli.qgis import qgis_project  # noqa: E402

main.add_command(qgis_project)


def make_cli(registry, app: str) -> click.Group:
    """The ``geo`` command of ``registry``: the machinery's commands and every analysis's (``registry.commands()``);
    the registry reaches each command as ``ctx.obj["registry"]``, the app ``geo serve`` runs as ``ctx.obj["app"]``
    (e.g. ``"omgevingsgeo.wsgi:create_app()"``)."""
    main.context_settings = {**main.context_settings, "obj": {"registry": registry, "app": app}}
    return add_commands(main, registry)


def add_commands(group: click.Group, registry) -> click.Group:
    """Add the analyses' commands to ``group``; a command group of a name already there (e.g. ``analyse``) is
    merged into it."""
    for command in registry.commands():
        existing = group.commands.get(command.name)
        if isinstance(existing, click.Group) and isinstance(command, click.Group) and existing is not command:
            for sub in command.commands.values():
                existing.add_command(sub)
        else:
            group.add_command(command)
    return group
