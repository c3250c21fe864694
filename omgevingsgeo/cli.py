"""The ``geo`` command: the machinery's commands (``geo.cli.main``) with the registry and the analyses' commands.

The commands find the registry in ``ctx.obj["registry"]`` and the app ``geo serve`` gives gunicorn in
``ctx.obj["app"]``.
"""

from geo.cli.main import make_cli
from omgevingsgeo.registry import build_registry
from samples.cli import sample

APP = "omgevingsgeo.wsgi:create_app()"  # the ASGI app gunicorn loads (omgevingsgeo.wsgi)

main = make_cli(build_registry(), APP)
main.add_command(sample)

if __name__ == "__main__":
    main()
