"""The data-quality page: one self-contained HTML file (inline CSS and SVG, no script, no network).

It tells defects from what is expected: a count is marked red only where it breaks a threshold; a count the
thresholds file declares expected (``verwacht``) is shown grey with its reason; only verplichte velden get a
completeness chart, optional fields are listed as information. Titles use the municipality's name, checks
and fields get Dutch labels, and example thresholds are labelled 'voorbeeldnormen'.
"""

import html
import re
from datetime import datetime
from pathlib import Path

from geo.render.charts import bar_chart
from geo.render.labels import field_label
from geo.render.pages import banner, page
from geo.render.tabel import nl_number
from geo.render.voorbeelddata import is_generated, notice_for

__all__ = ["render", "breach_label", "reason_nl", "CHECK_LABELS"]

CHECK_LABELS = {"max_quarantaine_pct": "records in quarantaine (%)",
                "max_gerepareerd_pct": "gerepareerde geometrie (%)",
                "max_ongeldig": "ongeldige geometrieën", "max_dubbel_pct": "dubbele sleutels (%)",
                "max_dubbele_geometrie_pct": "dubbele geometrie (%)",
                "max_buiten_gemeente_pct": "buiten de gemeente (%)", "max_bron_leeftijd_dagen": "leeftijd bron (dagen)"}
# overview column -> (the measure on LayerQuality, the threshold that makes it a defect, its 'verwacht' key)
COLUMNS = {"quarantaine": ("quarantined", "max_quarantaine_pct", None),
           "gerepareerd": ("repaired", "max_gerepareerd_pct", None), "ongeldig": ("invalid", "max_ongeldig", None),
           "dubbele sleutels": ("duplicate_keys", "max_dubbel_pct", None),
           "dubbele geometrie": ("duplicate_geometries", "max_dubbele_geometrie_pct", "dubbele_geometrie"),
           "buiten gemeente": ("outside", "max_buiten_gemeente_pct", "buiten_gemeente")}
EXPECTED_LABELS = {"dubbele_geometrie": "dubbele geometrie", "buiten_gemeente": "buiten de gemeente"}
EXPECTED_MEASURES = {"dubbele_geometrie": "duplicate_geometries", "buiten_gemeente": "outside"}
REASONS = [  # the build's quarantine reasons (geo.core.validate, layers/) in Dutch; an unknown one stays as it is
    (r"duplicate (.+)", r"dubbele \1"), (r"(.+) not in the code list", r"\1 niet in de codelijst"),
    (r"no geometry", "geen geometrie"), (r"x/y missing or not a number(.*)", r"x/y ontbreekt of is geen getal\1"),
    (r"required field (.+) is empty", r"verplicht veld \1 is leeg"), (r"negative emission", "negatieve emissie"),
    (r"negative AERIUS result", "negatief AERIUS-resultaat"),
    (r"coordinates outside the Netherlands \(RD New\)", "coördinaten buiten Nederland (RD New)"),
    (r"(.+) lies in the future", r"\1 ligt in de toekomst"),
    (r"(.+) is not a valid date \(YYYY-MM-DD\)", r"\1 is geen geldige datum (JJJJ-MM-DD)"),
    (r"besluitdatum missing for a decision", "besluitdatum ontbreekt bij een besluit"),
    (r"geometry type is not (.+)", r"geometrietype is niet \1"),
    (r"invalid geometry: repair gives (.+), expected (.+)", r"ongeldige geometrie: herstel geeft \1 in plaats van \2"),
    (r"geometry of more than (.+) vertices", r"geometrie met meer dan \1 punten"),
    (r"unreadable record: (.+)", r"onleesbaar record: \1"),
    (r"undecodable geometry: (.+)", r"onleesbare geometrie: \1"),
    (r"habitat type without KDW in the KDW table", "habitattype zonder KDW in de KDW-tabel"),
]
CSS = """td.gebrek{background:#fde0dc;color:#8e0000;font-weight:bold}td.verwacht{color:#777}
.normen{padding:8px 12px;border-left:5px solid #888;background:#f4f4f4}.normen.voorbeeld{border-color:#e6a100;
background:#fff7e0}.label{display:inline-block;background:#e6a100;color:#fff;border-radius:3px;padding:0 6px;
font-weight:bold;margin-right:6px}"""


