"""Count the features QGIS fetches from an OGC API Features layer for one map view (JSON on stdout).

QGIS's OAPIF provider in "only request features overlapping the view extent" mode (``restrictToRequestBBOX``)
sends the view as ``bbox`` in the layer's CRS (CRS84) and keeps what intersects it. Run with the system Python
that has PyQGIS (Debian python3-qgis), not the project's venv:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/qgis_view_extent.py URL LAYER MINLON MINLAT MAXLON MAXLAT
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsFeatureRequest, QgsRectangle, QgsVectorLayer  # noqa: E402


def main() -> int:
    url, name, *box = sys.argv[1:]
    app = QgsApplication([], False)
    app.initQgis()
    layer = QgsVectorLayer(f"url='{url}' typename='{name}' restrictToRequestBBOX='1' pageSize='5000'", name, "OAPIF")
    if not layer.isValid():
        print(json.dumps({"valid": False}))
        return 1
    request = QgsFeatureRequest().setFilterRect(QgsRectangle(*map(float, box)))
    ids = [f["id"] if "id" in f.fields().names() else f.id() for f in layer.getFeatures(request)]
    print(json.dumps({"valid": True, "crs": layer.crs().authid(), "count": len(ids)}), flush=True)
    return 0


if __name__ == "__main__":
    os._exit(main())  # QGIS 3.22 may crash while tearing down the OAPIF provider's threads at normal exit
