"""Next fire times, computed offline the way the PowerJob 4.3 server computes ``nextTriggerTime``.

The server evaluates CRON with cron-utils (a Quartz-like definition: seconds first, ``L``, ``W``,
``LW``, ``L-n``, ``#``, ``nL``, names, years 1970-2099, and day-of-month *and* day-of-week both
required when both are set), DAILY_TIME_INTERVAL with its own calendar walk, and FIXED_RATE as
``previous + rate``. All of it runs in the server JVM's default time zone and inside the job's
lifecycle window. Where cron-utils departs from Quartz we follow cron-utils (``15W`` on a
Sunday that is the month's last day stays on that Sunday; ``L`` alone in day-of-week is every
Saturday), because the server is what runs the job.

Expressions are expected in canonical form (``normalize_time_expression``).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from calendar import monthrange
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from pulumi_powerjob.validation.cron import YEAR_MAX, YEAR_MIN

INT64_MAX = 9_223_372_036_854_775_807
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # Quartz numbering: Sunday = 1
_UNIT_MS = {
    "NANOSECONDS": (1, 1_000_000),  # (multiply, divide): Java's TimeUnit.toMillis truncates
    "MICROSECONDS": (1, 1_000),
    "MILLISECONDS": (1, 1),
    "SECONDS": (1_000, 1),
    "MINUTES": (60_000, 1),
    "HOURS": (3_600_000, 1),
    "DAYS": (86_400_000, 1),
}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_LAST_WALL = datetime(YEAR_MAX, 12, 31, 23, 59, 59)
_MAX_MS = 253_402_214_400_000  # 9999-12-31T00:00Z: later instants have no calendar here


# -- cron --------------------------------------------------------------------------------------


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


def _walls(cron: Cron, start: datetime) -> Iterator[datetime]:
    """Wall-clock fire times at or after ``start`` (whole seconds), in order."""
    for year in _from(cron.years, start.year):
        on_y = year == start.year
        for month in _from(cron.months, start.month if on_y else None):
            on_m = on_y and month == start.month
            for day in _from(cron_days(cron, year, month), start.day if on_m else None):
                on_d = on_m and day == start.day
                for hour in _from(cron.hours, start.hour if on_d else None):
                    on_h = on_d and hour == start.hour
                    for minute in _from(cron.minutes, start.minute if on_h else None):
                        on_min = on_h and minute == start.minute
                        for second in _from(cron.seconds, start.second if on_min else None):
                            yield datetime(year, month, day, hour, minute, second)


def _to(values: tuple[int, ...], high: int | None) -> tuple[int, ...]:
    return values[::-1] if high is None else values[: bisect_right(values, high)][::-1]


def _walls_down(cron: Cron, start: datetime) -> Iterator[datetime]:
    """Wall-clock fire times at or before ``start`` (whole seconds), latest first."""
    for year in _to(cron.years, start.year):
        on_y = year == start.year
        for month in _to(cron.months, start.month if on_y else None):
            on_m = on_y and month == start.month
            for day in _to(cron_days(cron, year, month), start.day if on_m else None):
                on_d = on_m and day == start.day
                for hour in _to(cron.hours, start.hour if on_d else None):
                    on_h = on_d and hour == start.hour
                    for minute in _to(cron.minutes, start.minute if on_h else None):
                        on_min = on_h and minute == start.minute
                        for second in _to(cron.seconds, start.second if on_min else None):
                            yield datetime(year, month, day, hour, minute, second)


def first_cron_wall(cron: Cron, start: datetime) -> datetime | None:
    """The first wall-clock fire time at or after ``start`` (truncated to the second)."""
    return next(_walls(cron, start.replace(microsecond=0)), None)


# -- instants and zones ------------------------------------------------------------------------


def zone_of(name: str) -> ZoneInfo:
    """``ZoneInfo`` for an IANA name; ``ValueError`` naming it when unknown."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as UTC)") from None


def _wall(ms: int, zone: tzinfo) -> datetime:
    return (_EPOCH + timedelta(milliseconds=ms)).astimezone(zone).replace(tzinfo=None)


def _instant(wall: datetime, zone: tzinfo) -> int:
    """Epoch ms of a wall time; a time in a spring-forward gap moves on by the gap, as Java's
    ``ZonedDateTime`` and lenient ``Calendar`` do."""
    aware = wall.replace(tzinfo=zone)
    return (aware - _EPOCH) // timedelta(milliseconds=1)


_SLACK = timedelta(hours=4)  # more than any clock change (Lord Howe's is 30 minutes, most 1 h)


