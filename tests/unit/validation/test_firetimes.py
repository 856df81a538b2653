"""The offline fire-time engine, form by form, against dates worked out by hand.

The reference instant is Wednesday 2026-12-02 07:30:12.500 UTC. What the server itself says
is checked in tests/integration/test_firetimes_differential.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pulumi_powerjob.validation.firetimes import fire_times, next_fire
from pulumi_powerjob.validation.schedule import normalize_time_expression
from pulumi_powerjob.validation.zones import zone_from_display_name, zone_of

NOW = int(datetime(2026, 12, 2, 7, 30, 12, 500_000, tzinfo=UTC).timestamp() * 1000)
DAY = 86_400_000


def ms(*parts: int, zone: str = "UTC") -> int:
    return int(datetime(*parts, tzinfo=zone_of(zone)).timestamp() * 1000)  # type: ignore[arg-type,misc]


def iso(values: list[int]) -> list[str]:
    return [datetime.fromtimestamp(v / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S") for v in values]


def cron(expr: str, count: int = 3, **kw: object) -> list[str]:
    canonical = normalize_time_expression("CRON", expr)
    return iso(fire_times("CRON", canonical, count, NOW, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(
            "0 0/15 8-18 ? * MON-FRI",
            ["2026-12-02 08:00:00", "2026-12-02 08:15:00", "2026-12-02 08:30:00"],
            id="steps-hours-weekdays",
        ),
        pytest.param(
            "* * * * * ?",
            ["2026-12-02 07:30:13", "2026-12-02 07:30:14", "2026-12-02 07:30:15"],
            id="every-second-after-the-current-one",
        ),
        pytest.param(
            "12 30 7 * * ?",
            ["2026-12-03 07:30:12", "2026-12-04 07:30:12", "2026-12-05 07:30:12"],
            id="the-current-second-does-not-count",
        ),
        pytest.param(
            "0 0 12 15W * ?",
            ["2026-12-15 12:00:00", "2027-01-15 12:00:00", "2027-02-15 12:00:00"],
            id="W-on-a-weekday",
        ),
        pytest.param(
            "0 0 12 14W * ?",
            ["2026-12-14 12:00:00", "2027-01-14 12:00:00", "2027-02-15 12:00:00"],
            id="W-sunday-moves-to-monday",  # 2027-02-14 is a Sunday
        ),
        pytest.param(
            "0 0 12 1W * ?",
            ["2027-01-01 12:00:00", "2027-02-01 12:00:00", "2027-03-01 12:00:00"],
            id="W-on-the-1st",
        ),
        pytest.param(
            "0 0 12 1W 5 ? 2027",
            ["2027-05-03 12:00:00"],
            id="W-saturday-1st-moves-to-monday-3rd",  # 2027-05-01 is a Saturday
        ),
        pytest.param(
            "0 0 12 31W 10 ? 2027",
            ["2027-10-31 12:00:00"],
            id="W-sunday-last-day-stays-cron-utils",  # Quartz would say Friday the 29th
        ),
        pytest.param(
            "0 0 12 L * ?",
            ["2026-12-31 12:00:00", "2027-01-31 12:00:00", "2027-02-28 12:00:00"],
            id="L",
        ),
        pytest.param(
            "0 0 12 L-3 * ?",
            ["2026-12-28 12:00:00", "2027-01-28 12:00:00", "2027-02-25 12:00:00"],
            id="L-minus-3",
        ),
        pytest.param(
            "0 0 12 LW * ?",
            ["2026-12-31 12:00:00", "2027-01-29 12:00:00", "2027-02-26 12:00:00"],
            id="LW",  # 2027-01-31 is a Sunday, 2027-02-28 a Sunday
        ),
        pytest.param(
            "0 0 12 ? * 6#3",
            ["2026-12-18 12:00:00", "2027-01-15 12:00:00", "2027-02-19 12:00:00"],
            id="hash-third-friday",
        ),
        pytest.param(
            "0 0 12 ? * 2#5",
            ["2027-03-29 12:00:00", "2027-05-31 12:00:00", "2027-08-30 12:00:00"],
            id="hash-fifth-monday-skips-months",
        ),
        pytest.param(
            "0 0 12 ? * 6L",
            ["2026-12-25 12:00:00", "2027-01-29 12:00:00", "2027-02-26 12:00:00"],
            id="last-friday",
        ),
        pytest.param(
            "0 0 12 ? * L",
            ["2026-12-05 12:00:00", "2026-12-12 12:00:00", "2026-12-19 12:00:00"],
            id="L-alone-is-every-saturday",
        ),
        pytest.param(
            "0 0 12 ? * 1",
            ["2026-12-06 12:00:00", "2026-12-13 12:00:00", "2026-12-20 12:00:00"],
            id="1-is-sunday",
        ),
        pytest.param(
            "0 0 3 ? * FRI-MON",
            ["2026-12-04 03:00:00", "2026-12-05 03:00:00", "2026-12-06 03:00:00"],
            id="day-of-week-range-wraps",
        ),
        pytest.param(
            "0 0 3 ? * 2-6/2",
            ["2026-12-04 03:00:00", "2026-12-07 03:00:00", "2026-12-09 03:00:00"],
            id="day-of-week-range-step",  # Monday, Wednesday, Friday
        ),
        pytest.param(
            "0 0 12 13 * FRI",
            ["2027-08-13 12:00:00", "2028-10-13 12:00:00", "2029-04-13 12:00:00"],
            id="both-day-fields-must-match",
        ),
        pytest.param(
            "0 0 0 1 JAN,JUL ?",
            ["2027-01-01 00:00:00", "2027-07-01 00:00:00", "2028-01-01 00:00:00"],
            id="month-names",
        ),
        pytest.param(
            "0 0 0 29 2 ?",
            ["2028-02-29 00:00:00", "2032-02-29 00:00:00", "2036-02-29 00:00:00"],
            id="leap-days",
        ),
        pytest.param(
            "0 0 0 1 1 ? 2030/4",
            ["2030-01-01 00:00:00", "2034-01-01 00:00:00", "2038-01-01 00:00:00"],
            id="year-step",
        ),
        pytest.param("0 0 0 1 1 ? 2098-2099", ["2098-01-01 00:00:00", "2099-01-01 00:00:00"]),
        pytest.param("0 0 3 * * ? 2020", [], id="past-year-never"),
        pytest.param("0 0 0 31 * 2#1", [], id="31st-is-never-the-first-monday"),
        pytest.param(
            "5/20 0 0 1 * ?",
            ["2027-01-01 00:00:05", "2027-01-01 00:00:25", "2027-01-01 00:00:45"],
            id="start-step",
        ),
    ],
)
def test_cron_fire_times_in_utc(expr: str, expected: list[str]) -> None:
    assert cron(expr, count=3) == expected


def test_cron_runs_in_the_given_zone() -> None:
    assert cron("0 0 12 * * ?", 2, zone="Asia/Shanghai") == [
        "2026-12-03 04:00:00",
        "2026-12-04 04:00:00",
    ]


NY = "America/New_York"  # 2027: spring forward 14 March 02:00, fall back 7 November 02:00


def first(expr: str, start: int) -> int | None:
    return next_fire("CRON", normalize_time_expression("CRON", expr), NOW, start=start, zone=NY)


def test_a_fire_time_in_a_spring_forward_gap_is_skipped_as_the_server_does() -> None:
    assert first("0 30 2 * * ?", ms(2027, 3, 13, 12, zone=NY)) == ms(2027, 3, 15, 2, 30, zone=NY)
    assert first("0 0 * * * ?", ms(2027, 3, 14, 1, 30, zone=NY)) == ms(2027, 3, 14, 3, zone=NY)


def test_the_repeated_hour_fires_again_for_crons_at_least_hourly() -> None:
    first_pass = ms(2027, 11, 7, 1, 30, zone=NY)  # EDT
    second_one = int(datetime(2027, 11, 7, 1, 0, tzinfo=zone_of(NY), fold=1).timestamp() * 1000)
    assert first("0 0 * * * ?", first_pass) == second_one
    assert first("0 */15 1 * * ?", first_pass + 20 * 60_000) == second_one


def test_a_daily_cron_does_not_fire_again_in_the_repeated_hour() -> None:
    between = ms(2027, 11, 7, 1, 45, zone=NY)  # after 01:30 EDT, before 01:30 EST
    assert first("0 30 1 * * ?", between) == ms(2027, 11, 8, 1, 30, zone=NY)


# -- the lifecycle, as CronTimingStrategyHandler reads it ---------------------------------------


def test_a_start_ahead_counts_a_fire_time_at_the_start_but_not_before_it() -> None:
    canonical = normalize_time_expression("CRON", "0 0 * * * ?")
    start = ms(2027, 1, 1, 10, 0)
    assert next_fire("CRON", canonical, NOW, start=start) == start
    # 10:00:00.500: the 10:00:00 fire time is before the start (the server agrees, 4.3.9)
    assert next_fire("CRON", canonical, NOW, start=start + 500) == ms(2027, 1, 1, 11, 0)


def test_a_start_ahead_with_no_fire_time_before_it_does_not_count_its_own() -> None:
    canonical = normalize_time_expression("CRON", "0 0 0 1 1 ? 2027-2028")
    start = ms(2027, 1, 1)
    assert next_fire("CRON", canonical, NOW, start=start) == ms(2028, 1, 1)


def test_the_end_is_inclusive() -> None:
    canonical = normalize_time_expression("CRON", "0 0 3 * * ?")
    assert next_fire("CRON", canonical, NOW, end=ms(2026, 12, 3, 3)) == ms(2026, 12, 3, 3)
    assert next_fire("CRON", canonical, NOW, end=ms(2026, 12, 3, 3) - 1) is None


# -- daily intervals, fixed rates ----------------------------------------------------------------


def daily(**changes: object) -> str:
    body = {
        "interval": 90,
        "startTimeOfDay": "08:00:00",
        "endTimeOfDay": "18:00:00",
        "intervalUnit": "MINUTES",
        "daysOfWeek": [1, 3],
        **changes,
    }
    canonical = normalize_time_expression("DAILY_TIME_INTERVAL", json.dumps(body))
    assert canonical is not None
    return canonical


def test_daily_adds_the_interval_to_now_first_then_waits_for_the_window() -> None:
    found = fire_times("DAILY_TIME_INTERVAL", daily(interval=10), 2, NOW)
    assert found == [ms(2026, 12, 2, 8), ms(2026, 12, 2, 8, 10)]
    found = fire_times("DAILY_TIME_INTERVAL", daily(), 2, NOW)  # 07:30:12.5 + 90 min
    assert found == [ms(2026, 12, 2, 9, 0, 12) + 500, ms(2026, 12, 2, 10, 30, 12) + 500]


def test_daily_inside_the_window_adds_the_interval_and_keeps_milliseconds() -> None:
    at = ms(2026, 12, 2, 9, 0, 12) + 500
    assert next_fire("DAILY_TIME_INTERVAL", daily(), at) == ms(2026, 12, 2, 10, 30, 12) + 500


def test_daily_skips_to_the_next_allowed_day() -> None:
    at = ms(2026, 12, 2, 17, 0)  # + 90 min is past 18:00; Thursday is not allowed: Monday
    assert next_fire("DAILY_TIME_INTERVAL", daily(), at) == ms(2026, 12, 7, 8)


def test_daily_nanoseconds_truncate_to_whole_milliseconds() -> None:
    expression = daily(interval=1_999_999, intervalUnit="NANOSECONDS", daysOfWeek=[])
    at = ms(2026, 12, 2, 9)
    assert next_fire("DAILY_TIME_INTERVAL", expression, at) == at + 1


def test_daily_with_a_start_ahead_ignores_the_end_as_the_server_does() -> None:
    start = ms(2026, 12, 5)  # a Saturday: the first allowed day is Monday the 7th
    found = next_fire("DAILY_TIME_INTERVAL", daily(), NOW, start=start, end=start + 1)
    assert found == ms(2026, 12, 7, 8)


def test_fixed_rate_adds_the_rate_or_waits_for_the_start() -> None:
    assert fire_times("FIXED_RATE", "5000", 2, NOW) == [NOW + 5000, NOW + 10_000]
    assert next_fire("FIXED_RATE", "5000", NOW, start=NOW + DAY) == NOW + DAY
    assert next_fire("FIXED_RATE", "5000", NOW, end=NOW + 4999) is None


def test_api_and_workflow_never_fire_on_a_clock() -> None:
    assert fire_times("API", None, 3, NOW) == fire_times("WORKFLOW", None, 3, NOW) == []


def test_server_zone_display_names_map_to_iana_zones() -> None:
    assert zone_from_display_name("Coordinated Universal Time") == "UTC"
    assert zone_from_display_name("GMT+08:00") == "Etc/GMT-8"
    assert zone_from_display_name("Mars Standard Time") is None


def test_an_unknown_zone_names_itself() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        zone_of("Mars/Olympus")
