"""The server's entry point: reads the settings and builds the registry once, and hands both to the app factories.

``geo serve`` runs ``gunicorn -c python:geo.serve.gunicorn_conf omgevingsgeo.wsgi:create_app()``: the ASGI front
(``geo.serve.asgi``) around pygeoapi's Flask app (``geo.serve.server``). ``create_wsgi_app()`` is the plain WSGI
app, e.g. for a test client or another WSGI server.
"""

from geo.core.settings import Settings
from geo.serve import asgi, server
from omgevingsgeo.registry import build_registry

APP = "omgevingsgeo.wsgi:create_app()"  # what gunicorn loads (``geo serve`` passes it)


def create_wsgi_app(settings: Settings | None = None):
    """pygeoapi's Flask app with our checks and routes, for the application's registry."""
    return server.create_app(build_registry(), settings or Settings.from_env())


def create_app() -> asgi.WsgiFront:
    """The ASGI app ``geo serve`` gives gunicorn: the WSGI app behind the buffering front."""
    settings = Settings.from_env()
    return asgi.create_app(create_wsgi_app(settings), settings)
