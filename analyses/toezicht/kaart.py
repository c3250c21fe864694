"""The supervision ranking on a map: numbered markers (1 = highest priority) coloured by score class, the ranked list
beside the map (``geo.render.ranked``), the municipality's outline, legend, sources and the voorbeelddata banner.

Internal data: the map is written only where the supervisor asks (``geo toezicht --out``), never by a build, an
after-build hook or a process, and never into a folder the server publishes (``refuse_public_folder``).
"""

import html
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd

from analyses.toezicht.excel import RANKING_INPUTS
from analyses.toezicht.style import SCORE_CLASSES
from geo.core.errors import GeoError
from geo.render.maps import add_legend, add_sample_banner, base_map, nl, provenance, save_offline
from geo.render.ranked import RankedPoint, add_ranked_markers
from geo.store.geopackage import Store

__all__ = ["MAP_TITLE", "OVERLAY", "SCORE_CLASSES", "ranking_map", "refuse_public_folder", "score_colour"]

MAP_TITLE = "Toezichtprioriteit (intern)"
OVERLAY = "Toezichtprioriteit"


def ranking_map(ranking: gpd.GeoDataFrame, store: Store, out: Path) -> Path:
    """The map of ``ranking`` (``toezicht_prioriteit``) written to ``out``, opening offline."""
    refuse_public_folder(store, out)
    gemeente = store.read("gemeentegebied").to_crs("EPSG:4326")
    m = base_map(list(gemeente.total_bounds))
    folium.GeoJson(gemeente[["geometry"]].to_json(), name="Gemeentegebied",
                   style_function=lambda f: {"color": "#252525", "weight": 2, "fill": False}).add_to(m)
    add_ranked_markers(m, OVERLAY, ranked_points(ranking), MAP_TITLE, _intro(ranking))
    folium.LayerControl(collapsed=False).add_to(m)
    add_legend(m, MAP_TITLE, [(label, c) for _, label, c in SCORE_CLASSES], provenance(store))
    add_sample_banner(m, store, RANKING_INPUTS)
    return save_offline(m, out)


def ranked_points(ranking: gpd.GeoDataFrame) -> list[RankedPoint]:
    """One numbered marker and list entry per establishment; the tooltip is its toelichting."""
    wgs = ranking.to_crs("EPSG:4326")
    return [RankedPoint(int(r.rang), r.geometry.y, r.geometry.x, f"{r.inrichting} ({r.vthobject_id})",
                        f"score {r.risicoscore} van 100", score_colour(r.risicoscore), _tooltip(r))
            for r in wgs.itertuples()]


def _tooltip(r) -> str:
    return (f"<b>{r.rang}. {html.escape(str(r.inrichting))} ({html.escape(str(r.vthobject_id))})</b> — "
            f"score {r.risicoscore} van 100<br>{html.escape(str(r.toelichting))}")


def _intro(ranking: gpd.GeoDataFrame) -> str:
    days = ranking["peildatum"].dropna()
    day = f", peildatum {date.fromisoformat(str(days.iloc[0])[:10]):%d-%m-%Y}" if len(days) else ""
    return (f"{nl(len(ranking))} inrichtingen, hoogste risico eerst{day}. Klik op een regel of een nummer op de "
            f"kaart. Interne toezichtinformatie: niet publiceren.")


def score_colour(score: int) -> str:
    return next(c for bound, _, c in SCORE_CLASSES if score >= bound)


def refuse_public_folder(store: Store, out: Path) -> None:
    """Stop (one line) when ``out`` lies in a folder the server publishes: the download cache or public jobs."""
    from geo.serve.downloads import cache_dir
    from geo.serve.jobs import job_folder_path

    target = Path(out).resolve()
    for folder in (cache_dir(store), job_folder_path(store, internal=False)):
        if target.is_relative_to(Path(folder).resolve()):
            raise GeoError(f"--out {out}: {folder} is published by the server; the toezicht ranking is internal, "
                           f"write it elsewhere")
