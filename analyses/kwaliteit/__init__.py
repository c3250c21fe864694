"""Datakwaliteit: per layer of the store, how complete, valid, unique and current its data are.

Per vector layer (and internal result): completeness per field (% filled), geometries repaired at build
(``geo_layers.repaired``), invalid geometries left in the published layer, duplicate keys and geometry
defects sent to the quarantine, records with exactly the same geometry as an earlier one, records outside
the municipality (``binnen_gemeente`` where the layer has it, else not intersecting ``gemeentegebied``),
every quarantine reason with its count (``store.quarantine()``) and the date of each source
(``store.sources()``). Thresholds come from ``data/kwaliteit.yml`` (or ``$GEO_KWALITEIT``); a layer that
breaks one puts the build 'onder de drempels'. The page names reasons and counts, never the quarantined
records themselves (they may hold personal data).
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
from geo.render.charts import bar_chart
from geo.render.pages import banner, page, table, write_page
from geo.render.voorbeelddata import is_generated, notice_for
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
    return QualityReport(getattr(store.path, "name", store.stem), layers,
                         [b for q in layers for b in breaches(q, thresholds)])


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


# --- the page ---------------------------------------------------------------------------------------------

def render(report: QualityReport) -> str:
    """One self-contained HTML page: banner, overview table and charts, then a section per layer."""
    built = max((q.built_at for q in report.layers), default="")
    text = ("Alle lagen voldoen aan de drempels." if report.ok else
            f"Datakwaliteit onder de drempels: {len(report.breaches)} overschrijding(en) — "
            + "; ".join(str(b) for b in report.breaches))
    body = banner(report.ok, text) + _overview(report) + "".join(_layer_section(q) for q in report.layers)
    return page(f"Datakwaliteit {report.store}", body, f"Build van {built[:19]}; drempels: data/kwaliteit.yml",
                notice_for([q.title for q in report.layers if any(is_generated(s["path"]) for s in q.sources)]))


def _overview(report: QualityReport) -> str:
    rows = [[q.name, q.features, q.quarantined, q.repaired, q.invalid, q.duplicate_keys, q.duplicate_geometries,
             "n.v.t." if q.outside is None else q.outside, _source_dates(q)] for q in report.layers]
    headers = ["laag", "records", "quarantaine", "gerepareerd", "ongeldig", "dubbele sleutels",
               "dubbele geometrie", "buiten gemeente", "brondatum"]
    chart = bar_chart([(q.name, q.quarantined) for q in report.layers], "Records in quarantaine per laag")
    return "<h2>Overzicht</h2>" + table(headers, rows, "overzicht") + chart


def _layer_section(q: LayerQuality) -> str:
    incomplete = sorted(q.completeness.items(), key=lambda kv: kv[1])
    chart = bar_chart(incomplete, f"Volledigheid per veld: {q.name}", unit="%")
    reasons = table(["reden", "aantal"], [[r, n] for r, n in sorted(q.quarantine.items())]) if q.quarantine \
        else "<p>Geen records in quarantaine.</p>"
    return (f'<h2 id="laag-{q.name}">{q.name} — {q.title}</h2><p>{q.features} records, gebouwd {q.built_at[:19]}; '
            f"bron: {_source_dates(q)}</p>{chart}<h3>Quarantaine</h3>{reasons}")


def _source_dates(q: LayerQuality) -> str:
    return ", ".join(f"{Path(s['path']).name} ({s['modified'][:10]})" for s in q.sources) or "-"


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
