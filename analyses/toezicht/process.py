"""OGC API Process ``toezicht``: the risk-based supervision ranking, as GeoJSON (CRS84). Internal only.

Computed on the fly from the store (``analyses.invoer.store_from_env``) and the VTH export that
``toezicht.find_export`` locates; nothing is written. The answer holds the public fields of the result
``toezicht_prioriteit`` (score components and toelichting), never the cases of ``toezicht_zaak`` and never
complainants (``melder_naam``, ``melder_email``). The ranking is internal supervision data: the process is
in the internal config only (its ``ProcessSpec`` is ``internal``) and refuses to run on the public instance.
"""

from datetime import date

import geopandas as gpd

from analyses import toezicht
from analyses.invoer import InputError, check_input_names, feature_collection, polygon_from_geojson, store_from_env
from geo.core.errors import SourceError
from geo.core.validate import Quarantine
from geo.serve.processing import AnalysisProcessor

__all__ = ["PROCESS_METADATA", "ToezichtProcessor", "execute", "parse_peildatum", "parse_top"]

RESULT = next(r for r in toezicht.RESULTS if r.name == "toezicht_prioriteit")
PRIVATE = ("melder_naam", "melder_email")
MAX_TOP = 10_000

PROCESS_METADATA = {
    "version": "1.0.0",
    "id": "toezicht",
    "title": {"en": "Risk-based supervision ranking (internal)", "nl": "Risicogericht toezicht (intern)"},
    "description": {
        "en": "Establishments ranked by an explainable risk score of 0-100 (compliance, emission, homes and "
              "nature nearby, nitrogen hexagons, Wnb permit), computed from the store and the VTH export of "
              "inspections and complaints. Internal supervision data: offered by the internal server only. "
              "Complainants are never part of the answer.",
        "nl": "Inrichtingen gerangschikt naar een uitlegbare risicoscore van 0-100 (naleving, emissie, woningen "
              "en natuur in de buurt, stikstofhexagonen, Wnb-vergunning), berekend uit de store en de VTH-export "
              "van controles en klachten. Interne toezichtgegevens: alleen op de interne server. Melders staan "
              "nooit in het antwoord.",
    },
    "jobControlOptions": ["sync-execute", "async-execute"],
    "keywords": ["toezicht", "risicogericht toezicht", "VTH", "handhaving", "intern"],
    "links": [],
    "inputs": {
        "peildatum": {
            "title": "Peildatum",
            "description": "Peildatum (JJJJ-MM-DD) van de naleving over 5 jaar; standaard vandaag.",
            "schema": {"type": "string", "format": "date"},
            "minOccurs": 0, "maxOccurs": 1,
        },
        "top": {
            "title": "Aantal inrichtingen",
            "description": "Alleen de eerste N inrichtingen van de rangorde (na 'geometrie'); standaard alle.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_TOP},
            "minOccurs": 0, "maxOccurs": 1,
        },
        "geometrie": {
            "title": "Gebied",
            "description": "Alleen inrichtingen binnen dit gebied: GeoJSON (Multi)Polygon, Feature of "
                           "FeatureCollection met één feature, in lengte-/breedtegraad (CRS84). De rang blijft die "
                           "binnen de gemeente.",
            "schema": {"type": "object", "contentMediaType": "application/geo+json"},
            "minOccurs": 0, "maxOccurs": 1,
        },
    },
    "outputs": {
        "prioriteit": {
            "title": "Toezichtprioriteit",
            "description": "GeoJSON FeatureCollection (CRS84) van de inrichtingen, hoogste risico eerst: rang, "
                           "risicoscore, de punten per onderdeel met hun maat en een toelichting; met de peildatum, "
                           "het aantal (vóór 'top') en het aantal afgewezen records van de VTH-export.",
            "schema": {"type": "object", "contentMediaType": "application/geo+json"},
        },
    },
    "example": {"inputs": {"peildatum": "2025-01-01", "top": 10}},
}


