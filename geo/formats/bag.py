"""BAG readers: the national LVBAG XML extract and PDOK-style BAG GeoPackages, to one PDOK-shaped view.

Output columns follow PDOK's BAG services (``bag:pand``, ``bag:verblijfsobject``), which GIS staff know.
"""

import logging
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.core.errors import SourceError
from geo.formats.readers import list_layers, read_vector, require_file

log = logging.getLogger(__name__)

BAG_LD = "https://bag.basisregistraties.overheid.nl/bag/id"

PAND_COLUMNS = ["identificatie", "bouwjaar", "status", "gebruiksdoel", "oppervlakte_min",
                "oppervlakte_max", "aantal_verblijfsobjecten", "rdf_seealso"]
VBO_COLUMNS = ["identificatie", "oppervlakte", "status", "gebruiksdoel", "openbare_ruimte_naam",
               "huisnummer", "huisletter", "toevoeging", "postcode", "woonplaats_naam", "bouwjaar",
               "pandidentificatie", "pandstatus", "rdf_seealso"]

# The collections of one BAG delivery as an OGC API serves them (PDOK's BAG API; gokoala's test set says
# verblijfsobjecten): a remote BAG source given as one of them brings the others along.
BAG_COLLECTIONS = ("pand", "verblijfsobject", "verblijfsobjecten")
LVBAG_TYPES = ("Pand", "Verblijfsobject", "Nummeraanduiding", "OpenbareRuimte", "Woonplaats")
LVBAG_SUFFIXES = {".xml", ".vbo", ".pnd", ".num", ".opr", ".wpl"}


