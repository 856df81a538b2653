"""Issue 24, item 1: the hint for a 5-field cron means what the Unix cron means.

Every hint is compared, day by day over two years, with a small Unix cron reader written
here (cronie's rules: days 0-7 with 0 and 7 Sunday, names, and "either day field" unless one
of them starts with ``*``), through the reader that computes the server's fire days.
"""

from __future__ import annotations

import calendar
import re

import pytest

from pulumi_powerjob.__main__ import main
from pulumi_powerjob.validation.cron import CronError, normalize_cron
from pulumi_powerjob.validation.cron_calendar import cron_days, parse_cron
from pulumi_powerjob.validation.schedule import normalize_time_expression

NAMES = {"dow": ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")}
YEARS = (2026, 2027)


def unix_values(field: str, low: int, high: int, names: tuple[str, ...] = ()) -> set[int]:
    values: set[int] = set()
    for item in field.upper().split(","):
        base, _, step = item.partition("/")
        if base == "*":
            first, last = low, high
        else:
            a, _, b = base.partition("-")
            first = names.index(a) if a in names else int(a)
            last = (names.index(b) if b in names else int(b)) if b else first
        values.update(range(first, last + 1, int(step or 1)))
    return values


def unix_days(unix: str, year: int, month: int) -> set[int]:
    """Days of ``year-month`` a 5-field Unix cron fires on (cronie's rules)."""
    _, _, dom, months, dow = unix.split()
    if month not in unix_values(months, 1, 12):
        return set()
    doms = unix_values(dom, 1, 31)
    dows = {d % 7 for d in unix_values(dow, 0, 7, NAMES["dow"])}
    both = dom.startswith("*") or dow.startswith("*")
    length = calendar.monthrange(year, month)[1]
    out = set()
    for day in range(1, length + 1):
        weekday = (calendar.weekday(year, month, day) + 1) % 7  # Sunday = 0
        hit = (day in doms and weekday in dows) if both else (day in doms or weekday in dows)
        if hit:
            out.add(day)
    return out


def hints_of(unix: str) -> list[str]:
    with pytest.raises(CronError) as caught:
        normalize_cron(unix)
    return re.findall(r"'([^']+)'", str(caught.value))


def quartz_days(hints: list[str], year: int, month: int) -> set[int]:
    out: set[int] = set()
    for hint in hints:
        cron = parse_cron(normalize_cron(hint))
        if month in cron.months:
            out |= set(cron_days(cron, year, month))
    return out


UNIX_FORMS = [
    "30 2 * * 1-5",  # range
    "0 9 * * 0",  # Sunday as 0
    "0 9 * * 7",  # Sunday as 7
    "0 9 * * 6",  # a single day
    "0 9 * * 1,3,5",  # list
    "0 9 * * 0,6",  # list with Sunday
    "0 9 * * 5-7",  # range ending on Sunday as 7
    "0 9 * * 0-6",  # every day, as a range
    "0 9 * * 0-7",  # every day, Sunday twice
    "0 9 * * */2",  # step over the whole week (Sunday, Tuesday, Thursday, Saturday)
    "0 9 * * 1-5/2",  # range with a step
    "0 9 * * mon-fri",  # names, lower case
    "0 9 * * SUN",  # a name
    "0 9 * * MON,WED,fri",  # list of names
    "0 9 * * *",  # every day
    "*/5 * * * *",  # every five minutes
    "0 9 1 * *",  # day of month only
    "0 9 1 * MON",  # both restricted: either matches
    "0 9 1,15 * 1-5",  # both restricted, lists and ranges
    "0 9 */2 * 1",  # day of month starts with '*': both must match
    "0 9 1 * */2",  # day of week starts with '*': both must match
    "0 9 1 * 0-6",  # both restricted, one selects every day: every day
    "0 9 1-31 * 1",  # both restricted, day of month every day: every day
    "0 9 * 1-3 5",  # months restricted
    "0 9 13 * 5",  # Friday or the 13th
]
# A backwards range, a number with a step but no range, no such day: not read the same way by
# every cron, or not at all.
REFUSED_FORMS = ["0 9 * * sat-sun", "0 9 * * 1/2", "0 9 * * 8", "0 9 * * FUNDAY"]


@pytest.mark.parametrize("unix", UNIX_FORMS)
def test_regress_24_the_hint_fires_on_the_days_the_unix_cron_fires(unix: str) -> None:
    hints = hints_of(unix)
    assert 1 <= len(hints) <= 2, hints
    minute, hour = unix.split()[:2]
    for hint in hints:
        cron = parse_cron(normalize_cron(hint))
        assert cron.seconds == (0,)
        assert set(cron.minutes) == unix_values(minute, 0, 59)
        assert set(cron.hours) == unix_values(hour, 0, 23)
        dom, dow = hint.split()[3], hint.split()[5]
        assert "?" in (dom, dow) or "*" not in (dom, dow)  # both set: the server needs both
    for year in YEARS:
        for month in range(1, 13):
            assert quartz_days(hints, year, month) == unix_days(unix, year, month), (
                unix,
                hints,
                year,
                month,
            )


@pytest.mark.parametrize("unix", REFUSED_FORMS)
def test_day_fields_that_cannot_be_read_for_sure_get_no_hint(unix: str) -> None:
    with pytest.raises(CronError) as caught:
        normalize_cron(unix)
    assert "did you mean" not in str(caught.value)
    assert "add the seconds first, and '?' in one of the day fields" in str(caught.value)


def test_regress_24_the_issue_examples() -> None:
    assert hints_of("30 2 * * 1-5") == ["0 30 2 ? * MON-FRI"]
    assert hints_of("0 9 * * 0") == ["0 0 9 ? * SUN"]
    assert hints_of("0 9 1 * MON") == ["0 0 9 1 * ?", "0 0 9 ? * MON"]


def test_regress_24_the_same_hint_at_preview_and_in_the_schedule_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ValueError, match=re.escape("did you mean '0 30 2 ? * MON-FRI'?")):
        normalize_time_expression("CRON", "30 2 * * 1-5")
    assert main(["schedule", "30 2 * * 1-5"]) == 1
    assert "did you mean '0 30 2 ? * MON-FRI'?" in capsys.readouterr().err
    assert main(["schedule", "0 30 2 ? * MON-FRI"]) == 0
    assert "Monday through Friday" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("0 0 9 ? * MON#6", "day-of-week: 'MON#6': the week of the month after '#' must be 1-5"),
        ("0 0 9 ? * 2#0", "day-of-week: '2#0': the week of the month after '#' must be 1-5"),
        ("0 0 9 ? * FUN#2", "day-of-week: 'FUN' is not a number or one of SUN, MON"),
    ],
)
def test_regress_24_an_nth_day_names_the_part_that_is_wrong(expression: str, message: str) -> None:
    with pytest.raises(CronError) as caught:
        normalize_cron(expression)
    assert str(caught.value).startswith(message)
