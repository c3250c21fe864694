"""Charts as inline SVG strings: pages that need no script and no network.

Every chart is a ``<svg>`` element with a ``<title>`` (read by screen readers) and its values as text,
so a page stays readable when printed or archived.
"""

import html

__all__ = ["bar_chart", "line_chart", "PALETTE"]

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf"]
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 40, 40


def bar_chart(items: list[tuple[str, float]], title: str, unit: str = "", width: int = WIDTH,
              colour: str = PALETTE[0], label_width: int = 170) -> str:
    """Horizontal bars, one per ``(label, value)``.

    >>> bar_chart([("a", 1)], "t").startswith("<svg")
    True
    """
    row, label_w = 20, label_width
    height = TOP + row * max(len(items), 1) + 10
    top = max((v for _, v in items), default=0) or 1
    bars = [_bar(i, label, value, top, width - label_w - 70, label_w, row, colour, unit)
            for i, (label, value) in enumerate(items)]
    return _svg(width, height, title, "".join(bars))


def _bar(i, label, value, top, span, x0, row, colour, unit) -> str:
    y = TOP + i * row
    w = max(span * value / top, 0)
    return (f'<text x="{x0 - 6}" y="{y + 14}" text-anchor="end">{_e(label)}</text>'
            f'<rect x="{x0}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{colour}"/>'
            f'<text x="{x0 + w + 4:.1f}" y="{y + 14}">{_number(value)}{_e(unit)}</text>')


def line_chart(series: dict[str, list[tuple[float, float]]], title: str, x_labels: dict[float, str] | None = None,
               target: float | None = None, target_label: str = "streefwaarde", unit: str = "",
               target_x: float | None = None, dashed: tuple[str, ...] = ()) -> str:
    """Lines through ``(x, y)`` points per series name, with an optional dashed target line.

    ``x_labels`` names the x ticks (e.g. dates); by default the x values themselves. With ``target_x`` the target
    holds from that x on (a value to reach by a year): a marker there instead of a line over the whole history.
    Series named in ``dashed`` (e.g. a prognosis continuing a measured line) are dashed, without a dot at their start.

    >>> "polyline" in line_chart({"a": [(2020, 1), (2021, 3)]}, "t")
    True
    """
    points = [p for pts in series.values() for p in pts]
    if not points:
        return _svg(WIDTH, 60, title, f'<text x="{LEFT}" y="{TOP + 16}">geen gegevens</text>')
    scale = _Scale(points, target, target_x)
    body = _axes(scale, x_labels, unit)
    for i, (name, pts) in enumerate(series.items()):
        body += _line(scale, sorted(pts), PALETTE[i % len(PALETTE)], name, i, name in dashed)
    if target is not None and target_x is not None:
        body += _target_at(scale, target, target_x, target_label, len(series))
    elif target is not None:
        body += _target(scale, target, target_label, len(series))
    return _svg(WIDTH, HEIGHT, title, body)


class _Scale:
    def __init__(self, points, target, target_x=None):
        xs = [x for x, _ in points] + ([target_x] if target_x is not None else [])
        ys = [y for _, y in points] + ([target] if target is not None else []) + [0]
        self.x0, self.x1 = min(xs), max(xs)
        self.y0, self.y1 = min(ys), max(ys) or 1
        if self.x0 == self.x1:
            self.x0, self.x1 = self.x0 - 1, self.x1 + 1
        self.xs = sorted(set(xs))

    def x(self, v: float) -> float:
        return LEFT + (v - self.x0) / (self.x1 - self.x0) * (WIDTH - LEFT - RIGHT)

    def y(self, v: float) -> float:
        return HEIGHT - BOTTOM - (v - self.y0) / (self.y1 - self.y0 or 1) * (HEIGHT - TOP - BOTTOM)


