"""Dates and time spans of actor relations and designations.

Domain dates are ISO ``YYYY-MM-DD`` strings. :func:`parse_day` turns user
input into one, refusing impossible dates (2018-02-30) with a message that
names the field; :func:`add_months` computes expiries (calendar months, the
day clamped to the month's end); :func:`covers` tells whether a span holds on
a day (open ends are unbounded).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateError(ValueError):
    """An impossible or malformed date, or a span that ends before it starts."""


def parse_day(value: str | date | None, field: str) -> str | None:
    """``YYYY-MM-DD`` of ``value`` (None stays None); DateError when it is no real date."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if not str(value).strip():
        return None
    m = _ISO.match(str(value))
    if not m:
        raise DateError(f"{field}: {value!r} is not a date (expected YYYY-MM-DD)")
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError as exc:
        raise DateError(f"{field}: {value!r} is an impossible date ({exc})") from exc


def require_day(value: str | date | None, field: str) -> str:
    """Like :func:`parse_day` but the date must be given."""
    day = parse_day(value, field)
    if day is None:
        raise DateError(f"{field}: a date is required (YYYY-MM-DD)")
    return day


def check_order(start: str | None, end: str | None, start_name: str, end_name: str) -> None:
    """DateError when both are set and ``end`` is before ``start``."""
    if start and end and end < start:
        raise DateError(f"{end_name} {end} is before {start_name} {start}")


def add_months(day: str, months: int) -> str:
    """``day`` plus ``months`` calendar months (31 Jan + 1 month = 28/29 Feb)."""
    d = date.fromisoformat(day)
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    last = calendar.monthrange(y, m + 1)[1]
    return date(y, m + 1, min(d.day, last)).isoformat()


def covers(start: str | None, end: str | None, day: str) -> bool:
    """True when ``day`` lies in [start, end] (an open end is unbounded)."""
    return (start is None or start <= day) and (end is None or day <= end)


def overlaps(a_start: str | None, a_end: str | None, b_start: str | None, b_end: str | None) -> bool:
    """True when two spans share at least one day."""
    lo = max(a_start or "0000-00-00", b_start or "0000-00-00")
    hi = min(a_end or "9999-99-99", b_end or "9999-99-99")
    return lo <= hi


def today() -> str:
    """Today's date (UTC) as ``YYYY-MM-DD``."""
    from datetime import UTC, datetime

    return datetime.now(UTC).date().isoformat()
