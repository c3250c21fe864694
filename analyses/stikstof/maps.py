"""Outputs of the nitrogen screening beside the collections: offline Folium maps per area and COGs.

Every map states the disclaimer and the KDW rule in its legend; rasters carry it in their band description.
"""

import html
import os
from pathlib import Path

import branca
import folium
import geopandas as gpd
import numpy as np
import rasterio
import shapely

from analyses.stikstof import BOVENGRENS_REGEL, DISCLAIMER, KDW_REGEL, Screening
from analyses.stikstof.style import BIJDRAGE_CLASSES, OVERBELASTING_CLASSES, overbelasting, overbelasting_colour
from geo.core import hexagon, palette
from geo.formats.raster import Grid, write_cog
from geo.render.maps import add_legend, add_sample_banner, base_map, nl, provenance, save_offline
from geo.store.geopackage import Store

NODATA = -9999.0
CELL_M = 25.0  # a quarter of a hexagon's width: the hexagons stay recognisable
AFNAME_CLASSES = BIJDRAGE_CLASSES  # a decrease in the classes of a contribution
BRON_COLOUR = palette.STIKSTOFBRON
LEAVING_COLOUR = "#000000"
SCREENING_INPUTS = ["stikstofbron", "natura2000_gebied"]  # what the maps are computed from (voorbeelddata banner)
AREA_POPUP = ["receptor_id", "klasse", "kdw", "totaal", "overschrijding", "bijdrage", "bovengrens", "mogelijk",
              "top"]
POPUP = {  # field -> label in the popup (the domain glossary's words, units in the values)
    "receptor_id": "Receptorhexagon", "klasse": "Mate van overbelasting", "kdw": "KDW (kritische depositiewaarde)",
    "totaal": "Totale depositie", "overschrijding": "Overschrijding van de KDW",
    "bijdrage": "Bijdrage bronnen in de gemeente", "top": "Grootste bijdragen (mol N/ha/jr)",
    "bovengrens": "Bijdrage, bovengrens (gekalibreerd)", "mogelijk": "Mogelijk overbelast (met de bovengrens)",
    "afname": "Afname door maatregelen", "voor_na": "Totale depositie voor → na",
    "klasse_voor_na": "Mate van overbelasting voor → na", "uit": "Uit overschrijding",
}
MEASURE_POPUP = ["receptor_id", "afname", "voor_na", "klasse_voor_na", "uit"]


def rasterise(hexes: gpd.GeoDataFrame, values: np.ndarray, description: str) -> Grid:
    """A grid of ``CELL_M`` cells holding each cell centre's hexagon value (nodata outside the hexagons)."""
    minx, miny, maxx, maxy = np.floor(hexes.total_bounds / CELL_M) * CELL_M + [0, 0, CELL_M, CELL_M]
    xs = np.arange(minx + CELL_M / 2, maxx, CELL_M)
    ys = np.arange(maxy - CELL_M / 2, miny, -CELL_M)
    gx, gy = np.meshgrid(xs, ys)
    ids = hexagon.ids_at(gx.ravel(), gy.ravel())
    known = hexes["receptor_id"].to_numpy(dtype=np.int64)
    order = np.argsort(known)
    pos = np.clip(np.searchsorted(known, ids, sorter=order), 0, len(known) - 1)
    hit = known[order[pos]] == ids
    data = np.where(hit, np.asarray(values, dtype=float)[order[pos]], NODATA).reshape(gx.shape)
    return Grid(data.astype("float32"), rasterio.Affine(CELL_M, 0, minx, 0, -CELL_M, maxy), NODATA,
                units="mol N/ha/jr", description=f"{description} ({DISCLAIMER})")


def write_rasters(s: Screening, raster_dir: Path | None) -> list[Path]:
    """``stikstof_totaal.tif`` and ``stikstof_overschrijding.tif`` (COG), each swapped in atomically.

    ``raster_dir`` None (a PostGIS store without ``$GEO_RASTERS``) keeps no COGs: nothing is written."""
    out = []
    if raster_dir is None:
        return out
    for column, name in (("totaal_mol_ha_jr", "stikstof_totaal"), ("overschrijding_mol_ha_jr",
                                                                   "stikstof_overschrijding")):
        grid = rasterise(s.hexagons, s.hexagons[column].to_numpy(), f"{column} per receptorhexagon")
        final = Path(raster_dir) / f"{name}.tif"
        tmp = write_cog(grid, final.with_name(f".{name}.{os.getpid()}.tmp.tif"))
        os.replace(tmp, final)
        out.append(final)
    return out


