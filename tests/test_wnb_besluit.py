"""Wnb decisions: modelled schema, consistent sample, checks, private applicant data."""

import geopandas as gpd
from shapely.geometry import Point

from layers import wnb_besluit

from helpers.layer_helpers import build_layer, reasons


def test_the_schagen_sample_is_consistent_with_the_sources(store):
    besluiten = gpd.read_file(store, layer="wnb_besluit")
    bronnen = gpd.read_file(store, layer="stikstofbron")
    assert set(besluiten["besluittype"]) <= wnb_besluit.BESLUITTYPEN
    linked = besluiten["stikstofbron_id"].dropna()
    assert len(linked) > 20 and linked.isin(bronnen["vthobject_id"]).all()
    assert (besluiten["max_depositie_mol_ha_jr"] >= 0).all()
    concerned = {int(n) for s in besluiten["natura2000_nrs"].dropna() for n in s.split(",") if n}
    assert concerned <= {84, 85, 86, 87}  # only nitrogen-sensitive areas: not 162
    decided = besluiten[besluiten.besluittype != "aanvraag"]
    assert decided["besluitdatum"].notna().all()


def test_bad_records_are_quarantined(store, data_dir, tmp_path):
    good = gpd.read_file(data_dir / "generated" / "wnb_besluiten_GM0441.gpkg")
    bad = good.iloc[:4].copy()
    bad["zaaknummer"] = ["Z-X-1", good.zaaknummer.iloc[0], "Z-X-3", "Z-X-4"]
    bad.loc[bad.index[0], "besluittype"] = "vergund misschien"
    bad.loc[bad.index[2], ["besluittype", "besluitdatum"]] = ["vergunning verleend", None]
    bad.loc[bad.index[3], "geometry"] = Point(52.7, 4.8)
    path = tmp_path / "wnb.gpkg"
    gpd.GeoDataFrame(gpd.pd.concat([good, bad]), crs=good.crs).to_file(path)
    gdf, sources = build_layer(wnb_besluit, store, tmp_path, wnb_besluit=path)
    assert len(gdf) == len(good)
    assert reasons(sources, "wnb_besluit") == sorted([
        "besluittype not in the code list", "duplicate zaaknummer", "besluitdatum missing for a decision",
        "coordinates outside the Netherlands (RD New)"])


def test_applicant_is_private():
    assert set(wnb_besluit.PRIVATE_FIELDS) == {"aanvrager_naam", "aanvrager_contact"}
    assert not set(wnb_besluit.PRIVATE_FIELDS) & set(wnb_besluit.SPEC.public_fields)
