"""Open a QGIS project headless with QGIS's own Python API and report what QGIS made of it (JSON on stdout).

Run with the system Python that has PyQGIS (Debian python3-qgis), not the project's venv:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_check.py PROJECT --image OUT.png [--sld DIR]
        [--screenshot OUT.png] [--gpkg GPKG] [--layer-images DIR]

Per layer: validity, CRS, feature count (or raster size), renderer, the colours of its symbols, whether
labels are on, and the pixels it draws when rendered alone. ``--image`` renders the project as it opens
(visible layers, drawing order, default view); ``--sld DIR`` loads ``DIR/<layer>.sld`` into each vector
layer to prove QGIS reads our SLD; ``--screenshot`` draws the layer panel beside the map, like QGIS's window;
``--gpkg`` opens each layer of a GeoPackage on its own, to show the default style QGIS takes from it;
``--probe LAYER:X:Y`` (RD New, repeatable) renders LAYER alone on a 300 m window centred there and reports the
colour of the centre pixel (``probes``); ``--layer-images DIR`` renders each layer alone over its own extent to
``DIR/<layer>.png`` and reports its pixels' colours (``pixel_colours``: ``#rrggbb`` -> count) and its legend
(``legend``: label, colour).
"""

import argparse
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsRenderContext,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QImage  # noqa: E402

BACKGROUND = QColor(255, 255, 255)
LARGE_LAYER = 5000  # features; such a layer is test-rendered around its first feature only
PROBE_M = 1500  # half the width of that window, metres


def main() -> int:
    args = _arguments()
    app = QgsApplication([], args.screenshot is not None)
    app.initQgis()
    project = QgsProject.instance()
    if not project.read(args.project):
        print(json.dumps({"error": f"QGIS cannot read {args.project}: {project.error()}"}))
        return 1
    extent = project.viewSettings().defaultViewExtent()
    report = {
        "crs": project.crs().authid(),
        "title": project.title(),
        "extent": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
        "groups": [g.name() for g in project.layerTreeRoot().children()],
        "drawing_order": [_name(layer) for layer in project.layerTreeRoot().layerOrder()],
        "layers": {_name(layer): _describe(layer, project, extent, args.sld) for layer in project.mapLayers().values()},
    }
    if args.image:
        report["image"] = _render_project(project, extent, args.image)
    if args.screenshot:
        _screenshot(project, extent, args.screenshot)
    if args.layer_images:
        for layer in project.mapLayers().values():
            report["layers"][_name(layer)] |= _layer_image(layer, project, args.layer_images)
    if args.probe:
        report["probes"] = [_probe(project, *p.rsplit(":", 2)) for p in args.probe]
    if args.gpkg:
        vectors = [name for name, layer in report["layers"].items() if "features" in layer]
        report["gpkg_default_styles"] = _gpkg_default_styles(args.gpkg, vectors)
    print(json.dumps(report))
    sys.stdout.flush()
    os._exit(0)  # skip QGIS's teardown, which can hang headless after network providers


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("--image", help="render the project as it opens into this PNG")
    parser.add_argument("--sld", help="folder with <layer>.sld files to load into each vector layer")
    parser.add_argument("--screenshot", help="layer panel and map, like the QGIS window, into this PNG")
    parser.add_argument("--gpkg", help="open each layer of this GeoPackage alone: the style QGIS gives it")
    parser.add_argument("--probe", action="append", help="LAYER:X:Y: the colour LAYER draws at that point")
    parser.add_argument("--layer-images", help="folder: each layer rendered alone over its extent, <layer>.png")
    return parser.parse_args()


def _name(layer) -> str:
    return layer.metadata().identifier() or layer.name()


def _describe(layer, project: QgsProject, extent: QgsRectangle, sld_dir: str | None) -> dict:
    node = project.layerTreeRoot().findLayer(layer.id())
    info = {
        "valid": layer.isValid(), "title": layer.name(), "crs": layer.crs().authid(),
        "provider": layer.providerType(), "source": layer.source(),
        "group": node.parent().name() if node is not None else None,
        "visible": bool(node and node.isVisible()),
        "pixels": _render_layer(layer, project, extent) if layer.isValid() else 0,
    }
    if isinstance(layer, QgsVectorLayer):
        info |= _vector(layer)
        if sld_dir:
            info["sld_loaded"] = _load_sld(layer, os.path.join(sld_dir, f"{_name(layer)}.sld"))
    elif isinstance(layer, QgsVectorTileLayer):
        info |= _vector_tiles(layer)
    elif isinstance(layer, QgsRasterLayer):
        info |= {"width": layer.width(), "height": layer.height(), "bands": layer.bandCount(),
                 "renderer": layer.renderer().type() if layer.renderer() else None,
                 "colours": _ramp_colours(layer)}
    return info


