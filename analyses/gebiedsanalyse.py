"""Gebiedsanalyse for the omgevingstafel: kansen, bedreigingen and ontbrekende informatie in an area.

The area is a municipality (CBS code), one omgevingsplan function area (its identificatie) or any polygon.
Each finding (``bevinding``) has a location, a reason in plain Dutch and the rule that produced it; the
rules live in ``analyses.gebiedsregels`` (one function each, with the distances used and their source).
Published as the collection ``gebiedsanalyse_bevinding`` (the municipality-wide run of
``geo gebiedsanalyse --gemeente``) and offered as the OGC API Process ``gebiedsanalyse``.
"""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import click
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon

from analyses.bevinding_style import bevinding_style
from analyses.gebiedsregels import GROEPSKOPPEN, HEXAGON_OBJECTEN, RULES, Context, load_context
from analyses.invoer import (
    InputError,
    check_input_names,
    feature_collection,
    polygon_from_geojson,
    read_public,
    store_from_env,
)
from analyses.toezicht import NATUUR_KLASSEN
from geo.cli.options import existing_store, gpkg_store_option, settings
from geo.core import palette
from geo.core.crs import RD_NEW
from geo.core.registry import AnalysisSpec, LayerSpec, ProcessSpec
from geo.core.schema import LayerSchema, conform
from geo.render.maps import stikstof_text
from geo.render.tabel import nl_number
from geo.store.geopackage import Store, as_store

NAME = "gebiedsanalyse"
TITLE = "Gebiedsanalyse voor de omgevingstafel"
SOORTEN = ("bedreiging", "kans", "ontbrekende informatie")
MIN_AREA_M2 = 10.0  # slivers of an intersection are no finding

SCHEMA = LayerSchema(
    geometry="MultiPolygon",
    key="bevinding_id",
    required=("bevinding_id", "soort", "regel", "reden"),
    columns={"bevinding_id": "str", "soort": "str", "regel": "str", "regel_titel": "str", "reden": "str",
             "objecten": "str", "afstand_m": "float", "norm_m": "float", "norm_bron": "str", "opp_m2": "float",
             "gebied": "str"},
    descriptions={
        "soort": "kans, bedreiging or ontbrekende informatie",
        "regel": "the rule that produced the finding (analyses.gebiedsregels)",
        "reden": "why, in plain Dutch",
        "objecten": "the register objects involved (functie, bodemlocatie, stikstofbron, …)",
        "afstand_m": "distance between the objects, metres (where the rule measures one)",
        "norm_m": "the guideline distance the rule applies, metres",
        "norm_bron": "where the guideline comes from",
        "opp_m2": "area of the finding, m²; empty where an area means nothing (a source point's erf, the whole area)",
        "gebied": "the analysed area",
    },
)
RESULT = LayerSpec(
    name="gebiedsanalyse_bevinding",
    title="Gebiedsanalyse: bevindingen",
    description=("Kansen, bedreigingen en ontbrekende informatie voor de omgevingstafel, per bevinding met locatie, "
                 "reden en de regel die haar vond (VNG-richtafstanden 2009, bodemstatus Wbb, Natura 2000, "
                 "Wnb-vergunningen). Een screening, geen besluit."),
    schema=SCHEMA,
    public_fields=tuple(SCHEMA.columns),
    group="Analyses",
    title_field="regel_titel",
    style=bevinding_style(),
    draw_order=45,
)
RESULTS = (RESULT,)


@dataclass
class Area:
    geometry: shapely.Geometry  # RD New, inside the municipality
    label: str
    gemeente: str
    gemeente_naam: str
    note: str = ""


