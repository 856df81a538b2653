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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from pulumi_powerjob.validation.cron_calendar import FIRST_WALL, LAST_WALL, Cron, parse_cron, walls
from pulumi_powerjob.validation.zones import (
    SLACK,
    instant_of,
    instants_of,
    near_change,
    offset_of,
    wall_of,
    zone_of,
)

INT64_MAX = 9_223_372_036_854_775_807
_UNIT_MS = {
    "NANOSECONDS": (1, 1_000_000),  # (multiply, divide): Java's TimeUnit.toMillis truncates
    "MICROSECONDS": (1, 1_000),
    "MILLISECONDS": (1, 1),
    "SECONDS": (1_000, 1),
    "MINUTES": (60_000, 1),
    "HOURS": (3_600_000, 1),
    "DAYS": (86_400_000, 1),
}
_MAX_MS = 253_402_214_400_000  # 9999-12-31T00:00Z: later instants have no calendar here


# -- cron --------------------------------------------------------------------------------------


def _first(cron: Cron, ms: int, zone: tzinfo, accept: Callable[[int], bool]) -> int | None:
    """The earliest fire instant ``accept`` takes, searching forward from about ``ms``."""
    if ms // 1000 * 1000 > _MAX_MS:
        return None
    wall = wall_of(ms // 1000 * 1000, zone)
    near = near_change(ms, zone)
    if near:
        wall -= SLACK  # in or next to an overlap, earlier walls recur after ``ms``
    best: int | None = None
    for found in walls(cron, max(wall, FIRST_WALL)):
        instants = instants_of(found, zone)
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
    wall = wall_of(ms // 1000 * 1000, zone) + SLACK
    best: int | None = None
    for found in walls(cron, min(wall, LAST_WALL), down=True):
        instants = instants_of(found, zone)
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


def _next_execution(cron: Cron, date: int, zone: tzinfo) -> int | None:
    """cron-utils' ``nextExecution(date)``: the first fire second after ``date``'s, except that
    when ``date`` is itself a fire time and the clock falls back in between, a cron firing
    less than hourly does not fire again in the repeated hour."""
    floor = date // 1000 * 1000
    found = _first(cron, floor, zone, lambda i: i > floor)
    if found is None or not _matches(cron, date, zone):
        return found
    if offset_of(found, zone) < offset_of(date, zone):
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
        wall = wall_of(ms, zone)
        day = wall.date()
        for _ in range(8):
            if not self.days or day.isoweekday() in self.days:
                opens = instant_of(datetime(day.year, day.month, day.day, *self.start), zone)
                if ms < opens:
                    return opens
                closes = instant_of(datetime(day.year, day.month, day.day, *self.end), zone)
                if ms <= closes:
                    return ms
            day += timedelta(days=1)
            ms = instant_of(datetime(day.year, day.month, day.day), zone)
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
