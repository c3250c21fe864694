"""OGC API Process ``stikstof-scenario``: the nitrogen screening with emission measures, per area, as JSON.

Computed on the fly from the store in ``GEO_STORE`` (a few seconds); nothing is written.
"""

from analyses.invoer import store_from_env
from analyses.stikstof import DISCLAIMER, report, screen
from analyses.stikstof.model import StikstofInputError
from geo.serve.processing import AnalysisProcessor

PROCESS_METADATA = {
    "version": "0.1.0",
    "id": "stikstof-scenario",
    "title": {"en": "Nitrogen screening scenario", "nl": "Stikstof: scenario met maatregelen (screening)"},
    "description": {
        "en": f"Nitrogen deposition on Natura 2000 receptor hexagons with emission cuts per source; {DISCLAIMER}.",
        "nl": f"Stikstofdepositie op Natura 2000-hexagons met emissiereductie per bron; {DISCLAIMER}.",
    },
    "jobControlOptions": ["sync-execute", "async-execute"],
    "keywords": ["stikstof", "Natura 2000", "KDW", "screening"],
    "links": [],
    "inputs": {
        "maatregelen": {
            "title": "Maatregelen",
            "description": "Emissiereductie per bron: vthobject_id van de laag stikstofbron en reductie in %.",
            "schema": {"type": "array", "items": {
                "type": "object", "required": ["bron_id", "reductie_pct"],
                "properties": {"bron_id": {"type": "string"},
                               "reductie_pct": {"type": "number", "minimum": 0, "maximum": 100}}}},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
    },
    "outputs": {
        "resultaat": {
            "title": "Per Natura 2000-gebied: depositie en overschrijding voor en na de maatregelen",
            "schema": {"type": "object", "contentMediaType": "application/json"},
        },
    },
    "example": {"inputs": {"maatregelen": [{"bron_id": "ODNHN2009E0001", "reductie_pct": 30}]}},
}


class StikstofScenarioProcessor(AnalysisProcessor):
    """``stikstof-scenario``: the screening per area, before and after the measures."""

    PROCESS_METADATA = PROCESS_METADATA

    def run(self, inputs: dict) -> dict:
        maatregelen = parse_inputs(inputs)  # the input first: a bad one is refused before the screening runs
        return report(screen(store_from_env()), maatregelen)


def parse_inputs(data: dict) -> dict[str, float]:
    """``{"maatregelen": [{"bron_id": ..., "reductie_pct": ...}]}`` → {bron_id: pct}."""
    items = (data or {}).get("maatregelen") or []
    if not isinstance(items, list):
        raise StikstofInputError("maatregelen: expected a list of {bron_id, reductie_pct}")
    out = {}
    for item in items:
        try:
            out[str(item["bron_id"])] = float(item["reductie_pct"])
        except (KeyError, TypeError, ValueError):
            raise StikstofInputError(f"maatregel {item!r}: expected {{bron_id: str, reductie_pct: number}}") from None
    return out
