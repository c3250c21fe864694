"""The omgevingsplan_functie layer: the IMRO2012 reader on real plans, the mapping to functies, the generated
Schagen plan (functies cover the municipality exactly), code-list quarantine and bad source files."""

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from geo.build.inputs import Base, Sources
from geo.core.errors import SourceError
from geo.core.schema import check
from geo.formats.imro import read_enkelbestemming, read_plan_identificatie
from layers import omgevingsplan_functie as layer
from samples.omgevingsplan import LAYER, generate_omgevingsplan, write_omgevingsplan

from helpers.layer_helpers import base_from

IMRO = Path(__file__).parent / "data" / "imro"
DOORNBOOM = IMRO / "NL.IMRO.0798.BPDoornboom-ON01.gml"
GOES = IMRO / "stationspleinzuidoost.gml"
GOES_EXTENT = box(49_700, 390_600, 52_600, 391_100)  # around the plan (x 49796-52509, y 390702-391040)


@pytest.fixture(scope="module")
def schagen(store) -> Base:
    return base_from(store)


@pytest.fixture(scope="module")
def plan(schagen, tmp_path_factory) -> Path:
    """The generated omgevingsplan of Schagen, as `geo sample` would write it."""
    gdf = generate_omgevingsplan(schagen.gebied, schagen.layer("pand"), schagen.layer("verblijfsobject"),
                                 schagen.layer("natura2000_gebied"), seed=441)
    return write_omgevingsplan(gdf, tmp_path_factory.mktemp("omgevingsplan") / "omgevingsplan_GM0441.gpkg")


@pytest.fixture(scope="module")
def built(schagen, plan) -> gpd.GeoDataFrame:
    return build(schagen, plan, plan.parent)


def build(base: Base, path: Path, root: Path, sources: Sources | None = None) -> gpd.GeoDataFrame:
    sources = sources or Sources(root=root, gemeentecode=base.gemeentecode, overrides={"omgevingsplan": path})
    return check(layer.build(base, sources), layer.SCHEMA, layer.SPEC.name)


def area_base(area, gemeentecode: str = "GM0664") -> Base:
    gebied = gpd.GeoDataFrame({"statcode": [gemeentecode]}, geometry=[area], crs="EPSG:28992")
    return Base(gemeentecode=gemeentecode, layers={"gemeentegebied": gebied})


# --- the IMRO2012 reader on the two real plans ------------------------------------------------------------

def test_imro_doornboom_facts(tmp_path):
    copy = Path(shutil.copy(DOORNBOOM, tmp_path))
    gdf = read_enkelbestemming(copy)
    assert list(gdf.columns) == ["identificatie", "naam", "bestemmingshoofdgroep", "artikelnummer", "geometry"]
    assert gdf.crs == "EPSG:28992"
    assert gdf["bestemmingshoofdgroep"].value_counts().to_dict() == {"verkeer": 2, "wonen": 2}
    assert abs(gdf.area.sum() - 5_774) < 1
    assert set(gdf["naam"]) == {"Verkeer - Verblijfsgebied", "Wonen"}
    assert set(gdf["artikelnummer"]) == {"3", "4"}
    assert gdf["identificatie"].str.fullmatch(r"NL\.IMRO\.[0-9a-f]{32}").all()
    assert list(tmp_path.glob("*.gfs")) == []  # GDAL wrote nothing beside the source


def test_imro_goes_facts():
    gdf = read_enkelbestemming(GOES)
    counts = gdf["bestemmingshoofdgroep"].value_counts().to_dict()
    assert counts == {"kantoor": 3, "verkeer": 2, "wonen": 2, "bedrijf": 1, "groen": 1, "maatschappelijk": 1,
                      "horeca": 1}
    assert abs(gdf.area.sum() - 188_420) < 1
    assert gdf["identificatie"].str.fullmatch(r"NL\.IMRO\.0664\.EP\d+-00").all()
    assert read_plan_identificatie(GOES) == "NL.IMRO.0664.BPBS02-VG99"
    assert read_plan_identificatie(DOORNBOOM) == "NL.IMRO.0798.BPDoornboom-ON01"


# --- IMRO2012 as source of the layer -----------------------------------------------------------------------

def test_imro_enkelbestemmingen_become_functies(tmp_path):
    gdf = build(area_base(GOES_EXTENT), GOES, tmp_path)
    assert len(gdf) == 11
    assert set(gdf["bron"]) == {"imro2012"} and set(gdf["type"]) == {"functie"}
    assert gdf["groep"].value_counts().to_dict() == {"gemengd": 4, "verkeer": 2, "wonen": 2, "bedrijf": 1,
                                                     "recreatie": 1, "maatschappelijk": 1}
    assert set(gdf["plan_identificatie"]) == {"NL.IMRO.0664.BPBS02-VG99"}
    assert abs(gdf["opp_ha"].sum() - 18.842) < 0.001
    assert set(gdf.geom_type) == {"MultiPolygon"}
    assert set(gdf["identificatie"]) == set(read_enkelbestemming(GOES)["identificatie"])


def test_imro_plan_is_clipped_to_the_gemeente(tmp_path):
    west = box(49_700, 390_600, 51_300, 391_100)
    gdf = build(area_base(west), GOES, tmp_path)
    assert 0 < len(gdf) < 11
    assert gdf.geometry.union_all().difference(west).area < 0.01
    assert gdf["opp_ha"].sum() < 18.842


