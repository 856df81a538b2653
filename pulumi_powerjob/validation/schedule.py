"""Time-expression rules per type, and the lifecycle rule (reference §4.6)."""

from __future__ import annotations

import json
import re
import time

from pulumi_powerjob.validation.cron import CronError, normalize_cron

MAX_FREQUENCY_MS = 120_000
_TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
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
        if not re.fullmatch(r"\d+", text):
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
    if isinstance(interval, bool) or not str(interval).isdigit() or int(str(interval)) <= 0:
        raise ValueError("DAILY_TIME_INTERVAL: interval must be a positive whole number")
    start, end = spec.get("startTimeOfDay"), spec.get("endTimeOfDay")
    for key, value in (("startTimeOfDay", start), ("endTimeOfDay", end)):
        if not isinstance(value, str) or not _TIME_OF_DAY.match(value):
            raise ValueError(f"DAILY_TIME_INTERVAL: {key} must be HH:mm:ss")
    assert isinstance(start, str) and isinstance(end, str)
    if end < start:
        raise ValueError("DAILY_TIME_INTERVAL: endTimeOfDay must not be before startTimeOfDay")
    unit = spec.get("intervalUnit", "SECONDS")
    if unit not in _TIME_UNITS:
        raise ValueError(
            f"DAILY_TIME_INTERVAL: intervalUnit must be one of {', '.join(_TIME_UNITS)}"
        )
    days = spec.get("daysOfWeek", [])
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


def check_lifecycle(start: int | None, end: int | None, now_ms: int | None = None) -> None:
    """``ValueError`` when the server would refuse the lifecycle."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    if end is not None and end <= now:
        raise ValueError("end must be in the future")
    if start is not None and end is not None and start > end:
        raise ValueError("start must be before end")
