"""One full screening run: compute, publish the collections and COGs, write the maps, report the measures."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from analyses.stikstof import RESULTS, reductions, report, results, screen
from analyses.stikstof.maps import area_map, difference_map, write_rasters
from geo.build.builder import publish_results
from geo.core.errors import GeoError
from geo.store.geopackage import as_store

log = logging.getLogger(__name__)
NEEDS = ("natura2000_gebied", "stikstofbron")


@dataclass
class Outcome:
    report: dict
    rasters: list[Path] = field(default_factory=list)
    maps: list[Path] = field(default_factory=list)


def run_and_publish(store_path: Path, maatregelen: dict[str, float] | None = None,
                    maps_dir: Path | None = None) -> Outcome:
    """Screen the store, publish ``stikstof_hexagon`` and ``stikstof_bron_bijdrage`` and the COGs, and
    write a map per nitrogen-sensitive area (plus a difference map when there are measures).

    Measures are checked before anything is written: a bad one leaves store and maps as they were.
    """
    store = as_store(store_path)  # opened once; a Store passes through
    s = screen(store)
    summary = report(s, maatregelen)  # raises on an unknown bron_id before anything is written
    publish_results(results(s), RESULTS, s.gemeente, store)
    outcome = Outcome(summary, write_rasters(s, store.raster_dir))
    maps_dir = Path(maps_dir) if maps_dir else store.output_dir / "maps"
    afname = reductions(s, maatregelen or {})
    for nr in sorted(s.hexagons["natura2000_nr"].unique()):
        outcome.maps.append(area_map(s, int(nr), store, maps_dir / f"stikstof_{nr}.html"))
        if maatregelen:
            outcome.maps.append(difference_map(s, int(nr), afname, store, maps_dir / f"stikstof_{nr}_maatregelen.html",
                                               maatregelen))
    return outcome


def refresh(store_path: Path) -> list[Path]:
    """Publish the collections and COGs (no maps, no measures); what every ``geo build`` ends with."""
    store = as_store(store_path)  # opened once; a Store passes through
    s = screen(store)
    publish_results(results(s), RESULTS, s.gemeente, store)
    return write_rasters(s, store.raster_dir)


def after_build(store_path: Path, gemeente: str) -> None:
    """After-build hook (``AnalysisSpec.after_build``): keep the published screening in step with the layers it reads.

    The server needs the result tables it is configured with; a store without the input layers is left alone.
    A source the screening cannot use is logged, not fatal: the layers themselves were built fine.
    """
    store = as_store(store_path)  # the build hands its Store
    if not set(NEEDS) <= set(store.layers()):
        return
    try:
        refresh(store)
    except GeoError as err:
        log.warning("stikstof screening not refreshed: %s", err)
