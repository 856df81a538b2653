"""The Quartz cron that means what a 5-field Unix cron means: the hint for a 5-field cron.

Unix cron numbers days of the week 0-7 (0 and 7 are Sunday), Quartz 1-7 (1 is Sunday), so
the day-of-week field is written back with names (``MON-FRI``), which mean the same in both.
Unix cron fires on a day that matches *either* day field when both are restricted (and on a
day that matches both when one of them starts with ``*``, as cronie and Vixie cron read it);
Quartz wants ``?`` in one day field, and has no "either": that case becomes two crons.
"""

from __future__ import annotations

import re

_UNIX_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_ITEM = re.compile(r"^(?:\*|(\w+)(?:-(\w+))?)(?:/(\d+))?$")


def quartz_equivalents(unix: list[str]) -> list[str] | None:
    """The Quartz crons (one, or two that together mean the same) for a 5-field Unix cron, or
    ``None`` when its day-of-week field is not one we can read for sure."""
    minute, hour, dom, month, dow = (part.upper() for part in unix)
    dom, dow = ("*" if dom == "?" else dom), ("*" if dow == "?" else dow)
    days = _unix_weekdays(dow)
    if days is None:
        return None
    quartz_dow = _quartz_weekdays(days)
    every_dom = dom == "*" or _covers_month(dom)
    head = f"0 {minute} {hour}"
    if dom.startswith("*") or dow.startswith("*"):  # both fields must match
        if every_dom:
            return [
                f"{head} ? {month} {quartz_dow}" if quartz_dow != "*" else f"{head} * {month} ?"
            ]
        return [
            f"{head} {dom} {month} ?" if quartz_dow == "*" else f"{head} {dom} {month} {quartz_dow}"
        ]
    if every_dom or quartz_dow == "*":  # either field matches every day
        return [f"{head} * {month} ?"]
    return [f"{head} {dom} {month} ?", f"{head} ? {month} {quartz_dow}"]


def _unix_weekdays(field: str) -> set[int] | None:
    """Days a Unix day-of-week field selects, Sunday = 0; ``None`` when it cannot be read."""
    days: set[int] = set()
    for item in field.upper().split(","):
        match = _ITEM.match(item)
        if match is None:
            return None
        low_text, high_text, step_text = match.groups()
        if low_text is not None and high_text is None and step_text is not None:
            return None  # "1/2" is not read the same way by every cron
        low = 0 if low_text is None else _unix_day(low_text)
        high = 7 if low_text is None else _unix_day(high_text or low_text)
        if low is None or high is None:
            return None
        if high < low:
            return None
        step = int(step_text) if step_text else 1
        if step == 0:
            return None
        days.update(day % 7 for day in range(low, high + 1, step))
    return days


def _unix_day(text: str) -> int | None:
    if text in _UNIX_DAYS:
        return _UNIX_DAYS.index(text)
    if text.isascii() and text.isdigit() and int(text) <= 7:
        return int(text)
    return None


def _quartz_weekdays(days: set[int]) -> str:
    """Days as Quartz names, runs of three or more as ranges: ``MON-FRI``, ``SUN,SAT``."""
    if len(days) == 7:
        return "*"
    items: list[str] = []
    ordered = sorted(days)
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = _UNIX_DAYS[ordered[start]], _UNIX_DAYS[ordered[end]]
        if end - start >= 2:
            items.append(f"{first}-{last}")
        else:
            items.extend(_UNIX_DAYS[d] for d in ordered[start : end + 1])
        start = end + 1
    return ",".join(items)


def _covers_month(field: str) -> bool:
    """A day-of-month field that selects every day, written without a leading ``*``."""
    days: set[int] = set()
    for item in field.split(","):
        match = _ITEM.match(item)
        if match is None or match.group(1) is None or not match.group(1).isdigit():
            return False
        low_text, high_text, step_text = match.groups()
        high = int(high_text) if high_text and high_text.isdigit() else int(low_text)
        if high_text is None and step_text is not None:
            high = 31
        days.update(range(int(low_text), high + 1, int(step_text or 1) or 1))
    return days >= set(range(1, 32))