def resolve_area(store: Store, gemeente: str | None = None, geometrie=None, crs: str | None = None,
                 functie: str | None = None) -> Area:
    """The area asked for: exactly one of ``gemeente``, ``geometrie`` (GeoJSON) or ``functie`` (identificatie)."""
    given = [n for n, v in (("gemeente", gemeente), ("geometrie", geometrie), ("functie", functie)) if v]
    if len(given) != 1:
        raise InputError(f"geef precies één gebied: gemeente, geometrie of functie "
                         f"(gegeven: {', '.join(given) or 'geen'})")
    municipality = read_public(store, "gemeentegebied")
    if municipality.empty:
        raise InputError(f"{store.path}: heeft geen gemeentegebied; draai eerst 'geo build'")
    row = municipality.iloc[0]
    code, naam, boundary = str(row["statcode"]), str(row["statnaam"]), row.geometry
    if gemeente:
        return _gemeente_area(gemeente, code, naam, boundary)
    if functie:
        return _functie_area(store, functie, code, naam, boundary)
    return _drawn_area(polygon_from_geojson(geometrie, crs), code, naam, boundary)


def _gemeente_area(asked: str, code: str, naam: str, boundary) -> Area:
    if asked.strip().upper() != code:
        raise InputError(f"gemeente {asked!r} staat niet op deze server, die {code} ({naam}) heeft; "
                         f"bouw de gegevens voor {asked} of vraag om {code}")
    return Area(boundary, f"gemeente {naam} ({code})", code, naam)


def _functie_area(store: Store, ident: str, code: str, naam: str, boundary) -> Area:
    plan = read_public(store, "omgevingsplan_functie")
    match = plan[plan["identificatie"] == str(ident).strip()]
    if match.empty:
        example = plan["identificatie"].iloc[0] if len(plan) else "nl.imow-gm0441.gebiedsaanwijzing.0001"
        raise InputError(f"functie {ident!r} is geen functie van het omgevingsplan op deze server; gebruik de "
                         f"identificatie, bijvoorbeeld {example}")
    row = match.iloc[0]
    return Area(row.geometry.intersection(boundary), f"{row['naam']} ({row['identificatie']})", code, naam)


def _drawn_area(polygon, code: str, naam: str, boundary) -> Area:
    inside = polygon.intersection(boundary)
    if inside.area < MIN_AREA_M2:
        distance = polygon.distance(boundary)
        raise InputError(f"geometrie ligt buiten gemeente {naam} ({code}), {nl_number(distance / 1000, 1)} km van de "
                         f"grens; teken het gebied binnen de gemeente")
    note = ""
    if inside.area < polygon.area - MIN_AREA_M2:
        note = f"{nl_number((polygon.area - inside.area) / 10_000, 1)} ha buiten de gemeente is niet geanalyseerd"
    return Area(inside, f"getekend gebied van {nl_number(inside.area / 10_000, 1)} ha", code, naam, note)


def run(store: Store | str, area: Area | None = None, **where) -> dict[str, gpd.GeoDataFrame]:
    """The findings of every rule in ``area`` (or the area ``where`` names), as ``gebiedsanalyse_bevinding``."""
    store = as_store(store)
    area = area or resolve_area(store, **where)
    ctx = load_context(store, area.geometry)
    rows = [dict(row, regel=rule.__name__, regel_titel=title) for title, _, rule in RULES for row in rule(ctx)]
    return {RESULT.name: _findings(rows, area)}


def after_build(store_path, gemeente: str) -> None:
    """The municipality-wide findings, published after every build so the collection is always there."""
    from geo.build.builder import publish_results

    publish_results(run(store_path, gemeente=gemeente), RESULTS, gemeente, store_path)


def _findings(rows: list[dict], area: Area) -> gpd.GeoDataFrame:
    if not rows:
        return conform(gpd.GeoDataFrame({c: [] for c in SCHEMA.columns}, geometry=[], crs=RD_NEW), SCHEMA)
    gdf = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=RD_NEW)
    gdf = gdf.set_geometry(gdf.geometry.intersection(area.geometry).map(_multipolygon))
    gdf = gdf[gdf.geometry.area >= MIN_AREA_M2].copy()
    gdf["opp_m2"] = gdf.geometry.area.round(0).where(gdf.pop("met_oppervlak").astype(bool))  # none for points
    gdf["gebied"] = area.label
    gdf = gdf.sort_values(["soort", "regel", "objecten"], kind="stable").reset_index(drop=True)
    gdf["bevinding_id"] = [f"{r}-{i:04d}" for i, r in zip(gdf.groupby("regel").cumcount() + 1, gdf["regel"])]
    return conform(gdf, SCHEMA)


