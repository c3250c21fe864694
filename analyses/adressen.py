"""Finding a BAG address by street name, huisnummer and place, and the address nearest to a position.

Built on the ``verblijfsobject`` layer's own columns (``openbare_ruimte_naam``, ``huisnummer``, ``huisletter``,
``toevoeging``, ``postcode``, ``woonplaats_naam``): no separate street register is needed. Names are compared
without case, diacritics and punctuation ("Kérkstraat" = "kerkstraat", "St. Jansweg" = "st jansweg"), because
an advisor types what they hear in a meeting. No match or several matches is an ``InputError`` in Dutch that
lists the candidates, so the advisor can pick one.
"""

import difflib
import re
import unicodedata

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from analyses.invoer import MAX_ADDRESS_CHARS, InputError, read_public
from geo.store.geopackage import Store

__all__ = ["StreetAddress", "parse_street_address", "normalise", "find_street_address", "nearest_address",
           "address_text", "house_text", "place_key"]

STREET_ADDRESS = re.compile(r"^(?P<straat>\D.*?)\s+(?P<nr>\d{1,5})(?:\s*(?P<letter>[A-Za-z])(?![A-Za-z0-9]))?"
                            r"(?:\s*-\s*(?P<toev>[A-Za-z0-9]{1,4}))?(?:\s*,\s*|\s+)?(?P<plaats>\D.*)?$")
MAX_CANDIDATES = 8
SIMILAR_NAME = 0.75  # difflib ratio from which a name counts as a misspelling of the typed one
NEAREST_SEARCH_M = (250.0, 1000.0, 5000.0)  # widening boxes: a position far from any address still gets one


class StreetAddress(tuple):
    """(straat, huisnummer, huisletter, toevoeging, plaats) as typed; plaats may be None."""

    def __new__(cls, straat: str, huisnummer: int, huisletter=None, toevoeging=None, plaats=None):
        return super().__new__(cls, (straat, huisnummer, huisletter, toevoeging, plaats))

    def __str__(self) -> str:
        straat, nr, letter, toev, plaats = self
        return f"{straat} {nr}{letter or ''}{'-' + toev if toev else ''}{', ' + plaats if plaats else ''}"


ABBREVIATIONS = {"st": "sint"}  # St. Maarten = Sint Maarten, St. Jansweg = Sint Jansweg