def area_map(s: Screening, nr: int, store: Store, out: Path) -> Path:
    """Hexagons of one area by AERIUS Monitor class of overbelasting (total deposition against the KDW), with a
    popup per hexagon (KDW, total, exceedance, the largest contributing sources) and the sources that reach it."""
    hexes = s.hexagons[s.hexagons["natura2000_nr"] == nr]
    klasse = overbelasting(hexes["totaal_mol_ha_jr"], hexes["kdw_mol_ha_jr"])
    m = _map_of(hexes)
    popup = _popup_fields(s, hexes).assign(kleur=[overbelasting_colour(k) for k in klasse], klasse=klasse)
    _hexagon_layer(popup, AREA_POPUP, "Mate van overbelasting (AERIUS Monitor)").add_to(m)
    _source_layer(s, hexes).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    kdw = hexes["kdw_mol_ha_jr"].iloc[0]
    add_legend(m, f"{_naam(s, nr)}: stikstofdepositie t.o.v. de KDW ({nl(kdw)} mol N/ha/jr)",
               [(label, c) for _, label, c, _ in OVERBELASTING_CLASSES] + [("stikstofbron", BRON_COLOUR)],
               _footer(store))
    add_sample_banner(m, store, SCREENING_INPUTS)
    return save_offline(m, out)


