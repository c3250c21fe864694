"""OGC API Process ``kwaliteit``: the data-quality assessment of the store, as JSON or GeoJSON.

``kwaliteit.assess`` on the store of ``analyses.invoer.store_from_env`` (nothing is written), with the
thresholds of ``data/kwaliteit.yml`` or those given. The answer holds measures, counts and quarantine reasons,
never quarantined records (they may hold personal data), and names source files without their server path.

On the public instance it leaves out what only the internal instance may show: internal layers (e.g.
``toezicht_zaak``), the completeness of non-public fields, and values quoted inside a quarantine reason
(``x='…'``). The ``geojson`` form is one feature per layer whose geometry is the layer's extent (a CRS84
bounding box; null for an empty layer): a quality measure belongs to a layer, not to a place, so the extent
is the only honest geometry.
"""

import math
import re
from dataclasses import asdict
from pathlib import Path

from analyses import kwaliteit
from analyses.invoer import InputError, check_input_names, store_from_env
from geo.core.errors import GeoError
from geo.serve import internal
from geo.serve.processing import AnalysisProcessor

__all__ = ["PROCESS_METADATA", "KwaliteitProcessor", "execute", "parse_thresholds", "masked_reasons", "CHECKS"]

CHECKS = ("max_quarantaine_pct", "max_gerepareerd_pct", "max_ongeldig", "max_dubbel_pct",
          "max_dubbele_geometrie_pct", "max_buiten_gemeente_pct", "max_bron_leeftijd_dagen")
FORMATS = ("json", "geojson")
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_THRESHOLD_SCHEMA = {"type": "object", "additionalProperties": {"type": "number", "minimum": 0},
                     "properties": {"volledigheid": {"type": "object", "additionalProperties": {
                         "type": "number", "minimum": 0, "maximum": 100}}}}

PROCESS_METADATA = {
    "version": "1.0.0",
    "id": "kwaliteit",
    "title": {"en": "Data quality of the store", "nl": "Datakwaliteit van de gepubliceerde lagen"},
    "description": {
        "en": "Per layer: completeness per field, repaired and invalid geometries, duplicate keys and geometries, "
              "records outside the municipality, quarantine reasons with counts and source dates, compared with "
              "thresholds. Counts and reasons only, never quarantined records.",
        "nl": "Per laag: volledigheid per veld, herstelde en ongeldige geometrieën, dubbele sleutels en "
              "geometrieën, records buiten de gemeente, quarantaineredenen met aantallen en brondatums, getoetst "
              "aan drempels. Alleen aantallen en redenen, nooit records uit de quarantaine.",
    },
    "jobControlOptions": ["sync-execute", "async-execute"],
    "keywords": ["datakwaliteit", "kwaliteit", "quarantaine", "volledigheid", "drempels"],
    "links": [],
    "inputs": {
        "lagen": {
            "title": "Lagen",
            "description": "Alleen deze lagen (collectie-ids); standaard elke vectorlaag.",
            "schema": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True},
            "minOccurs": 0, "maxOccurs": 1,
        },
        "drempels": {
            "title": "Drempels",
            "description": "Drempels zoals in data/kwaliteit.yml: 'standaard' (elke laag) en 'lagen' (per laag), "
                           "per controle een getal, onder 'volledigheid' per veld het minimale % gevuld. "
                           f"Controles: {', '.join(CHECKS)}. Vervangt de drempels van de server; standaard die.",
            "schema": {"type": "object", "additionalProperties": False, "properties": {
                "standaard": _THRESHOLD_SCHEMA,
                "lagen": {"type": "object", "additionalProperties": _THRESHOLD_SCHEMA}}},
            "minOccurs": 0, "maxOccurs": 1,
        },
        "formaat": {
            "title": "Formaat",
            "description": "'json' (standaard): het rapport; 'geojson': een FeatureCollection (CRS84) met per laag "
                           "de omvang (rechthoek) en de metingen en overschrijdingen als eigenschappen.",
            "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
            "minOccurs": 0, "maxOccurs": 1,
        },
    },
    "outputs": {
        "rapport": {
            "title": "Kwaliteitsrapport",
            "description": "JSON: of alles binnen de drempels blijft, welke drempels golden (van de server of "
                           "meegegeven), de overschrijdingen (laag, controle, waarde, drempel, tekst) en per laag de "
                           "metingen (volledigheid, herstelde en ongeldige geometrieën, dubbelingen, buiten de "
                           "gemeente, quarantaine per reden, bronnen); of de GeoJSON-vorm van 'formaat'.",
            "schema": {"type": "object", "contentMediaType": "application/json"},
        },
    },
    "example": {"inputs": {"lagen": ["stikstofbron", "wnb_besluit"],
                           "drempels": {"standaard": {"max_quarantaine_pct": 5, "max_ongeldig": 0}}}},
}