def _vector(layer: QgsVectorLayer) -> dict:
    renderer = layer.renderer()
    symbols = renderer.symbols(QgsRenderContext()) if renderer else []
    rules = []
    if renderer and renderer.type() == "RuleRenderer":
        rules = [{"label": r.label(), "filter": r.filterExpression()} for r in renderer.rootRule().descendants()]
    return {
        "features": layer.featureCount(),
        "read_only": layer.readOnly(),
        "fields": layer.fields().names(),
        "renderer": renderer.type() if renderer else None,
        "colours": sorted({s.color().name() for s in symbols}),
        "strokes": sorted({s.symbolLayer(0).strokeColor().name() for s in symbols if s.symbolLayerCount()}),
        "rules": rules,
        "labels": layer.labelsEnabled(),
        "label_field": layer.labeling().settings().fieldName if layer.labelsEnabled() else None,
        "size_expression": _size_expression(symbols),
    }


def _vector_tiles(layer: QgsVectorTileLayer) -> dict:
    styles = layer.renderer().styles() if layer.renderer() else []
    return {"renderer": layer.renderer().type() if layer.renderer() else None,
            "colours": sorted({st.symbol().color().name() for st in styles if st.symbol()}),
            "rules": [{"label": st.styleName(), "filter": st.filterExpression(), "layer": st.layerName()}
                      for st in styles],
            "zoom": [layer.sourceMinZoom(), layer.sourceMaxZoom()]}


def _size_expression(symbols) -> str | None:
    for symbol in symbols:
        if hasattr(symbol, "dataDefinedSize") and symbol.dataDefinedSize().isActive():
            return symbol.dataDefinedSize().expressionString()
    return None


def _ramp_colours(layer: QgsRasterLayer) -> list[str]:
    shader = getattr(layer.renderer(), "shader", lambda: None)()
    function = shader.rasterShaderFunction() if shader else None
    return [item.color.name() for item in function.colorRampItemList()] if function else []


def _layer_image(layer, project: QgsProject, folder: str) -> dict:
    """The layer alone over its own extent (800 px), saved as ``folder/<layer>.png``; its pixel colours and legend."""
    transform = QgsCoordinateTransform(layer.crs(), project.crs(), project.transformContext())
    extent = transform.transformBoundingBox(layer.extent())
    extent.scale(1.05)
    image = _render(_settings([layer], extent, project, _fit(extent, 800))).convertToFormat(QImage.Format_RGB32)
    image.save(os.path.join(folder, f"{_name(layer)}.png"), "PNG")
    pixels = memoryview(bytes(image.constBits().asarray(image.sizeInBytes()))).cast("I").tolist()
    counts = {}
    for value in pixels:
        counts[value] = counts.get(value, 0) + 1
    counts.pop(BACKGROUND.rgba() & 0xFFFFFFFF, None)
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:200]
    return {"pixel_colours": {f"#{v & 0xFFFFFF:06x}": n for v, n in top}, "legend": _legend(layer)}


def _probe(project: QgsProject, name: str, x: str, y: str) -> dict:
    """The colour of the centre pixel of ``name`` drawn alone on a 300 m window around (x, y)."""
    layer = next(lyr for lyr in project.mapLayers().values() if _name(lyr) == name)
    half = 150.0
    extent = QgsRectangle(float(x) - half, float(y) - half, float(x) + half, float(y) + half)
    image = _render(_settings([layer], extent, project, QSize(101, 101))).convertToFormat(QImage.Format_RGB32)
    return {"layer": name, "x": float(x), "y": float(y), "colour": QColor(image.pixel(50, 50)).name()}


def _legend(layer) -> list:
    """(label, colour) of each legend entry, as QGIS's layer panel shows them."""
    renderer = layer.renderer()
    if isinstance(layer, QgsRasterLayer):
        return [[label, colour.name()] for label, colour in renderer.legendSymbologyItems()]
    return [[item.label(), item.symbol().color().name() if item.symbol() else None]
            for item in renderer.legendSymbolItems()]


