"""Input of the advisory analyses (op locatie, gebiedsanalyse): addresses, coordinates, polygons.

Everything a user types or draws is checked here, and every refusal is an ``InputError`` whose message
names the value, what was expected and how to fix it. Reading from the store keeps to a layer's
``public_fields``: private fields never enter an analysis result.
"""

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.validation import explain_validity

from geo.core.crs import RD_NEW, inside_netherlands_rd, transform_geometries, transformer
from geo.core.errors import GeoError
from geo.store.geopackage import Store, as_store

__all__ = ["InputError", "Address", "parse_address", "point_from_xy", "polygon_from_geojson",
           "read_public", "feature_collection", "CRS_ALIASES"]

CRS_ALIASES = {  # what users and OGC clients write -> (pyproj code, axis order of the pair given)
    "EPSG:28992": RD_NEW, "28992": RD_NEW, "http://www.opengis.net/def/crs/EPSG/0/28992": RD_NEW,
    "EPSG:4326": "EPSG:4326", "4326": "EPSG:4326", "CRS84": "EPSG:4326", "OGC:CRS84": "EPSG:4326",
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84": "EPSG:4326",
    "http://www.opengis.net/def/crs/EPSG/0/4326": "EPSG:4326",
    # the legacy GeoJSON "crs" member as GDAL/ogr2ogr and QGIS write it
    "URN:OGC:DEF:CRS:EPSG::28992": RD_NEW, "URN:OGC:DEF:CRS:OGC:1.3:CRS84": "EPSG:4326",
}
ADDRESS = re.compile(r"^\s*(?P<pc>[1-9]\d{3})\s*(?P<letters>[A-Za-z]{2})[\s,]*(?P<nr>\d{1,5})"
                     r"(?:\s*(?P<letter>[A-Za-z])(?![A-Za-z0-9]))?(?:\s*[-\s]\s*(?P<toev>[A-Za-z0-9]{1,4}))?\s*$")
POSTCODE_FIRST = re.compile(r"^\s*[1-9]\d{3}\s*[A-Za-z]{2}(?![A-Za-z])")
BAG_ID = re.compile(r"^\d{16}$")
MAX_ADDRESS_CHARS = 64


class InputError(GeoError, ValueError):
    """Input that an analysis cannot use: an unknown address, a polygon that is not valid, swapped axes."""


class Address(tuple):
    """(postcode, huisnummer, huisletter, toevoeging) as the BAG writes them."""

    def __new__(cls, postcode: str, huisnummer: int, huisletter: str | None = None, toevoeging: str | None = None):
        return super().__new__(cls, (postcode, huisnummer, huisletter, toevoeging))

    def __str__(self) -> str:
        postcode, nr, letter, toev = self
        return f"{postcode[:4]} {postcode[4:]} {nr}{letter or ''}{'-' + toev if toev else ''}"


def parse_address(text: str) -> Address:
    """A postcode and huisnummer (with optional huisletter and toevoeging).

    >>> str(parse_address("1741ea 12a-2"))
    '1741 EA 12A-2'
    """
    text = str(text or "")
    if len(text) > MAX_ADDRESS_CHARS:  # checked before the pattern: a long input must cost nothing
        raise InputError(f"adres: {len(text)} tekens; verwacht postcode en huisnummer, bijvoorbeeld 1746 XP 182 "
                         f"(hoogstens {MAX_ADDRESS_CHARS} tekens)")
    match = ADDRESS.match(" ".join(text.split()))  # single spaces: the pattern cannot backtrack over runs
    if not match:
        raise InputError(f"adres {text!r}: verwacht postcode en huisnummer, bijvoorbeeld 1746 XP 182 of 1741EA 12A")
    return Address(f"{match['pc']}{match['letters'].upper()}", int(match["nr"]),
                   match["letter"].upper() if match["letter"] else None, match["toev"])


def postcode_pattern_matches(text: str) -> bool:
    """True when ``text`` starts like a postcode ('1741 EA', '1741ea12'): then it is a postcode address, else a
    street address (``analyses.adressen``)."""
    return bool(POSTCODE_FIRST.match(str(text or "")[:MAX_ADDRESS_CHARS]))


def check_bag_id(text: str) -> str:
    text = str(text or "").strip()
    if not BAG_ID.match(text):
        raise InputError(f"bag_id {text!r}: verwacht de BAG-identificatie (16 cijfers) van een verblijfsobject, "
                         "bijvoorbeeld 0441010000000123")
    return text


