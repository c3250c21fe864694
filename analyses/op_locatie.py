"""Op locatie: the Wnb-besluiten, Natura 2000-gebieden and stikstofbronnen around one place, with distances.

The place is a BAG address (postcode + huisnummer, or straat + huisnummer + plaats, found in
``verblijfsobject``; see ``analyses.adressen``), a BAG identificatie, or a coordinate in RD New or WGS84 (a GPS
position), labelled with the nearest address. Within the radius (default 2 km) come the Wnb-besluiten (by
besluittype, with zaaknummer, besluitdatum, activiteit and AERIUS result) and the stikstofbronnen; the Natura
2000-gebieden within the radius come too, and always the nearest one. Distances in metres from the place (0 inside).

Each decision gets the Natura 2000-gebieden it concerns by number and name, "niet stikstofgevoelig" where the
``natura2000_gebied`` layer says so, and its publication link (``publicatie_url``, empty when unknown). The answer
names the data date and which sources are voorbeelddata.

Also the OGC API Process ``wnb-op-locatie`` (``OpLocatieProcessor``); only public fields leave the store.
"""

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import click
import geopandas as gpd
from shapely.geometry import Point

from analyses.adressen import address_text, find_street_address, nearest_address, parse_street_address
from analyses.invoer import (
    InputError,
    check_bag_id,
    check_input_names,
    feature_collection,
    parse_address,
    point_from_xy,
    postcode_pattern_matches,
    read_public,
    store_from_env,
)
from geo.cli.options import existing_store, gpkg_store_option
from geo.core.crs import RD_NEW
from geo.core.registry import AnalysisSpec, ProcessSpec
from geo.store.geopackage import Store, as_store

NAME = "op_locatie"
TITLE = "Wnb-besluiten op locatie"
RESULTS = ()  # answers one question at a time; nothing is published
DEFAULT_RADIUS_M = 2000.0
MAX_RADIUS_M = 25_000.0  # AERIUS's range of deposition from a source
BESLUITTYPE_ORDER = ("vergunning verleend", "ontwerpbesluit", "aanvraag", "geweigerd", "ingetrokken",
                     "buiten behandeling")


LAYERS_SHOWN = ("verblijfsobject", "wnb_besluit", "stikstofbron", "natura2000_gebied")  # what an answer shows
NIET_STIKSTOFGEVOELIG = "niet stikstofgevoelig"


@dataclass
class Location:
    point: Point  # RD New
    label: str
    verblijfsobject: str | None = None  # BAG identificatie of the address found, or nearest to a position
    adres_afstand_m: float | None = None  # from a position to that address (0 for an address search)


def locate(store: Store, adres: str | None = None, bag_id: str | None = None, x=None, y=None,
           crs: str | None = None) -> Location:
    """The place asked for: exactly one of ``adres``, ``bag_id`` or ``x``/``y`` (with ``crs``)."""
    given = [name for name, v in (("adres", adres), ("bag_id", bag_id), ("x/y", x is not None or y is not None))
             if v]
    if len(given) != 1:
        raise InputError(f"geef precies één locatie: adres, bag_id, of x en y (gegeven: {', '.join(given) or 'geen'})")
    if adres:
        return _by_address(store, adres)
    if bag_id:
        return _by_bag_id(store, bag_id)
    if x is None or y is None:
        raise InputError("x en y zijn allebei nodig, bijvoorbeeld x=4.80, y=52.78 met crs=EPSG:4326")
    return _by_position(store, point_from_xy(x, y, crs))


def _by_position(store: Store, point: Point) -> Location:
    """A position (GPS or typed coordinates), labelled with the nearest BAG address."""
    row, distance = nearest_address(store, point)
    where = f"positie RD {point.x:.0f}, {point.y:.0f}"
    if row is None:
        return Location(point, f"{where} (geen adres in de buurt)")
    return Location(point, f"{where}, bij {address_text(row)} ({_metres(distance)})", row["identificatie"],
                    round(distance))


def _metres(value: float) -> str:
    return f"{value:,.0f} m".replace(",", ".")


def check_address(text: str) -> None:
    """InputError unless ``text`` reads as a postcode address or a street address (before a job is made)."""
    if postcode_pattern_matches(text):
        parse_address(text)
    else:
        parse_street_address(text)


def _by_address(store: Store, text: str) -> Location:
    if not postcode_pattern_matches(text):
        return _location(find_street_address(store, text))
    address = parse_address(text)
    postcode, nr, letter, toev = address
    found = read_public(store, "verblijfsobject", where=f"postcode = '{postcode}' AND huisnummer = {int(nr)}")
    exact = found[(found["huisletter"].fillna("").str.upper() == (letter or ""))
                  & (found["toevoeging"].fillna("").astype(str).str.upper() == (toev or "").upper())]
    if exact.empty:
        others = ", ".join(sorted(_house(r) for r in found.itertuples()))
        hint = f" (op deze postcode en dit huisnummer kent de BAG: {others})" if others else ""
        raise InputError(f"adres {address} staat niet in de BAG-verblijfsobjecten van deze server{hint}; "
                         "controleer postcode en huisnummer")
    return _location(exact.iloc[0])


