"""TPOD waardelijsten: the labels of the code-list URIs an OW file uses (e.g. ``…/functie/id/concept/Wonen``
→ ``wonen``), from Geonovum's published waardelijsten (``dso_data/waardelijsten.json``, see its README)."""

import json
from functools import cache
from pathlib import Path

__all__ = ["label", "waardelijst_of", "values_of"]

WAARDELIJSTEN = Path(__file__).with_name("dso_data") / "waardelijsten.json"


@cache
def _lists() -> dict:
    return json.loads(WAARDELIJSTEN.read_text(encoding="utf-8"))["waardelijsten"]


@cache
def _index() -> dict[str, tuple[str, str]]:
    """URI → (waardelijst name, label) over every list."""
    return {uri: (name, text) for name, wl in _lists().items() for uri, text in wl["waarden"].items()}


def label(uri: str | None) -> str | None:
    """The label of a code-list value, or None when the URI is in no waardelijst."""
    found = _index().get((uri or "").strip())
    return found[1].strip() if found else None


def waardelijst_of(uri: str | None) -> str | None:
    """The name of the waardelijst holding ``uri`` (e.g. ``functiegroep``), or None."""
    found = _index().get((uri or "").strip())
    return found[0] if found else None


def values_of(waardelijst: str) -> dict[str, str]:
    """URI → label of one waardelijst by its name (e.g. ``"type gebiedsaanwijzing"``)."""
    return dict(_lists()[waardelijst]["waarden"])