def crs_code(crs: str | None) -> str:
    text = str(crs or "EPSG:28992").strip()
    code = CRS_ALIASES.get(text) or CRS_ALIASES.get(text.upper())
    if code is None:
        raise InputError(f"crs {crs!r}: verwacht EPSG:28992 (RD New, x/y in meters) of EPSG:4326 "
                         "(lengte- en breedtegraad)")
    return code


def point_from_xy(x, y, crs: str | None = "EPSG:28992") -> Point:
    """A point in RD New from ``x, y`` in RD New (easting, northing) or WGS84 (longitude, latitude).

    Refuses coordinates outside the Netherlands, and says so when they are there with the axes swapped.
    """
    code = crs_code(crs)
    try:
        x, y = float(x), float(y)
    except (TypeError, ValueError):
        raise InputError(f"x/y {x!r}, {y!r}: verwacht twee getallen") from None
    rd = _to_rd(x, y, code)
    if rd is not None:
        return rd
    if _to_rd(y, x, code) is not None:
        order = ("lengtegraad, breedtegraad (x = lengtegraad, y = breedtegraad)" if code != RD_NEW
                 else "RD-coördinaten oost, noord (x, y)")
        raise InputError(f"coördinaten {x}, {y} ({crs or 'EPSG:28992'}) liggen buiten Nederland, maar met x en y "
                         f"verwisseld erbinnen: geef ze als {order}, dus x={y}, y={x}")
    raise InputError(f"coördinaten {x}, {y} ({crs or 'EPSG:28992'}) liggen buiten Nederland; verwacht RD "
                     "(x 0–300000, y 289000–629000) of WGS84 (lengtegraad ≈ 3–7,3, breedtegraad ≈ 50,7–53,6)")


def _to_rd(x: float, y: float, code: str) -> Point | None:
    if code != RD_NEW:
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            return None
        x, y = transformer(code, RD_NEW).transform(x, y)
    return Point(x, y) if inside_netherlands_rd(x, y) else None


def check_input_names(data: dict, metadata: dict) -> None:
    """InputError naming the first input of ``data`` that the process (``PROCESS_METADATA``) does not describe."""
    unknown = sorted(set(data) - set(metadata["inputs"]))
    if unknown:
        raise InputError(f"onbekende invoer {unknown[0]!r}; verwacht: {', '.join(metadata['inputs'])}")


def polygon_from_geojson(value, crs: str | None = None) -> shapely.Geometry:
    """A valid (Multi)Polygon in RD New from a GeoJSON geometry, Feature or FeatureCollection (text or dict).

    The coordinates are CRS84 (lon, lat) unless ``crs`` says EPSG:28992. A self-intersecting polygon is
    refused with the place of the problem, never repaired silently: the user drew it, the user decides.
    """
    geom = _geometry(_geojson(value))
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise InputError(f"geometrie: een {geom.geom_type}, verwacht een Polygon of MultiPolygon (een vlak)")
    code = crs_code(crs or "EPSG:4326")
    if not geom.is_valid:
        raise InputError(f"geometrie is geen geldig vlak: {_explain(geom, code)}; teken het vlak opnieuw, met "
                         "minstens drie hoeken en zonder dat de omtrek zichzelf kruist")
    rd = _polygon_to_rd(geom, code)
    if rd.is_empty or rd.area <= 0:
        raise InputError("geometrie heeft geen oppervlakte")
    return rd


def _geojson(value) -> dict:
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise InputError(f"geometrie is geen GeoJSON ({err.msg} bij teken {err.pos})") from None
    if not isinstance(value, dict):
        raise InputError("geometrie: verwacht een GeoJSON-object (Polygon, Feature of FeatureCollection)")
    return value


def _geometry(obj: dict) -> shapely.Geometry:
    if obj.get("type") == "FeatureCollection":
        features = obj.get("features") or []
        if len(features) != 1:
            raise InputError(f"geometrie: een FeatureCollection met {len(features)} features, verwacht precies één")
        obj = features[0]
    if obj.get("type") == "Feature":
        obj = obj.get("geometry") or {}
    try:
        return shape(obj)
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, shapely.errors.GEOSException) as err:
        raise InputError(f"geometrie is geen GeoJSON-geometrie ({type(err).__name__}: {err})") from None


GEOS_REASONS = {  # GEOS's validity reasons as an advisor reads them
    "self-intersection": "zelfdoorsnijding", "ring self-intersection": "een ring snijdt zichzelf",
    "too few points": "te weinig punten",
    "too few points in geometry component": "een ring heeft te weinig punten (minstens drie hoeken)",
    "hole lies outside shell": "een gat ligt buiten de buitenrand",
    "nested holes": "gaten in elkaar", "nested shells": "buitenranden in elkaar",
    "interior is disconnected": "het vlak valt in delen uiteen", "invalid coordinate": "ongeldige coördinaat",
    "duplicate rings": "dubbele ringen",
}


