"""`TimingStrategyService` of PowerJob 5.1 for the *emulation*: validation and next trigger time."""

from __future__ import annotations

import datetime as dt
import json
import re

from .binding import JavaEnum
from .cron import CronExpression
from .wire import JavaError, powerjob

TIME_EXPRESSION_TYPE = JavaEnum(
    "tech.powerjob.common.enums.TimeExpressionType",
    (
        ("API", 1),
        ("CRON", 2),
        ("FIXED_RATE", 3),
        ("FIXED_DELAY", 4),
        ("WORKFLOW", 5),
        ("DAILY_TIME_INTERVAL", 11),
    ),
)
API, CRON, FIXED_RATE, FIXED_DELAY, WORKFLOW, DAILY_TIME_INTERVAL = 1, 2, 3, 4, 5, 11
FREQUENT_TYPES = frozenset({FIXED_RATE, FIXED_DELAY})
MAX_FREQUENT_INTERVAL_MS = 120000  # -Dpowerjob.server.frequency-job.max-interval default
_LONG = re.compile(r"[+-]?\d+")
_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})")
_UNITS_MS = {
    "MILLISECONDS": 1,
    "SECONDS": 1000,
    "MINUTES": 60000,
    "HOURS": 3600000,
    "DAYS": 86400000,
}


def validate(
    type_code: int, expression: str | None, start: int | None, end: int | None, now_ms: int
) -> None:
    """`TimingStrategyService.validate`: lifecycle first, then the expression."""
    if end is not None:
        if end <= now_ms:
            raise powerjob("lifecycle is out of date!")
        if start is not None and start > end:
            raise powerjob("lifecycle is invalid! start time must earlier then end time.")
    if type_code == CRON:
        CronExpression.parse(expression)
    elif type_code in FREQUENT_TYPES:
        word = "rate" if type_code == FIXED_RATE else "delay"
        if expression is None or not _LONG.fullmatch(expression):
            raise powerjob("invalid timeExpression!")
        if int(expression) > MAX_FREQUENT_INTERVAL_MS:
            raise powerjob(f"the {word} must be less than {MAX_FREQUENT_INTERVAL_MS}ms")
        if int(expression) <= 0:
            raise powerjob(f"the {word} must be greater than 0 ms")
    elif type_code == DAILY_TIME_INTERVAL:
        _daily_interval(expression)


def next_trigger_time(
    type_code: int, expression: str | None, start: int | None, end: int | None, now_ms: int
) -> int | None:
    """`calculateNextTriggerTimeWithInspection` (FIXED_* jobs are not scheduled by time)."""
    if type_code in FREQUENT_TYPES or type_code in (API, WORKFLOW):
        return None
    if type_code == CRON:
        cron = CronExpression.parse(expression)
        after = now_ms
        if start is not None and start > now_ms:
            after = start - 1000  # first fire time at or after the lifecycle start
        found = cron.next_after(after)
    else:
        found = _next_daily(
            _daily_interval(expression), start if start and start > now_ms else now_ms
        )
    if found is not None and end is not None and end < found:
        found = None
    if found is None:
        raise powerjob(f"time expression is out of date: {expression}")
    return found


def _daily_interval(expression: str | None) -> tuple[int, int, int, set[int]]:
    """Parse a DAILY_TIME_INTERVAL JSON: (start s-of-day, end s-of-day, step ms, ISO weekdays)."""
    try:
        spec = json.loads(expression or "")
        interval = int(spec["interval"])
        unit = _UNITS_MS[str(spec.get("intervalUnit") or "SECONDS").upper()]
        bounds = [_TIME_OF_DAY.fullmatch(str(spec[k])) for k in ("startTimeOfDay", "endTimeOfDay")]
        days = {int(d) for d in spec.get("daysOfWeek") or ()}
    except (ValueError, KeyError, TypeError) as exc:
        raise JavaError(
            "PowerJobException", f"invalid DailyTimeInterval expression: {exc}"
        ) from exc
    if interval <= 0 or None in bounds:
        raise powerjob("invalid DailyTimeInterval expression")
    first, last = (int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) for m in bounds if m)
    if last < first:
        raise powerjob("startTimeOfDay should before endTimeOfDay!")
    return first, last, interval * unit, days


def _next_daily(spec: tuple[int, int, int, set[int]], after_ms: int) -> int | None:
    first, last, step_ms, days = spec
    day = dt.datetime.fromtimestamp(after_ms // 1000, tz=dt.UTC).date()
    for offset in range(8):
        current = day + dt.timedelta(days=offset)
        if days and current.isoweekday() not in days:
            continue
        midnight = int(dt.datetime.combine(current, dt.time(), tzinfo=dt.UTC).timestamp()) * 1000
        moment = midnight + first * 1000
        while moment <= midnight + last * 1000:
            if moment > after_ms:
                return moment
            moment += step_ms
    return None
