"""A ready QGIS project (.qgz or .qgs, QGIS 3.22 format) of every published layer, written without PyQGIS.

Two sources: the server (``server_layers``: each vector layer an OGC API Features layer of QGIS's
``oapif`` provider, the big ones (``LayerSpec.vector_tiles``: pand, verblijfsobject, hexagons) a vector tile
layer on the server's WebMercatorQuad tiles, drawn from 1:200,000 in; the NH3 raster the server's COG download
read by GDAL through ``/vsicurl/``), or a
GeoPackage (``gpkg_layers``: ``ogr`` layers ``path|layername=…``, the raster from the store's COG file).
Layers are grouped by their spec's ``group``, styled with their ``style`` (the overview map's colours), drawn
in their ``draw_order`` and switched off when ``hidden``; the project CRS is RD New and it opens on the
municipality.

QGIS 3.22's OAPIF provider always requests CRS84, so server layers are EPSG:4326 in QGIS and are
reprojected on the fly; GeoPackage layers are EPSG:28992.
"""

import os
import sqlite3
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyproj

from geo.core.errors import GeoError
from geo.core.registry import LayerSpec
from geo.core.style import RasterStyle
from geo.render import qml
from geo.render.styles import style
from geo.store.geopackage import Store

__all__ = ["ProjectLayer", "gpkg_layers", "server_layers", "write_project"]

PROJECT_CRS = "EPSG:28992"
OAPIF_CRS = "EPSG:4326"  # QGIS 3.22 asks OGC API Features for CRS84 only
OAPIF_PAGE_SIZE = 1000
TILES_CRS = "EPSG:3857"  # QGIS 3.22 reads XYZ vector tiles in WebMercatorQuad only
TILES_MIN_ZOOM = 12  # the first tile level QGIS asks for (a 10 km tile); from 1:200,000 in
TILES_MAX_SCALE = 200_000  # vector tile layers are drawn from this scale in (zoomed out further: hidden)
GROUP_ORDER = ("Basisregistratie", "Natuur en stikstof", "Bodem", "Omgevingsplan", "Analyses")
WKB_TYPES = {"Point": "Point", "MultiPoint": "MultiPoint", "LineString": "LineString",
             "MultiLineString": "MultiLineString", "Polygon": "Polygon", "MultiPolygon": "MultiPolygon"}
GEOMETRY_KINDS = {"Point": "Point", "MultiPoint": "Point", "LineString": "Line", "MultiLineString": "Line",
                  "Polygon": "Polygon", "MultiPolygon": "Polygon"}
ABSTRACT = "Lagen voor het omgevingsplan: BAG, Natura 2000, stikstof, Wnb, bodem, omgevingsplan."
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"


class ProjectError(GeoError, ValueError):
    """The project cannot be made from what was given (no layers, no store)."""


@dataclass(frozen=True)
class ProjectLayer:
    name: str  # collection id / table name
    title: str
    group: str
    provider: str  # "oapif" | "vectortile" | "ogr" | "gdal"
    datasource: str
    crs: str
    geometry: str | None = None  # schema geometry of a vector layer; None for a raster
    description: str = ""
    result: bool = False  # an analysis result: switched off at first
    hidden: bool = False  # off when the project opens (as in the overview map)
    draw_order: float = 50  # lower is drawn on top
    style: Any = None  # a geo.core.style VectorStyle or RasterStyle

    @property
    def raster(self) -> bool:
        return self.geometry is None

    @property
    def id(self) -> str:
        return f"{self.name}_{uuid.uuid5(uuid.NAMESPACE_URL, f'omgevingsgeo/{self.name}').hex}"


def published(store: Store, collections: Mapping[str, LayerSpec]) -> dict[str, LayerSpec]:
    """The public layers and analysis results (of ``collections``: ``Registry.collections()``) that the store
    holds, in registry order."""
    if not store.exists():
        raise ProjectError(f"{store.path}: no store yet; run 'geo build' first")
    present = set(store.layers())
    return {n: spec for n, spec in collections.items() if n in present}