def _instants(wall: datetime, zone: tzinfo) -> tuple[int, ...]:
    """The instants a wall time names: none in a spring-forward gap (cron-utils skips those
    fire times), two in a fall-back overlap (it walks real time, so both can fire)."""
    first, second = (_instant(wall.replace(fold=f), zone) for f in (0, 1))
    if first == second:
        return (first,)
    valid = tuple(i for i in sorted({first, second}) if _wall(i, zone) == wall)
    return valid


def _near_change(ms: int, zone: tzinfo) -> bool:
    before, after = (_wall(ms, zone) - _wall(ms, UTC) for ms in (ms - 14_400_000, ms + 14_400_000))
    return before != after


def _first(cron: Cron, ms: int, zone: tzinfo, accept: Callable[[int], bool]) -> int | None:
    """The earliest fire instant ``accept`` takes, searching forward from about ``ms``."""
    if ms // 1000 * 1000 > _MAX_MS:
        return None
    wall = _wall(ms // 1000 * 1000, zone)
    near = _near_change(ms, zone)
    if near:
        wall -= _SLACK  # in or next to an overlap, earlier walls recur after ``ms``
    best: int | None = None
    for found in _walls(cron, max(wall, datetime(YEAR_MIN, 1, 1))):
        instants = _instants(found, zone)
        if best is not None and (not instants or instants[0] > best):
            if instants:
                break
            continue
        for instant in instants:
            if accept(instant) and (best is None or instant < best):
                best = instant
        if best is not None and not near:
            break
    return best


def _last_before(cron: Cron, ms: int, zone: tzinfo) -> int | None:
    """The latest fire instant before ``ms`` (cron-utils' ``lastExecution``)."""
    if ms > _MAX_MS:
        ms = _MAX_MS
    wall = _wall(ms // 1000 * 1000, zone) + _SLACK
    best: int | None = None
    for found in _walls_down(cron, min(wall, _LAST_WALL)):
        instants = _instants(found, zone)
        if best is not None and instants and instants[-1] < best:
            break
        for instant in instants:
            if instant < ms and (best is None or instant > best):
                best = instant
    return best


def _matches(cron: Cron, ms: int, zone: tzinfo) -> bool:
    """Whether the second ``ms`` falls in is a fire time."""
    floor = ms // 1000 * 1000
    return _first(cron, floor, zone, lambda i: i >= floor) == floor


def _offset(ms: int, zone: tzinfo) -> timedelta:
    return _wall(ms, zone) - _wall(ms, UTC)


def _next_execution(cron: Cron, date: int, zone: tzinfo) -> int | None:
    """cron-utils' ``nextExecution(date)``: the first fire second after ``date``'s, except that
    when ``date`` is itself a fire time and the clock falls back in between, a cron firing
    less than hourly does not fire again in the repeated hour."""
    floor = date // 1000 * 1000
    found = _first(cron, floor, zone, lambda i: i > floor)
    if found is None or not _matches(cron, date, zone):
        return found
    if _offset(found, zone) < _offset(date, zone):
        after = _first(cron, found, zone, lambda i: i > found)
        if after is not None and (after - found) // 3_600_000 > 1:
            later = floor + 3_601_000
            return _first(cron, later, zone, lambda i: i >= later)
    return found


def _cron_next(
    expression: str, previous: int, now: int, start: int | None, end: int | None, zone: tzinfo
) -> int | None:
    """``CronTimingStrategyHandler.calculateNextTriggerTime`` (4.3.9)."""
    cron = parse_cron(expression)
    date = previous
    if start is not None and start > now and previous < start:
        # The server steps back to the fire time before ``start`` and goes on from there, so a
        # fire time at ``start`` itself counts; with no fire time before ``start`` it goes on
        # from ``start``, and then it does not.
        last = _last_before(cron, start, zone)
        date = start if last is None else last
    found = _next_execution(cron, date, zone)
    if found is None or (end is not None and end < found):
        return None
    return found


# -- daily time interval -----------------------------------------------------------------------


@dataclass(frozen=True)
class DailyInterval:
    """A canonical DAILY_TIME_INTERVAL expression."""

    interval_ms: int
    start: tuple[int, int, int]
    end: tuple[int, int, int]
    days: frozenset[int]  # Monday = 1 ... Sunday = 7; empty: every day

    @classmethod
    def parse(cls, expression: str) -> DailyInterval:
        spec = json.loads(expression)
        multiply, divide = _UNIT_MS[spec.get("intervalUnit") or "SECONDS"]
        interval = min(int(spec["interval"]) * multiply // divide, INT64_MAX)  # toMillis saturates

        def hms(text: str) -> tuple[int, int, int]:
            hour, minute, second = (int(p) for p in text.split(":"))
            return hour, minute, second

        return cls(
            interval,
            hms(spec["startTimeOfDay"]),
            hms(spec["endTimeOfDay"]),
            frozenset(spec.get("daysOfWeek") or ()),
        )

    def in_range(self, ms: int, zone: tzinfo) -> int:
        """The first instant at or after ``ms`` inside a daily window on an allowed day."""
        wall = _wall(ms, zone)
        day = wall.date()
        for _ in range(8):
            if not self.days or day.isoweekday() in self.days:
                opens = _instant(datetime(day.year, day.month, day.day, *self.start), zone)
                if ms < opens:
                    return opens
                closes = _instant(datetime(day.year, day.month, day.day, *self.end), zone)
                if ms <= closes:
                    return ms
            day += timedelta(days=1)
            ms = _instant(datetime(day.year, day.month, day.day), zone)
        raise ValueError("DAILY_TIME_INTERVAL: daysOfWeek selects no day")  # normalize forbids


def _daily_next(
    expression: str, previous: int, now: int, start: int | None, end: int | None, zone: tzinfo
) -> int | None:
    """``DailyTimeIntervalStrategyHandler.calculateNextTriggerTime`` (4.3.9)."""
    daily = DailyInterval.parse(expression)
    if start is not None and start > now and previous < start:
        # the server checks no end here
        return daily.in_range(start, zone) if start <= _MAX_MS else None
    after = previous + daily.interval_ms
    if after > _MAX_MS:  # (past INT64 Java's addition wraps; we give up earlier)
        return None
    found = daily.in_range(after, zone)
    return found if end is None or found <= end else None


# -- every type --------------------------------------------------------------------------------


def next_fire(
    kind: str,
    expression: str | None,
    previous: int,
    *,
    now: int | None = None,
    start: int | None = None,
    end: int | None = None,
    zone: str | tzinfo = "UTC",
) -> int | None:
    """The fire time after ``previous`` (epoch ms) as the server computes it, or None.

    ``now`` is the server clock (default ``previous``): a lifecycle ``start`` still ahead of it
    moves the first fire time to the window. FIXED_DELAY gives the earliest possible time
    (the real one waits for the previous run to end); API and WORKFLOW never fire on a clock.
    """
    tz = zone if isinstance(zone, tzinfo) else zone_of(zone)
    current = previous if now is None else now
    if kind == "CRON" and expression:
        return _cron_next(expression, previous, current, start, end, tz)
    if kind == "DAILY_TIME_INTERVAL" and expression:
        return _daily_next(expression, previous, current, start, end, tz)
    if kind in ("FIXED_RATE", "FIXED_DELAY") and expression:
        found = start if start is not None and start > previous else previous + int(expression)
        return None if end is not None and end < found else found
    return None


def fire_times(
    kind: str,
    expression: str | None,
    count: int,
    now: int,
    *,
    start: int | None = None,
    end: int | None = None,
    zone: str | tzinfo = "UTC",
) -> list[int]:
    """The next ``count`` fire times from ``now`` (what the console's "next 5" list shows)."""
    found: list[int] = []
    previous = now
    while len(found) < count:
        after = next_fire(kind, expression, previous, now=now, start=start, end=end, zone=zone)
        if after is None:
            break
        found.append(after)
        previous = after
    return found


def is_exact(kind: str) -> bool:
    """False for FIXED_DELAY, whose times depend on how long each run takes."""
    return kind != "FIXED_DELAY"


_DISPLAY_ZONES = {
    "Coordinated Universal Time": "UTC",
    "Greenwich Mean Time": "GMT",
    "China Standard Time": "Asia/Shanghai",
    "Japan Standard Time": "Asia/Tokyo",
    "Korean Standard Time": "Asia/Seoul",
    "India Standard Time": "Asia/Kolkata",
    "Central European Standard Time": "Europe/Paris",
    "Central European Time": "Europe/Paris",
    "Eastern Standard Time": "America/New_York",
    "Pacific Standard Time": "America/Los_Angeles",
}


def zone_from_display_name(name: str) -> str | None:
    """An IANA zone for what ``/server/hello`` reports (Java's ``getDisplayName()``, e.g.
    "Coordinated Universal Time"), when that name is unambiguous enough to map; else None."""
    text = name.strip()
    if text in _DISPLAY_ZONES:
        return _DISPLAY_ZONES[text]
    if re.fullmatch(r"GMT[+-]\d{2}:\d{2}", text):
        sign = "-" if text[3] == "+" else "+"  # the Etc/GMT names have the sign reversed
        hours, minutes = int(text[4:6]), int(text[7:9])
        return f"Etc/GMT{sign}{hours}" if minutes == 0 else None
    return None
