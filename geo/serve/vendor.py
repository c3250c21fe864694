"""Front-end libraries for pygeoapi's HTML pages, served by our own server so the pages work offline.

pygeoapi's templates load Leaflet, leaflet.markercluster and Bootstrap from CDNs (unpkg, cdnjs). This
module serves those files from PyPI packages (``django-js-lib-leaflet``, ``xstatic-leaflet-markercluster``,
``bootstrap-flask``, which ships Bootstrap 5 as a wheel) at ``/vendor/<name>-<version>/<path>`` and rewrites
their CDN URLs in every HTML
response. CDN files no package provides (leaflet-draw, Leaflet.ImageOverlay.OGCAPI, swagger-ui, ...) stay as
they are: the pages' maps work without them. Registered in ``geo.serve.server.create_app`` with
``geo.serve.vendor.register(app, server_url)``.
"""

import re
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from flask import Blueprint, Flask, abort, send_from_directory
from werkzeug.datastructures import Headers

__all__ = ["LIBRARIES", "CDN", "register", "rewrite", "blueprint"]

# name -> (distribution, module, folder inside the module): the files of one front-end library
LIBRARIES = {
    "leaflet": ("django-js-lib-leaflet", "js_lib_leaflet", "static/js_lib_leaflet"),
    "markercluster": ("xstatic-leaflet-markercluster", "xstatic.pkg.leaflet_markercluster", "data"),
    "bootstrap": ("bootstrap-flask", "flask_bootstrap", "static/bootstrap5"),
}
# CDN URL (the file's path inside the library is group 1) -> library name
CDN = {
    re.compile(rb"https://unpkg\.com/leaflet@[0-9.]+/dist/(leaflet\.(?:js|css))"): "leaflet",
    re.compile(rb"https://cdnjs\.cloudflare\.com/ajax/libs/leaflet/[0-9.]+/(leaflet\.(?:js|css))"): "leaflet",
    re.compile(rb"https://unpkg\.com/leaflet\.markercluster(?:@[0-9.]+)?/dist/"
               rb"(MarkerCluster(?:\.Default)?\.css|leaflet\.markercluster(?:-src)?\.js)"): "markercluster",
    re.compile(rb"https://unpkg\.com/bootstrap@5[0-9.]*/dist/(css/bootstrap(?:\.min)?\.css)"): "bootstrap",
}
MAX_AGE = 365 * 24 * 3600  # the URL carries the package version: a new version is a new URL

blueprint = Blueprint("vendor", __name__, url_prefix="/vendor")


@cache
def folders() -> dict[str, Path]:
    """``<name>-<package version>`` -> folder of the library's files (imports the packages once)."""
    out = {}
    for name, (dist, module, sub) in LIBRARIES.items():
        out[f"{name}-{version(dist)}"] = Path(str(resources.files(module))) / sub
    return out


def url_names() -> dict[str, str]:
    """library name -> its versioned name in URLs, e.g. ``leaflet`` -> ``leaflet-1.9.4.1``."""
    return {key.rsplit("-", 1)[0]: key for key in folders()}


@blueprint.get("/<name>/<path:path>")
def asset(name: str, path: str):
    folder = folders().get(name)
    if folder is None:
        abort(404)
    response = send_from_directory(folder, path, max_age=MAX_AGE)  # 404 for ../ and unknown files
    response.cache_control.immutable = True
    return response


def rewrite(html: bytes, base_url: str) -> bytes:
    """``html`` with the CDN URLs of the libraries we serve replaced by ``<base_url>/vendor/...`` URLs.

    >>> rewrite(b'<script src="https://unpkg.com/leaflet@1.3.1/dist/leaflet.js">', "http://h/geo/")[:37]
    b'<script src="http://h/geo/vendor/leaf'
    """
    names = url_names()
    prefix = base_url.rstrip("/").encode()
    for pattern, name in CDN.items():
        target = prefix + b"/vendor/" + names[name].encode() + b"/"
        html = pattern.sub(lambda m, t=target: t + m[1], html)
    return html


def _rewrite_response(response, base_url: str):
    """after_request: rewrite ordinary HTML bodies; leave streamed, file and compressed responses alone."""
    headers = Headers(response.headers)  # pygeoapi replaces them by a plain (case-sensitive) dict
    mimetype = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if (mimetype != "text/html" or response.is_streamed or response.direct_passthrough
            or headers.get("Content-Encoding", "identity") != "identity"):
        return response
    body = response.get_data()
    if b"https://" in body:
        response.set_data(rewrite(body, base_url))
    return response


def register(app: Flask, base_url: str) -> None:
    """Serve the libraries on ``app`` and point its HTML pages at them; ``base_url`` is the server's public
    URL (pygeoapi's ``server.url``, may carry a path prefix). Once: create_app may run more than once."""
    if blueprint.name in app.blueprints:
        return
    app.register_blueprint(blueprint)
    app.after_request(lambda response: _rewrite_response(response, base_url))