def server_layers(url: str, store: Store, collections: Mapping[str, LayerSpec]) -> list[ProjectLayer]:
    """Every published layer from the server at ``url``: OAPIF vectors, the raster via its COG download."""
    base = url.rstrip("/")
    layers = []
    for name, spec in published(store, collections).items():
        if spec.is_raster:
            layers.append(_layer(spec, "gdal", f"/vsicurl/{base}/downloads/{name}.tif", PROJECT_CRS))
            continue
        if spec.vector_tiles:
            tiles = f"{base}/collections/{name}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}"
            layers.append(_layer(spec, "vectortile", f"type=xyz&url={tiles}&zmin={TILES_MIN_ZOOM}&zmax=16",
                                 TILES_CRS))
            continue
        uri = (f"pageSize='{OAPIF_PAGE_SIZE}' pagingEnabled='true' restrictToRequestBBOX='1' "
               f"typename='{name}' url='{base}' version='OGC_API_FEATURES'")
        layers.append(_layer(spec, "oapif", uri, OAPIF_CRS))
    return layers


def gpkg_layers(gpkg: Path, store: Store, collections: Mapping[str, LayerSpec]) -> list[ProjectLayer]:
    """Every published layer from a GeoPackage with the store's tables (the store or a public download);
    rasters from the store's Cloud Optimized GeoTIFFs."""
    gpkg = Path(gpkg).resolve()
    tables = _tables(gpkg)
    layers = []
    for name, spec in published(store, collections).items():
        if spec.is_raster:
            layers.append(_layer(spec, "gdal", str(store.raster_path(name).resolve()), PROJECT_CRS))
        elif name in tables:
            layers.append(_layer(spec, "ogr", f"{gpkg}|layername={name}", PROJECT_CRS))
    if not any(not layer.raster for layer in layers):
        raise ProjectError(f"{gpkg}: none of the published layers is in this GeoPackage")
    return layers


def _tables(gpkg: Path) -> set[str]:
    """The feature tables of a GeoPackage (read from gpkg_contents)."""
    if not gpkg.exists():
        raise ProjectError(f"{gpkg}: no such GeoPackage")
    try:
        with closing(sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)) as con:
            rows = con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchall()
    except sqlite3.Error as err:
        raise ProjectError(f"{gpkg}: not a GeoPackage ({err})") from err
    return {r[0] for r in rows}


