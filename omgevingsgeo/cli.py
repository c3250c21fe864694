"""The ``geo`` command: builds the registry once and runs the command group with it.

The commands (``geo.cli``) find the registry in ``ctx.obj["registry"]`` and the app ``geo serve`` gives gunicorn
in ``ctx.obj["app"]``; an analysis's own command (``AnalysisSpec.command``) is added to the group here.
"""

from geo.cli.main import main as geo
from omgevingsgeo.registry import build_registry

APP = "omgevingsgeo.wsgi:create_app()"  # the ASGI app gunicorn loads (omgevingsgeo.wsgi)


def context_obj() -> dict:
    """What every ``geo`` command finds in ``ctx.obj``: the registry and the server's app."""
    return {"registry": build_registry(), "app": APP}


def main() -> None:
    """The console script ``geo``."""
    obj = context_obj()
    for command in obj["registry"].commands():
        geo.add_command(command)
    geo(obj=obj)


if __name__ == "__main__":
    main()