def _popup_fields(s: Screening, hexes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The popup's values as Dutch text (nl_NL numbers, units), public fields only."""
    unit = " mol N/ha/jr"
    return gpd.GeoDataFrame({
        "receptor_id": hexes["receptor_id"].astype(str),
        "kdw": [nl(v) + unit for v in hexes["kdw_mol_ha_jr"]],
        "totaal": [nl(v, 1) + unit for v in hexes["totaal_mol_ha_jr"]],
        "overschrijding": [nl(max(v, 0.0), 1) + unit for v in hexes["overschrijding_mol_ha_jr"]],
        "bijdrage": [nl(v, 2) + unit for v in hexes["bijdrage_bronnen_mol_ha_jr"]],
        "bovengrens": [nl(v, 2) + unit for v in hexes["bijdrage_bovengrens_mol_ha_jr"]],
        "mogelijk": ["ja" if v else "nee" for v in hexes["mogelijk_overbelast"]],
        "top": _top_contributions(s, hexes),
    }, geometry=hexes.geometry.values, crs=hexes.crs, index=hexes.index)


def _top_contributions(s: Screening, hexes: gpd.GeoDataFrame, n: int = 3) -> list[str]:
    """Per hexagon the ``n`` largest contributing sources: "id (bedrijfstype) 1,23"; mol N/ha/jr."""
    pairs = s.pairs[s.pairs["hexagon"].isin(hexes.index)].sort_values("mol_ha_jr", ascending=False)
    top = pairs.groupby("hexagon", sort=False).head(n)
    names = s.bronnen["vthobject_id"].astype(str) + " (" + s.bronnen["bedrijfstype"].astype(str) + ")"
    text = {h: "; ".join(f"{names.iloc[b]} {nl(v, 2)}" for b, v in zip(g["bron"], g["mol_ha_jr"]))
            for h, g in top.groupby("hexagon", sort=False)}
    return [text.get(h, "geen bron in de gemeente") for h in hexes.index]


def difference_map(s: Screening, nr: int, afname: np.ndarray, store: Store, out: Path,
                   maatregelen: dict[str, float] | None = None) -> Path:
    """The measures in one area: hexagons by decrease of deposition (mol N/ha/jr), those leaving exceedance
    outlined, each source with a measure marked and named, and the hectares in exceedance before → after."""
    maatregelen = maatregelen or {}
    mask = (s.hexagons["natura2000_nr"] == nr).to_numpy()
    hexes = s.hexagons[mask]
    na = hexes["totaal_mol_ha_jr"].to_numpy() - afname[mask]
    popup = _measure_popup(hexes, afname[mask], na)
    m = base_map(list(_joint_bounds(hexes, _measure_sources(s, maatregelen))))
    _hexagon_layer(popup, MEASURE_POPUP, "Afname door maatregelen").add_to(m)
    _leaving_layer(popup[popup["uit"] == "ja"]).add_to(m)
    _measure_layer(s, hexes, maatregelen).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    kdw = hexes["kdw_mol_ha_jr"].to_numpy()
    before, after = _ha_over(hexes["totaal_mol_ha_jr"].to_numpy(), kdw), _ha_over(na, kdw)
    add_legend(m, f"{_naam(s, nr)}: afname depositie door maatregelen",
               [(label, c) for _, label, c in AFNAME_CLASSES]
               + [("hexagon uit overschrijding (rand)", LEAVING_COLOUR), ("bron met maatregel", BRON_COLOUR)],
               _footer(store))
    _summary_box(m, [f"Maatregel: {_measure_name(s, bron_id, pct)}" for bron_id, pct in maatregelen.items()]
                 + [f"Hectare in overschrijding van de KDW: {nl(before)} → {nl(after)} ha"])
    add_sample_banner(m, store, SCREENING_INPUTS)
    return save_offline(m, out)


def _ha_over(totaal: np.ndarray, kdw: np.ndarray) -> float:
    return float((np.asarray(totaal) > np.asarray(kdw)).sum() * hexagon.AREA_M2 / 10_000)


def _measure_popup(hexes: gpd.GeoDataFrame, afname: np.ndarray, na: np.ndarray) -> gpd.GeoDataFrame:
    """Per hexagon: decrease, total and AERIUS Monitor class before → after (Dutch text, nl_NL numbers)."""
    kdw, voor = hexes["kdw_mol_ha_jr"].to_numpy(), hexes["totaal_mol_ha_jr"].to_numpy()
    unit = " mol N/ha/jr"
    return gpd.GeoDataFrame({
        "receptor_id": hexes["receptor_id"].astype(str).to_numpy(),
        "afname": [nl(v, 2) + unit for v in afname],
        "voor_na": [f"{nl(a, 1)} → {nl(b, 1)}{unit}" for a, b in zip(voor, na)],
        "klasse_voor_na": [f"{a} → {b}" for a, b in zip(overbelasting(voor, kdw), overbelasting(na, kdw))],
        "uit": np.where((voor > kdw) & (na <= kdw), "ja", "nee"),
        "kleur": _classify(afname, AFNAME_CLASSES),
    }, geometry=hexes.geometry.values, crs=hexes.crs)


def _leaving_layer(leaving: gpd.GeoDataFrame) -> folium.GeoJson:
    wgs = leaving[["receptor_id", "geometry"]].to_crs("EPSG:4326")
    data = wgs.to_json(drop_id=True) if len(wgs) else {"type": "FeatureCollection", "features": []}
    return folium.GeoJson(data, name=f"Uit overschrijding ({len(leaving)})",
                          style_function=lambda f: {"color": LEAVING_COLOUR, "weight": 2.5, "fill": False})


def _measure_sources(s: Screening, maatregelen: dict[str, float]) -> gpd.GeoDataFrame:
    return s.bronnen[s.bronnen["vthobject_id"].isin(list(maatregelen))]


def _measure_name(s: Screening, bron_id: str, pct: float) -> str:
    """"ODNHN2009E0001 (Melkrundvee): NH3-emissie −30 % (1.234 → 864 kg/jr)"; public fields only."""
    bron = s.bronnen[s.bronnen["vthobject_id"] == bron_id].iloc[0]
    nh3 = bron["nh3_emissie"]
    return (f"{bron_id} ({bron['bedrijfstype']}): emissie −{nl(pct)} % "
            f"(NH3 {nl(nh3)} → {nl(nh3 * (1 - pct / 100))} kg/jr)")


def _measure_layer(s: Screening, hexes: gpd.GeoDataFrame, maatregelen: dict[str, float]) -> folium.FeatureGroup:
    """Each source with a measure: a large marker labelled with its id and reduction (the whole measure is
    named in the ``#maatregelen`` box)."""
    group = folium.FeatureGroup(name=f"Bronnen met maatregel ({len(maatregelen)})")
    reaching = set(s.pairs.loc[s.pairs["hexagon"].isin(hexes.index), "bron"])
    sources = _measure_sources(s, maatregelen)
    for (row, bron), point in zip(sources.iterrows(), sources.to_crs("EPSG:4326").geometry):
        note = "" if s.bronnen.index.get_loc(row) in reaching else " — bereikt dit gebied niet"
        text = f"{bron['vthobject_id']}: −{nl(maatregelen[bron['vthobject_id']])} %{note}"
        folium.CircleMarker([point.y, point.x], radius=8, color="#000000", weight=2, fill=True,
                            fill_color=BRON_COLOUR, fill_opacity=0.9,
                            tooltip=folium.Tooltip(html.escape(text), permanent=True, direction="right")
                            ).add_to(group)
    return group


def _summary_box(m: folium.Map, lines: list[str]) -> None:
    """What the measures do, bottom right (``#maatregelen``)."""
    rows = "".join(f"<div>{html.escape(line)}</div>" for line in lines)
    m.get_root().html.add_child(branca.element.Element(
        f'<div id="maatregelen" style="position:fixed;bottom:56px;right:12px;z-index:9999;background:white;'
        f'padding:8px 10px;border:1px solid #888;border-radius:4px;font:12px sans-serif;max-width:380px">'
        f'<b>Maatregelen</b>{rows}</div>'))


def _joint_bounds(*frames: gpd.GeoDataFrame) -> list[float]:
    """``[minlon, minlat, maxlon, maxlat]`` of all non-empty frames together."""
    boxes = np.array([f.to_crs("EPSG:4326").total_bounds for f in frames if len(f)])
    return [boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()]


def _footer(store: Store) -> str:
    return f"Let op: {DISCLAIMER}. {KDW_REGEL}. {BOVENGRENS_REGEL}. {provenance(store)}"


def _naam(s: Screening, nr: int) -> str:
    return f"{nr} {s.gebieden.set_index('nr').loc[nr, 'naam']}"


def _classify(values: np.ndarray, classes) -> np.ndarray:
    uppers = np.array([u for u, _, _ in classes], dtype=float)
    colours = np.array([c for _, _, c in classes])
    return colours[np.minimum(np.searchsorted(uppers, values, side="left"), len(classes) - 1)]


def _map_of(hexes: gpd.GeoDataFrame) -> folium.Map:
    return base_map(list(hexes.to_crs("EPSG:4326").total_bounds))


def _hexagon_layer(hexes: gpd.GeoDataFrame, fields: list[str], name: str) -> folium.GeoJson:
    """Hexagons filled with their ``kleur``; a popup of ``fields`` under their Dutch names (``POPUP``)."""
    wgs = hexes[[*fields, "kleur", "geometry"]].to_crs("EPSG:4326")
    wgs = wgs.set_geometry(shapely.set_precision(wgs.geometry.values, 1e-6))
    for column in fields:
        if wgs[column].dtype.kind == "f":
            wgs[column] = [nl(v, 2) for v in wgs[column]]
    aliases = [POPUP.get(f, f) for f in fields]
    return folium.GeoJson(wgs.to_json(drop_id=True), name=name,
                          popup=folium.GeoJsonPopup(fields=fields, aliases=aliases, max_width=420),
                          style_function=lambda f: {"color": f["properties"]["kleur"], "weight": 0.3,
                                                    "fillColor": f["properties"]["kleur"], "fillOpacity": 0.75})


def _source_layer(s: Screening, hexes: gpd.GeoDataFrame) -> folium.GeoJson:
    """The sources that reach the area (public fields only)."""
    reaching = np.unique(s.pairs.loc[s.pairs["hexagon"].isin(hexes.index), "bron"].to_numpy())
    bronnen = s.bronnen.iloc[reaching][["vthobject_id", "bedrijfstype", "nh3_emissie", "geometry"]].to_crs("EPSG:4326")
    bronnen = bronnen.assign(nh3=[f"{nl(v)} kg/jr" for v in bronnen["nh3_emissie"]]).drop(columns="nh3_emissie")
    return folium.GeoJson(bronnen.to_json(drop_id=True), name="Stikstofbronnen",
                          marker=folium.CircleMarker(radius=4, color=BRON_COLOUR, fill=True, fill_opacity=0.9),
                          tooltip=folium.GeoJsonTooltip(fields=["vthobject_id", "bedrijfstype", "nh3"],
                                                        aliases=["Stikstofbron", "Bedrijfstype", "NH3-emissie"]))
