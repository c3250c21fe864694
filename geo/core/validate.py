"""Checks on the way in: repair what is unambiguous, quarantine what is not, with a reason per record."""

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.crs import NL_BOUNDS_RD
from geo.core.schema import GEOMETRY_FAMILIES, LayerSchema

MAX_VERTICES = 1_000_000  # per geometry: a parcel or contour has thousands; more is a broken or hostile file
QUARANTINE_VERTICES = 10_000  # a quarantined geometry larger than this is kept as its bounding box


@dataclass
class Quarantine:
    """Rejected records of one build, each with the layer, the source and the reason."""

    rows: list[dict] = field(default_factory=list)
    repaired: dict[str, int] = field(default_factory=dict)

    def reject(self, layer: str, source: str, records: pd.DataFrame, reason: str) -> None:
        for _, rec in records.iterrows():
            geom = rec.get("geometry")
            self.rows.append(
                {
                    "layer": layer,
                    "source": source,
                    "reason": reason,
                    "record": _describe(rec),
                    "wkt": _bounded_wkt(geom),
                }
            )

    def count(self, layer: str) -> int:
        return sum(1 for row in self.rows if row["layer"] == layer)

    def frame(self, layer: str | None = None) -> pd.DataFrame:
        rows = [r for r in self.rows if layer is None or r["layer"] == layer]
        return pd.DataFrame(rows, columns=["layer", "source", "reason", "record", "wkt"])


def _bounded_wkt(geom) -> str | None:
    """A quarantined geometry as WKT; a huge one as its bounding box, so that a hostile geometry is not
    copied into the quarantine table at full size."""
    if not isinstance(geom, shapely.Geometry):
        return None
    if shapely.get_num_coordinates(geom) > QUARANTINE_VERTICES and not geom.is_empty:
        return shapely.box(*geom.bounds).wkt
    return geom.wkt


def _describe(rec: pd.Series) -> str:
    parts = [f"{k}={v}" for k, v in rec.items() if k != "geometry" and not _missing(v)]
    return "; ".join(parts)[:1000]


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays
        return False


def screen(
    gdf: gpd.GeoDataFrame,
    schema: LayerSchema,
    layer: str,
    source: str,
    quarantine: Quarantine,
) -> gpd.GeoDataFrame:
    """Apply every generic check in turn; return the records that pass."""
    gdf = reject_where(gdf, gdf.geometry.isna() | gdf.geometry.is_empty, "no geometry", layer, source, quarantine)
    gdf = _drop_z(gdf)
    vertices = shapely.get_num_coordinates(gdf.geometry.values)
    gdf = reject_where(gdf, vertices > MAX_VERTICES, f"geometry of more than {MAX_VERTICES:,} vertices",
                       layer, source, quarantine)
    gdf = _repair(gdf, schema, layer, source, quarantine)
    gdf = reject_where(gdf, ~_in_netherlands(gdf), "coordinates outside the Netherlands (RD New)",
                       layer, source, quarantine)
    allowed = GEOMETRY_FAMILIES[schema.geometry]
    gdf = reject_where(gdf, ~gdf.geom_type.isin(allowed), f"geometry type is not {schema.geometry}",
                       layer, source, quarantine)
    for column in schema.required:
        blank = gdf[column].isna() | (gdf[column].astype(str).str.strip() == "")
        gdf = reject_where(gdf, blank, f"required field {column!r} is empty", layer, source, quarantine)
    dupes = gdf[schema.key].duplicated(keep="first") & gdf[schema.key].notna()
    return reject_where(gdf, dupes, f"duplicate {schema.key}", layer, source, quarantine)


def reject_unknown_codes(
    gdf: gpd.GeoDataFrame, column: str, allowed: set[str], layer: str, source: str, quarantine: Quarantine
) -> gpd.GeoDataFrame:
    """Quarantine records whose ``column`` is not in the code list ``allowed``."""
    bad = gdf[column].notna() & ~gdf[column].isin(allowed)
    return reject_where(gdf, bad, f"{column} not in the code list", layer, source, quarantine)


def reject_where(gdf, mask, reason: str, layer: str, source: str, quarantine: Quarantine):
    """Quarantine the records where ``mask`` holds, with ``reason``; return the others."""
    mask = np.asarray(mask, dtype=bool)
    if mask.any():
        quarantine.reject(layer, source, gdf[mask], reason)
    return gdf[~mask]


def _drop_z(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.has_z.any():
        gdf = gdf.set_geometry(shapely.force_2d(gdf.geometry.values))
    return gdf


def _repair(gdf: gpd.GeoDataFrame, schema: LayerSchema, layer: str, source: str, quarantine: Quarantine):
    """make_valid where the result keeps the declared geometry type (unambiguous); else quarantine."""
    allowed = GEOMETRY_FAMILIES[schema.geometry]
    # only geometries of the declared type: a degenerate line in a point layer is not "repaired" into a
    # point, it keeps its type and the type check quarantines it
    invalid = ~gdf.geometry.is_valid & gdf.geom_type.isin(allowed)
    if not invalid.any():
        return gdf
    fixed = gdf.geometry[invalid].make_valid().map(lambda g: _keep_family(g, allowed))
    ambiguous = ~fixed.geom_type.isin(allowed)
    for kind in sorted(set(fixed[ambiguous].geom_type)):
        rows = gdf[invalid][(ambiguous & (fixed.geom_type == kind)).to_numpy()]
        quarantine.reject(layer, source, rows, f"invalid geometry: repair gives {kind}, expected {schema.geometry}")
    gdf = gdf.copy()
    gdf.loc[invalid, gdf.geometry.name] = fixed
    gdf = gdf.drop(index=fixed[ambiguous].index)
    quarantine.repaired[layer] = quarantine.repaired.get(layer, 0) + int((~ambiguous).sum())
    return gdf


def _keep_family(geom, allowed: set[str]):
    """From a make_valid result keep the parts of the allowed type (drops slivers of lower dimension)."""
    if geom.geom_type in allowed:
        return geom
    if geom.geom_type == "GeometryCollection":
        parts = [p for p in geom.geoms if p.geom_type in allowed | {t.removeprefix("Multi") for t in allowed}]
        if parts:
            merged = shapely.union_all(parts)
            if merged.geom_type in allowed:
                return merged
            if "Multi" + merged.geom_type in allowed:
                return shapely.multipolygons([merged]) if merged.geom_type == "Polygon" else merged
    return geom  # left as is: the type check quarantines it


def _in_netherlands(gdf: gpd.GeoDataFrame) -> np.ndarray:
    b = gdf.geometry.bounds
    minx, miny, maxx, maxy = NL_BOUNDS_RD
    return ((b.minx >= minx) & (b.maxx <= maxx) & (b.miny >= miny) & (b.maxy <= maxy)).to_numpy()