def _by_bag_id(store: Store, text: str) -> Location:
    ident = check_bag_id(text)
    found = read_public(store, "verblijfsobject", where=f"identificatie = '{ident}'")
    if found.empty:
        raise InputError(f"bag_id {ident} is geen verblijfsobject in de BAG-gegevens van deze server; "
                         "controleer de identificatie")
    return _location(found.iloc[0])


def _house(row) -> str:
    toev = row.toevoeging if isinstance(row.toevoeging, str) and row.toevoeging else None
    return f"{row.huisnummer}{row.huisletter or ''}{'-' + toev if toev else ''}"


def _location(row) -> Location:
    return Location(row.geometry, address_text(row), row["identificatie"], 0.0)


def run(store: Store | str, location: Location | None = None, straal_m: float = DEFAULT_RADIUS_M,
        **where) -> dict[str, gpd.GeoDataFrame]:
    """Decisions, sources and Natura 2000 areas around ``location`` (or the place ``where`` names)."""
    store = as_store(store)
    radius = check_radius(straal_m)
    location = _outside_warning(store, location or locate(store, **where))
    box = location.point.buffer(radius).bounds
    areas = read_public(store, "natura2000_gebied")
    besluiten = _around(read_public(store, "wnb_besluit", bbox=box), location.point, radius)
    besluiten = besluiten.assign(_order=besluiten["besluittype"].map(_type_rank),
                                 natura2000_gebieden=besluiten["natura2000_nrs"].map(lambda v: concerned(v, areas)))
    besluiten = besluiten.sort_values(["_order", "afstand_m", "zaaknummer"]).drop(columns="_order")
    return {
        "locatie": gpd.GeoDataFrame({"label": [location.label], "straal_m": [radius],
                                     "verblijfsobject": [location.verblijfsobject],
                                     "adres_afstand_m": [location.adres_afstand_m]},
                                    geometry=[location.point], crs=RD_NEW),
        "wnb_besluit": besluiten.reset_index(drop=True),
        "stikstofbron": _around(read_public(store, "stikstofbron", bbox=box), location.point, radius)
        .sort_values("afstand_m").reset_index(drop=True),
        "natura2000_gebied": _natura2000(areas, location.point, radius),
    }


def _outside_warning(store: Store, location: Location) -> Location:
    """A place outside the municipality the store holds gets a warning in its label: the store knows no
    decisions there, so "0 besluiten" would mislead."""
    if "gemeentegebied" not in store.layers():
        return location
    gemeente = read_public(store, "gemeentegebied")
    if gemeente.empty or gemeente.geometry.union_all().contains(location.point):
        return location
    naam = str(gemeente["statnaam"].iloc[0]) if "statnaam" in gemeente else "de gemeente"
    warning = f" (let op: buiten gemeente {naam}; deze gegevens gaan alleen over {naam})"
    return replace(location, label=location.label + warning)


def concerned(nrs, areas: gpd.GeoDataFrame) -> str:
    """'84 Testduinen; 162 Abtskolk & De Putten (niet stikstofgevoelig)' for a decision's ``natura2000_nrs``."""
    names = dict(zip(areas["nr"], areas["naam"]))
    sensitive = dict(zip(areas["nr"], areas["stikstofgevoelig"]))
    out = []
    for part in str(nrs or "").replace(";", ",").split(","):
        if not part.strip().isdigit():
            continue
        nr = int(part)
        text = f"{nr} {names[nr]}" if nr in names else f"gebied {nr}"
        out.append(text + (f" ({NIET_STIKSTOFGEVOELIG})" if _known_false(sensitive.get(nr)) else ""))
    return "; ".join(out)


def _known_false(value) -> bool:
    return value is not None and value == value and not bool(value)  # None and NaN: not known


def about(store: Store) -> dict:
    """What every output shows beside the answer: the data date (the store's last build), the voorbeelddata
    notice ("" when all real) and per source its title and whether it is generated or which register."""
    from geo.render.voorbeelddata import generated_layers, notice
    from layers import LAYERS

    specs = {spec.name: spec for spec in LAYERS}
    generated = set(generated_layers(store, list(LAYERS_SHOWN)))
    built = store.info()["built_at"].max()
    return {
        "gegevensdatum": str(built)[:10] if isinstance(built, str) else None,
        "voorbeelddata": notice(store, list(LAYERS_SHOWN)),
        "bronnen": [{"laag": name, "titel": specs[name].title,
                     "herkomst": "voorbeelddata (gegenereerd, geen echte registratie)" if name in generated
                     else specs[name].register or name} for name in LAYERS_SHOWN],
    }


