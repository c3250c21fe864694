"""Self-contained HTML report pages: inline CSS and SVG, no script, no network."""

import html
from pathlib import Path

__all__ = ["page", "table", "banner", "write_page"]

CSS = """body{font:14px/1.45 sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left;
vertical-align:top}th{background:#f1f1f1}td.num{text-align:right}.banner{padding:10px 14px;border-radius:4px;
margin:12px 0;font-weight:bold}.banner.fail{background:#fde0dc;border:2px solid #c62828;color:#8e0000}
.banner.ok{background:#e3f3e3;border:1px solid #2e7d32;color:#1b5e20}.muted{color:#666}svg.chart{margin:6px 0}"""


def page(title: str, body: str, subtitle: str = "", voorbeelddata: str = "") -> str:
    """A whole page; ``voorbeelddata`` (``geo.render.voorbeelddata.notice``) becomes a banner above the title."""
    from geo.render.voorbeelddata import BANNER_CSS, banner_html

    sub = f'<p class="muted">{html.escape(subtitle)}</p>' if subtitle else ""
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}{BANNER_CSS}</style></head><body>{banner_html(voorbeelddata)}"
            f"<h1>{html.escape(title)}</h1>{sub}{body}</body></html>")


def banner(ok: bool, text: str) -> str:
    kind = "ok" if ok else "fail"
    return f'<div class="banner {kind}" id="banner" role="alert">{html.escape(text)}</div>'


def table(headers: list[str], rows: list[list], css_id: str = "") -> str:
    ident = f' id="{css_id}"' if css_id else ""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    return f"<table{ident}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".").removesuffix(",0")
        return f'<td class="num">{text}</td>'
    return f"<td>{html.escape('' if value is None else str(value))}</td>"


def write_page(text: str, path: Path) -> Path:
    """Write atomically (a server may be serving the old page)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
