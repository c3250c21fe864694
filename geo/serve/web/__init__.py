"""The 'op locatie' web page: a small mobile-friendly page served next to the API at ``/op-locatie/``.

One button ("Mijn locatie", the browser's geolocation) and an address field; the page calls the process
``wnb-op-locatie`` with fetch and draws the answer with Leaflet, served from the ``js_lib_leaflet``
package (no CDN), as numbered markers beside a numbered list (``geo/render/assets/besluitenlijst.js``, the same
code as the offline map of ``geo op-locatie``). Base map tiles come from OpenStreetMap and may fail offline; the
data still show.
Registered in ``geo.serve.server.create_app`` with ``geo.serve.web.register(app)``.
"""

from importlib import resources
from pathlib import Path

from flask import Blueprint, Flask, request, send_from_directory
from markupsafe import escape
from werkzeug.datastructures import Headers

LEAFLET = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"  # as geo.render.maps, without its imports

STATIC = Path(__file__).parent / "static"
SHARED = Path(__file__).parents[2] / "render" / "assets"  # besluitenlijst.js/.css, shared with `geo op-locatie`
LOCALE = Path(__file__).parents[1] / "locale"  # Dutch texts of pygeoapi's templates (locale/make_nl.py)
blueprint = Blueprint("op_locatie_page", __name__, url_prefix="/op-locatie")


@blueprint.get("/")
def page():
    return send_from_directory(STATIC, "op_locatie.html", mimetype="text/html", max_age=0)


@blueprint.get("/static/<path:name>")
def static(name: str):
    return send_from_directory(STATIC, name, max_age=300)


@blueprint.get("/gedeeld/<path:name>")
def shared(name: str):
    return send_from_directory(SHARED, name, max_age=300)


@blueprint.get("/leaflet/<path:name>")
def leaflet(name: str):
    return send_from_directory(str(LEAFLET), name, max_age=3600)


LANDING_LINK = ('<section id="op-locatie"><h2>Wnb-besluiten op locatie</h2><p><a href="{url}/op-locatie/">'
                'Zoek Wnb-besluiten bij een adres of op uw locatie</a>: een kaart met genummerde besluiten en een '
                'lijst, ook op de telefoon en om af te drukken.</p></section>')


def link_on_landing_page(response, base_url: str):
    """after_request: pygeoapi's landing page (HTML) gets a link to the page, after its identification section;
    its template has no place for one. Streamed, file and compressed responses are left alone."""
    headers = Headers(response.headers)  # pygeoapi may replace them by a plain dict
    html_page = headers.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"
    if (request.path != "/" or not html_page or response.is_streamed or response.direct_passthrough
            or headers.get("Content-Encoding", "identity") != "identity"):
        return response
    body = response.get_data(as_text=True)
    if 'id="op-locatie"' not in body and "</section>" in body:
        link = LANDING_LINK.format(url=escape(base_url.rstrip("/")))
        response.set_data(body.replace("</section>", "</section>" + link, 1))
    return response


def register(app: Flask, *configs: dict) -> None:
    """Serve the page on ``app`` (once: create_app may run more than once in a process); with pygeoapi's
    ``configs`` (its config and the copy its templates get), its HTML pages get the Dutch texts of ``locale/``
    (pygeoapi ships none) and the operator's contact and licence from ``app``'s settings."""
    from geo.serve.config import apply_operator

    settings = app.extensions.get("geo.settings")
    for config in configs:
        config["server"].setdefault("locale_dir", str(LOCALE))
        if settings is not None:  # the operator's contact and licence, from the settings (one source)
            apply_operator(config, settings.operator)
    if blueprint.name not in app.blueprints:
        app.register_blueprint(blueprint)
        base_url = configs[0]["server"]["url"] if configs else ""
        app.after_request(lambda response: link_on_landing_page(response, base_url))
