"""A canonical cron as cron-utils reads it on the 4.3 server, on the wall clock: its fields
expanded, the days of a month it fires on (``L``, ``W``, ``LW``, ``L-n``, ``#``, ``nL``, names,
both day fields required when both are set), and its fire times walked in either direction.
Zones and instants live in ``zones``, fire instants in ``firetimes``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from pulumi_powerjob.validation.cron import YEAR_MAX, YEAR_MIN

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # Quartz numbering: Sunday = 1
LAST_WALL = datetime(YEAR_MAX, 12, 31, 23, 59, 59)
FIRST_WALL = datetime(YEAR_MIN, 1, 1)


@dataclass(frozen=True)
class Cron:
    """A canonical cron, expanded: sorted values per time field, day items kept as text."""

    seconds: tuple[int, ...]
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    day_of_month: tuple[str, ...]
    months: tuple[int, ...]
    day_of_week: tuple[str, ...]
    years: tuple[int, ...]


def _number(text: str, names: tuple[str, ...]) -> int:
    return names.index(text) + 1 if text in names else int(text)


def _expand(text: str, low: int, high: int, names: tuple[str, ...] = ()) -> tuple[int, ...]:
    """Values of a plain field: ``*``, ``n``, ``a-b``, ``a/s``, ``*/s``, ``a-b/s`` and lists."""
    values: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if base in ("*", "?"):
            first, last = low, high
        else:
            first_text, dash, last_text = base.partition("-")
            first = _number(first_text, names)
            last = _number(last_text, names) if dash else (high if step_text else first)
            if last < first:  # cron-utils fires from the start to the end of the field only
                last = high
        values.update(range(first, min(last, high) + 1, step))
    return tuple(sorted(values))


@lru_cache(maxsize=512)
def parse_cron(expression: str) -> Cron:
    """Expand a canonical cron (``normalize_cron`` output)."""
    parts = expression.split()
    year = parts[6] if len(parts) == 7 else "*"
    return Cron(
        seconds=_expand(parts[0], 0, 59),
        minutes=_expand(parts[1], 0, 59),
        hours=_expand(parts[2], 0, 23),
        day_of_month=tuple(parts[3].split(",")),
        months=_expand(parts[4], 1, 12, _MONTHS),
        day_of_week=tuple(parts[5].split(",")),
        years=_expand(year, YEAR_MIN, YEAR_MAX),
    )


def _weekday(year: int, month: int, day: int) -> int:
    """Quartz day-of-week of a date: Sunday = 1 ... Saturday = 7."""
    return (date(year, month, day).weekday() + 1) % 7 + 1


def _dom_item(item: str, year: int, month: int, length: int) -> set[int]:
    if item in ("*", "?"):
        return set(range(1, length + 1))
    if item == "L" or item.startswith("L-"):
        day = length - (int(item[2:]) if item.startswith("L-") else 0)
        return {day} if day >= 1 else set()
    if item == "LW":
        last = _weekday(year, month, length)  # Sunday = 1, Saturday = 7
        return {length - 2 if last == 1 else length - 1 if last == 7 else length}
    if item.endswith("W"):
        day = int(item[:-1])
        if day > length:
            return set()
        weekday = _weekday(year, month, day)
        if weekday == 7:  # Saturday: the Friday before, or Monday the 3rd for the 1st
            return {3 if day == 1 else day - 1}
        if weekday == 1 and day + 1 <= length:  # Sunday: the Monday after, if in the month
            return {day + 1}
        return {day}
    return {d for d in _expand(item, 1, 31) if d <= length}


def _dow_item(item: str, year: int, month: int, length: int) -> set[int]:
    first = _weekday(year, month, 1)
    if item in ("*", "?"):
        return set(range(1, length + 1))
    if "#" in item:
        dow_text, _, nth = item.partition("#")
        dow = _number(dow_text, _DAYS)
        day = (dow - first) % 7 + 1 + (int(nth) - 1) * 7
        return {day} if day <= length else set()
    if item == "L":  # alone: Saturday, every week
        wanted: set[int] = {7}
    elif item.endswith("L"):
        dow = _number(item[:-1], _DAYS)
        last = _weekday(year, month, length)
        return {length - (last - dow) % 7}
    else:
        base, _, step_text = item.partition("/")
        low_text, dash, high_text = base.partition("-")
        if dash and not step_text and _number(high_text, _DAYS) < _number(low_text, _DAYS):
            low, high = _number(low_text, _DAYS), _number(high_text, _DAYS)  # FRI-MON wraps
            wanted = set(range(low, 8)) | set(range(1, high + 1))
        else:
            wanted = set(_expand(item, 1, 7, _DAYS))
    return {d for d in range(1, length + 1) if (d - 1 + first - 1) % 7 + 1 in wanted}


@lru_cache(maxsize=4096)
def cron_days(cron: Cron, year: int, month: int) -> tuple[int, ...]:
    """The days of ``year-month`` the cron fires on (both day fields must agree when set)."""
    length = monthrange(year, month)[1]
    dom: set[int] = set()
    for item in cron.day_of_month:
        dom |= _dom_item(item, year, month, length)
    dow: set[int] = set()
    for item in cron.day_of_week:
        dow |= _dow_item(item, year, month, length)
    return tuple(sorted(dom & dow))


def _from(values: tuple[int, ...], low: int | None) -> tuple[int, ...]:
    return values if low is None else values[bisect_left(values, low) :]


def _to(values: tuple[int, ...], high: int | None) -> tuple[int, ...]:
    return values[::-1] if high is None else values[: bisect_right(values, high)][::-1]


def walls(cron: Cron, start: datetime, *, down: bool = False) -> Iterator[datetime]:
    """Wall-clock fire times (whole seconds) at or after ``start`` in order, or with ``down`` at
    or before it, latest first."""
    pick = _to if down else _from
    for year in pick(cron.years, start.year):
        on_y = year == start.year
        for month in pick(cron.months, start.month if on_y else None):
            on_m = on_y and month == start.month
            for day in pick(cron_days(cron, year, month), start.day if on_m else None):
                on_d = on_m and day == start.day
                for hour in pick(cron.hours, start.hour if on_d else None):
                    on_h = on_d and hour == start.hour
                    for minute in pick(cron.minutes, start.minute if on_h else None):
                        on_min = on_h and minute == start.minute
                        for second in pick(cron.seconds, start.second if on_min else None):
                            yield datetime(year, month, day, hour, minute, second)