def _gpkg_default_styles(path: str, names) -> dict:
    """Per layer of a GeoPackage opened on its own: the renderer and colours QGIS applies (from layer_styles)."""
    out = {}
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if layer.isValid() and layer.isSpatial():
            out[name] = {"renderer": layer.renderer().type(),
                         "colours": sorted({s.color().name() for s in layer.renderer().symbols(QgsRenderContext())})}
    return out


def _load_sld(layer: QgsVectorLayer, path: str) -> bool:
    clone = layer.clone()
    message, ok = clone.loadSldStyle(path)
    return bool(ok)


def _settings(layers, extent: QgsRectangle, project: QgsProject, size: QSize) -> QgsMapSettings:
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setTransformContext(project.transformContext())
    settings.setOutputSize(size)
    settings.setExtent(extent)
    settings.setBackgroundColor(BACKGROUND)
    settings.setOutputDpi(96)
    return settings


def _render(settings: QgsMapSettings) -> QImage:
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def _render_layer(layer, project: QgsProject, extent: QgsRectangle) -> int:
    """Pixels that differ from the background when the layer is drawn alone (small image); a large vector
    layer is drawn around its first feature only, so that the check does not download all of it."""
    size = QSize(800, 1000) if isinstance(layer, QgsVectorTileLayer) else QSize(240, 320)  # within its scale
    image = _render(_settings([layer], _probe_extent(layer, project, extent), project, size))
    image = image.convertToFormat(QImage.Format_ARGB32)
    pixels = memoryview(bytes(image.constBits().asarray(image.sizeInBytes()))).cast("I").tolist()
    return len(pixels) - pixels.count(BACKGROUND.rgba() & 0xFFFFFFFF)


def _probe_extent(layer, project: QgsProject, extent: QgsRectangle) -> QgsRectangle:
    if not isinstance(layer, QgsVectorLayer) or layer.featureCount() <= LARGE_LAYER:
        return extent
    feature = next(layer.getFeatures(QgsFeatureRequest().setLimit(1)))
    transform = QgsCoordinateTransform(layer.crs(), project.crs(), project.transformContext())
    centre = transform.transform(feature.geometry().centroid().asPoint())
    return QgsRectangle(centre.x() - PROBE_M, centre.y() - PROBE_M * 4 / 3, centre.x() + PROBE_M,
                        centre.y() + PROBE_M * 4 / 3)


def _render_project(project: QgsProject, extent: QgsRectangle, path: str) -> dict:
    root = project.layerTreeRoot()
    layers = [layer for layer in root.layerOrder() if root.findLayer(layer.id()).isVisible()]
    image = _render(_settings(layers, extent, project, _fit(extent, 1000)))
    image.save(path, "PNG")
    return {"path": path, "width": image.width(), "height": image.height(), "layers": [_name(x) for x in layers]}


def _fit(extent: QgsRectangle, longest: int) -> QSize:
    ratio = extent.width() / extent.height()
    return QSize(longest, round(longest / ratio)) if ratio >= 1 else QSize(round(longest * ratio), longest)


def _screenshot(project: QgsProject, extent: QgsRectangle, path: str) -> None:
    """The layer panel (groups, layers, legend symbols) beside the rendered map, like QGIS's main window."""
    from qgis.core import QgsLayerTreeModel
    from qgis.gui import QgsLayerTreeView
    from qgis.PyQt.QtGui import QPixmap
    from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QWidget

    root = project.layerTreeRoot()
    layers = [layer for layer in root.layerOrder() if root.findLayer(layer.id()).isVisible()]
    size = _fit(extent, 900)
    image = _render(_settings(layers, extent, project, size))
    window = QWidget()
    box = QHBoxLayout(window)
    model = QgsLayerTreeModel(root)
    model.setFlags(QgsLayerTreeModel.AllowNodeChangeVisibility | QgsLayerTreeModel.ShowLegend
                   | QgsLayerTreeModel.ShowLegendAsTree | QgsLayerTreeModel.AllowLegendChangeState)
    view = QgsLayerTreeView()
    view.setModel(model)
    view.setFixedWidth(430)
    for node in [*root.findGroups(), *root.findLayers()]:
        view.setExpanded(model.node2index(node), node.isExpanded())
    canvas = QLabel()
    canvas.setPixmap(QPixmap.fromImage(image))
    box.addWidget(view)
    box.addWidget(canvas)
    window.resize(430 + size.width() + 40, size.height() + 24)
    window.show()
    QgsApplication.processEvents()
    window.grab().save(path, "PNG")


if __name__ == "__main__":
    sys.exit(main())
