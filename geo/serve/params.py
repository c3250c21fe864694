"""Checks of the items query parameters that pygeoapi lets through: ``bbox`` and ``datetime``.

pygeoapi accepts ``minx > maxx`` (it only logs "possibly antimeridian"), NaN and infinite values, and checks
``datetime`` only for collections that declare a temporal extent. Each check returns the one-line message of
a 400 naming the parameter, or None when the value is fine.
"""

import math
from datetime import UTC, date, datetime

__all__ = ["bbox_problem", "datetime_problem"]


def bbox_problem(text: str) -> str | None:
    """``minx,miny,maxx,maxy`` (or with minz/maxz): finite numbers, min <= max on every axis."""
    parts = text.split(",")
    if len(parts) not in (4, 6):
        return "bbox: expected 4 numbers minx,miny,maxx,maxy (or 6 with minz,maxz)"
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return f"bbox: {text[:80]!r} is not a list of numbers"
    if not all(map(math.isfinite, values)):
        return "bbox: every value must be a finite number"
    n = len(values) // 2
    for axis, (low, high) in enumerate(zip(values[:n], values[n:])):
        if low > high:
            name = "xyz"[axis]
            why = " (a box across the antimeridian is not supported)" if axis == 0 else ""
            return f"bbox: min{name} {low:g} > max{name} {high:g}{why}; give each minimum before its maximum"
    return None


def datetime_problem(text: str) -> str | None:
    """An RFC 3339 date or date-time, or an interval of two (``..`` or empty for an open end)."""
    if not text.strip():  # pygeoapi's record provider failed (500) on it
        return "datetime: empty; expected an RFC 3339 date-time or interval, e.g. 2024-01-01T00:00:00Z/.."
    ends = text.split("/")
    if len(ends) > 2:
        return f"datetime: {text[:80]!r} is not a date, a date-time or an interval start/end"
    parsed = [_instant(e) for e in ends]
    if any(p is False for p in parsed):
        return (f"datetime: {text[:80]!r} is not an RFC 3339 date (2024-05-01), date-time (2024-05-01T12:00:00Z) "
                "or interval (2024-01-01/2024-12-31, with .. for an open end)")
    if len(ends) == 1 and parsed[0] is None:
        return "datetime: '..' alone is not an instant; use an interval such as 2024-01-01/.."
    if len(parsed) == 2 and None not in parsed and _as_datetime(parsed[0]) > _as_datetime(parsed[1]):
        return f"datetime: the interval {text[:80]!r} ends before it starts"
    return None


def _instant(text: str) -> date | datetime | None | bool:
    """A date or date-time; None for an open end; False when it is neither."""
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        if "T" not in text.upper()[10:11]:
            return False
        value = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return value if value.tzinfo is not None or len(text) >= 19 else False


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)
