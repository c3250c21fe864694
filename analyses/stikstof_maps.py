"""Outputs of the nitrogen screening beside the collections: offline Folium maps per area and COGs.

Every map states the disclaimer and the KDW rule in its legend; rasters carry it in their band description.
"""

import os
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import rasterio
import shapely

from analyses.stikstof import BOVENGRENS_REGEL, DISCLAIMER, KDW_REGEL, Screening
from geo import hexagon
from geo.maps import add_legend, base_map, provenance, save_offline
from geo.raster import Grid, write_cog
from geo.store import Store

NODATA = -9999.0
CELL_M = 25.0  # a quarter of a hexagon's width: the hexagons stay recognisable
OVERSCHRIJDING_CLASSES = [  # (upper bound mol/ha/jr above KDW, label, colour)
    (0, "≤ KDW: geen overschrijding", "#1a9850"), (70, "0 – 70 mol/ha/jr boven KDW", "#fee08b"),
    (140, "70 – 140 mol/ha/jr boven KDW", "#fdae61"), (280, "140 – 280 mol/ha/jr boven KDW", "#f46d43"),
    (np.inf, "> 280 mol/ha/jr boven KDW", "#a50026"),
]
AFNAME_CLASSES = [
    (0.01, "< 0,01 mol/ha/jr", "#f7fbff"), (0.1, "0,01 – 0,1 mol/ha/jr", "#c6dbef"),
    (1, "0,1 – 1 mol/ha/jr", "#6baed6"), (10, "1 – 10 mol/ha/jr", "#2171b5"), (np.inf, "> 10 mol/ha/jr", "#08306b"),
]
BRON_COLOUR = "#6a3d9a"
TOOLTIP = ["receptor_id", "kdw_mol_ha_jr", "totaal_mol_ha_jr", "overschrijding_mol_ha_jr", "bijdrage_bronnen_mol_ha_jr",
           "bijdrage_bovengrens_mol_ha_jr", "mogelijk_overbelast", "top_bronnen"]


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
    """Hexagons of one area coloured by exceedance of the KDW, with the contributing sources."""
    hexes = s.hexagons[s.hexagons["natura2000_nr"] == nr]
    colours = _classify(hexes["overschrijding_mol_ha_jr"].to_numpy(), OVERSCHRIJDING_CLASSES)
    m = _map_of(hexes)
    _hexagon_layer(hexes.assign(kleur=colours), TOOLTIP, "Overschrijding KDW").add_to(m)
    _source_layer(s, hexes).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    kdw = hexes["kdw_mol_ha_jr"].iloc[0]
    add_legend(m, f"{_naam(s, nr)}: depositie t.o.v. KDW {kdw:.0f} mol N/ha/jr",
               [(label, c) for _, label, c in OVERSCHRIJDING_CLASSES] + [("stikstofbron", BRON_COLOUR)],
               _footer(store))
    return save_offline(m, out)


def difference_map(s: Screening, nr: int, afname: np.ndarray, store: Store, out: Path) -> Path:
    """Decrease of deposition (mol N/ha/jr) in one area under the measures."""
    mask = (s.hexagons["natura2000_nr"] == nr).to_numpy()
    hexes = s.hexagons[mask].assign(afname_mol_ha_jr=afname[mask])
    hexes = hexes.assign(kleur=_classify(hexes["afname_mol_ha_jr"].to_numpy(), AFNAME_CLASSES))
    m = _map_of(hexes)
    _hexagon_layer(hexes, ["receptor_id", "afname_mol_ha_jr", "totaal_mol_ha_jr"], "Afname door maatregelen").add_to(m)
    add_legend(m, f"{_naam(s, nr)}: afname depositie door maatregelen",
               [(label, c) for _, label, c in AFNAME_CLASSES], _footer(store))
    return save_offline(m, out)


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
    wgs = hexes[[*fields, "kleur", "geometry"]].to_crs("EPSG:4326")
    wgs = wgs.set_geometry(shapely.set_precision(wgs.geometry.values, 1e-6))
    for column in fields:
        if wgs[column].dtype.kind == "f":
            wgs[column] = wgs[column].round(2)
    return folium.GeoJson(wgs.to_json(drop_id=True), name=name, tooltip=folium.GeoJsonTooltip(fields=fields),
                          style_function=lambda f: {"color": f["properties"]["kleur"], "weight": 0.3,
                                                    "fillColor": f["properties"]["kleur"], "fillOpacity": 0.75})


def _source_layer(s: Screening, hexes: gpd.GeoDataFrame) -> folium.GeoJson:
    """The sources that reach the area (public fields only)."""
    reaching = np.unique(s.pairs.loc[s.pairs["hexagon"].isin(hexes.index), "bron"].to_numpy())
    bronnen = s.bronnen.iloc[reaching][["vthobject_id", "bedrijfstype", "nh3_emissie", "geometry"]].to_crs("EPSG:4326")
    return folium.GeoJson(bronnen.to_json(drop_id=True), name="Stikstofbronnen",
                          marker=folium.CircleMarker(radius=4, color=BRON_COLOUR, fill=True, fill_opacity=0.9),
                          tooltip=folium.GeoJsonTooltip(fields=["vthobject_id", "bedrijfstype", "nh3_emissie"]))