def render(report) -> str:
    """The page of a ``QualityReport``: banner, norms, overview, expected counts, then a section per layer."""
    built = max((q.built_at for q in report.layers), default="")
    text = ("Alle lagen voldoen aan de drempels." if report.ok else
            f"Datakwaliteit onder de drempels: {len(report.breaches)} overschrijding(en) — "
            + "; ".join(breach_label(b, _titles(report)) for b in report.breaches))
    body = (f"<style>{CSS}</style>" + banner(report.ok, text) + _norms(report) + _overview(report)
            + _expected(report) + "".join(_layer_section(q, report) for q in report.layers))
    where = report.gemeente or report.store
    return page(f"Datakwaliteit {where}", body, f"Store {report.store}; build van {_when(built)}",
                notice_for([q.title for q in report.layers if any(is_generated(s["path"]) for s in q.sources)]))


def breach_label(b, titles: dict[str, str] | None = None) -> str:
    """'Stikstofbronnen: records in quarantaine (%) 42,86 (drempel 5)'."""
    check = CHECK_LABELS.get(b.check)
    if check is None and b.check.startswith("volledigheid "):
        check = f"volledigheid {field_label(b.check.removeprefix('volledigheid ').removesuffix(' (%)'))} (%)"
    layer = (titles or {}).get(b.layer, b.layer)
    return f"{layer}: {check or b.check} {_num(b.value)} (drempel {_num(b.threshold)})"


def reason_nl(reason: str) -> str:
    for pattern, dutch in REASONS:
        if re.fullmatch(pattern, reason):
            return re.sub(pattern, dutch, reason)
    return reason


def _norms(report) -> str:
    if report.voorbeeldnormen:
        return ('<p class="normen voorbeeld" id="normen"><span class="label">Voorbeeldnormen</span>De drempels op '
                "deze pagina zijn voorbeeldnormen (data/kwaliteit.yml), geen door de omgevingsdienst vastgestelde "
                "normen. Stel eigen drempels in met GEO_KWALITEIT.</p>")
    return '<p class="normen" id="normen">Drempels: de normen die de omgevingsdienst heeft ingesteld.</p>'


def _overview(report) -> str:
    defects = {(b.layer, b.check) for b in report.breaches}
    head = "".join(f"<th>{h}</th>" for h in ["laag", "records", *COLUMNS, "brondatum"])
    rows = []
    for q in report.layers:
        cells = [f"<td>{_e(q.title)}</td>", _td(q.features)]
        for measure, check, key in COLUMNS.values():
            cells.append(_count_cell(getattr(q, measure), (q.name, check) in defects,
                                     report.expected.get(q.name, {}).get(key) if key else None))
        age = (q.name, "max_bron_leeftijd_dagen") in defects
        cells.append(f'<td{" class=gebrek" if age else ""}>{_e(_source_dates(q))}</td>')
        rows.append(f'<tr id="overzicht-{_e(q.name)}">{"".join(cells)}</tr>')
    key = ('<p class="muted">Rood: boven de drempel (een gebrek). Grijs met "verwacht": hoort bij deze laag en is '
           "geen gebrek (zie Verwachte aantallen). Een aantal zonder kleur heeft geen drempel: ter informatie.</p>")
    chart = bar_chart([(q.title, q.quarantined) for q in report.layers], "Records in quarantaine per laag",
                      width=760, label_width=_label_width(q.title for q in report.layers))
    return (f'<h2>Overzicht</h2><table id="overzicht"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}'
            f"</tbody></table>{key}{chart}")


