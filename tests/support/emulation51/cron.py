"""Cron expressions as PowerJob 5.1 reads them (cron-utils, Quartz-like), for the *emulation*.

Definition used by `CronTimingStrategyHandler`: seconds field required, 6 or 7 fields,
day-of-month with `L`, `W`, `LW`, `?`; day-of-week 1-7 with Sunday=1, `#`, `L`, `?`; optional
year 1970-2099. When both day fields are restricted either may match (issue #382). Times are
evaluated in UTC, as on the recorded servers (`-Duser.timezone=UTC`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from .wire import JavaError

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_BOUNDS = ((0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2099))
_ITEM = re.compile(r"(?P<lo>\*|\d+)(?:-(?P<hi>\d+))?(?:/(?P<step>\d+))?")


class CronSyntaxError(Exception):
    """cron-utils rejected the text; `str()` is its message."""


@dataclass
class _Field:
    values: set[int] = field(default_factory=set)
    star: bool = False  # a bare `*`
    question: bool = False
    last_offsets: list[int] = field(default_factory=list)  # DOM `L`, `L-n`
    nearest_weekday: list[int] = field(default_factory=list)  # DOM `nW`
    last_weekday: bool = False  # DOM `LW`
    last_dow: list[int] = field(default_factory=list)  # DOW `nL`
    nth_dow: list[tuple[int, int]] = field(default_factory=list)  # DOW `n#k`


def _names(item: str, index: int) -> str:
    names = _MONTHS if index == 4 else _DAYS if index == 5 else ()
    base = 1
    for position, name in enumerate(names):
        item = item.replace(name, str(position + base))
    return item


def _parse_field(text: str, index: int) -> _Field:
    lo, hi = _BOUNDS[index]
    out = _Field()
    for raw in text.split(","):
        item = _names(raw, index)
        if item == "?" and index in (3, 5):
            out.question = True
            continue
        if index == 3 and (special := re.fullmatch(r"L(?:-(\d+))?|LW|(\d+)W", item)):
            if item == "LW":
                out.last_weekday = True
            elif item.startswith("L"):
                out.last_offsets.append(int(special.group(1) or 0))
            else:
                out.nearest_weekday.append(int(special.group(2)))
            continue
        if index == 5 and (special := re.fullmatch(r"(\d*)L|(\d+)#(\d+)", item)):
            if item.endswith("L"):
                out.last_dow.append(int(special.group(1) or 7))
            else:
                out.nth_dow.append((int(special.group(2)), int(special.group(3))))
            continue
        match = _ITEM.fullmatch(item)
        if not match:
            bad = "".join(sorted({c for c in raw if not (c.isdigit() or c in "*-/,")}))
            raise CronSyntaxError(
                f"Invalid chars in expression! Expression: {raw} Invalid chars: {bad}"
            )
        start = lo if match["lo"] == "*" else int(match["lo"])
        end = (
            int(match["hi"])
            if match["hi"]
            else (hi if match["lo"] == "*" or match["step"] else start)
        )
        for value in (start, end):
            if not lo <= value <= hi:
                raise CronSyntaxError(f"Value {value} not in range [{lo}, {hi}]")
        step = int(match["step"] or 1)
        if step == 0 or start > end:
            raise CronSyntaxError(f"Invalid expression: {raw}")
        out.star = out.star or (item == "*")
        out.values.update(range(start, end + 1, step))
    return out


def _dom_matches(f: _Field, day: dt.date) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    if day.day in f.values or any(day.day == last - off for off in f.last_offsets):
        return True
    if f.last_weekday and day == _nearest_weekday(day.replace(day=last)):
        return True
    return any(n <= last and day == _nearest_weekday(day.replace(day=n)) for n in f.nearest_weekday)


def _nearest_weekday(target: dt.date) -> dt.date:
    last = calendar.monthrange(target.year, target.month)[1]
    if target.weekday() == 5:  # Saturday -> Friday, or Monday if the 1st
        return target + dt.timedelta(days=2) if target.day == 1 else target - dt.timedelta(days=1)
    if target.weekday() == 6:  # Sunday -> Monday, or Friday if month end
        return (
            target - dt.timedelta(days=2) if target.day == last else target + dt.timedelta(days=1)
        )
    return target


def _dow_matches(f: _Field, day: dt.date) -> bool:
    java_dow = day.isoweekday() % 7 + 1  # Sunday=1 ... Saturday=7
    last = calendar.monthrange(day.year, day.month)[1]
    if java_dow in f.values:
        return True
    if java_dow in f.last_dow and day.day + 7 > last:
        return True
    return any(java_dow == d and (day.day - 1) // 7 + 1 == k for d, k in f.nth_dow)


@dataclass(frozen=True)
class CronExpression:
    """A parsed expression; `next_after` gives fire times in epoch milliseconds (whole seconds)."""

    text: str
    fields: tuple[_Field, ...]

    @classmethod
    def parse(cls, text: str | None) -> CronExpression:
        """`CronParser.parse`; raises JavaError exactly where cron-utils throws."""
        if text is None:
            raise JavaError("NullPointerException", "Expression must not be null")
        compact = " ".join(text.split())
        if not compact:
            raise JavaError("IllegalArgumentException", "Empty expression!")
        parts = compact.upper().split(" ")
        if len(parts) not in (6, 7):
            raise JavaError(
                "IllegalArgumentException",
                f"Cron expression contains {len(parts)} parts but we expect one of [6, 7]",
            )
        try:
            fields = tuple(_parse_field(part, i) for i, part in enumerate(parts))
        except CronSyntaxError as exc:
            raise JavaError("IllegalArgumentException", f"Failed to parse '{text}'. {exc}") from exc
        if len(fields) == 6:
            fields += (_parse_field("*", 6),)
        return cls(text, fields)

    def _day_matches(self, day: dt.date) -> bool:
        dom, dow = self.fields[3], self.fields[5]
        if dow.question or dow.star:
            return dom.question or _dom_matches(dom, day)
        if dom.question or dom.star:
            return _dow_matches(dow, day)
        return _dom_matches(dom, day) or _dow_matches(dow, day)

    def next_after(self, epoch_ms: int) -> int | None:
        """First fire time strictly after `epoch_ms` (to the second), or None before 2100."""
        start = dt.datetime.fromtimestamp(epoch_ms // 1000 + 1, tz=dt.UTC)
        seconds, minutes, hours, _, months, _, years = (sorted(f.values) for f in self.fields)
        day = start.date()
        while day.year <= 2099:
            if day.year not in years or day.month not in months:
                day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
                continue
            if self._day_matches(day):
                floor = start.time() if day == start.date() else dt.time()
                found = next(
                    (
                        dt.time(h, m, s)
                        for h in hours
                        if h >= floor.hour
                        for m in minutes
                        if (h, m) >= (floor.hour, floor.minute)
                        for s in seconds
                        if dt.time(h, m, s) >= floor
                    ),
                    None,
                )
                if found is not None:
                    return int(dt.datetime.combine(day, found, tzinfo=dt.UTC).timestamp()) * 1000
            day += dt.timedelta(days=1)
        return None