def read_bag(path: Path, bbox: tuple[float, float, float, float] | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Read a BAG delivery: a folder of LVBAG XML files or a GeoPackage.

    Returns ``{"pand": ..., "verblijfsobject": ...}`` in RD New with PDOK column names. ``bbox`` limits
    the (national) LVBAG extract to the municipality while reading.
    """
    path = require_file(path)
    if path.is_dir():
        return read_lvbag(path, bbox)
    if path.suffix.lower() == ".gpkg":
        return read_bag_geopackage(path)  # a municipal delivery: read whole, so wrong coordinates get quarantined
    raise SourceError(f"{path}: unknown BAG format; expected a folder of LVBAG XML or a .gpkg")


# --- PDOK-style GeoPackage -------------------------------------------------------------------

def read_bag_geopackage(path: Path) -> dict[str, gpd.GeoDataFrame]:
    """A GeoPackage with PDOK BAG layers (``pand``/``verblijfsobject``, or gokoala ``verblijfsobjecten``)."""
    layers = {name.lower(): name for name in list_layers(path)}
    out = {}
    if "pand" in layers:
        out["pand"] = read_vector(path, layers["pand"])
    for name in ("verblijfsobject", "verblijfsobjecten"):
        if name in layers:
            out["verblijfsobject"] = _normalise_gokoala(read_vector(path, layers[name]))
            break
    if not out:
        raise SourceError(f"{path}: no BAG layer (pand, verblijfsobject) in {sorted(layers.values())}")
    return out


def _normalise_gokoala(vbo: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """PDOK's gokoala test BAG names the address columns differently; map them to bag:verblijfsobject."""
    renames = {"nummer_id": "identificatie", "straatnaam": "openbare_ruimte_naam", "woonplaats": "woonplaats_naam"}
    if "identificatie" in vbo.columns:
        return vbo
    vbo = vbo.rename(columns=renames)
    if "datum_eind" in vbo.columns:  # gokoala keeps history: only the current voorkomen counts
        vbo = vbo[vbo["datum_eind"].isna()]
    return vbo


# --- LVBAG XML (the national extract) --------------------------------------------------------

def read_lvbag(folder: Path, bbox=None) -> dict[str, gpd.GeoDataFrame]:
    """A folder of LVBAG extract files, read with GDAL's LVBAG driver."""
    by_type = _lvbag_files(folder)
    if "Pand" not in by_type and "Verblijfsobject" not in by_type:
        raise SourceError(f"{folder}: no LVBAG Pand or Verblijfsobject files found")
    frames = {t: _current(_concat(read_vector(f, t, bbox=bbox if t in ("Pand", "Verblijfsobject") else None)
                                  for f in files)) for t, files in by_type.items()}
    out = {}
    if "Pand" in frames:
        out["pand"] = _lvbag_pand(frames["Pand"], frames.get("Verblijfsobject"))
    if "Verblijfsobject" in frames:
        out["verblijfsobject"] = _lvbag_vbo(frames, out.get("pand"))
    return out


def _lvbag_files(folder: Path) -> dict[str, list[Path]]:
    """Group the extract files by BAG object type (the LVBAG layer name in each file)."""
    by_type: dict[str, list[Path]] = {}
    work = Path(tempfile.mkdtemp(prefix="lvbag-"))  # GDAL may write sidecar files: never into the source
    for src in sorted(folder.iterdir()):
        if src.suffix.lower() not in LVBAG_SUFFIXES or src.stat().st_size == 0:
            continue
        copy = work / src.name
        shutil.copyfile(src, copy)
        try:
            names = list_layers(copy)
        except SourceError:
            log.warning("%s: not an LVBAG file, skipped", src)
            continue
        for name in names:
            if name in LVBAG_TYPES:
                by_type.setdefault(name, []).append(copy)
    return by_type


def _concat(frames) -> gpd.GeoDataFrame:
    frames = list(frames)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def _current(df: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep the current voorkomen per object: no end of validity, highest voorkomenIdentificatie."""
    df = df.copy()
    df["identificatie"] = df["identificatie"].map(_bare_id)
    if "eindGeldigheid" in df.columns:
        df = df[df["eindGeldigheid"].isna()]
    if "voorkomenIdentificatie" in df.columns:
        df = df.sort_values("voorkomenIdentificatie").drop_duplicates("identificatie", keep="last")
    return df


def _bare_id(value) -> str | None:
    """'NL.IMBAG.Pand.0106100000000000' -> '0106100000000000' (16 digits, zero-padded)."""
    if value is None or value != value:
        return None
    return str(value).rsplit(".", 1)[-1].zfill(16)


def _as_list(values) -> list:
    """LVBAG list fields arrive as a list, an array, a string or nothing."""
    if values is None or (isinstance(values, float) and values != values):
        return []
    if isinstance(values, str):
        return [values]
    return [v for v in list(values) if v]


def _ids(values) -> list[str]:
    return [_bare_id(v) for v in _as_list(values)]


def _lvbag_pand(pand: gpd.GeoDataFrame, vbo: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    out = gpd.GeoDataFrame(
        {"identificatie": pand["identificatie"], "bouwjaar": pand["oorspronkelijkBouwjaar"],
         "status": pand["status"]}, geometry=pand.geometry.values, crs=pand.crs)
    if vbo is not None and len(vbo):
        per_pand = _vbo_per_pand(vbo)
        out = out.merge(per_pand, how="left", left_on="identificatie", right_index=True)
    out["aantal_verblijfsobjecten"] = out.get("aantal_verblijfsobjecten", pd.Series(0, index=out.index)).fillna(0)
    out["rdf_seealso"] = BAG_LD + "/pand/" + out["identificatie"]
    return out


def _vbo_per_pand(vbo: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = vbo[["pandRef", "gebruiksdoel", "oppervlakte"]].copy()
    rows["pand"] = rows["pandRef"].map(_ids)
    rows["doel"] = rows["gebruiksdoel"].map(_as_list)
    rows = rows.explode("pand")
    grouped = rows.groupby("pand")
    return pd.DataFrame({
        "gebruiksdoel": grouped["doel"].agg(lambda d: ",".join(sorted({x for xs in d for x in xs}))),
        "oppervlakte_min": grouped["oppervlakte"].min(),
        "oppervlakte_max": grouped["oppervlakte"].max(),
        "aantal_verblijfsobjecten": grouped.size(),
    })


def _lvbag_vbo(frames: dict, pand: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    vbo = frames["Verblijfsobject"]
    out = gpd.GeoDataFrame({
        "identificatie": vbo["identificatie"],
        "oppervlakte": vbo["oppervlakte"],
        "status": vbo["status"],
        "gebruiksdoel": vbo["gebruiksdoel"].map(lambda v: ",".join(_as_list(v))),
        "pandidentificatie": vbo["pandRef"].map(lambda v: ",".join(_ids(v))),
        "hoofdadres": vbo["hoofdadresNummeraanduidingRef"].map(_bare_id),
    }, geometry=vbo.geometry.values, crs=vbo.crs)
    out = _join_address(out, frames)
    if pand is not None:
        first = out["pandidentificatie"].str.split(",").str[0]
        lookup = pand.set_index("identificatie")
        out["bouwjaar"] = first.map(lookup["bouwjaar"])
        out["pandstatus"] = first.map(lookup["status"])
    out["rdf_seealso"] = BAG_LD + "/verblijfsobject/" + out["identificatie"]
    return out.drop(columns=["hoofdadres"])


def _join_address(vbo: gpd.GeoDataFrame, frames: dict) -> gpd.GeoDataFrame:
    """Postcode, huisnummer, street and place from the Nummeraanduiding/OpenbareRuimte/Woonplaats files."""
    num = frames.get("Nummeraanduiding")
    if num is None:
        return vbo
    num = pd.DataFrame(num.drop(columns="geometry", errors="ignore")).set_index("identificatie")
    vbo["huisnummer"] = vbo["hoofdadres"].map(num["huisnummer"])
    vbo["huisletter"] = vbo["hoofdadres"].map(num["huisletter"])
    vbo["toevoeging"] = vbo["hoofdadres"].map(num["huisnummerToevoeging"])
    vbo["postcode"] = vbo["hoofdadres"].map(num["postcode"])
    opr_ref = vbo["hoofdadres"].map(num["openbareruimteRef"].map(_bare_id))
    opr = frames.get("OpenbareRuimte")
    if opr is not None:
        opr = pd.DataFrame(opr.drop(columns="geometry", errors="ignore")).set_index("identificatie")
        vbo["openbare_ruimte_naam"] = opr_ref.map(opr["naam"])
        wpl_ref = opr_ref.map(opr["woonplaatsRef"].map(_bare_id))
        wpl = frames.get("Woonplaats")
        if wpl is not None:
            names = pd.Series(wpl["naam"].values, index=wpl["identificatie"].str[-4:])
            vbo["woonplaats_naam"] = wpl_ref.str[-4:].map(names)
    return vbo