def test_unmapped_hoofdgroep_is_quarantined(tmp_path):
    path = tmp_path / "plan.gml"
    path.write_bytes(DOORNBOOM.read_bytes().replace(b"<imro:bestemmingshoofdgroep>wonen<",
                                                    b"<imro:bestemmingshoofdgroep>waarde<"))
    sources = Sources(root=tmp_path, gemeentecode="GM0798", overrides={"omgevingsplan": path})
    gdf = build(area_base(box(137_400, 388_800, 137_600, 389_000), "GM0798"), path, tmp_path, sources)
    assert set(gdf["groep"]) == {"verkeer"}
    quarantined = sources.quarantine.frame(layer.SPEC.name)
    assert len(quarantined) == 2 and quarantined["reason"].str.contains("groep").all()


# --- the generated plan of Schagen -------------------------------------------------------------------------

def test_generated_functies_cover_the_gemeente_without_gaps_or_overlaps(built, schagen):
    functies = built[built["type"] == "functie"].geometry.to_numpy()
    gebied = schagen.gebied
    assert shapely.union_all(functies).symmetric_difference(gebied).area < 1
    left, right = shapely.STRtree(functies).query(functies, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(functies[left[pairs]], functies[right[pairs]])).sum()
    assert overlap < 1


def test_generated_groepen_and_milieuzones(built):
    functies = built[built["type"] == "functie"]
    assert set(functies["groep"]) <= layer.FUNCTIE_GROEPEN
    assert {"wonen", "centrum", "maatschappelijk", "recreatie", "bedrijventerrein", "natuur", "verkeer", "water",
            "agrarisch"} <= set(functies["groep"])
    area = functies.groupby("groep")["opp_ha"].sum()
    assert area.idxmax() == "agrarisch" and area["natuur"] > area["wonen"]
    assert (functies["naam"] == "Water - Noordhollandsch Kanaal").sum() == 1
    zones = built[built["type"] == "milieuzone"]
    assert len(zones) > 0 and set(zones["groep"]) == {"geluidzone"}
    terreinen = functies[functies["groep"] == "bedrijventerrein"].geometry.union_all()
    assert zones.geometry.union_all().contains(terreinen.buffer(-1))
    assert set(built["bron"]) == {"imow"}


def test_identificatie_unique_and_imow_shaped(built):
    assert built["identificatie"].is_unique
    assert built["identificatie"].str.fullmatch(r"nl\.imow-gm0441\.gebiedsaanwijzing\.\d{4}").all()


def test_generated_plan_is_seeded_and_written_atomically(schagen, plan):
    again = generate_omgevingsplan(schagen.gebied, schagen.layer("pand"), schagen.layer("verblijfsobject"),
                                   schagen.layer("natura2000_gebied"), seed=441)
    written = gpd.read_file(plan, layer=LAYER)
    assert list(written["naam"]) == list(again["naam"])
    assert written.geometry.geom_equals_exact(again.geometry, tolerance=1e-6).all()
    assert [name for name, _ in pyogrio.list_layers(plan)] == [LAYER]
    assert list(plan.parent.glob("*.tmp.gpkg")) == []


# --- checks on the way in ----------------------------------------------------------------------------------

def test_unknown_groep_is_quarantined_and_the_rest_kept(schagen, plan, tmp_path):
    source = gpd.read_file(plan, layer=LAYER)
    castle = source.iloc[[0]].assign(identificatie="nl.imow-gm0441.gebiedsaanwijzing.9999", groep="kasteel",
                                     naam="Kasteel")
    path = write_omgevingsplan(gpd.GeoDataFrame(pd.concat([source, castle]), crs=source.crs),
                               tmp_path / "omgevingsplan.gpkg")
    sources = Sources(root=tmp_path, gemeentecode="GM0441", overrides={"omgevingsplan": path})
    gdf = build(schagen, path, tmp_path, sources)
    quarantined = sources.quarantine.frame(layer.SPEC.name)
    assert len(quarantined) == 1
    assert "groep" in quarantined["reason"].iloc[0] and "kasteel" in quarantined["record"].iloc[0]
    assert len(gdf) == len(source)


def truncated(path: Path) -> None:
    path.write_bytes(DOORNBOOM.read_bytes()[: DOORNBOOM.stat().st_size // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def not_gml(path: Path) -> None:
    path.write_text("identificatie;naam\n1;Wonen\n")


def without_enkelbestemming(path: Path) -> None:
    text = DOORNBOOM.read_text(encoding="utf-8")
    path.write_text(text.replace("imro:Enkelbestemming", "imro:Bouwvlak"), encoding="utf-8")


@pytest.mark.parametrize(("make", "message"), [
    (truncated, "truncated"), (empty, "empty"), (not_gml, "not GML"), (without_enkelbestemming, "Enkelbestemming"),
])
def test_bad_gml_gives_one_line_naming_the_file(tmp_path, make, message):
    path = tmp_path / "plan.gml"
    make(path)
    with pytest.raises(SourceError) as raised:
        read_enkelbestemming(path)
    assert str(path) in str(raised.value) and message in str(raised.value)
    assert "\n" not in str(raised.value)
    with pytest.raises(SourceError, match=message):
        build(area_base(GOES_EXTENT), path, tmp_path)


def test_missing_source_names_the_file(tmp_path):
    path = tmp_path / "nowhere.gml"
    with pytest.raises(SourceError, match="nowhere.gml"):
        read_enkelbestemming(path)
    with pytest.raises(SourceError, match="nowhere.gml"):
        build(area_base(GOES_EXTENT), path, tmp_path)
