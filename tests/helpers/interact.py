"""A reader's hands in headless Chromium: a real mouse click and real typing (CDP Input events), not a JS call.

A click lands where the element is drawn (after scrolling it into view), so a hidden or covered button fails
the test the way it would fail a reader.
"""

import json

from helpers.cdp import Page

__all__ = ["click", "type_into", "column", "visible_rows"]


def _centre(page: Page, selector: str) -> tuple[float, float]:
    box = page.evaluate(f"""(() => {{ const el = document.querySelector({json.dumps(selector)});
        el.scrollIntoView({{block: 'center'}}); const r = el.getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
    return box[0], box[1]


def click(page: Page, selector: str) -> None:
    x, y = _centre(page, selector)
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})


def type_into(page: Page, selector: str, text: str) -> None:
    click(page, selector)
    page.send("Input.insertText", {"text": text})


def column(page: Page, table_id: str, index: int, attribute: str | None = None) -> list[str]:
    """The cells of column ``index`` of the visible rows, in the order shown (text, or an attribute)."""
    value = f"c.getAttribute({json.dumps(attribute)})" if attribute else "c.textContent.trim()"
    return page.evaluate(f"""Array.from(document.getElementById({json.dumps(table_id)}).tBodies[0].rows)
        .filter(r => r.getClientRects().length > 0).map(r => {{ const c = r.cells[{index}]; return {value}; }})""")


def visible_rows(page: Page, table_id: str) -> int:
    return len(column(page, table_id, 0))
