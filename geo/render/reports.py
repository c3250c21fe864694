"""Outputs of a ranking for people who plan supervision: a CSV for a spreadsheet and an offline map.

Both carry only the ranking's own columns (no names of persons: ``toezicht_prioriteit`` has none).
"""

import html
from pathlib import Path

import folium
import geopandas as gpd

from geo.render.maps import add_legend, add_sample_banner, base_map, provenance, save_offline
from geo.store.geopackage import Store

__all__ = ["write_ranking_csv", "ranking_map", "SCORE_CLASSES"]

RANKING_INPUTS = ["stikstofbron", "toezicht_zaak", "wnb_besluit", "verblijfsobject", "natura2000_gebied"]
SCORE_CLASSES = [(60, "score 60 of hoger", "#b2182b"), (40, "score 40–59", "#ef8a62"),
                 (20, "score 20–39", "#fddbc7"), (0, "score onder 20", "#d1e5f0")]


def write_ranking_csv(ranking: gpd.GeoDataFrame, path: Path) -> Path:
    """Semicolon CSV with decimal commas in UTF-8 with BOM (opens as columns and numbers in a Dutch Excel),
    RD x/y instead of geometry."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = ranking.drop(columns=ranking.geometry.name).assign(x_rd=ranking.geometry.x.round(1),
                                                               y_rd=ranking.geometry.y.round(1))
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, sep=";", decimal=",", index=False, encoding="utf-8-sig")
    tmp.replace(path)
    return path


def ranking_map(ranking: gpd.GeoDataFrame, store: Store, out: Path) -> Path:
    """Establishments coloured by score class, the top 25 labelled with their rank; tooltip = toelichting."""
    wgs = ranking.to_crs("EPSG:4326")
    gemeente = store.read("gemeentegebied").to_crs("EPSG:4326")
    m = base_map(list(gemeente.total_bounds))
    folium.GeoJson(gemeente[["geometry"]].to_json(), name="Gemeentegebied",
                   style_function=lambda f: {"color": "#252525", "weight": 2, "fill": False}).add_to(m)
    group = folium.FeatureGroup(name="Toezichtprioriteit")
    for r in wgs.itertuples():
        tip = (f"<b>{r.rang}. {html.escape(str(r.vthobject_id))}</b> ({html.escape(str(r.inrichting))}) — "
               f"score {r.risicoscore}<br>{html.escape(r.toelichting)}")
        folium.CircleMarker([r.geometry.y, r.geometry.x], radius=4 + r.risicoscore / 10, color="#333", weight=1,
                            fill=True, fill_color=score_colour(r.risicoscore), fill_opacity=0.9,
                            tooltip=folium.Tooltip(tip, max_width=420)).add_to(group)
    group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    add_legend(m, "Toezichtprioriteit (intern)", [(label, c) for _, label, c in SCORE_CLASSES], provenance(store))
    add_sample_banner(m, store, RANKING_INPUTS)
    return save_offline(m, out)


def score_colour(score: int) -> str:
    return next(c for bound, _, c in SCORE_CLASSES if score >= bound)