def normalise(text) -> str:
    """Lower case, without diacritics and punctuation, single spaces, common abbreviations written out.

    >>> normalise("  Kérk-straat,  ’s-Gravenhage ")
    'kerk straat s gravenhage'
    >>> normalise("St. Maarten") == normalise("Sint Maarten")
    True
    """
    folded = unicodedata.normalize("NFKD", str(text or ""))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return " ".join(ABBREVIATIONS.get(word, word) for word in re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


PLACE_ARTICLES = {"t", "s", "de", "het", "den"}  # 't Zand, 's-Gravenhage, De Rijp: often typed without


def place_key(text) -> str:
    """A woonplaats as compared: normalised, without a leading article.

    >>> place_key("'t Zand") == place_key("Zand") == "zand"
    True
    """
    words = normalise(text).split()
    while len(words) > 1 and words[0] in PLACE_ARTICLES:
        words = words[1:]
    return " ".join(words)


def parse_street_address(text: str) -> StreetAddress:
    """Street, huisnummer (with huisletter, toevoeging) and an optional place.

    >>> str(parse_street_address("Kérkstraat 12a-2, Schagen"))
    'Kérkstraat 12A-2, Schagen'
    """
    text = " ".join(str(text or "").split())
    if len(text) > MAX_ADDRESS_CHARS:
        raise InputError(f"adres: {len(text)} tekens; hoogstens {MAX_ADDRESS_CHARS}")
    match = STREET_ADDRESS.match(text)
    if not match or not normalise(match["straat"]):
        raise InputError(f"adres {text!r}: verwacht postcode en huisnummer, bijvoorbeeld 1746 XP 182, of straat, "
                         "huisnummer en plaats, bijvoorbeeld Dorpsstraat 1, Schagen")
    plaats = (match["plaats"] or "").strip(" ,") or None
    return StreetAddress(match["straat"].strip(" ,"), int(match["nr"]),
                         match["letter"].upper() if match["letter"] else None, match["toev"], plaats)


def find_street_address(store: Store, text: str) -> gpd.GeoSeries:
    """The one verblijfsobject (a row) at the street address ``text``; InputError with candidates otherwise."""
    wanted = parse_street_address(text)
    straat, nr, letter, toev, plaats = wanted
    same_number = read_public(store, "verblijfsobject", where=f"huisnummer = {int(nr)}")
    streets = same_number["openbare_ruimte_naam"].map(normalise)
    places = same_number["woonplaats_naam"].map(place_key)
    on_street = same_number[(streets == normalise(straat)) & ((places == place_key(plaats)) if plaats else True)]
    exact = on_street[(on_street["huisletter"].fillna("").str.upper() == (letter or ""))
                      & (on_street["toevoeging"].fillna("").astype(str).str.upper() == (toev or "").upper())]
    if len(exact) == 1:
        return exact.iloc[0]
    if len(exact) > 1:
        how = "zoek op postcode en huisnummer" if plaats else "geef ook de plaats, of zoek op postcode en huisnummer"
        raise InputError(f"adres {wanted}: {len(exact)} adressen passen ({_candidates(exact)}); {how}")
    near = on_street if len(on_street) else _similar(same_number, streets, places, straat, plaats)
    hint = f"; bedoelt u: {_candidates(_ranked(near, straat, plaats), keep_order=True)}?" if len(near) else ""
    raise InputError(f"adres {wanted} staat niet in de BAG-verblijfsobjecten van deze server{hint}")


def _similar(found: gpd.GeoDataFrame, streets, places, straat: str, plaats: str | None) -> gpd.GeoDataFrame:
    """Addresses with this huisnummer whose street contains the typed name (or the other way round): in the typed
    place, else in places like it (a misspelling), else in any place."""
    typed = normalise(straat)
    close = set(difflib.get_close_matches(typed, sorted(set(streets)), n=MAX_CANDIDATES, cutoff=0.8))
    alike = streets.map(lambda s: bool(s) and (typed in s or s in typed or s in close))
    if plaats:
        in_place = alike & (places == place_key(plaats))
        near_place = alike & (_unlike(places, place_key(plaats)) < 1.0)  # a misspelt place: "Tzand", "Schagn"
        return found[in_place] if in_place.any() else found[near_place] if near_place.any() else found[alike]
    return found[alike]


def _ranked(rows: gpd.GeoDataFrame, straat: str, plaats: str | None) -> gpd.GeoDataFrame:
    """Candidates in the order an advisor looks for them: the places most like the typed one first (the typed
    place itself, then a misspelling of it), within a place the streets most like the typed one, then
    alphabetically."""
    keys = pd.DataFrame({"place": _unlike(rows["woonplaats_naam"].map(place_key), place_key(plaats or "")),
                         "street": _unlike(rows["openbare_ruimte_naam"].map(normalise), normalise(straat)),
                         "text": rows.apply(address_text, axis=1)}, index=rows.index)
    if not plaats:
        keys["place"] = 0.0
    return rows.loc[keys.sort_values(["place", "street", "text"]).index]


def _unlike(names: pd.Series, typed: str) -> pd.Series:
    """0 for the typed name itself, a little more for a misspelling of it, 1 for any other name (those keep
    the alphabetical order)."""
    def unlike(name: str) -> float:
        ratio = difflib.SequenceMatcher(None, typed, name).ratio()
        return 1.0 - ratio if ratio >= SIMILAR_NAME else 1.0

    return names.map(unlike)


def _candidates(rows: gpd.GeoDataFrame, keep_order: bool = False) -> str:
    texts = list(dict.fromkeys(address_text(r) for _, r in rows.iterrows()))
    texts = texts if keep_order else sorted(texts)
    more = f" en {len(texts) - MAX_CANDIDATES} andere" if len(texts) > MAX_CANDIDATES else ""
    return "; ".join(texts[:MAX_CANDIDATES]) + more


def house_text(row) -> str:
    letter = row["huisletter"] if isinstance(row["huisletter"], str) else ""
    toev = row["toevoeging"] if isinstance(row["toevoeging"], str) and row["toevoeging"] else None
    return f"{row['huisnummer']}{letter}{'-' + toev if toev else ''}"


def address_text(row) -> str:
    """'Teststraat 12, 1741 EA Schagen' for a verblijfsobject row."""
    pc = str(row["postcode"] or "")
    postcode = f"{pc[:4]} {pc[4:]} " if len(pc) == 6 else ""
    return f"{row['openbare_ruimte_naam']} {house_text(row)}, {postcode}{row['woonplaats_naam']}"


def nearest_address(store: Store, point: Point):
    """(verblijfsobject row, distance in m) nearest to ``point`` (RD New), or (None, None) without any near."""
    for half in NEAREST_SEARCH_M:
        box = (point.x - half, point.y - half, point.x + half, point.y + half)
        found = read_public(store, "verblijfsobject", bbox=box)
        found = found[found["openbare_ruimte_naam"].notna()]
        if len(found):
            distances = found.geometry.distance(point)
            best = distances.idxmin()
            if distances[best] <= half:  # nothing outside the box can be nearer
                return found.loc[best], float(distances[best])
    return None, None
