"""The ``geo`` command: the machinery's commands (``geo.cli.main``) with the registry's analyses added."""

from geo.cli.main import make_cli
from omgevingsgeo.registry import build_registry

main = make_cli(build_registry())
