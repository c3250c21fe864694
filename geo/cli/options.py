"""What every `geo` command module shares: paths, defaults, options and the error-to-one-line group.

Kept apart from ``geo.cli.main`` (as rasterio keeps ``rio/options.py``) so that command modules can import it
without importing the command group that imports them.
"""

import logging
from pathlib import Path

import click

from geo.core.errors import GeoError
from geo.core.settings import Settings
from geo.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GEMEENTE = "GM0441"
POSTGIS_CONFIG = "pygeoapi-config-postgis.yml"  # `geo config/serve --store postgresql://...`
POSTGIS_INTERNAL_CONFIG = "pygeoapi-config-postgis-internal.yml"  # the same with --internal


def settings() -> Settings:
    """The settings the ``geo`` group read once from the environment (``ctx.obj["settings"]``); read here when
    a command runs without the group (a test invoking it directly)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    if isinstance(obj, dict) and "settings" in obj:
        return obj["settings"]
    return Settings.from_env()


def store_at(location: "Path | str") -> Store:
    """The store at ``location`` (``--store``), opened with the command's settings: resolved once, here."""
    return open_store(location, settings())


def default_data() -> Path:
    return settings().data_dir


def default_store() -> Path | str:
    return settings().store_location


def default_config() -> Path:
    return settings().config_path


class GeoGroup(click.Group):
    """Turns library errors into ``Error: <one line>`` and exit code 1, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GeoError as err:
            raise click.ClickException(str(err)) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as err:  # a bug, not bad input: still one line; -vv shows the traceback
            logging.getLogger(__name__).debug("unexpected error", exc_info=True)
            raise click.ClickException(f"unexpected {type(err).__name__}: {err} (run with -vv for details)") from None


gemeente_option = click.option("--gemeente", default=DEFAULT_GEMEENTE, show_default=True,
                               help="CBS code of the municipality, e.g. GM0441 (Schagen).")


def _store_location(ctx, param, value):
    """A GeoPackage path, or a PostGIS URL kept as text (``Path`` would fold its ``//``)."""
    value = str(value)
    return value if value.startswith(("postgresql://", "postgresql+psycopg2://")) else Path(value)


store_option = click.option("--store", default=default_store, callback=_store_location,
                            show_default="build/store.gpkg or $GEO_STORE",
                            help="GeoPackage store, or a PostGIS URL postgresql://user@host:port/db.")
data_option = click.option("--data", type=click.Path(path_type=Path, file_okay=False), default=default_data,
                           show_default="data/ or $GEO_DATA", help="Folder with the source files.")


def existing_store(store: Path):
    """The GeoPackage store a command reads; a ``StoreError`` naming ``geo build`` when there is none yet."""
    from geo.core.errors import StoreError

    if not Path(store).exists():
        raise StoreError(f"{store}: no store yet; run 'geo build' first")
    return store_at(store)


gpkg_store_option = click.option("--store", type=click.Path(path_type=Path, dir_okay=False), default=default_store,
                                 show_default="build/store.gpkg or $GEO_STORE", help="GeoPackage store to read.")