def _multipolygon(geom) -> MultiPolygon:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return MultiPolygon(parts)


def counts(findings: gpd.GeoDataFrame) -> dict[str, int]:
    """Number of findings per soort, every soort present (0 when none)."""
    by_kind = findings["soort"].value_counts()
    return {s: int(by_kind.get(s, 0)) for s in SOORTEN}


# the columns of each group's table in the report, with their labels (the rule and kind are the group's heading)
REPORT_COLUMNS = {"reden": "reden", "objecten": "objecten", "afstand_m": "afstand (m)", "norm_m": "norm (m)",
                  "opp_ha": "oppervlak (ha)", "norm_bron": "bron van de norm"}
KIND_TITLES = {"bedreiging": "Bedreigingen", "kans": "Kansen", "ontbrekende informatie": "Ontbrekende informatie"}
CONTEXT_N2000_M = NATUUR_KLASSEN[-1][0]  # Natura 2000 on the map: up to the supervision ranking's widest class
FUNCTIE_COLOURS = {"wonen": "#f6d55c", "maatschappelijk": "#74add1", "centrum": "#f4a582", "gemengd": "#de77ae",
                   "bedrijventerrein": "#8073ac", "bedrijf": "#8073ac", "agrarisch": "#b8e186", "recreatie": "#80cdc1",
                   "natuur": "#4d9221", "water": "#92c5de", "verkeer": "#bababa"}


# the layers the rules read (analyses.gebiedsregels.load_context): the report's voorbeelddata banner names these
REPORT_INPUTS = ["gemeentegebied", "omgevingsplan_functie", "bodemverontreiniging", "verblijfsobject", "pand",
                 "stikstofbron", "wnb_besluit", "natura2000_gebied"]


def write_report(store: Store, area: Area, findings: gpd.GeoDataFrame, out) -> Path:
    """The report of one run: one HTML file that opens offline (``geo.render.report``)."""
    from geo.render.maps import provenance
    from geo.render.report import Report
    from geo.render.report import write_report as write
    from geo.render.voorbeelddata import notice

    notes = [n for n in (area.note, _skipped(findings)) if n]
    report = Report(
        title=f"Gebiedsanalyse {area.label}", findings=findings.assign(opp_ha=findings["opp_m2"] / 10_000),
        area=area.geometry, kinds=SOORTEN, kind_titles=KIND_TITLES, groups=GROEPSKOPPEN,
        subtitle="Screening voor de omgevingstafel, geen besluit: kansen, bedreigingen en ontbrekende informatie.",
        header=header(store, area), columns=REPORT_COLUMNS, decimals={"opp_ha": 2},
        rules=[(rule.__name__, title, uitleg) for title, uitleg, rule in RULES], context=context_layers(store, area),
        provenance=provenance(store), notes=notes, voorbeelddata=notice(store, REPORT_INPUTS))
    return write(report, out)


def header(store: Store, area: Area, today: date | None = None) -> list[tuple[str, str]]:
    """Gemeente, the date of the report and the build it read (id and time): the report's header."""
    when = datetime.fromisoformat(str(store.info()["built_at"].max()))  # ISO text (GeoPackage) or a timestamp
    when = when.astimezone(UTC) if when.tzinfo else when
    gebied = [] if area.label.startswith("gemeente ") else [("Gebied", area.label)]
    return [("Gemeente", f"{area.gemeente_naam} ({area.gemeente})"), *gebied,
            ("Datum", (today or date.today()).strftime("%d-%m-%Y")),
            ("Build", f"{when.strftime('%Y%m%dT%H%M%S')} ({when.strftime('%d-%m-%Y %H:%M')} UTC)")]