def datum_nl(iso: str | None) -> str:
    """'28 november 2026' for '2026-11-28'.

    >>> datum_nl("2020-05-01")
    '1 mei 2020'
    """
    if not iso:
        return "onbekend"
    day = date.fromisoformat(str(iso)[:10])
    return f"{day.day} {MAANDEN[day.month - 1]} {day.year}"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def check_radius(value) -> float:
    try:
        radius = float(DEFAULT_RADIUS_M if value is None or value == "" else value)
    except (TypeError, ValueError):
        raise InputError(f"straal_m {value!r}: verwacht een aantal meters, bijvoorbeeld 2000") from None
    if not 0 < radius <= MAX_RADIUS_M:
        raise InputError(f"straal_m {radius:g}: verwacht meer dan 0 en hoogstens {MAX_RADIUS_M:.0f} m")
    return radius


def _around(gdf: gpd.GeoDataFrame, point: Point, radius: float) -> gpd.GeoDataFrame:
    gdf = gdf.assign(afstand_m=gdf.geometry.distance(point).round(0))
    return gdf[gdf["afstand_m"] <= radius]


def _natura2000(areas: gpd.GeoDataFrame, point: Point, radius: float) -> gpd.GeoDataFrame:
    areas = areas.assign(afstand_m=areas.geometry.distance(point).round(0)).sort_values("afstand_m")
    keep = (areas["afstand_m"] <= radius).to_numpy().copy()
    keep[:1] = True  # the nearest area, however far
    return areas[keep].reset_index(drop=True)


def _type_rank(besluittype: str) -> int:
    return BESLUITTYPE_ORDER.index(besluittype) if besluittype in BESLUITTYPE_ORDER else len(BESLUITTYPE_ORDER)


def summary(result: dict[str, gpd.GeoDataFrame]) -> dict[str, int]:
    """Number of decisions per besluittype, in the order of ``BESLUITTYPE_ORDER``."""
    counts = result["wnb_besluit"]["besluittype"].value_counts()
    return {t: int(counts[t]) for t in sorted(counts.index, key=_type_rank)}


def to_geojson(result: dict[str, gpd.GeoDataFrame], sources: dict | None = None) -> dict:
    """The decisions as a FeatureCollection (CRS84) with ``afstand_m``; the place, the radius, the
    Natura 2000-gebieden and stikstofbronnen ride along as foreign members (RFC 7946, 6.1), and so do the
    data date, the voorbeelddata notice and the sources (``about``) when given."""
    out = feature_collection(result["wnb_besluit"])
    out.update(sources or {})
    locatie = feature_collection(result["locatie"])["features"][0]
    out.update({
        "locatie": locatie,
        "straal_m": float(result["locatie"]["straal_m"].iloc[0]),
        "samenvatting": summary(result),
        "natura2000_gebied": feature_collection(result["natura2000_gebied"], simplify_m=10),
        "stikstofbron": feature_collection(result["stikstofbron"]),
    })
    return out


PROCESS_METADATA = {
    "version": "1.0.0",
    "id": "wnb-op-locatie",
    "title": {"en": "Wnb decisions at a location", "nl": "Wnb-besluiten op locatie"},
    "description": {
        "en": "The Wnb decisions (Natura 2000-activiteit) within a radius of an address, BAG identificatie or "
              "coordinate, with distance, plus the Natura 2000 areas and nitrogen sources nearby.",
        "nl": "De Wnb-besluiten (Natura 2000-activiteit) binnen een straal rond een adres, BAG-identificatie of "
              "coördinaat, met afstand, en de Natura 2000-gebieden en stikstofbronnen in de buurt.",
    },
    "jobControlOptions": ["sync-execute", "async-execute"],
    "keywords": ["Wnb", "Natura 2000", "stikstof", "BAG"],
    "links": [],
    "inputs": {
        "adres": {"title": "Adres", "description": "Postcode en huisnummer (BAG), bijvoorbeeld '1741 EA 12' of "
                                                     "'1741EA 12A', of straat, huisnummer en plaats, bijvoorbeeld "
                                                     "'Teststraat 12, Schagen'.",
                  "schema": {"type": "string"}, "minOccurs": 0, "maxOccurs": 1},
        "bag_id": {"title": "BAG-identificatie", "description": "Identificatie (16 cijfers) van een verblijfsobject.",
                   "schema": {"type": "string", "pattern": "^[0-9]{16}$"}, "minOccurs": 0, "maxOccurs": 1},
        "x": {"title": "x", "description": "x in RD (EPSG:28992) of lengtegraad (EPSG:4326).",
              "schema": {"type": "number"}, "minOccurs": 0, "maxOccurs": 1},
        "y": {"title": "y", "description": "y in RD (EPSG:28992) of breedtegraad (EPSG:4326).",
              "schema": {"type": "number"}, "minOccurs": 0, "maxOccurs": 1},
        "crs": {"title": "Coördinatenstelsel van x en y", "description": "EPSG:28992 (standaard, RD) of EPSG:4326 "
                                                                          "(x = lengtegraad, y = breedtegraad).",
                "schema": {"type": "string", "enum": ["EPSG:28992", "EPSG:4326"], "default": "EPSG:28992"},
                "minOccurs": 0, "maxOccurs": 1},
        "straal_m": {"title": "Straal (m)", "description": "Straal rond de locatie in meter (hoogstens 25000).",
                     "schema": {"type": "number", "default": DEFAULT_RADIUS_M, "exclusiveMinimum": 0,
                                "maximum": MAX_RADIUS_M}, "minOccurs": 0, "maxOccurs": 1},
    },
    "outputs": {
        "besluiten": {
            "title": "Wnb-besluiten binnen de straal",
            "description": "GeoJSON FeatureCollection (CRS84) van de besluiten met hun afstand (alleen openbare "
                           "velden), met de locatie, de straal, het aantal per besluittype en de Natura 2000-gebieden "
                           "en stikstofbronnen in de buurt.",
            "schema": {"type": "object", "contentMediaType": "application/geo+json"},
        }
    },
    "example": {"inputs": {"adres": "1741 EA 12", "straal_m": 2000}},
}


