"""``check_fire_window``: the windows the server refuses as "time expression is out of date"."""

from __future__ import annotations

import pytest

from pulumi_powerjob.validation.schedule import check_fire_window, normalize_time_expression
from tests.unit.validation.test_firetimes import DAY, NOW, daily, ms


@pytest.mark.parametrize(
    ("kind", "expression", "start", "end"),
    [
        pytest.param("CRON", "0 0 3 * * ?", NOW + DAY, NOW + DAY, id="start-equals-end"),
        pytest.param(
            "CRON", "0 0 0 1 * ?", None, ms(2026, 12, 31), id="end-before-the-first-fire-time"
        ),
        pytest.param(
            "DAILY_TIME_INTERVAL", daily(daysOfWeek=[1]), None, NOW + DAY, id="no-monday-before-end"
        ),
        pytest.param("CRON", "0 0 0 31 * 2#1", None, None, id="never"),
    ],
)
def test_windows_without_a_fire_time_are_refused(
    kind: str, expression: str, start: int | None, end: int | None
) -> None:
    canonical = normalize_time_expression(kind, expression)
    with pytest.raises(ValueError, match="time expression is out of date"):
        check_fire_window(kind, canonical, start, end, now_ms=NOW)


@pytest.mark.parametrize(
    ("kind", "expression", "start", "end"),
    [
        pytest.param("CRON", "0 0 3 * * ?", None, NOW + DAY, id="one-day"),
        pytest.param(
            "CRON", "0 0 3 * * ?", ms(2027, 1, 1), ms(2027, 1, 1, 1), id="fires-at-utc-plus-2-3"
        ),
        pytest.param("CRON", "0 0 * * * ?", ms(2027, 1, 1), ms(2027, 1, 1), id="start-is-a-fire"),
        pytest.param(
            "DAILY_TIME_INTERVAL",
            daily(),
            NOW + DAY,
            NOW + DAY,
            id="daily-start-ahead-no-end-check",
        ),
        pytest.param("FIXED_RATE", "1000", None, NOW + 1, id="rates-are-not-inspected"),
    ],
)
def test_windows_with_a_fire_time_in_some_zone_pass(
    kind: str, expression: str, start: int | None, end: int | None
) -> None:
    check_fire_window(kind, normalize_time_expression(kind, expression), start, end, now_ms=NOW)
