"""Time-expression rules per type, and the lifecycle rule (reference §4.6)."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta, timezone

from pulumi_powerjob.validation.cron import CronError, cron_years, normalize_cron
from pulumi_powerjob.validation.firetimes import next_fire

MAX_FREQUENCY_MS = 120_000
INT64 = 9_223_372_036_854_775_807
# H:m:s with one or two digits each: the server pads "8:0:0" itself.
_TIME_OF_DAY = re.compile(r"^([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})$")
# Cron runs in the server's time zone, which we do not know: allow a day either side.
_ZONE_SLACK_MS = 86_400_000
# Every UTC offset in use somewhere (quarter hours from -12:00 to +14:00 that some zone has).
_OFFSETS_MIN = (
    -720, -660, -600, -570, -540, -480, -420, -360, -300, -240, -210, -180, -120, -60, 0,
    60, 120, 180, 210, 240, 270, 300, 330, 345, 360, 390, 420, 480, 525, 540, 570, 600, 630,
    660, 720, 765, 780, 840,
)  # fmt: skip
OFFSET_ZONES = tuple(timezone(timedelta(minutes=m)) for m in _OFFSETS_MIN)
_Y2100_MS = 4_102_444_800_000  # 2100-01-01T00:00Z: after the last year a cron can name
_TIME_UNITS = ("NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS")


def normalize_time_expression(kind: str, expression: str | None) -> str | None:
    """The canonical expression for ``kind``, or ``ValueError`` naming the rule."""
    if kind in ("API", "WORKFLOW"):
        return None  # the server ignores it
    if expression is None or not str(expression).strip():
        raise ValueError(f"is required when time_expression_type is {kind}")
    text = str(expression).strip()
    if kind == "CRON":
        try:
            return normalize_cron(text)
        except CronError as exc:
            raise ValueError(str(exc)) from None
    if kind in ("FIXED_RATE", "FIXED_DELAY"):
        if not re.fullmatch(r"\+?\d+", text):  # Java's Long.parseLong takes a "+"
            raise ValueError(f"{kind} takes a whole number of milliseconds, got {text!r}")
        value = int(text)
        if not 1 <= value <= MAX_FREQUENCY_MS:
            raise ValueError(f"{kind} must be 1..{MAX_FREQUENCY_MS} ms, got {value}")
        return str(value)
    if kind == "DAILY_TIME_INTERVAL":
        return _daily_interval(text)
    raise ValueError(f"unknown time_expression_type {kind}")


def _daily_interval(text: str) -> str:
    try:
        spec = json.loads(text)
    except ValueError:
        raise ValueError("DAILY_TIME_INTERVAL takes a JSON object") from None
    if not isinstance(spec, dict):
        raise ValueError("DAILY_TIME_INTERVAL takes a JSON object")
    unknown = set(spec) - {
        "interval",
        "startTimeOfDay",
        "endTimeOfDay",
        "intervalUnit",
        "daysOfWeek",
    }
    if unknown:
        raise ValueError(f"DAILY_TIME_INTERVAL: unknown keys {sorted(unknown)}")
    interval = spec.get("interval")
    if (
        isinstance(interval, bool)
        or not re.fullmatch("[0-9]+", str(interval))
        or not int(str(interval))
    ):
        raise ValueError("DAILY_TIME_INTERVAL: interval must be a positive whole number")
    if int(str(interval)) > INT64:
        raise ValueError("DAILY_TIME_INTERVAL: interval must fit a 64-bit integer")
    start = _time_of_day("startTimeOfDay", spec.get("startTimeOfDay"))
    end = _time_of_day("endTimeOfDay", spec.get("endTimeOfDay"))
    if end < start:
        raise ValueError("DAILY_TIME_INTERVAL: endTimeOfDay must not be before startTimeOfDay")
    unit = spec.get("intervalUnit") or "SECONDS"  # null means the default, as on the server
    if unit not in _TIME_UNITS:
        raise ValueError(
            f"DAILY_TIME_INTERVAL: intervalUnit must be one of {', '.join(_TIME_UNITS)}"
        )
    days = spec.get("daysOfWeek")
    days = [] if days is None else days
    if not isinstance(days, list) or any(
        isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= 7 for d in days
    ):
        raise ValueError("DAILY_TIME_INTERVAL: daysOfWeek must be a list of 1..7 (Monday = 1)")
    canonical = {
        "interval": str(int(str(interval))),
        "startTimeOfDay": start,
        "endTimeOfDay": end,
        "intervalUnit": unit,
        "daysOfWeek": sorted(set(days)),
    }
    return json.dumps(canonical, separators=(",", ":"))


def _time_of_day(key: str, value: object) -> str:
    """``HH:mm:ss``, zero-padded (the server accepts unpadded parts and pads them)."""
    match = _TIME_OF_DAY.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"DAILY_TIME_INTERVAL: {key} must be HH:mm:ss")
    hour, minute, second = (int(part) for part in match.groups())
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"DAILY_TIME_INTERVAL: {key} must be a time of day (00:00:00-23:59:59)")
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def check_fire_window(
    kind: str, expression: str | None, start: int | None, end: int | None, now_ms: int | None = None
) -> None:
    """``ValueError`` when the server would refuse the schedule as "time expression is out of
    date": a canonical CRON or DAILY_TIME_INTERVAL with no fire time after now inside the
    lifecycle. The server's time zone is not known offline, so a window is refused only when
    it holds no fire time in any UTC offset in use (UTC-12 to UTC+14)."""
    if kind not in ("CRON", "DAILY_TIME_INTERVAL") or expression is None:
        return  # FIXED_RATE/FIXED_DELAY are not inspected by the server
    now = int(time.time() * 1000) if now_ms is None else now_ms
    if kind == "CRON":
        _check_cron_years(expression, start, end, now)
    for zone in OFFSET_ZONES:
        if next_fire(kind, expression, now, start=start, end=end, zone=zone) is not None:
            return
    window = f"{_when(max(now, start or 0))} to {_when(end) if end is not None else 'open end'}"
    raise ValueError(
        f"time expression is out of date: no fire time from {window} in any time zone "
        "(the server refuses a job that would never fire)"
    )


def _when(epoch_ms: int) -> str:
    if epoch_ms >= _Y2100_MS:
        return "after 2099"
    return datetime.fromtimestamp(max(epoch_ms, 0) / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _check_cron_years(expression: str, start: int | None, end: int | None, now: int) -> None:
    """The year field alone rules the window out (the clearer message for the common case)."""
    first, last = cron_years(expression)
    earliest = _year(max(now, start or 0) - _ZONE_SLACK_MS)
    latest = None if end is None else _year(end + _ZONE_SLACK_MS)
    if last < earliest:
        raise ValueError(f"cron fires in {first}-{last} only; that is over (year {earliest})")
    if latest is not None and first > latest:
        raise ValueError(f"cron fires from {first} on, after the lifecycle ends ({latest})")


def _year(epoch_ms: int) -> int:
    if epoch_ms >= _Y2100_MS:
        return 2100
    return datetime.fromtimestamp(max(epoch_ms, 0) / 1000, UTC).year


def check_lifecycle(start: int | None, end: int | None, now_ms: int | None = None) -> None:
    """``ValueError`` when the server would refuse the lifecycle."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    if end is not None and end <= now:
        raise ValueError("end must be in the future")
    if start is not None and end is not None and start > end:
        raise ValueError("start must be before end")
