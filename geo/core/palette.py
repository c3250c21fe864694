"""The colours that more than one kind of output shows, in one place.

A layer's style (``SPEC.style``: QML, SLD, the QGIS project, GeoPackage ``layer_styles``) and every Folium map or
report that draws the same thing read them from here, so a Wnb-aanvraag is one colour in QGIS and on the web.
The op-locatie page's script (``geo/serve/web/static/op_locatie.js``) holds a copy of ``BESLUITTYPE``;
``tests/test_palette.py`` reads the script and fails when the two differ.

Colours of one layer only (BAG bouwjaar, Wbb status, functies) stay with that layer's style.
"""

__all__ = ["BESLUITTYPE", "BEVINDING", "BIJDRAGE", "NATURA2000", "OVERBELASTING", "STIKSTOFBRON"]

# Wnb-besluittype, from pending to final (the op-locatie page's legend)
BESLUITTYPE = {
    "aanvraag": "#4575b4", "ontwerpbesluit": "#a6d96a", "vergunning verleend": "#1a9850",
    "geweigerd": "#d73027", "ingetrokken": "#7f7f7f", "buiten behandeling": "#bdbdbd",
}
NATURA2000 = "#238b45"
STIKSTOFBRON = "#6a3d9a"
# AERIUS Monitor's classes of overbelasting (their bounds: analyses.stikstof.style)
OVERBELASTING = {
    "geen stikstofprobleem": "#1a9850", "evenwicht": "#fee08b", "matige overbelasting": "#f46d43",
    "sterke overbelasting": "#a50026",
}
# the decrease or contribution of sources in mol N/ha/jr, light to dark (bounds: analyses.stikstof.style)
BIJDRAGE = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
# gebiedsanalyse findings by soort
BEVINDING = {"bedreiging": "#d7301f", "kans": "#1a9850", "ontbrekende informatie": "#fdae61"}