def _axes(s: _Scale, x_labels, unit) -> str:
    base = s.y(s.y0)
    out = (f'<line x1="{LEFT}" y1="{base:.1f}" x2="{WIDTH - RIGHT}" y2="{base:.1f}" stroke="#444"/>'
           f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base:.1f}" stroke="#444"/>')
    for v in (s.y0, (s.y0 + s.y1) / 2, s.y1):
        out += f'<text x="{LEFT - 6}" y="{s.y(v) + 4:.1f}" text-anchor="end">{_number(v)}</text>'
    out += f'<text x="4" y="{TOP - 12}">{_e(unit)}</text>'
    step = max(1, len(s.xs) // 8)
    last = None
    for v in s.xs[::step]:
        label = str((x_labels or {}).get(v, _number(v)))
        if last is not None and s.x(v) - last < (len(label) + 1) * 6:
            continue  # would overlap the previous label (dates a few days apart)
        out += f'<text x="{s.x(v):.1f}" y="{base + 16:.1f}" text-anchor="middle">{_e(label)}</text>'
        last = s.x(v)
    return out


def _line(s: _Scale, pts, colour, name, i, dashed: bool = False) -> str:
    coords = " ".join(f"{s.x(x):.1f},{s.y(y):.1f}" for x, y in pts)
    dots = "".join(f'<circle cx="{s.x(x):.1f}" cy="{s.y(y):.1f}" r="3" fill="{colour}">'
                   f"<title>{_e(name)}: {_number(y)}</title></circle>" for x, y in pts[1 if dashed else 0:])
    dash = ' stroke-dasharray="5 3"' if dashed else ""
    legend = (f'<rect x="{WIDTH - RIGHT + 10}" y="{TOP + i * 16}" width="10" height="10" fill="{colour}"/>'
              f'<text x="{WIDTH - RIGHT + 24}" y="{TOP + i * 16 + 9}">{_e(name[:22])}</text>')
    return f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{coords}"/>{dots}{legend}'


def _target(s: _Scale, target, label, n) -> str:
    y = s.y(target)
    return (f'<line class="target" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#000" '
            f'stroke-dasharray="6 4"/><line x1="{WIDTH - RIGHT + 8}" y1="{TOP + n * 16 + 5}" '
            f'x2="{WIDTH - RIGHT + 20}" y2="{TOP + n * 16 + 5}" stroke="#000" stroke-dasharray="3 2"/>'
            f'<text x="{WIDTH - RIGHT + 24}" y="{TOP + n * 16 + 9}">{_e(label)} {_number(target)}</text>')


def _target_at(s: _Scale, target, x, label, n) -> str:
    """The target from ``x`` on: a dashed stub ending in a diamond at (x, target), labelled in the legend."""
    tx, ty = s.x(x), s.y(target)
    diamond = f"{tx:.1f},{ty - 6:.1f} {tx + 6:.1f},{ty:.1f} {tx:.1f},{ty + 6:.1f} {tx - 6:.1f},{ty:.1f}"
    return (f'<line class="target" x1="{max(tx - 40, LEFT):.1f}" y1="{ty:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" '
            f'stroke="#000" stroke-dasharray="6 4"/><polygon class="target-point" points="{diamond}" fill="#000">'
            f"<title>{_e(label)}: {_number(target)}</title></polygon>"
            f'<polygon points="{WIDTH - RIGHT + 14},{TOP + n * 16} {WIDTH - RIGHT + 19},{TOP + n * 16 + 5} '
            f'{WIDTH - RIGHT + 14},{TOP + n * 16 + 10} {WIDTH - RIGHT + 9},{TOP + n * 16 + 5}" fill="#000"/>'
            f'<text x="{WIDTH - RIGHT + 24}" y="{TOP + n * 16 + 9}">{_e(label)}</text>'
            f'<text class="target-value" x="{tx - 9:.1f}" y="{ty - 8:.1f}" text-anchor="end">{_number(target)}</text>')


def _svg(width: int, height: int, title: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11"><title>{_e(title)}</title>'
            f'<text x="4" y="14" font-weight="bold" font-size="12">{_e(title)}</text>{body}</svg>')


def _number(v: float) -> str:
    """Dutch thousands separator, at most one decimal: 12345.6 -> '12.345,6'."""
    text = f"{v:,.0f}" if float(v).is_integer() or abs(v) >= 100 else f"{v:,.1f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _e(text) -> str:
    return html.escape(str(text))
