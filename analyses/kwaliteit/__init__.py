"""Datakwaliteit: per layer of the store, how complete, valid, unique and current its data are.

Per vector layer (and internal result): completeness per field (% filled), geometries repaired at build
(``geo_layers.repaired``), invalid geometries left in the published layer, duplicate keys and geometry
defects sent to the quarantine, records with exactly the same geometry as an earlier one, records outside
the municipality (``binnen_gemeente`` where the layer has it, else not intersecting ``gemeentegebied``),
every quarantine reason with its count (``store.quarantine()``) and the date of each source
(``store.sources()``). Thresholds come from ``data/kwaliteit.yml`` (or ``$GEO_KWALITEIT``); a layer that
breaks one puts the build 'onder de drempels'. The page names reasons and counts, never the quarantined
records themselves (they may hold personal data).

So that the page does not alarm wrongly: counts the thresholds file declares expected (``verwacht``, e.g.
hexagons of Natura 2000 outside the municipality) are shown as expected with their reason, not as defects;
a field is *verplicht* when its layer's schema requires it or a ``volledigheid`` threshold watches it, and
an empty optional field is no defect; the file's ``voorbeeld: true`` labels its thresholds as example norms.
The page itself is ``analyses.kwaliteit.page``.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import yaml

from geo.core.errors import GeoError
from geo.core.registry import AnalysisSpec, ProcessSpec
from geo.render.pages import write_page
from geo.store.geopackage import Store, as_store

log = logging.getLogger(__name__)

NAME = "kwaliteit"
TITLE = "Datakwaliteit van de store"
THRESHOLDS = Path(__file__).resolve().parents[2] / "data" / "kwaliteit.yml"
THRESHOLDS_ENV = "GEO_KWALITEIT"
PAGES_DIR = "kwaliteit"  # beside the store: one page per build, and laatste.html
SKIP = {"nh3_concentratie"}  # rasters: no records to check


@dataclass
class LayerQuality:
    name: str
    title: str
    features: int
    built_at: str
    completeness: dict[str, float]
    repaired: int
    invalid: int
    duplicate_keys: int
    duplicate_geometries: int
    outside: int | None
    quarantine: dict[str, int]
    sources: list[dict]

    @property
    def quarantined(self) -> int:
        return sum(self.quarantine.values())

    def pct(self, count: int, with_quarantine: bool = False) -> float:
        total = self.features + (self.quarantined if with_quarantine else 0)
        return round(100 * count / total, 2) if total else 0.0


@dataclass
class Breach:
    layer: str
    check: str
    value: float
    threshold: float

    def __str__(self) -> str:
        return f"{self.layer}: {self.check} = {self.value:g} (drempel {self.threshold:g})"


@dataclass
class QualityReport:
    store: str  # the store as named on the page: the GeoPackage file name, or postgis-<database>
    layers: list[LayerQuality]
    breaches: list[Breach] = field(default_factory=list)
    gemeente: str = ""  # "gemeente Schagen (GM0441)": the page's title; "" when the store has no gemeentegebied
    required: dict[str, tuple[str, ...]] = field(default_factory=dict)  # layer -> its verplichte velden
    expected: dict[str, dict[str, str]] = field(default_factory=dict)  # layer -> {check: why it is expected}
    voorbeeldnormen: bool = False  # the thresholds are example norms (``voorbeeld: true`` in their file)

    @property
    def ok(self) -> bool:
        return not self.breaches


def assess(store: Store, thresholds: dict | None = None) -> QualityReport:
    """Measure every vector layer of the store and compare with ``thresholds`` (see data/kwaliteit.yml)."""
    thresholds = load_thresholds() if thresholds is None else thresholds
    info = store.info().set_index("name")
    quarantine, sources = store.quarantine(), store.sources()
    gebied = store.read("gemeentegebied").geometry.union_all() if "gemeentegebied" in info.index else None
    layers = [measure(store.read(n), n, info.loc[n], quarantine, sources, gebied)
              for n in info.index if n not in SKIP]
    schemas = schema_required()
    return QualityReport(getattr(store.path, "name", store.stem), layers,
                         [b for q in layers for b in breaches(q, thresholds)], gemeente=_gemeente(store, info),
                         required={q.name: required_fields(q, schemas.get(q.name, ()), thresholds) for q in layers},
                         expected={q.name: expected_counts(q.name, thresholds) for q in layers},
                         voorbeeldnormen=bool(thresholds.get("voorbeeld")))


def _gemeente(store: Store, info: pd.DataFrame) -> str:
    if "gemeentegebied" not in info.index:
        return ""
    row = store.read("gemeentegebied").iloc[0]
    naam, code = row.get("statnaam"), row.get("statcode")
    return f"gemeente {naam} ({code})" if isinstance(naam, str) and naam else ""


def schema_required() -> dict[str, tuple[str, ...]]:
    """Layer -> the columns its schema requires, for every layer and result the project defines."""
    from analyses import result_layers
    from layers import LAYERS

    specs = [*LAYERS, *result_layers(include_internal=True).values()]
    return {s.name: tuple(s.schema.required) for s in specs if getattr(s, "schema", None) is not None}


def required_fields(q: LayerQuality, schema_required: tuple[str, ...], thresholds: dict) -> tuple[str, ...]:
    """The layer's verplichte velden: required by its schema, or watched by a ``volledigheid`` threshold."""
    t = {**thresholds.get("standaard", {}), **thresholds.get("lagen", {}).get(q.name, {})}
    watched = tuple((t.get("volledigheid") or {}).keys())
    return tuple(c for c in q.completeness if c in schema_required or c in watched)


