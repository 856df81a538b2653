"""A schedule in plain English, for people reviewing a change (the ``schedule`` command and the
pull-request summary).

CRON goes through cron-descriptor, which reads Quartz forms (seconds, ``L``, ``W``, ``#``,
years) with Sunday = 1. Two places where it and the server part ways are fixed here: ``L``
alone in day-of-week (the server: every Saturday; cron-descriptor: an error) and a cron with
both day fields set (the server needs *both* to match; cron-descriptor says "or").
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo

from cron_descriptor import (  # type: ignore[import-untyped]
    DescriptionTypeEnum,
    ExpressionDescriptor,
    Options,
)

_UNITS = {
    "NANOSECONDS": "nanosecond",
    "MICROSECONDS": "microsecond",
    "MILLISECONDS": "millisecond",
    "SECONDS": "second",
    "MINUTES": "minute",
    "HOURS": "hour",
    "DAYS": "day",
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _options() -> Options:
    options = Options()
    options.day_of_week_start_index_zero = False  # Quartz: 1 is Sunday
    options.use_24hour_time_format = True
    return options


def _cron_text(expression: str, part: DescriptionTypeEnum | None = None) -> str:
    descriptor = ExpressionDescriptor(expression, _options())
    text = descriptor.get_description() if part is None else descriptor.get_description(part)
    return str(text)


def describe_cron(expression: str) -> str:
    """A canonical cron in words."""
    parts = expression.split()
    if parts[5] == "L":
        parts[5] = "7"  # the server reads L alone as Saturday
    day_of_month, day_of_week = parts[3], parts[5]
    if day_of_month in ("?", "*") or day_of_week in ("?", "*"):
        return _cron_text(" ".join(parts))
    both = [*parts[:5], "?", *parts[6:]]
    weekdays = [*parts[:3], "?", *parts[4:]]
    days = _cron_text(" ".join(weekdays), DescriptionTypeEnum.DAYOFWEEK).lstrip(", ")
    days = days.removeprefix("only on ")
    return f"{_cron_text(' '.join(both))}, if that day is also {days}"


def _duration(ms: int) -> str:
    for size, unit in ((3_600_000, "hour"), (60_000, "minute"), (1000, "second")):
        if ms % size == 0:
            count = ms // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{ms} ms"


def describe_daily(expression: str) -> str:
    """A canonical DAILY_TIME_INTERVAL in words."""
    spec = json.loads(expression)
    count = int(spec["interval"])
    unit = _UNITS[spec.get("intervalUnit") or "SECONDS"]
    every = f"every {unit}" if count == 1 else f"every {count} {unit}s"
    days = spec.get("daysOfWeek") or []
    on = "every day" if not days else "on " + ", ".join(_WEEKDAYS[d - 1] for d in sorted(days))
    return f"{every} from {spec['startTimeOfDay']} to {spec['endTimeOfDay']}, {on}"


def describe(kind: str, expression: str | None) -> str:
    """Any canonical time expression in words."""
    if kind == "CRON" and expression:
        return describe_cron(expression)
    if kind == "DAILY_TIME_INTERVAL" and expression:
        return describe_daily(expression)
    if kind == "FIXED_RATE" and expression:
        return f"every {_duration(int(expression)).removeprefix('1 ')}, however long runs take"
    if kind == "FIXED_DELAY" and expression:
        return f"{_duration(int(expression))} after each run ends"
    if kind == "WORKFLOW":
        return "when its workflow runs it"
    return "only when started through the API"


def format_instant(epoch_ms: int, zone: tzinfo) -> str:
    """``2026-12-02 08:00:00 UTC``; milliseconds only when there are some (DAILY keeps them)."""
    moment = datetime.fromtimestamp(epoch_ms / 1000, zone)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if epoch_ms % 1000:
        text += f".{epoch_ms % 1000:03d}"
    return f"{text} {moment.tzname()}"