def execute(data: dict) -> dict:
    """The process: ``data`` are its inputs; the answer is GeoJSON; bad input raises InputError."""
    check_input_names(data, PROCESS_METADATA)
    where = {k: data.get(k) for k in ("adres", "bag_id", "x", "y", "crs")}
    store = store_from_env()
    return to_geojson(run(store, straal_m=data.get("straal_m"), **where), about(store))


# --- the command `geo op-locatie` and the spec ----------------------------------------

@click.command("op-locatie")
@click.option("--adres", help="Postcode and huisnummer ('1741 EA 12') or street, number and place "
                               "('Dorpsstraat 1, Schagen').")
@click.option("--bag-id", help="BAG identificatie of a verblijfsobject (16 digits).")
@click.option("--x", type=float, help="Easting (EPSG:28992) or longitude (EPSG:4326, e.g. a GPS position).")
@click.option("--y", type=float, help="Northing (EPSG:28992) or latitude (EPSG:4326).")
@click.option("--crs", default="EPSG:28992", show_default=True, type=click.Choice(["EPSG:28992", "EPSG:4326"]),
              help="CRS of --x/--y.")
@click.option("--straal-m", default=2000.0, show_default=True, type=float, help="Radius in metres.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Map (HTML) to write.")
@gpkg_store_option
def command(adres, bag_id, x, y, crs, straal_m, out, store):
    """Wnb-besluiten, Natura 2000-gebieden and stikstofbronnen around an address, BAG id or position."""
    s = existing_store(store)
    result = run(s, straal_m=straal_m, adres=adres, bag_id=bag_id, x=x, y=y, crs=crs)
    path = write_map(s, result, out)
    label = result["locatie"]["label"].iloc[0]
    click.echo(f"{label}: {len(result['wnb_besluit'])} Wnb-besluiten binnen {straal_m:.0f} m")
    for besluittype, n in summary(result).items():
        click.echo(f"  {besluittype:20} {n}")
    for nr, r in enumerate(result["wnb_besluit"].itertuples(), 1):
        datum = r.besluitdatum if isinstance(r.besluitdatum, str) else "-"
        click.echo(f"  {nr:3}. {r.afstand_m:6.0f} m  {r.zaaknummer}  {datum:10}  {r.besluittype:20} "
                   f"{r.activiteit}")
    click.echo(f"wrote {path}")


def write_map(store: Store, result: dict[str, gpd.GeoDataFrame], out: Path) -> Path:
    """The offline map of ``result`` (``geo.render.location_map``) with the data date, sources and banner."""
    from geo.render.location_map import Place, location_map
    from geo.render.maps import provenance

    facts = about(store)
    where = result["locatie"]
    place = Place(where["label"].iloc[0], where.geometry.iloc[0], float(where["straal_m"].iloc[0]),
                  datum_nl(facts["gegevensdatum"]), [(b["titel"], b["herkomst"]) for b in facts["bronnen"]],
                  facts["voorbeelddata"], provenance(store))
    return location_map(place, result["wnb_besluit"], result["natura2000_gebied"], result["stikstofbron"], out)


SPEC = AnalysisSpec(NAME, TITLE, results=RESULTS, command=command,
                    process=ProcessSpec("wnb-op-locatie", "analyses.process.OpLocatieProcessor"))