def context_layers(store: Store, area: Area) -> list:
    """Natura 2000-gebieden within ``CONTEXT_N2000_M`` and the omgevingsplan's functies in the area."""
    from geo.render.report import ContextLayer

    natura = read_public(store, "natura2000_gebied")
    natura = natura[natura.distance(area.geometry) <= CONTEXT_N2000_M]
    natura = natura.assign(stikstof=stikstof_text(natura))  # 162: "niet stikstofgevoelig"
    plan = read_public(store, "omgevingsplan_functie")
    functies = plan[(plan["type"] == "functie") & plan.intersects(area.geometry)]
    return [ContextLayer("Natura 2000-gebieden", natura, [("nr", "Natura 2000-gebied"), ("naam", "naam"),
                                                           ("stikstof", "stikstof")], palette.NATURA2000),
            ContextLayer("Omgevingsplan: functies", functies, [("naam", "functie"), ("groep", "groep")], "#bdbdbd",
                         colour_by="groep", colours=FUNCTIE_COLOURS)]


def _skipped(findings: gpd.GeoDataFrame) -> str:
    if (findings["objecten"] == HEXAGON_OBJECTEN).any():
        return ("Niet uitgevoerd: de toets op stikstofoverschrijding per hexagoon (de stikstofkaart per hexagoon "
                "ontbreekt); zie 'ontbrekende informatie'.")
    return ""


PROCESS_METADATA = {
    "version": "1.0.0",
    "id": "gebiedsanalyse",
    "title": {"en": "Area analysis for the omgevingstafel", "nl": "Gebiedsanalyse voor de omgevingstafel"},
    "description": {
        "en": "Opportunities, threats and missing information in a municipality, an omgevingsplan function area "
              "or a drawn polygon: each finding with location, reason (Dutch) and the rule that found it.",
        "nl": "Kansen, bedreigingen en ontbrekende informatie in een gemeente, een functiegebied of een getekend "
              "gebied: elke bevinding met locatie, reden en de regel die haar vond.",
    },
    "jobControlOptions": ["sync-execute", "async-execute"],
    "keywords": ["omgevingsplan", "omgevingstafel", "bodem", "stikstof", "milieuzonering"],
    "links": [],
    "inputs": {
        "gemeente": {"title": "Gemeente", "description": "CBS-code van de gemeente, bijvoorbeeld GM0441.",
                     "schema": {"type": "string", "pattern": "^GM[0-9]{4}$"}, "minOccurs": 0, "maxOccurs": 1},
        "geometrie": {"title": "Geometrie", "description": "Een getekend gebied: GeoJSON Polygon of MultiPolygon "
                                                           "(of een Feature daarmee), in lengte-/breedtegraad "
                                                           "(CRS84) tenzij crs iets anders zegt.",
                      "schema": {"type": "object", "contentMediaType": "application/geo+json"},
                      "minOccurs": 0, "maxOccurs": 1},
        "crs": {"title": "Coördinatenstelsel van de geometrie", "description": "EPSG:4326/CRS84 (standaard) of "
                                                                               "EPSG:28992 (RD).",
                "schema": {"type": "string", "default": "CRS84"}, "minOccurs": 0, "maxOccurs": 1},
        "functie": {"title": "Functiegebied", "description": "Identificatie van een functiegebied uit het "
                                                             "omgevingsplan.",
                    "schema": {"type": "string"}, "minOccurs": 0, "maxOccurs": 1},
    },
    "outputs": {
        "bevindingen": {
            "title": "Bevindingen",
            "description": "GeoJSON FeatureCollection (CRS84) van de bevindingen: per bevinding de soort (kans, "
                           "bedreiging, ontbrekende informatie), de regel, de reden, de betrokken objecten, afstand "
                           "en norm, met een samenvatting (aantal per soort) en het geanalyseerde gebied.",
            "schema": {"type": "object", "contentMediaType": "application/geo+json"},
        }
    },
    "example": {"inputs": {"gemeente": "GM0441"}},
}