class KwaliteitProcessor(AnalysisProcessor):
    """``kwaliteit``: the quality report of the store."""

    PROCESS_METADATA = PROCESS_METADATA

    def run(self, inputs: dict) -> dict:
        return execute(inputs)


def execute(data: dict, include_internal: bool | None = None) -> dict:
    """The process: ``data`` are its inputs; bad input raises InputError. ``include_internal`` defaults to
    whether this is the internal instance (``GEO_INTERNAL``)."""
    check_input_names(data, PROCESS_METADATA)
    formaat = data.get("formaat") or "json"
    if formaat not in FORMATS:
        raise InputError(f"formaat {formaat!r}: expected one of {', '.join(FORMATS)}")
    given = data.get("drempels")
    thresholds = parse_thresholds(given) if given is not None else _server_thresholds()
    include_internal = internal.is_internal() if include_internal is None else include_internal
    store = store_from_env()
    names = _layer_names(store, data.get("lagen"), include_internal)
    report = kwaliteit.assess(store, thresholds)
    layers = [q for q in report.layers if q.name in names]
    breaches = [b for b in report.breaches if b.layer in names and _shown_check(b.layer, b.check, include_internal)]
    out = {"ok": not breaches, "thresholds": "given" if given is not None else "server",
           "breaches": [_breach(b) for b in breaches],
           "layers": [_layer(q, include_internal) for q in layers]}
    return _geojson(out, store) if formaat == "geojson" else out


# --- input -----------------------------------------------------------------------------------------------

def parse_thresholds(value) -> dict:
    """``drempels`` checked against the shape of data/kwaliteit.yml; messages name the offending value."""
    if not isinstance(value, dict) or set(value) - {"standaard", "lagen", "voorbeeld", "verwacht"}:
        raise InputError(f"drempels {_short(value)}: expected an object with 'standaard' and/or 'lagen' (and "
                         "optionally 'voorbeeld', 'verwacht'), as in data/kwaliteit.yml")
    if not isinstance(value.get("verwacht", {}), dict) or not isinstance(value.get("voorbeeld", False), bool):
        raise InputError("drempels: 'verwacht' must be an object layer -> {check: reason}, 'voorbeeld' true or false")
    lagen = value.get("lagen", {})
    if not isinstance(lagen, dict):
        raise InputError(f"drempels.lagen {_short(lagen)}: expected an object layer -> thresholds")
    _check_block("drempels.standaard", value.get("standaard", {}))
    for name, block in lagen.items():
        _check_block(f"drempels.lagen.{name}", block)
    return value


def _check_block(where: str, block) -> None:
    if not isinstance(block, dict):
        raise InputError(f"{where} {_short(block)}: expected an object check -> number")
    for check, number in block.items():
        if check == "volledigheid":
            _check_completeness(f"{where}.volledigheid", number)
        elif check not in CHECKS:
            raise InputError(f"{where}: unknown check {check!r}; expected one of {', '.join(CHECKS)}, volledigheid")
        elif not _number(number) or number < 0:
            raise InputError(f"{where}.{check} {_short(number)}: expected a number of at least 0")


