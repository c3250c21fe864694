"""One offline writer for Folium pages: every script, stylesheet and image they reference is inlined.

Folium's templates point at CDNs (jsdelivr, code.jquery.com, cdnjs). An advisor opens our maps from a
file share or an e-mail, often without internet, and a page whose popups need jQuery draws nothing when
jQuery is missing (``ReferenceError: $ is not defined``). :func:`inline` replaces each ``<script src>`` and
``<link rel=stylesheet>`` by the text of a local copy shipped by a declared Python package (:data:`ASSETS`),
turns the images a stylesheet uses into data URIs, and gives Leaflet's default marker its images. A
reference it has no local copy for is an error that names the URL: a map never silently loses a library.
Only base-map tiles still need a network; the data draw without them.
"""

import base64
import mimetypes
import re
from functools import cache
from importlib import resources
from pathlib import Path

from geo.core.settings import ROOT

VECTORGRID_DIST = "build/tools/leaflet.vectorgrid/node_modules/leaflet.vectorgrid/dist"
__all__ = ["ASSETS", "OfflineError", "inline", "local_copy"]


class OfflineError(ValueError):
    """A page references a script or stylesheet no installed package provides."""


def _package(module: str | None, folder: str) -> Path:
    """The folder of an asset: inside an installed Python package, or (module None) under the repository, where
    ``scripts/setup.sh`` installs the npm packages."""
    if module is None:
        return ROOT / folder
    return Path(str(resources.files(module))) / folder


# (pattern on the referenced URL, package module, folder in it, file name or None for the URL's file name).
# Licences: Leaflet BSD-2 (django-js-lib-leaflet), jQuery MIT (bootstrap-flask ships it for Bootstrap 4),
# Leaflet.markercluster MIT (xstatic-leaflet-markercluster); each file carries its licence header.
# Leaflet.VectorGrid (npm leaflet.vectorgrid, installed by scripts/setup.sh under build/tools; Beerware, its README
# beside it) has no header: :data:`LICENCE_HEADERS` adds one.
ASSETS = [
    (r"(?:^|/)leaflet(?:-src)?\.(?:js|css)$", "js_lib_leaflet", "static/js_lib_leaflet", None),
    (r"(?:^|/)jquery(?:-[0-9.]+)?(?:\.min)?\.js$", "flask_bootstrap", "static/bootstrap4", "jquery.min.js"),
    (r"(?:^|/)leaflet\.markercluster(?:-src)?\.js$", "xstatic.pkg.leaflet_markercluster", "data",
     "leaflet.markercluster.js"),
    (r"(?:^|/)MarkerCluster(?:\.Default)?\.css$", "xstatic.pkg.leaflet_markercluster", "data", None),
    (r"(?:^|/)Leaflet\.VectorGrid\.bundled(?:\.min)?\.js$", None, VECTORGRID_DIST, "Leaflet.VectorGrid.bundled.js"),
]
LICENCE_HEADERS = {
    "Leaflet.VectorGrid.bundled.js": "/* Leaflet.VectorGrid 1.3.0, Iván Sánchez Ortega, THE BEER-WARE LICENSE "
                                     "(Revision 42); bundles pbf and vector-tile (BSD-3-Clause, Mapbox) and "
                                     "whatwg-fetch (MIT, GitHub). */\n",
}
SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#)([^'\")]+)['\"]?\s*\)")


def local_copy(url: str) -> Path:
    """The installed file that stands in for ``url``.

    >>> local_copy("https://code.jquery.com/jquery-3.7.1.min.js").name
    'jquery.min.js'
    """
    for pattern, module, folder, name in ASSETS:
        if re.search(pattern, url):
            path = _package(module, folder) / (name or url.rsplit("/", 1)[-1])
            if path.is_file():
                return path
    hint = " (run scripts/setup.sh: it installs it with npm)" if "vectorgrid" in url.lower() else ""
    raise OfflineError(f"{url}: no local copy in an installed package{hint}; add it to geo.render.offline.ASSETS "
                       f"or leave it out of the map")


def inline(page: str) -> str:
    """``page`` with every script and stylesheet reference replaced by the file's text; no URL is left
    for a browser to fetch except base-map tiles."""
    page = SCRIPT.sub(lambda m: _script(m[1]), page)
    page = STYLESHEET.sub(lambda m: f"<style>{_stylesheet(m[1])}</style>", page)
    left = SCRIPT.findall(page) + STYLESHEET.findall(page)
    if left:
        raise OfflineError(f"{left[0]}: still referenced after inlining")
    return page


def _script(url: str) -> str:
    path = local_copy(url)
    text = path.read_text(encoding="utf-8").replace("</script", "<\\/script")
    text = re.sub(r"//# sourceMappingURL=\S+", "", text)
    text = LICENCE_HEADERS.get(path.name, "") + text
    extra = DEFAULT_ICON.format(**_marker_images()) if path.name in ("leaflet.js", "leaflet-src.js") else ""
    return f"<script>{text}</script>{extra}"


@cache
def _stylesheet(url: str) -> str:
    path = local_copy(url)
    css = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", path.read_text(encoding="utf-8"))
    return CSS_URL.sub(lambda m: f'url("{_data_uri(path.parent / m[1])}")', css)


def _data_uri(path: Path) -> str:
    if not path.is_file():
        raise OfflineError(f"{path}: referenced by a stylesheet but not installed")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


@cache
def _marker_images() -> dict[str, str]:
    images = _package("js_lib_leaflet", "static/js_lib_leaflet") / "images"
    return {key: _data_uri(images / name) for key, name in
            (("icon", "marker-icon.png"), ("retina", "marker-icon-2x.png"), ("shadow", "marker-shadow.png"))}


# Leaflet finds its marker images relative to leaflet.css's URL; an inlined stylesheet has none, so the
# images are given as data URIs (imagePath "" stops the lookup).
DEFAULT_ICON = ('<script>L.Icon.Default.imagePath = ""; L.Icon.Default.mergeOptions({{iconUrl: "{icon}", '
                'iconRetinaUrl: "{retina}", shadowUrl: "{shadow}"}});</script>')