class ToezichtProcessor(AnalysisProcessor):
    """``toezicht``: the supervision ranking of the store's establishments (internal instance only)."""

    PROCESS_METADATA = PROCESS_METADATA
    only_internal = True

    def run(self, inputs: dict) -> dict:
        return execute(inputs)


def execute(data: dict) -> dict:
    """The process: ``data`` are its inputs; the answer is GeoJSON; bad input raises InputError."""
    check_input_names(data, PROCESS_METADATA)
    peildatum, top = parse_peildatum(data.get("peildatum")), parse_top(data.get("top"))
    area = polygon_from_geojson(data["geometrie"]) if data.get("geometrie") is not None else None
    ranking, rejected = rank(store_from_env(), peildatum)
    if area is not None:
        ranking = ranking[ranking.intersects(area)]
    out = feature_collection(public(ranking.head(top) if top else ranking))
    out.update({"peildatum": peildatum.isoformat(), "aantal": len(ranking), "quarantaine_export": rejected})
    return out


def rank(store, peildatum: date) -> tuple[gpd.GeoDataFrame, int]:
    """``toezicht_prioriteit`` computed now (nothing written) and the number of export records rejected."""
    missing = [n for n in toezicht.NEEDED if n not in store.layers()]
    if missing:
        raise InputError(f"toezicht needs layers {missing} in the store; run 'geo build' first")
    gemeente = _gemeente(store)
    export = toezicht.find_export(store, gemeente)
    if export is None or not export.exists():
        name = export.name if export is not None else toezicht.EXPORT.format(gemeente=gemeente)
        raise InputError(f"toezicht: VTH export {name} not found (beside the stikstofbron source or in "
                         f"${toezicht.EXPORT_ENV}); the server needs the inspections/complaints export")
    quarantine = Quarantine()
    try:
        results = toezicht.run(store, export, peildatum, quarantine)
    except SourceError as err:  # the message names a server path: keep the file name only
        raise InputError(f"toezicht: VTH export {export.name} cannot be read ({type(err).__name__})") from None
    return results["toezicht_prioriteit"], int(quarantine.count("toezicht_zaak"))


def public(ranking: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Only the public fields of ``toezicht_prioriteit`` (never a complainant), with the geometry."""
    fields = [c for c in RESULT.public_fields if c in ranking.columns and c not in PRIVATE]
    return ranking[fields + [ranking.geometry.name]]


def parse_peildatum(value) -> date:
    """``YYYY-MM-DD`` (default today).

    >>> parse_peildatum("2025-01-01")
    datetime.date(2025, 1, 1)
    """
    if value is None or value == "":
        return date.today()
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"peildatum {value!r}: expected a date YYYY-MM-DD, e.g. '2025-01-01'") from None
    if not 1900 <= day.year <= 2100:
        raise InputError(f"peildatum {value!r}: expected a date between 1900 and 2100")
    if (day.month, day.day) == (2, 29):  # toezicht's 5-year window starts on the same day 5 years earlier
        raise InputError(f"peildatum {value!r}: the 5-year window cannot start on 29 February; "
                         "use 28 February or 1 March")
    return day


def parse_top(value) -> int | None:
    """A whole number 1..10000, or None (all)."""
    if value is None:
        return None
    whole = isinstance(value, int) or isinstance(value, float) and value.is_integer()
    if isinstance(value, bool) or not whole or not 1 <= int(value) <= MAX_TOP:
        raise InputError(f"top {value!r}: expected a whole number of establishments, 1 to {MAX_TOP}")
    return int(value)


def _gemeente(store) -> str:
    """The municipality the store was built for (its stikstofbron layer's, else the most common)."""
    info = store.info()
    rows = info.loc[info["name"] == "stikstofbron", "gemeente"].dropna()
    return str(rows.iloc[0] if len(rows) else info["gemeente"].mode().iloc[0])