def _count_cell(value, defect: bool, expected: str | None) -> str:
    if value is None:
        return '<td class="num">n.v.t.</td>'
    if defect:
        return f'<td class="num gebrek">{nl_number(value)}</td>'
    if expected and value:
        return f'<td class="num verwacht" title="{_e(expected)}">{nl_number(value)} verwacht</td>'
    return _td(value)


def _expected(report) -> str:
    rows = [(q, key, reason, getattr(q, EXPECTED_MEASURES[key])) for q in report.layers
            for key, reason in report.expected.get(q.name, {}).items()
            if key in EXPECTED_MEASURES and getattr(q, EXPECTED_MEASURES[key])]
    if not rows:
        return ""
    body = "".join(f"<tr><td>{_e(q.title)}</td><td>{_e(EXPECTED_LABELS[key])}</td>{_td(n)}<td>{_e(reason)}</td></tr>"
                   for q, key, reason, n in rows)
    return ('<h2 id="verwacht">Verwachte aantallen (geen gebrek)</h2><table><thead><tr><th>laag</th><th>wat</th>'
            f"<th>aantal</th><th>waarom verwacht</th></tr></thead><tbody>{body}</tbody></table>")


def _layer_section(q, report) -> str:
    required = report.required.get(q.name, ())
    verplicht = [(field_label(c), v) for c, v in sorted(q.completeness.items(), key=lambda kv: kv[1])
                 if c in required]
    optional = [(field_label(c), v) for c, v in sorted(q.completeness.items()) if c not in required]
    chart = (bar_chart(verplicht, f"Volledigheid van de verplichte velden: {q.title}", unit="%", width=760,
                       label_width=_label_width(label for label, _ in verplicht)) if verplicht
             else "<p>Geen verplichte velden bewaakt.</p>")
    partly = [f"{label} {nl_number(v, 0 if v == int(v) else 1)} %" for label, v in optional if v < 100]
    optional_text = (f'<p class="muted optioneel">Optionele velden (leeg is geen gebrek): {len(optional)}, '
                     f"waarvan {len(optional) - len(partly)} volledig gevuld"
                     + (f"; deels gevuld: {_e(', '.join(partly))}" if partly else "") + ".</p>") if optional else ""
    reasons = ("<table><thead><tr><th>reden</th><th>aantal</th></tr></thead><tbody>"
               + "".join(f"<tr><td>{_e(reason_nl(r))}</td>{_td(n)}</tr>" for r, n in sorted(q.quarantine.items()))
               + "</tbody></table>") if q.quarantine else "<p>Geen records in quarantaine.</p>"
    records = "record" if q.features == 1 else "records"
    return (f'<h2 id="laag-{_e(q.name)}">{_e(q.title)}</h2><p>{nl_number(q.features)} {records}, gebouwd '
            f"{_when(q.built_at)}; bron: {_e(_source_dates(q))}</p>{chart}{optional_text}"
            f"<h3>Quarantaine</h3>{reasons}")


def _label_width(labels) -> int:
    """Room for the longest label (about 7 px a character at 12 px), between 170 and 380 px."""
    return max(170, min(380, 7 * max((len(t) for t in labels), default=0) + 12))


def _titles(report) -> dict[str, str]:
    return {q.name: q.title for q in report.layers}


def _source_dates(q) -> str:
    return ", ".join(f"{Path(s['path']).name} ({_date(s['modified'])})" for s in q.sources) or "-"


def _date(iso: str) -> str:
    try:
        return datetime.fromisoformat(str(iso)).strftime("%d-%m-%Y")
    except ValueError:
        return str(iso)[:10]


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(str(iso)).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return str(iso)[:19]


def _num(value: float) -> str:
    return nl_number(value, 0 if float(value) == int(value) else 2)


def _td(value) -> str:
    return f'<td class="num">{nl_number(value)}</td>'


def _e(text) -> str:
    return html.escape(str(text))
