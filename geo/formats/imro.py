"""Reading IMRO2012 bestemmingsplan GML (ruimtelijkeplannen.nl): the Enkelbestemmingen of one plan.

GDAL's GML driver reads the file; ``WRITE_GFS=NO`` keeps it from writing a ``.gfs`` beside the source.
Before GDAL sees the file, two cheap checks give a clear error: the head must be GML (XML in the GML
namespace) and the tail must close the root element (a truncated download does not).
"""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from geo.core.errors import SourceError
from geo.formats.readers import require_file, to_rd

__all__ = ["read_enkelbestemming", "read_plan_identificatie"]

GML_NAMESPACE = "http://www.opengis.net/gml"
SNIFF_BYTES = 64 * 1024
COLUMNS = ["identificatie", "naam", "bestemmingshoofdgroep", "artikelnummer"]


def read_enkelbestemming(path: Path | str) -> gpd.GeoDataFrame:
    """The Enkelbestemmingen of an IMRO2012 plan, in RD New.

    Columns: identificatie (NEN3610ID ``namespace.lokaalID``, e.g. ``NL.IMRO.0664.EP2261149148-00``),
    naam, bestemmingshoofdgroep, artikelnummer (str or None) and geometry. Raises SourceError naming
    the file when it is missing, empty, not GML, truncated or has no Enkelbestemming layer.
    """
    path = require_gml(path)
    frame = _read_layer(path, "Enkelbestemming")
    frame = frame.assign(identificatie=_identificatie(frame), artikelnummer=_text(frame, "artikelnummer"))
    for column in ("naam", "bestemmingshoofdgroep"):
        frame[column] = _text(frame, column)
    return to_rd(gpd.GeoDataFrame(frame[[*COLUMNS, "geometry"]], geometry="geometry", crs=frame.crs), path)


def read_plan_identificatie(path: Path | str) -> str | None:
    """The plan's IMRO identificatie (``NL.IMRO.0798.BPDoornboom-ON01``), from its Bestemmingsplangebied."""
    path = require_gml(path)
    try:
        frame = pyogrio.read_dataframe(path, layer="Bestemmingsplangebied", read_geometry=False, WRITE_GFS="NO")
    except (DataSourceError, DataLayerError):
        return None
    ids = frame["gml_id"].dropna() if "gml_id" in frame else pd.Series(dtype=object)
    return str(ids.iloc[0]) if len(ids) else None


def require_gml(path: Path | str) -> Path:
    """The path, if it is a complete GML file; else a SourceError naming it."""
    path = require_file(Path(path))
    head, tail = _head_and_tail(path)
    if not head.lstrip("\ufeff \t\r\n").startswith("<") or GML_NAMESPACE not in head:
        raise SourceError(f"{path}: not GML (no XML in the namespace {GML_NAMESPACE})")
    root = _root_element(head)
    if root and not tail.rstrip().endswith(f"</{root}>"):
        raise SourceError(f"{path}: truncated GML (the root element <{root}> is not closed)")
    return path


def _head_and_tail(path: Path) -> tuple[str, str]:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
        fh.seek(max(0, path.stat().st_size - 1024))
        tail = fh.read()
    return head.decode("utf-8", errors="replace"), tail.decode("utf-8", errors="replace")


def _root_element(head: str) -> str | None:
    """Name of the first element that is not a declaration, comment or processing instruction."""
    position = 0
    while (start := head.find("<", position)) >= 0:
        if head.startswith(("<?", "<!"), start):
            position = head.find(">", start) + 1 or len(head)
            continue
        end = min((i for i in (head.find(c, start) for c in " \t\r\n/>") if i > start), default=-1)
        return head[start + 1:end] if end > 0 else None
    return None


def _read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    try:
        return pyogrio.read_dataframe(path, layer=layer, WRITE_GFS="NO")
    except DataLayerError as err:
        raise SourceError(f"{path}: no {layer} layer in this GML; is it an IMRO2012 plan?") from err
    except DataSourceError as err:
        raise SourceError(f"{path}: GDAL cannot read this GML ({str(err).splitlines()[0]})") from err


def _identificatie(frame: pd.DataFrame) -> pd.Series:
    """NEN3610ID ``namespace.lokaalID``; the gml:id where those are absent (they coincide in IMRO)."""
    fallback = frame["gml_id"] if "gml_id" in frame else pd.Series(None, index=frame.index, dtype=object)
    if "lokaalID" not in frame or "namespace" not in frame:
        return fallback
    composed = frame["namespace"].astype("object") + "." + frame["lokaalID"].astype("object")
    return composed.where(frame["namespace"].notna() & frame["lokaalID"].notna(), fallback)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as str (None where empty or absent); GDAL types numbers such as artikelnummer as int."""
    if column not in frame:
        return pd.Series(None, index=frame.index, dtype=object)
    values = [None if pd.isna(v) else str(v).strip() or None for v in frame[column]]
    return pd.Series(values, index=frame.index, dtype=object)