def extent(store: Store, collections: Mapping[str, LayerSpec], margin: float = 0.05) -> tuple[float, ...]:
    """The municipality's bounds in RD New (all vector layers' without it), with a margin (a fraction of the
    larger side)."""
    names = ["gemeentegebied"] if "gemeentegebied" in store.layers() else [
        n for n, spec in published(store, collections).items() if not spec.is_raster]
    boxes = [b for b in (store.extent(n) for n in names) if b is not None]
    if not boxes:
        raise ProjectError(f"{store.path}: no vector layer to take the map extent from")
    minx, miny = min(b[0] for b in boxes), min(b[1] for b in boxes)
    maxx, maxy = max(b[2] for b in boxes), max(b[3] for b in boxes)
    pad = margin * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def write_project(out: Path, layers: list[ProjectLayer], bounds: tuple[float, float, float, float],
                  title: str = "Omgevingsdienst geo-informatie") -> Path:
    """Write the project (a .qgz zip holding the .qgs, or a plain .qgs) atomically."""
    if not layers:
        raise ProjectError("no layers for the QGIS project")
    out = Path(out)
    text = project_xml(layers, bounds, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    if out.suffix.lower() == ".qgz":
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{out.stem}.qgs", text)
    else:
        tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    return out


def project_xml(layers: list[ProjectLayer], bounds, title: str) -> str:
    root = ET.Element("qgis", {"projectname": title, "version": qml.QGIS_VERSION})
    ET.SubElement(root, "homePath", {"path": ""})
    _text(root, "title", title)
    _srs(ET.SubElement(root, "projectCrs"), PROJECT_CRS)
    root.append(_layer_tree(layers))
    root.append(_canvas(bounds))
    projectlayers = ET.SubElement(root, "projectlayers")
    for layer in layers:
        projectlayers.append(_maplayer(layer))
    order = ET.SubElement(root, "layerorder")
    for layer in _drawing_order(layers):
        ET.SubElement(order, "layer", {"id": layer.id})
    root.append(_properties())
    metadata = ET.SubElement(root, "projectMetadata")
    _text(metadata, "title", title)
    _text(metadata, "abstract", ABSTRACT)
    view = ET.SubElement(root, "ProjectViewSettings", {"UseProjectScales": "0", "rotation": "0"})
    ET.SubElement(view, "Scales")
    _srs(ET.SubElement(view, "DefaultViewExtent", _bounds_attributes(bounds)), PROJECT_CRS)
    ET.indent(root)
    return f"{DOCTYPE}\n{ET.tostring(root, encoding='unicode')}\n"


def _layer(spec: LayerSpec, provider: str, datasource: str, crs: str) -> ProjectLayer:
    geometry = None if spec.is_raster else getattr(spec.schema, "geometry", "Polygon")
    return ProjectLayer(spec.name, spec.title, spec.group, provider, datasource, crs, geometry, spec.description,
                        result=spec.is_result, hidden=spec.hidden, draw_order=spec.draw_order, style=style(spec))


def _layer_tree(layers: list[ProjectLayer]) -> ET.Element:
    tree = ET.Element("layer-tree-group")
    _custom(tree)
    groups = sorted({layer.group for layer in layers}, key=_group_rank)
    for group in groups:
        node = ET.SubElement(tree, "layer-tree-group", {"name": group, "checked": "Qt::Checked", "expanded": "1"})
        _custom(node)
        for layer in (lyr for lyr in layers if lyr.group == group):
            hidden = layer.hidden or layer.result
            item = ET.SubElement(node, "layer-tree-layer", {
                "id": layer.id, "name": layer.title, "source": layer.datasource, "providerKey": layer.provider,
                "checked": "Qt::Unchecked" if hidden else "Qt::Checked", "expanded": "0" if hidden else "1",
                "legend_exp": "", "patch_size": "-1,-1", "legend_split_behavior": "0"})
            _custom(item)
    custom = ET.SubElement(tree, "custom-order", {"enabled": "1"})
    for layer in _drawing_order(layers):
        _text(custom, "item", layer.id)
    return tree


def _group_rank(group: str) -> tuple[int, str]:
    return (GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER), group)


def _drawing_order(layers: list[ProjectLayer]) -> list[ProjectLayer]:
    """Top to bottom by each spec's ``draw_order``: outlines and points over areas, the raster at the bottom."""
    return sorted(layers, key=lambda layer: layer.draw_order)


def _maplayer(layer: ProjectLayer) -> ET.Element:
    if layer.provider == "vectortile":
        return _vector_tile_layer(layer)
    layer_style = layer.style
    attributes = {"type": "raster" if layer.raster else "vector", "styleCategories": "AllStyleCategories",
                  "hasScaleBasedVisibilityFlag": "0", "minScale": "100000000", "maxScale": "0",
                  "autoRefreshEnabled": "0", "refreshOnNotifyEnabled": "0", **qml.attributes(layer_style)}
    if not layer.raster:
        attributes |= {"geometry": GEOMETRY_KINDS.get(layer.geometry, "Polygon"),
                       "wkbType": WKB_TYPES.get(layer.geometry, "Unknown"), "readOnly": "1",
                       "simplifyDrawingHints": "1", "simplifyDrawingTol": "1", "simplifyLocal": "1",
                       "simplifyMaxScale": "1", "simplifyAlgorithm": "0"}
    element = ET.Element("maplayer", attributes)
    _identity(element, layer)
    provider = _text(element, "provider", layer.provider)
    if not layer.raster:
        provider.set("encoding", "UTF-8")
    if isinstance(layer_style, RasterStyle):
        no_data = ET.SubElement(element, "noData")
        ET.SubElement(no_data, "noDataList", {"bandNo": "1", "useSrcNoData": "1"})
    _styles_and_flags(element)
    element.extend(qml.elements(layer_style))
    return element