def _check_completeness(where: str, block) -> None:
    if not isinstance(block, dict):
        raise InputError(f"{where} {_short(block)}: expected an object field -> minimum % filled")
    for column, pct in block.items():
        if not _number(pct) or not 0 <= pct <= 100:
            raise InputError(f"{where}.{column} {_short(pct)}: expected a percentage 0-100")


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _server_thresholds() -> dict:
    try:
        return kwaliteit.load_thresholds()
    except GeoError:  # its message names a server path
        raise InputError("kwaliteit: the server has no thresholds file; give 'drempels'") from None


def _layer_names(store, wanted, include_internal: bool) -> list[str]:
    """The layers to report: every vector layer the instance may show, or ``wanted`` among them."""
    from analyses import result_layers

    hidden = set() if include_internal else internal.internal_only_collections(result_layers(True).values())
    names = [n for n in store.info()["name"] if n not in kwaliteit.SKIP and n not in hidden]
    if wanted is None:
        return names
    if not isinstance(wanted, list) or not wanted or not all(isinstance(n, str) for n in wanted):
        raise InputError(f"lagen {_short(wanted)}: expected a list of layer names, e.g. ['stikstofbron']")
    unknown = [n for n in wanted if n not in names]
    if unknown:
        raise InputError(f"lagen: unknown layer {unknown[0]!r}; expected some of {', '.join(names)}")
    return [n for n in names if n in wanted]


# --- output ----------------------------------------------------------------------------------------------

def _public_fields(name: str) -> set[str] | None:
    from analyses import result_layers
    from layers import LAYERS

    module = {s.name: s for s in LAYERS}.get(name) or result_layers(include_internal=True).get(name)
    return set(module.public_fields) if module is not None else None


def _shown_check(layer: str, check: str, include_internal: bool) -> bool:
    """A completeness breach of a non-public field is left out of the public answer."""
    if include_internal or not check.startswith("volledigheid "):
        return True
    field = check.removeprefix("volledigheid ").removesuffix(" (%)")
    return field in (_public_fields(layer) or set())


def _breach(b: kwaliteit.Breach) -> dict:
    return {"layer": b.layer, "check": b.check, "value": b.value, "threshold": b.threshold, "text": str(b)}


def _layer(q: kwaliteit.LayerQuality, include_internal: bool) -> dict:
    out = asdict(q)
    out["quarantined"] = q.quarantined
    out["sources"] = [{"key": s["key"], "file": Path(str(s["path"])).name, "modified": s["modified"]}
                      for s in q.sources]
    if not include_internal:
        fields = _public_fields(q.name) or set()
        out["completeness"] = {c: v for c, v in q.completeness.items() if c in fields}
        out["quarantine"] = masked_reasons(q.quarantine)
    return out


def masked_reasons(reasons: dict[str, int]) -> dict[str, int]:
    """Quarantine reasons with quoted record values replaced by '…', counts added up."""
    out: dict[str, int] = {}
    for reason, count in reasons.items():
        key = QUOTED.sub("'…'", reason)
        out[key] = out.get(key, 0) + count
    return out


def _geojson(report: dict, store) -> dict:
    """One feature per layer at its bounding box in CRS84 (the catalogue's extent: from the store's metadata)."""
    from geo.store.catalogue import extent_geojson

    features = []
    for layer in report["layers"]:
        breaches = [b for b in report["breaches"] if b["layer"] == layer["name"]]
        features.append({"type": "Feature", "id": layer["name"], "geometry": extent_geojson(store, layer["name"]),
                         "properties": {**layer, "ok": not breaches, "breaches": breaches}})
    return {"type": "FeatureCollection", "features": features, "ok": report["ok"],
            "thresholds": report["thresholds"], "breaches": report["breaches"]}
