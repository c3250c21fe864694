"""Sortable and filterable HTML tables for offline pages: plain inline JavaScript, no library, no network.

``sortable_table`` writes a table whose column headers sort its rows on click (numbers by the value in
``data-waarde``, text in Dutch order, empty cells last) with a search box above it that hides the rows
without the typed text and says how many remain. ``SCRIPT`` goes once at the end of the page and wires
every such table; without it (or without JavaScript) the table is a plain, complete table.
"""

import html
import math

__all__ = ["Html", "nl_number", "display_number", "sortable_table", "SCRIPT", "CSS"]


class Html(str):
    """Cell content that is already HTML (a link), written as is."""


def nl_number(value: float, decimals: int = 0) -> str:
    """A number as a Dutch reader writes it.

    >>> nl_number(12345.678, 1), nl_number(3)
    ('12.345,7', '3')
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def display_number(value: float, decimals: int) -> str:
    """``nl_number``, but a small non-zero value as '< 0,01' rather than a misleading '0,00'."""
    smallest = 10 ** -decimals
    if decimals and 0 < abs(value) < smallest:
        return f"< {nl_number(smallest, decimals)}"
    return nl_number(value, decimals)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '<td data-waarde=""></td>'
    if _is_number(value):
        return f'<td class="num" data-waarde="{float(value)!r}">{display_number(value, decimals)}</td>'
    if isinstance(value, Html):
        return f"<td>{value}</td>"
    return f"<td>{html.escape(str(value))}</td>"


def sortable_table(table_id: str, headers: list[str], rows: list[list], decimals: list[int] | None = None,
                   label: str = "Zoek in deze tabel") -> str:
    """The search box, its row counter and the table; ``decimals`` per column for numbers (default 0)."""
    decimals = decimals or [0] * len(headers)
    head = "".join(f'<th aria-sort="none"><button type="button">{html.escape(h)}</button></th>' for h in headers)
    body = "".join("<tr>" + "".join(_cell(v, d) for v, d in zip(row, decimals)) + "</tr>" for row in rows)
    n = nl_number(len(rows))
    return (f'<div class="tabelfilter"><label>{html.escape(label)}: <input type="search" data-tabel="{table_id}" '
            f'autocomplete="off"></label> <span class="teller" data-teller="{table_id}">{n} van {n} rijen</span>'
            f'</div><table class="sorteerbaar" id="{table_id}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


CSS = """
table.sorteerbaar th { padding: 0; }
table.sorteerbaar th button { all: unset; cursor: pointer; display: block; padding: 4px 18px 4px 6px;
  position: relative; font-weight: 700; }
table.sorteerbaar th button::after { content: "\\2195"; position: absolute; right: 4px; color: #999; }
table.sorteerbaar th[aria-sort="ascending"] button::after { content: "\\2191"; color: #222; }
table.sorteerbaar th[aria-sort="descending"] button::after { content: "\\2193"; color: #222; }
table.sorteerbaar td.num { text-align: right; white-space: nowrap; }
.tabelfilter { margin: 6px 0 2px; font-size: 13px; }
.tabelfilter input { font: inherit; padding: 2px 6px; width: 260px; }
.tabelfilter .teller { color: #555; margin-left: 8px; }
"""

SCRIPT = """<script>
(function () {
  function fmt(n) { return n.toLocaleString('nl-NL'); }
  function key(cell) {
    var v = cell.getAttribute('data-waarde');
    if (v !== null) { return v === '' ? null : parseFloat(v); }
    var t = cell.textContent.trim();
    return t === '' ? null : t;
  }
  function compare(x, y) {
    if (typeof x === 'number' && typeof y === 'number') { return x - y; }
    return String(x).localeCompare(String(y), 'nl', {numeric: true, sensitivity: 'base'});
  }
  function sort(table, col, th) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    rows.sort(function (a, b) {
      var x = key(a.cells[col]), y = key(b.cells[col]);
      if (x === null || y === null) { return x === y ? 0 : (x === null ? 1 : -1); }
      return asc ? compare(x, y) : compare(y, x);
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  }
  function filter(table, input, counter) {
    var q = input.value.trim().toLowerCase(), rows = table.tBodies[0].rows, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = q === '' || rows[i].textContent.toLowerCase().indexOf(q) >= 0;
      rows[i].hidden = !hit;
      if (hit) { shown++; }
    }
    if (counter) { counter.textContent = fmt(shown) + ' van ' + fmt(rows.length) + ' rijen'; }
  }
  document.querySelectorAll('table.sorteerbaar').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      th.querySelector('button').addEventListener('click', function () { sort(table, col, th); });
    });
    var input = document.querySelector('input[data-tabel="' + table.id + '"]');
    var counter = document.querySelector('[data-teller="' + table.id + '"]');
    if (input) { input.addEventListener('input', function () { filter(table, input, counter); }); }
  });
})();
</script>"""
