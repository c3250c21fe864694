"""Routes beside pygeoapi's for GIS users: layer styles (QML, SLD) and public GeoPackage downloads.

    /styles/<collection>.qml   QGIS style           /downloads/openbaar.gpkg      every public layer
    /styles/<collection>.sld   OGC SLD              /downloads/<collection>.gpkg  one layer (public fields)
                                                    /downloads/<raster>.tif       a raster layer's COG

``collection_links`` gives the links that the generated pygeoapi config puts on each collection.
``geo.serve.server.create_app`` registers ``make_blueprint(registry)``; the store is ``$GEO_STORE`` of the app's
settings, opened per request.
"""

from flask import Blueprint, Response, jsonify, send_file

from geo.core.errors import GeoError, LayerNotFoundError
from geo.core.registry import Registry
from geo.render import styles
from geo.serve.downloads import public_geopackage

__all__ = ["collection_links", "make_blueprint"]

SERVER_URL = "${GEO_SERVER_URL:-http://127.0.0.1:5000}"  # substituted by pygeoapi when it reads the config
XML = "text/xml"
GPKG = "application/geopackage+sqlite3"
COG = "image/tiff; application=geotiff; profile=cloud-optimized"

def collection_links(name: str, raster: bool = False) -> list[dict]:
    """Links of a collection to its styles and its download, and to the download of all public layers.

    Downloads are ``alternate`` (the collection's data in another format), not ``enclosure``: pygeoapi
    sends a HEAD request to every enclosure link while it writes each collection document (1 s timeout),
    which would make the server call itself and build downloads on every ``/collections`` request."""
    styles = [{"type": XML, "rel": "stylesheet", "title": f"QGIS-stijl (QML) van {name}",
               "href": f"{SERVER_URL}/styles/{name}.qml"},
              {"type": XML, "rel": "stylesheet", "title": f"SLD-stijl van {name}",
               "href": f"{SERVER_URL}/styles/{name}.sld"}]
    if raster:
        return styles + [{"type": COG, "rel": "alternate", "title": f"Download {name} (Cloud Optimized GeoTIFF)",
                          "href": f"{SERVER_URL}/downloads/{name}.tif"}]
    return styles + [
        {"type": "application/json", "rel": "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
         "title": f"Vectortegels (MVT) van {name}", "href": f"{SERVER_URL}/collections/{name}/tiles"},
        {"type": GPKG, "rel": "alternate", "title": f"Download {name} (GeoPackage, openbare velden, EPSG:28992)",
         "href": f"{SERVER_URL}/downloads/{name}.gpkg"},
        {"type": GPKG, "rel": "alternate", "title": "Download alle openbare lagen (GeoPackage, EPSG:28992)",
         "href": f"{SERVER_URL}/downloads/openbaar.gpkg"},
    ]


def make_blueprint(registry: Registry) -> Blueprint:
    """The routes for the collections of ``registry`` (public ones only: styles and downloads are public)."""
    blueprint = Blueprint("gis_routes", __name__)
    collections = registry.collections()
    rasters = {n for n, spec in registry.layers.items() if spec.is_raster}

    @blueprint.get("/styles/<name>.<fmt>")
    def style(name: str, fmt: str):
        if fmt not in ("qml", "sld") or name not in collections:
            return _not_found(f"no style {name}.{fmt}; styles are /styles/<collection>.qml and .sld")
        text = styles.qml(collections[name]) if fmt == "qml" else styles.sld(collections[name])
        return Response(text, mimetype=XML, headers={"Content-Disposition": f'inline; filename="{name}.{fmt}"'})

    @blueprint.get("/downloads/<name>.gpkg")
    def geopackage(name: str):
        try:
            path = public_geopackage(_store(), collections, name)
        except LayerNotFoundError as err:
            return _not_found(str(err))
        except GeoError as err:
            return _error(503, "ServiceUnavailable", str(err))
        return send_file(path, mimetype=GPKG, as_attachment=True, download_name=f"{name}.gpkg", max_age=300)

    @blueprint.get("/downloads/<name>.tif")
    def raster(name: str):
        try:
            path = _store().raster_path(name)
        except GeoError:  # a PostGIS store without $GEO_RASTERS keeps no COGs
            path = None
        if name not in rasters or path is None or not path.exists():
            return _not_found(f"no raster {name!r} to download; available: {', '.join(sorted(rasters))}")
        return send_file(path, mimetype=COG, as_attachment=True, download_name=f"{name}.tif", max_age=300)

    return blueprint


def _store():
    """The store of the settings the app was made with (``GEO_STORE``: a GeoPackage path or a PostGIS URL)."""
    from flask import current_app

    from geo.store import open_store

    settings = current_app.extensions["geo.settings"]
    return open_store(settings.store, settings)


def _not_found(description: str):
    return _error(404, "NotFound", description)


def _error(status: int, code: str, description: str):
    response = jsonify({"code": code, "type": code, "description": description})
    response.status_code = status
    return response
