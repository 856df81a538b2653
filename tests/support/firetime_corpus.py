"""A generated corpus of schedules for the fire-time differential (crons with every special
form, fixed rates and delays, daily intervals, lifecycles), relative to a clock.

Each entry is what a job declares: type, expression (as written) and lifecycle. Values that
depend on the clock (years, times of day, lifecycle ends) are relative to ``now_ms``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

HOUR_MS = 3_600_000
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Schedule:
    """One declaration to try; ``label`` is unique and says what is special about it."""

    category: str
    label: str
    kind: str
    expression: str
    start: int | None = None
    end: int | None = None


CRONS = (
    "0 0 3 * * ?",
    "* * * * * ?",
    "*/7 * * * * ?",
    "0 */5 * * * ?",
    "0 0/15 8-18 ? * MON-FRI",
    "30 0/10 8-18 ? * 2-6",
    "0 15 10 ? * *",
    "0 15 10 * * ? *",
    "0 0 12 1 * ?",
    "0 0 0 1 1 ?",
    "5/20 * * * * ?",
    "10-40/7 * * * * ?",
    "0 5-10 * * * ?",
    "0 0 1,13 * * ?",
    "59 59 23 31 12 ?",
    # day of month: L, L-n, LW, W
    "0 0 0 L * ?",
    "0 30 23 L * ?",
    "0 0 12 L-3 * ?",
    "0 0 0 L-1 * ?",
    "0 0 12 LW * ?",
    "0 0 12 15W * ?",
    "0 0 12 1W * ?",
    "0 0 12 14W * ?",
    "0 0 12 31W 1,3,5,7,8,10,12 ?",
    "0 0 12 1,15 * ?",
    "0 0 0 1/10 * ?",
    # day of week: numbers, names, ranges (wrapping), steps, #, L
    "0 0 12 ? * 1",
    "0 0 12 ? * 7",
    "0 0 12 ? * SUN",
    "0 0 3 ? * FRI-MON",
    "0 0 3 ? * SAT-SUN",
    "0 0 3 ? * 2-6/2",
    "0 0 3 ? * */2",
    "0 0 3 ? * MON,WED,FRI",
    "0 0 12 ? * 6#3",
    "0 0 12 ? * 2#5",
    "0 0 12 ? * MON#1",
    "0 0 0 ? * SUN#2",
    "0 0 12 ? * 6L",
    "0 0 12 ? * 1L",
    "0 0 12 ? * L",
    # both day fields: the server requires both
    "0 0 12 13 * FRI",
    "0 0 12 13 * 6",
    "0 0 12 * * MON",
    "0 0 0 1-7 * MON",
    "0 0 0 L * FRI",
    # months and years
    "0 0 0 1 JAN,JUL ?",
    "0 0 0 1 */3 ?",
    "0 0 0 29 2 ?",
    "0 0 0 1 1 ? 2030/4",
    "0 0 0 1 1 ? 2098-2099",
    "0 0 0 ? * 2#5 2027",
    "0 0 0 29 2 ? 2028-2040",
)


def _wall(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _hms(moment: datetime) -> str:
    return moment.strftime("%H:%M:%S")


def _daily(**fields: Any) -> str:
    body = {
        "interval": 10,
        "startTimeOfDay": "00:00:00",
        "endTimeOfDay": "23:59:59",
        "intervalUnit": "MINUTES",
        "daysOfWeek": [],
        **fields,
    }
    return json.dumps(body)


def _near_now(now: int) -> list[Schedule]:
    """Crons whose first fire time is a few seconds away: the current second must not count."""
    out = []
    for ahead in (0, 2, 61):
        at = _wall(now + ahead * 1000)
        expression = f"{at.second} {at.minute} {at.hour} * * ?"
        out.append(Schedule("cron", f"cron-in-{ahead}s", "CRON", expression))
    return out


def _cron_lifecycles(now: int) -> list[Schedule]:
    next_hour = _ms(_wall(now).replace(minute=0, second=0, microsecond=0) + timedelta(hours=2))
    year = _wall(now).year
    jan1 = _ms(datetime(year + 2, 1, 1, tzinfo=UTC))
    hourly = "0 0 * * * ?"
    return [
        Schedule("lifecycle", "cron-start-on-a-fire", "CRON", hourly, start=next_hour),
        Schedule(
            "lifecycle", "cron-start-500ms-past-a-fire", "CRON", hourly, start=next_hour + 500
        ),
        Schedule("lifecycle", "cron-start-1s-past-a-fire", "CRON", hourly, start=next_hour + 1000),
        Schedule(
            "lifecycle", "cron-start-between-fires", "CRON", hourly, start=next_hour + 1_800_000
        ),
        Schedule("lifecycle", "cron-start-past", "CRON", hourly, start=now - DAY_MS),
        Schedule(
            "lifecycle",
            "cron-start-no-fire-before",
            "CRON",
            f"0 0 0 1 1 ? {year + 2}-{year + 3}",
            start=jan1,
        ),
        Schedule("lifecycle", "cron-end-on-first-fire", "CRON", hourly, end=next_hour - HOUR_MS),
        Schedule(  # no whole hour inside in UTC; hh:30 UTC is a whole hour in UTC+05:30
            "lifecycle",
            "cron-window-half-hour",
            "CRON",
            hourly,
            start=next_hour + 1000,
            end=next_hour + 40 * 60_000,
        ),
        Schedule(
            "lifecycle", "cron-end-before-first-fire", "CRON", "0 0 0 1 1 ?", end=now + DAY_MS
        ),
        Schedule(
            "lifecycle", "cron-start-equals-end-on-a-fire", "CRON", hourly, next_hour, next_hour
        ),
        Schedule(
            "lifecycle",
            "cron-start-equals-end-off-a-fire",
            "CRON",
            hourly,
            next_hour + 5,
            next_hour + 5,
        ),
        Schedule(
            "lifecycle", "cron-window-1h", "CRON", "0 0 3 * * ?", start=jan1, end=jan1 + HOUR_MS
        ),
        Schedule(
            "lifecycle", "cron-window-ok", "CRON", "0 0 3 * * ?", start=jan1, end=jan1 + DAY_MS
        ),
        Schedule(
            "lifecycle",
            "cron-year-after-end",
            "CRON",
            f"0 0 0 1 1 ? {year + 5}",
            end=_ms(datetime(year + 3, 1, 1, tzinfo=UTC)),
        ),
    ]


def _dailies(now: int) -> list[Schedule]:
    at = _wall(now)
    today, tomorrow = at.isoweekday(), at.isoweekday() % 7 + 1
    later = at + timedelta(hours=2)
    earlier = at - timedelta(hours=2)
    out = [
        Schedule("daily", "daily-all-day-10min", "DAILY_TIME_INTERVAL", _daily()),
        Schedule("daily", "daily-seconds", "DAILY_TIME_INTERVAL", _daily(intervalUnit="SECONDS")),
        Schedule("daily", "daily-unit-null", "DAILY_TIME_INTERVAL", _daily(intervalUnit=None)),
        Schedule(
            "daily",
            "daily-ms-1500",
            "DAILY_TIME_INTERVAL",
            _daily(interval=1500, intervalUnit="MILLISECONDS"),
        ),
        Schedule(
            "daily",
            "daily-micros",
            "DAILY_TIME_INTERVAL",
            _daily(interval=2_500_000, intervalUnit="MICROSECONDS"),
        ),
        Schedule(
            "daily",
            "daily-nanos",
            "DAILY_TIME_INTERVAL",
            _daily(interval=1_999_999, intervalUnit="NANOSECONDS"),
        ),
        Schedule(
            "daily", "daily-hours", "DAILY_TIME_INTERVAL", _daily(interval=3, intervalUnit="HOURS")
        ),
        Schedule(
            "daily", "daily-days", "DAILY_TIME_INTERVAL", _daily(interval=2, intervalUnit="DAYS")
        ),
        Schedule("daily", "daily-today", "DAILY_TIME_INTERVAL", _daily(daysOfWeek=[today])),
        Schedule("daily", "daily-not-today", "DAILY_TIME_INTERVAL", _daily(daysOfWeek=[tomorrow])),
        Schedule(
            "daily",
            "daily-window-later-today",
            "DAILY_TIME_INTERVAL",
            _daily(startTimeOfDay=_hms(later), endTimeOfDay="23:59:59"),
        ),
        Schedule(
            "daily",
            "daily-window-over-today",
            "DAILY_TIME_INTERVAL",
            _daily(startTimeOfDay="00:00:00", endTimeOfDay=_hms(earlier)),
        ),
        Schedule(
            "daily",
            "daily-office-hours-weekdays",
            "DAILY_TIME_INTERVAL",
            _daily(startTimeOfDay="08:00:00", endTimeOfDay="18:00:00", daysOfWeek=[1, 2, 3, 4, 5]),
        ),
        Schedule(
            "daily",
            "daily-one-second-window",
            "DAILY_TIME_INTERVAL",
            _daily(startTimeOfDay="12:00:00", endTimeOfDay="12:00:00", daysOfWeek=[6, 7]),
        ),
    ]
    start = _ms(datetime(at.year + 1, 3, 1, tzinfo=UTC))
    daily = _daily(startTimeOfDay="08:00:00", endTimeOfDay="18:00:00", daysOfWeek=[1])
    out += [
        Schedule("lifecycle", "daily-start-ahead", "DAILY_TIME_INTERVAL", daily, start=start),
        Schedule(
            "lifecycle",
            "daily-start-ahead-end-ignored",
            "DAILY_TIME_INTERVAL",
            daily,
            start,
            start + 1,
        ),
        Schedule(
            "lifecycle",
            "daily-no-day-before-end",
            "DAILY_TIME_INTERVAL",
            # three days on: no zone (UTC-12 to UTC+14) reaches that day before the end, so
            # check() refuses it at any time of day, as the server does
            _daily(daysOfWeek=[(today + 2) % 7 + 1]),
            end=now + DAY_MS,
        ),
        Schedule("lifecycle", "daily-end-ahead", "DAILY_TIME_INTERVAL", _daily(), end=now + DAY_MS),
        Schedule(
            "lifecycle",
            "daily-end-within-interval",
            "DAILY_TIME_INTERVAL",
            _daily(),
            end=now + 60_000,
        ),
    ]
    return out


def _rates(now: int) -> list[Schedule]:
    return [
        Schedule("rate", "rate-1000", "FIXED_RATE", "1000"),
        Schedule("rate", "rate-120000", "FIXED_RATE", "120000"),
        Schedule("rate", "rate-start-ahead", "FIXED_RATE", "60000", start=now + DAY_MS),
        Schedule("rate", "rate-end-within-rate", "FIXED_RATE", "120000", end=now + 60_000),
        Schedule("rate", "delay-1000", "FIXED_DELAY", "1000"),
        Schedule("rate", "delay-start-ahead", "FIXED_DELAY", "30000", start=now + DAY_MS),
    ]


def corpus(now_ms: int) -> list[Schedule]:
    """Every schedule of the differential, for a clock."""
    crons = [Schedule("cron", f"cron-{i:02d}", "CRON", expr) for i, expr in enumerate(CRONS)]
    return crons + _near_now(now_ms) + _cron_lifecycles(now_ms) + _dailies(now_ms) + _rates(now_ms)


def _local(zone: str, *parts: int, fold: int = 0) -> int:
    return int(datetime(*parts, tzinfo=ZoneInfo(zone), fold=fold).timestamp() * 1000)  # type: ignore[arg-type,misc]


def daylight_saving(zone: str) -> list[Schedule]:
    """Lifecycles that start next to the 2027 clock changes of ``zone`` (a US zone: spring
    forward on 14 March at 02:00, fall back on 7 November at 02:00)."""

    def at(*parts: int, fold: int = 0) -> int:
        return _local(zone, *parts, fold=fold)

    daily_gap = _daily(startTimeOfDay="02:00:00", endTimeOfDay="02:59:59", daysOfWeek=[7])
    return [
        Schedule("dst", "dst-gap-0230", "CRON", "0 30 2 * * ?", start=at(2027, 3, 13, 12)),
        Schedule("dst", "dst-gap-hourly", "CRON", "0 0 * * * ?", start=at(2027, 3, 14, 1, 30)),
        Schedule("dst", "dst-gap-quarters", "CRON", "0 */15 2 * * ?", start=at(2027, 3, 14, 1, 59)),
        Schedule("dst", "dst-gap-daily", "DAILY_TIME_INTERVAL", daily_gap, start=at(2027, 3, 14)),
        Schedule("dst", "dst-overlap-0130", "CRON", "0 30 1 * * ?", start=at(2027, 11, 6, 12)),
        Schedule(
            "dst", "dst-overlap-0130-between", "CRON", "0 30 1 * * ?", start=at(2027, 11, 7, 1, 45)
        ),
        Schedule("dst", "dst-overlap-hourly", "CRON", "0 0 * * * ?", start=at(2027, 11, 7, 1, 30)),
        Schedule(
            "dst",
            "dst-overlap-hourly-second-pass",
            "CRON",
            "0 0 * * * ?",
            start=at(2027, 11, 7, 1, 10, fold=1),
        ),
        Schedule(
            "dst", "dst-overlap-quarters", "CRON", "0 */15 1 * * ?", start=at(2027, 11, 7, 1, 50)
        ),
    ]