def _explain(geom: shapely.Geometry, code: str) -> str:
    """'zelfdoorsnijding bij lengte 4.8, breedte 52.8' instead of GEOS's 'Self-intersection[4.8 52.8]'."""
    reason = explain_validity(geom)
    match = re.match(r"(?P<what>[^\[]+)\[(?P<x>[-\d.e]+) (?P<y>[-\d.e]+)\]", reason)
    if not match:
        return GEOS_REASONS.get(reason.strip().lower(), reason)
    what = match["what"].strip().lower()
    axes = ("x", "y") if code == RD_NEW else ("lengte", "breedte")
    return (f"{GEOS_REASONS.get(what, what)} bij {axes[0]} {float(match['x']):.6g}, "
            f"{axes[1]} {float(match['y']):.6g}")


def _polygon_to_rd(geom: shapely.Geometry, code: str) -> shapely.Geometry:
    minx, miny, maxx, maxy = geom.bounds
    if code == RD_NEW:
        inside = inside_netherlands_rd(minx, miny) and inside_netherlands_rd(maxx, maxy)
        return geom if inside else _refuse_outside(geom, code)
    if _to_rd(minx, miny, code) is None or _to_rd(maxx, maxy, code) is None:
        return _refuse_outside(geom, code)
    return transform_geometries(np.array([geom]), code, RD_NEW)[0]


def _refuse_outside(geom: shapely.Geometry, code: str):
    minx, miny, maxx, maxy = geom.bounds
    swapped = _to_rd(miny, minx, code) is not None and _to_rd(maxy, maxx, code) is not None
    if swapped:
        raise InputError("geometrie ligt buiten Nederland, maar erbinnen met de assen verwisseld: GeoJSON-coördinaten "
                         "zijn [lengtegraad, breedtegraad] (CRS84), niet [breedtegraad, lengtegraad]")
    raise InputError(f"geometrie (grenzen {minx:.6g}, {miny:.6g}, {maxx:.6g}, {maxy:.6g}) ligt buiten "
                     f"Nederland; verwacht CRS84 (lengte- en breedtegraad), of RD New met crs EPSG:28992 "
                     f"(geo gebiedsanalyse --crs EPSG:28992)")


def read_public(store: Store | Path | str, name: str, where: str | None = None,
                bbox: tuple | None = None) -> gpd.GeoDataFrame:
    """A layer (or analysis result) with only its public fields; empty when the store lacks it."""
    store = as_store(store)
    fields = _public_fields(name)
    if name not in store.layers():
        return gpd.GeoDataFrame({c: [] for c in fields}, geometry=[], crs=RD_NEW)
    gdf = store.read(name, columns=list(fields), where=where, bbox=bbox)
    return gdf[[c for c in fields if c in gdf.columns] + ["geometry"]]


def _public_fields(name: str) -> tuple[str, ...]:
    from analyses import result_layers
    from layers import LAYERS

    module = {s.name: s for s in LAYERS}.get(name) or result_layers(include_internal=True).get(name)
    if module is not None:
        return tuple(module.public_fields)
    return EXTRA_PUBLIC.get(name, ())


def feature_collection(gdf: gpd.GeoDataFrame, precision: float = 1e-6, simplify_m: float = 0.0) -> dict:
    """``gdf`` (RD New) as a GeoJSON FeatureCollection in CRS84 (lon, lat), ~10 cm precision."""
    if simplify_m:
        gdf = gdf.set_geometry(gdf.geometry.simplify(simplify_m))
    out = gdf.to_crs("OGC:CRS84")
    out = out.set_geometry(shapely.set_precision(out.geometry.values, precision))
    return json.loads(out.to_json(na="null", drop_id=True))


# Result layers of analyses that may not be registered yet, read by their documented public fields.
EXTRA_PUBLIC = {"stikstof_hexagon": ("receptor_id", "kdw", "totaal", "overschrijding")}


def store_from_env() -> Store:
    """The store a server process reads: ``GEO_STORE``, from the settings read where pygeoapi made the processor."""
    import os

    from geo.core.settings import Settings
    from geo.store import is_postgres_url, open_store

    settings = Settings.from_env()
    path = settings.store
    if not path or not (is_postgres_url(path) or os.path.exists(path)):
        raise InputError("de server heeft nog geen gegevens (GEO_STORE is niet ingesteld of ontbreekt); "
                         "draai eerst 'geo build'")
    return open_store(path, settings)
