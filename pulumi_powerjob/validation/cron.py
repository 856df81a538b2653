"""Quartz-style cron as PowerJob's server parses it (reference §4.6).

Six or seven fields, seconds first: ``sec min hour day-of-month month day-of-week [year]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")  # Sunday = 1


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
    _Field("year", 1970, 2099),
)


class CronError(ValueError):
    """A cron expression PowerJob would reject; the message is the rule."""


def normalize_cron(expression: str) -> str:
    """The canonical form: single spaces, upper-case names. Raises ``CronError``."""
    parts = expression.split()
    if len(parts) == 5:
        raise CronError(
            "cron needs 6 or 7 fields (seconds first, Quartz style); got 5: "
            f"did you mean '0 {' '.join(parts)}'? (and '?' in one of the day fields)"
        )
    if len(parts) not in (6, 7):
        raise CronError(
            f"cron needs 6 or 7 fields (sec min hour dom month dow [year]); got {len(parts)}"
        )
    parts = [p.upper() for p in parts]
    for field, text in zip(_FIELDS, parts, strict=False):
        _check_field(field, text)
    return " ".join(parts)


def _value(field: _Field, text: str) -> int:
    if text in field.names:
        return field.names.index(text) + 1
    if not text.isdigit():
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
        base, _, step = item.partition("/")
        if step and (not step.isdigit() or int(step) == 0):
            raise CronError(f"{field.name}: step {step!r} must be a positive number")
        if base == "*":
            continue
        low_text, dash, high_text = base.partition("-")
        low = _value(field, low_text)
        if dash:
            high = _value(field, high_text)
            if high < low and field.name != "day-of-week":
                raise CronError(f"{field.name}: range {base} runs backwards")
