"""Layer schemas and the check every build passes: geopandas ignores ``schema=`` with pyogrio."""

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.core.crs import RD_NEW
from geo.core.errors import CRSMismatchError, SchemaError

# Column types a schema may declare, with the pandas dtype they are coerced to.
DTYPES = {
    "str": "object",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "object",  # ISO date strings: GeoPackage DATE, JSON string with format date
}

GEOMETRY_FAMILIES = {
    "Point": {"Point"},
    "MultiPoint": {"Point", "MultiPoint"},
    "Polygon": {"Polygon"},
    "MultiPolygon": {"Polygon", "MultiPolygon"},
    "LineString": {"LineString"},
    "MultiLineString": {"LineString", "MultiLineString"},
}


@dataclass(frozen=True)
class LayerSchema:
    """What a layer holds: geometry type, CRS, typed columns, its key and required columns."""

    geometry: str
    columns: dict[str, str]
    key: str
    required: tuple[str, ...] = ()
    crs: str = RD_NEW
    descriptions: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = {t for t in self.columns.values() if t not in DTYPES}
        if unknown:
            raise SchemaError(f"unknown column types {sorted(unknown)}; use one of {sorted(DTYPES)}")
        if self.geometry not in GEOMETRY_FAMILIES:
            raise SchemaError(f"unknown geometry type {self.geometry!r}")
        if self.key not in self.columns:
            raise SchemaError(f"key {self.key!r} is not a column")


def conform(gdf: gpd.GeoDataFrame, schema: LayerSchema) -> gpd.GeoDataFrame:
    """Order and type the columns as the schema declares (missing optional columns become empty)."""
    out = gdf.copy()
    for name, kind in schema.columns.items():
        if name not in out.columns:
            out[name] = None
        out[name] = _coerce(out[name], kind)
    return gpd.GeoDataFrame(out[[*schema.columns, "geometry"]], geometry="geometry", crs=gdf.crs)


def check(gdf: gpd.GeoDataFrame, schema: LayerSchema, name: str) -> gpd.GeoDataFrame:
    """Raise SchemaError unless ``gdf`` matches ``schema``; return it unchanged."""
    if gdf.crs is None or gdf.crs != schema.crs:
        raise CRSMismatchError(f"{name}: CRS {gdf.crs}, expected {schema.crs}; reproject with to_crs()")
    missing = [c for c in schema.columns if c not in gdf.columns]
    if missing:
        raise SchemaError(f"{name}: missing columns {missing}")
    extra = [c for c in gdf.columns if c not in schema.columns and c != gdf.geometry.name]
    if extra:
        raise SchemaError(f"{name}: columns {extra} are not in the schema")
    allowed = GEOMETRY_FAMILIES[schema.geometry]
    bad_types = set(gdf.geom_type.dropna()) - allowed
    if bad_types:
        raise SchemaError(f"{name}: geometry types {sorted(bad_types)}, expected {schema.geometry}")
    for column in schema.required:
        if gdf[column].isna().any():
            raise SchemaError(f"{name}: required column {column!r} has empty values")
    if gdf[schema.key].duplicated().any():
        dupes = gdf.loc[gdf[schema.key].duplicated(), schema.key].head(3).tolist()
        raise SchemaError(f"{name}: key {schema.key!r} is not unique, e.g. {dupes}")
    return gdf


def _coerce(series: pd.Series, kind: str) -> pd.Series:
    if kind == "str":
        return series.astype("object").where(series.notna(), None).map(
            lambda v: v if v is None else str(v)
        )
    if kind == "date":
        parsed = pd.to_datetime(series, errors="coerce")
        return parsed.dt.strftime("%Y-%m-%d").astype("object").where(parsed.notna(), None)
    if kind == "int":
        return pd.to_numeric(series, errors="coerce").round().astype("Int64")
    if kind == "float":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    return series.astype("boolean")