def expected_counts(name: str, thresholds: dict) -> dict[str, str]:
    """``verwacht.<layer>`` of the thresholds file: check (buiten_gemeente, dubbele_geometrie) -> why."""
    return {str(k): str(v) for k, v in ((thresholds.get("verwacht") or {}).get(name) or {}).items()}


def measure(gdf: gpd.GeoDataFrame, name: str, meta: pd.Series, quarantine: pd.DataFrame, sources: pd.DataFrame,
            gebied) -> LayerQuality:
    reasons = quarantine.loc[quarantine["layer"] == name, "reason"].value_counts()
    data = gdf.drop(columns=["fid", gdf.geometry.name], errors="ignore")
    return LayerQuality(
        name=name, title=meta["title"], features=len(gdf), built_at=meta["built_at"],
        completeness={c: _filled_pct(data[c]) for c in data.columns},
        repaired=int(meta["repaired"] or 0), invalid=int((~gdf.geometry.is_valid).sum()),
        duplicate_keys=int(reasons[reasons.index.str.startswith("duplicate")].sum()),
        duplicate_geometries=int(gdf.geometry.to_wkb().duplicated().sum()),
        outside=_outside(gdf, gebied, name), quarantine={str(k): int(v) for k, v in reasons.items()},
        sources=sources.loc[sources["layer"] == name, ["key", "path", "modified"]].to_dict("records"))


def _filled_pct(column: pd.Series) -> float:
    if column.empty:
        return 100.0
    filled = column.notna() & (column.astype(str).str.strip() != "")
    return round(100 * float(filled.mean()), 2)


def _outside(gdf: gpd.GeoDataFrame, gebied, name: str) -> int | None:
    if name == "gemeentegebied":
        return None
    if "binnen_gemeente" in gdf.columns:
        return int((gdf["binnen_gemeente"] == False).sum())  # noqa: E712 (nullable boolean)
    if gebied is None:
        return None
    return int((~gdf.intersects(gebied)).sum())


def breaches(q: LayerQuality, thresholds: dict) -> list[Breach]:
    """Every threshold of ``data/kwaliteit.yml`` this layer breaks."""
    t = {**thresholds.get("standaard", {}), **thresholds.get("lagen", {}).get(q.name, {})}
    measured = {
        "max_quarantaine_pct": q.pct(q.quarantined, with_quarantine=True),
        "max_gerepareerd_pct": q.pct(q.repaired), "max_ongeldig": q.invalid,
        "max_dubbel_pct": q.pct(q.duplicate_keys, with_quarantine=True),
        "max_dubbele_geometrie_pct": q.pct(q.duplicate_geometries),
        "max_buiten_gemeente_pct": None if q.outside is None else q.pct(q.outside),
        "max_bron_leeftijd_dagen": _max_age_days(q.sources),
    }
    out = [Breach(q.name, k, v, t[k]) for k, v in measured.items() if k in t and v is not None and v > t[k]]
    for column, minimum in (t.get("volledigheid") or {}).items():
        value = q.completeness.get(column, 0.0)
        if value < minimum:
            out.append(Breach(q.name, f"volledigheid {column} (%)", value, minimum))
    return out


def _max_age_days(sources: list[dict]) -> int | None:
    dates = [datetime.fromisoformat(s["modified"]) for s in sources if s.get("modified")]
    return max((datetime.now(UTC) - d).days for d in dates) if dates else None


def load_thresholds(path: Path | None = None) -> dict:
    from geo.core.settings import Settings

    path = Path(path or Settings.from_env().kwaliteit or THRESHOLDS)
    if not path.exists():
        raise GeoError(f"{path}: thresholds file not found; see data/kwaliteit.yml for the format")
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def render(report: QualityReport) -> str:
    """The page (``analyses.kwaliteit.page``)."""
    from analyses.kwaliteit.page import render as render_page

    return render_page(report)


def write_report(store: Store, out: Path, thresholds: dict | None = None) -> QualityReport:
    report = assess(store, thresholds)
    write_page(render(report), out)
    return report


def after_build(store_path: Path, gemeente: str) -> None:
    """After-build hook (``AnalysisSpec.after_build``): one page per build beside the store (and laatste.html);
    a WARNING line when below."""
    store = as_store(store_path)
    stamp = store.info()["built_at"].max().replace(":", "").replace("-", "")[:15]
    folder = store.output_dir / PAGES_DIR
    report = assess(store)
    text = render(report)
    write_page(text, folder / f"kwaliteit_{stamp}.html")
    write_page(text, folder / "laatste.html")
    if not report.ok:
        log.warning("datakwaliteit onder de drempels (%d): %s; zie %s", len(report.breaches),
                    "; ".join(str(b) for b in report.breaches), folder / f"kwaliteit_{stamp}.html")


# --- the spec (the command in analyses.kwaliteit.cli, the process in analyses.kwaliteit.process) ---------
from analyses.kwaliteit.cli import kwaliteit as command  # noqa: E402

SPEC = AnalysisSpec(NAME, TITLE, command=command, after_build=after_build,
                    process=ProcessSpec("kwaliteit", "analyses.kwaliteit.process.KwaliteitProcessor"))
