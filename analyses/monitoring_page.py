"""The monitoring page (``geo monitoring``), read by advisors: Dutch, numbers as Dutch readers write them.

Titles name the municipality and the Natura 2000 areas; each target says where it comes from (the omgevingsplan or
a voorbeeldnorm); a target for a later year is drawn at that year and not judged today; the trend charts show the
indicators over the builds (one point per source date) and, where the store has one, the prognosis for a later year.
"""

import html
from datetime import date

import pandas as pd

from analyses import omgevingswaarden
from analyses.monitoring import PROGNOSE, UNITS, assess_targets, prognoses, trend
from geo.render.charts import line_chart
from geo.render.maps import nl
from geo.render.pages import page, table
from geo.store.geopackage import Store

LABELS = {
    "nh3_emissie_kg": "Ammoniakemissie (NH3) van stikstofbronnen",
    "nox_emissie_kg": "Stikstofoxiden (NOx) van stikstofbronnen",
    "bodemlocaties": "Bodemlocaties per status",
    "bodem_statuswijzigingen": "Bodemlocaties die hun status bereikten",
    "wnb_besluiten": "Wnb-besluiten",
    "hectare_overschrijding": "Hectare stikstofgevoelige natuur boven de KDW",
    "stikstofdepositie_mol_ha_jr": "Stikstofdepositie (AERIUS Monitor)",
}


def municipality_name(store: Store, gemeente: str) -> str:
    """The municipality's name from the store's ``gemeentegebied`` (its code when the store has none)."""
    if "gemeentegebied" not in store.layers():
        return gemeente
    rows = store.read("gemeentegebied", columns=["statcode", "statnaam"])
    names = rows.loc[rows["statcode"] == gemeente, "statnaam"]
    return str(names.iloc[0]) if len(names) else gemeente


def area_names(store: Store) -> dict[str, str]:
    """Natura 2000 number -> name, for the areas in the store."""
    if "natura2000_gebied" not in store.layers():
        return {}
    areas = store.read("natura2000_gebied", columns=["nr", "naam"])
    return {str(nr): str(naam) for nr, naam in zip(areas["nr"], areas["naam"])}


def render_page(frame: pd.DataFrame, targets: list[dict], gemeente: str, voorbeelddata: str = "",
                naam: str | None = None, gebieden: dict[str, str] | None = None, today: date | None = None) -> str:
    naam = naam or gemeente
    labels = _Labels(gemeente, naam, gebieden or {})
    snap = trend(frame)
    latest = snap.sort_values("peildatum").drop_duplicates(["indicator", "gebied", "categorie"], keep="last")
    expected = prognoses(frame)
    assessed = assess_targets(latest, targets, today, expected)
    dates = sorted(snap["peildatum"].unique())
    body = _targets_section(assessed, labels) + (
        f"<p>{frame['built_at'].nunique()} build(s), bronpeildata: {html.escape(', '.join(dates) or '-')}</p>")
    body += "<h2>Trends over de builds (per bronpeildatum)</h2>" + _trend_charts(snap, expected, assessed, labels)
    body += "<h2>Per jaar (huidige gegevens)</h2>" + _yearly_charts(frame, labels)
    body += _availability(frame)
    return page(f"Monitoring omgevingsplan {naam}", body,
                f"Indicatoren per gebied van de gemeente {naam} tegen de omgevingswaarden", voorbeelddata)


class _Labels:
    def __init__(self, gemeente: str, naam: str, gebieden: dict[str, str]):
        self.gemeente, self.naam, self.gebieden = gemeente, naam, gebieden

    def gebied(self, code: str) -> str:
        if code == self.gemeente:
            return f"gemeente {self.naam}"
        if code in self.gebieden:
            return f"Natura 2000-gebied {code} {self.gebieden[code]}"
        return code or "-"

    @staticmethod
    def indicator(indicator: str) -> str:
        return LABELS.get(indicator, indicator)


def _targets_section(assessed: list[dict], labels: _Labels) -> str:
    examples = [t for t in assessed if t.get("herkomst") == omgevingswaarden.VOORBEELD]
    note = ('<p class="voorbeeldnorm" id="voorbeeldnormen"><strong>Voorbeeldnormen.</strong> Het omgevingsplan in de '
            "gegevensverzameling heeft geen omgevingswaarden die de monitoring kan meten; de normen hieronder zijn "
            "voorbeelden "
            "(data/omgevingswaarden.yml), geen vastgesteld beleid.</p>") if examples else ""
    rows = [[t.get("titel") or t["indicator"], _herkomst(t), labels.gebied(t["gebied"]), _norm(t),
             str(t.get("jaar") or "-"), _value(t["actueel"], t), _prognose_text(t), _oordeel_text(t)]
            for t in assessed]
    headers = ["omgevingswaarde", "bron", "gebied", "norm", "te halen in", "actueel", "prognose", "oordeel"]
    return "<h2>Omgevingswaarden</h2>" + note + table(headers, rows, "omgevingswaarden")


def _herkomst(t: dict) -> str:
    if t.get("herkomst") == omgevingswaarden.PLAN:
        return f"omgevingsplan ({t['grondslag'].split(', ', 1)[-1]})"
    return "voorbeeldnorm"


def _unit(t: dict) -> str:
    return t.get("eenheid") or UNITS.get(t["indicator"], "")


