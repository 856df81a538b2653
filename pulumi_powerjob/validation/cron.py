"""Quartz-style cron as PowerJob's server parses it (reference §4.6).

Six or seven fields, seconds first: ``sec min hour day-of-month month day-of-week [year]``.
Besides the syntax, a few schedules that can never fire are refused here, because the
server refuses them too ("time expression is out of date"): both day fields ``?``, a day
of the month that no selected month has, and (with the lifecycle) no year left to fire in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pulumi_powerjob.validation.cron_hint import quartz_equivalents

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # Sunday = 1
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: leap years count
YEAR_MIN, YEAR_MAX = 1970, 2099


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    special: re.Pattern[str] | None = None  # whole-item forms such as L, W, #


_FIELDS = (
    _Field("seconds", 0, 59),
    _Field("minutes", 0, 59),
    _Field("hours", 0, 23),
    _Field("day-of-month", 1, 31, special=re.compile(r"^(\?|L(-\d{1,2})?|LW|\d{1,2}W)$")),
    _Field("month", 1, 12, _MONTHS),
    _Field("day-of-week", 1, 7, _DAYS, re.compile(r"^(\?|[1-7A-Z]{1,3}L|L|[1-7A-Z]{1,3}#[1-5])$")),
    _Field("year", YEAR_MIN, YEAR_MAX),
)


class CronError(ValueError):
    """A cron expression PowerJob would reject; the message is the rule."""


def normalize_cron(expression: str) -> str:
    """The canonical form: single spaces, upper-case names. Raises ``CronError``."""
    parts = expression.split()
    if len(parts) == 5:
        raise CronError(_five_fields(parts))
    if len(parts) not in (6, 7):
        raise CronError(
            f"cron needs 6 or 7 fields (sec min hour dom month dow [year]); got {len(parts)}"
        )
    parts = [p.upper() for p in parts]
    for field, text in zip(_FIELDS, parts, strict=False):
        _check_field(field, text)
    if parts[3] == "?" and parts[5] == "?":
        raise CronError("'?' in both day-of-month and day-of-week: the job would never fire")
    _check_days_exist(parts[3], parts[4])
    return " ".join(parts)


def _five_fields(parts: list[str]) -> str:
    """The message for a Unix cron: the Quartz cron that means the same, when there is one."""
    said = "cron needs 6 or 7 fields (seconds first, Quartz style); got 5, as Unix cron writes it"
    hints = quartz_equivalents(parts)
    try:
        hints = [normalize_cron(h) for h in hints or []] or None
    except CronError:
        hints = None
    if hints is None:
        return f"{said}: add the seconds first, and '?' in one of the day fields"
    if len(hints) == 1:
        return f"{said}: did you mean '{hints[0]}'?"
    return (
        f"{said}; Unix cron runs on a day that matches either day field, which one Quartz cron "
        f"cannot say: use two jobs, '{hints[0]}' and '{hints[1]}'"
    )


def cron_years(expression: str) -> tuple[int, int]:
    """The first and last year a canonical cron can fire in (its year field, or all years)."""
    parts = expression.split()
    if len(parts) < 7:
        return YEAR_MIN, YEAR_MAX
    values = _values(_FIELDS[6], parts[6])
    return (min(values), max(values)) if values else (YEAR_MIN, YEAR_MAX)


def _digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit()`` is also true for '²' and '٣'."""
    return text.isascii() and text.isdigit()


def _value(field: _Field, text: str) -> int:
    if text in field.names:
        return field.names.index(text) + 1
    if not _digits(text):
        raise CronError(
            f"{field.name}: {text!r} is not a number"
            + (f" or one of {', '.join(field.names)}" if field.names else "")
        )
    value = int(text)
    if not field.low <= value <= field.high:
        raise CronError(f"{field.name}: {value} is outside {field.low}-{field.high}")
    return value


def _check_field(field: _Field, text: str) -> None:
    for item in text.split(","):
        if not item:
            raise CronError(f"{field.name}: empty item in {text!r}")
        if field.special is not None and field.special.match(item):
            if item != "?" and item != "L" and not item.startswith("L"):
                _value(field, re.split(r"[LW#]", item)[0])
            continue
        if item == "?":
            raise CronError(f"{field.name}: '?' is only allowed in day-of-month or day-of-week")
        if field.name == "day-of-week" and "#" in item:
            _check_nth(field, item)
        base, _, step = item.partition("/")
        if step and (not _digits(step) or int(step) == 0):
            raise CronError(f"{field.name}: step {step!r} must be a positive number")
        if step and field.name != "year" and int(step) > field.high:
            raise CronError(f"{field.name}: step {step} is larger than {field.high}")
        if base == "*":
            continue
        low_text, dash, high_text = base.partition("-")
        low = _value(field, low_text)
        if dash:
            high = _value(field, high_text)
            # The server takes a backwards range but fires only from its start to the end of
            # the field (checked on 4.3.9); only day-of-week really wraps around.
            if high < low and field.name != "day-of-week":
                raise CronError(f"{field.name}: range {base} runs backwards")


def _check_nth(field: _Field, item: str) -> None:
    """``DAY#N`` that the pattern refused: say which side is wrong."""
    day, _, nth = item.partition("#")
    _value(field, day)
    if not _digits(nth) or not 1 <= int(nth) <= 5:
        raise CronError(
            f"{field.name}: {item!r}: the week of the month after '#' must be 1-5, got {nth!r}"
        )
    raise CronError(f"{field.name}: {item!r} is not DAY#N")


def _values(field: _Field, text: str) -> set[int] | None:
    """Every value a checked field selects, or None when it has special (L, W, #, ?) items."""
    selected: set[int] = set()
    for item in text.split(","):
        base, _, step_text = item.partition("/")
        if base == "*":
            low, high = field.low, field.high
        elif field.special is not None and field.special.match(item):
            return None
        else:
            low_text, dash, high_text = base.partition("-")
            low = _value(field, low_text)
            high = _value(field, high_text) if dash else (field.high if step_text else low)
        selected.update(range(low, high + 1, int(step_text) if step_text else 1))
    return selected


def _check_days_exist(day_of_month: str, month: str) -> None:
    """Refuse a day of the month that none of the selected months has (e.g. 30 FEB)."""
    months = _values(_FIELDS[4], month) or set(range(1, 13))
    longest = max(_MONTH_DAYS[m - 1] for m in months)
    days: set[int] = set()
    for item in day_of_month.split(","):
        if item in ("?", "L", "LW") or item.startswith("*"):
            return
        if item.startswith("L-"):
            if int(item[2:]) >= longest:
                raise CronError(f"day-of-month: {item} is before the first day of every month")
            return
        values = _values(_FIELDS[3], item.removesuffix("W"))
        if values is None:
            return
        days |= values
    if days and min(days) > longest:
        raise CronError(
            f"day-of-month: day {min(days)} does not exist in the selected months "
            "(the job would never fire)"
        )