def execute(data: dict) -> dict:
    """The process: ``data`` are its inputs; the answer is GeoJSON; bad input raises InputError."""
    check_input_names(data, PROCESS_METADATA)
    store = store_from_env()
    area = resolve_area(store, data.get("gemeente"), data.get("geometrie"), data.get("crs"), data.get("functie"))
    findings = run(store, area)[RESULT.name]
    out = feature_collection(findings)
    out.update({"gebied": area.label, "samenvatting": counts(findings), "opmerking": area.note or None})
    return out


__all__ = ["NAME", "TITLE", "RESULT", "RESULTS", "SOORTEN", "Area", "Context", "resolve_area", "run", "counts",
           "execute", "PROCESS_METADATA", "command", "SPEC"]


# --- the command `geo gebiedsanalyse` and the spec ----------------------------------------

def read_geometry_file(path: Path, crs: str | None) -> tuple[str, str | None]:
    """The drawn area of a file as GeoJSON text and its CRS. GeoJSON as it is, its (legacy) ``crs`` member
    honoured when ``--crs`` is not given, as ogr2ogr writes it for RD; any other vector file GDAL reads
    (GeoPackage, shapefile …) through pyogrio, in RD New, its polygons as one area."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _vector_file_area(path)
    try:
        doc = json.loads(text)
    except ValueError:
        return text, crs  # not JSON: the GeoJSON check says what is wrong
    member = doc.get("crs") if isinstance(doc, dict) else None
    named = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    return text, crs or named


def _vector_file_area(path: Path) -> tuple[str, str]:
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except Exception as err:  # pyogrio raises several error types for unreadable files
        raise InputError(f"--geometrie {path.name}: geen GeoJSON en geen vectorbestand dat GDAL kan lezen "
                         f"({type(err).__name__})") from None
    if gdf.crs is None:
        raise InputError(f"--geometrie {path.name}: het bestand zegt niet in welk coördinatenstelsel het is")
    area = gdf.to_crs(RD_NEW).geometry.union_all()
    return json.dumps(shapely.geometry.mapping(area)), RD_NEW


@click.command("gebiedsanalyse")
@click.option("--gemeente", help="CBS code of the municipality, e.g. GM0441; publishes the findings to the store.")
@click.option("--geometrie", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="GeoJSON file with one Polygon (CRS84 unless --crs or its 'crs' member says otherwise), "
                   "or a GeoPackage/shapefile with the area.")
@click.option("--functie", help="identificatie of an omgevingsplan_functie area.")
@click.option("--crs", default=None, help="CRS of --geometrie: EPSG:4326/CRS84 (default) or EPSG:28992.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Report (HTML) to write.")
@gpkg_store_option
@click.pass_obj
def command(obj, gemeente, geometrie, functie, crs, out, store):
    """Kansen, bedreigingen and ontbrekende informatie in an area, as an offline HTML report."""
    from geo.build.builder import publish_results
    from geo.store import catalogue

    s = existing_store(store)
    text, crs = read_geometry_file(Path(geometrie), crs) if geometrie else (None, crs)
    area = resolve_area(s, gemeente=gemeente, geometrie=text, crs=crs, functie=functie)
    results = run(s, area)
    findings = results[RESULT.name]
    path = write_report(s, area, findings, out)
    if gemeente:
        publish_results(results, RESULTS, area.gemeente, s)
        catalogue.write(s, obj["registry"].collections(), operator=settings().operator)
        click.echo(f"published {len(findings)} findings as collection {RESULT.name}")
    click.echo(f"{area.label}: " + ", ".join(f"{n} {k}" for k, n in counts(findings).items()))
    click.echo(f"wrote {path}")


SPEC = AnalysisSpec(NAME, TITLE, results=RESULTS, command=command, after_build=after_build,
                    process=ProcessSpec("gebiedsanalyse", "analyses.process.GebiedsanalyseProcessor"))