def _vector_tile_layer(layer: ProjectLayer) -> ET.Element:
    """A QGIS vector tile layer on the server's WebMercatorQuad tiles, styled by the layer's rules."""
    element = ET.Element("maplayer", {"type": "vector-tile", "styleCategories": "AllStyleCategories",
                                      "hasScaleBasedVisibilityFlag": "1", "minScale": str(TILES_MAX_SCALE),
                                      "maxScale": "0", "autoRefreshEnabled": "0", "refreshOnNotifyEnabled": "0"})
    _identity(element, layer)
    _text(element, "provider", "vectortile")
    _styles_and_flags(element)
    if layer.style is not None:
        element.append(qml.vector_tile_renderer(layer.style, layer.name))
    _text(element, "blendMode", "0")
    _text(element, "layerOpacity", "1")
    return element


def _identity(element: ET.Element, layer: ProjectLayer) -> None:
    """What every map layer says of itself: id, source, keywords, name, CRS and metadata."""
    _text(element, "id", layer.id)
    _text(element, "datasource", layer.datasource)
    _text(ET.SubElement(element, "keywordList"), "value", layer.group)
    _text(element, "layername", layer.title)
    _srs(ET.SubElement(element, "srs"), layer.crs)
    metadata = ET.SubElement(element, "resourceMetadata")
    for tag, value in (("identifier", layer.name), ("type", "dataset"), ("title", layer.title),
                       ("abstract", layer.description)):
        _text(metadata, tag, value)


def _styles_and_flags(element: ET.Element) -> None:
    styles = ET.SubElement(element, "map-layer-style-manager", {"current": "default"})
    ET.SubElement(styles, "map-layer-style", {"name": "default"})
    flags = ET.SubElement(element, "flags")
    for flag, value in (("Identifiable", "1"), ("Removable", "1"), ("Searchable", "1"), ("Private", "0")):
        _text(flags, flag, value)


def _canvas(bounds) -> ET.Element:
    canvas = ET.Element("mapcanvas", {"name": "theMapCanvas", "annotationsVisible": "1"})
    _text(canvas, "units", "meters")
    box = ET.SubElement(canvas, "extent")
    for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds):
        _text(box, tag, f"{value:.1f}")
    _text(canvas, "rotation", "0")
    _srs(ET.SubElement(canvas, "destinationsrs"), PROJECT_CRS)
    _text(canvas, "rendermaptile", "0")
    return canvas


def _bounds_attributes(bounds) -> dict[str, str]:
    return {tag: f"{value:.1f}" for tag, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds)}


def _properties() -> ET.Element:
    properties = ET.Element("properties")
    for group, key, kind, value in (("Paths", "Absolute", "bool", "true"),
                                    ("SpatialRefSys", "ProjectionsEnabled", "int", "1"),
                                    ("Measurement", "DistanceUnits", "QString", "meters"),
                                    ("Measurement", "AreaUnits", "QString", "m2"),
                                    ("PositionPrecision", "Automatic", "bool", "true")):
        node = properties.find(group)
        node = ET.SubElement(properties, group) if node is None else node
        _text(node, key, value).set("type", kind)
    return properties


def _srs(parent: ET.Element, authid: str) -> None:
    """A ``<spatialrefsys>`` QGIS resolves by its authid (the WKT as a fallback)."""
    crs = pyproj.CRS.from_user_input(authid)
    srs = ET.SubElement(parent, "spatialrefsys")
    for tag, value in (("wkt", crs.to_wkt()), ("authid", authid),
                       ("description", crs.name), ("geographicflag", str(crs.is_geographic).lower())):
        _text(srs, tag, value)


def _custom(parent: ET.Element) -> None:
    ET.SubElement(ET.SubElement(parent, "customproperties"), "Option")


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element