def _norm(t: dict) -> str:
    word = "ten hoogste" if t["norm"] == "max" else "ten minste"
    return f"{word} {nl(t['waarde'], _decimals(t['waarde']))} {_unit(t)}".strip()


def _value(v, t: dict) -> str:
    return "-" if v is None else f"{nl(v, _decimals(v))} {_unit(t)}".strip()


def _prognose_text(t: dict) -> str:
    prognose = t.get("prognose")
    return "-" if prognose is None else f"{_value(prognose['waarde'], t)} in {prognose['jaar']}"


def _decimals(v) -> int:
    return 0 if float(v).is_integer() or abs(float(v)) >= 100 else 1


def _oordeel_text(t: dict) -> str:
    reden = t.get("reden")
    return f"{t['oordeel']}: {reden}" if reden and t["oordeel"] == "niet beschikbaar" else t["oordeel"]


def _trend_charts(snap: pd.DataFrame, expected: pd.DataFrame, assessed: list[dict], labels: _Labels) -> str:
    out = ""
    for (indicator, gebied), group in sorted(snap.groupby(["indicator", "gebied"]), key=lambda g: _order(*g[0])):
        x = {_ordinal(d): d for d in group["peildatum"].unique()}
        series = {c or "gemeten": [(_ordinal(d), v) for d, v in zip(g["peildatum"], g["waarde"])]
                  for c, g in group.groupby("categorie")}
        prognosis = _prognosis_series(expected, indicator, gebied, group, x)
        target = next((t for t in assessed if t["indicator"] == indicator and t["gebied"] == gebied), None)
        out += _chart(series | prognosis, f"{labels.indicator(indicator)} — {labels.gebied(gebied)}", x, target,
                      indicator, tuple(prognosis))
    return out or "<p>Nog geen trendgegevens.</p>"


def _prognosis_series(expected: pd.DataFrame, indicator: str, gebied: str, group: pd.DataFrame, x: dict) -> dict:
    """From the latest measured point to the value expected in a later year (e.g. AERIUS Monitor 2030)."""
    rows = expected[(expected["indicator"] == indicator) & (expected["gebied"] == gebied)]
    main = group[group["categorie"] == ""].sort_values("peildatum")
    if rows.empty or main.empty:
        return {}
    last = (_ordinal(main["peildatum"].iloc[-1]), float(main["waarde"].iloc[-1]))
    out = {}
    for row in rows.itertuples():
        year_x = _ordinal(f"{int(row.jaar)}-01-01")
        x[year_x] = str(int(row.jaar))
        out[str(row.categorie)] = [last, (year_x, float(row.waarde))]
    return out


def _chart(series: dict, title: str, x: dict, target: dict | None, indicator: str, dashed: tuple = ()) -> str:
    """A target with a year is drawn at that year (the value to reach by then), one without as a line."""
    if target is None:
        return line_chart(series, title, x, unit=UNITS.get(indicator, ""), dashed=dashed)
    label = "doel" if target.get("herkomst") == omgevingswaarden.PLAN else "voorbeeldnorm"
    target_x = None
    if target.get("jaar"):
        target_x = _ordinal(f"{int(target['jaar'])}-01-01")
        x[target_x] = str(int(target["jaar"]))
        label += f" {int(target['jaar'])}"
    return line_chart(series, title, x, target=float(target["waarde"]), target_label=label,
                      unit=UNITS.get(indicator, ""), target_x=target_x, dashed=dashed)


def _yearly_charts(frame: pd.DataFrame, labels: _Labels) -> str:
    yearly = frame[frame["jaar"].notna() & ~frame["categorie"].astype(str).str.startswith(PROGNOSE)]
    yearly = yearly[yearly["built_at"] == yearly["built_at"].max()]
    out = ""
    for (indicator, gebied), group in sorted(yearly.groupby(["indicator", "gebied"]), key=lambda g: _order(*g[0])):
        series = {c: [(int(j), v) for j, v in zip(g["jaar"], g["waarde"])] for c, g in group.groupby("categorie")}
        out += line_chart(series, f"{labels.indicator(indicator)} per jaar — {labels.gebied(gebied)}",
                          unit=UNITS.get(indicator, ""))
    return out or "<p>Geen jaarreeksen.</p>"


def _availability(frame: pd.DataFrame) -> str:
    missing = [i for i in UNITS if i not in set(frame["indicator"])]
    if not missing:
        return ""
    notes = {"hectare_overschrijding": "de stikstofkaart per hexagoon ontbreekt (stikstofanalyse nog niet gedraaid)"}
    items = "".join(f"<li>{i}: niet beschikbaar — {html.escape(notes.get(i, 'de laag ontbreekt in de gegevens'))}</li>"
                    for i in missing)
    return f'<h2>Niet beschikbaar</h2><ul id="niet-beschikbaar">{items}</ul>'


def _order(indicator: str, gebied: str) -> tuple:
    """Charts in the order of LABELS; per indicator the gemeente first, then the Natura 2000 areas by number."""
    rank = list(LABELS).index(indicator) if indicator in LABELS else len(LABELS)
    return rank, indicator, (1, int(gebied), "") if gebied.isdigit() else (0, 0, gebied)


def _ordinal(day: str) -> float:
    return float(date.fromisoformat(str(day)[:10]).toordinal())
