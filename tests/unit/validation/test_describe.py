"""Schedules in words (cron-descriptor, with the two places it and the server part ways fixed),
and the ``schedule`` command that prints them with the next runs."""

from __future__ import annotations

import json

import pytest

from pulumi_powerjob.__main__ import main
from pulumi_powerjob.validation.describe import describe


@pytest.mark.parametrize(
    ("kind", "expression", "words"),
    [
        (
            "CRON",
            "0 0/15 8-18 ? * MON-FRI",
            "Every 15 minutes, between 08:00 and 18:59, Monday through Friday",
        ),
        ("CRON", "0 0 12 ? * 2", "At 12:00, only on Monday"),  # Quartz: 1 is Sunday
        ("CRON", "0 0 12 ? * L", "At 12:00, only on Saturday"),  # the server's L alone
        ("CRON", "0 0 12 ? * 6#3", "At 12:00, on the third Friday of the month"),
        ("CRON", "0 0 12 ? * 6L", "At 12:00, on the last Friday of the month"),
        ("CRON", "0 0 12 LW * ?", "At 12:00, on the last weekday of the month"),
        ("CRON", "0 0 12 L-3 * ?", "At 12:00, 3 days before the last day of the month"),
        ("CRON", "0 0 12 15W * ?", "At 12:00, on the weekday nearest day 15 of the month"),
        (
            "CRON",
            "0 0 0 1 1 ? 2030",
            "At 00:00, on day 1 of the month, only in January, only in 2030",
        ),
        (
            "CRON",
            "0 0 12 13 * FRI",  # the server needs both: cron-descriptor alone says "or"
            "At 12:00, on day 13 of the month, if that day is also Friday",
        ),
        (
            "DAILY_TIME_INTERVAL",
            json.dumps(
                {
                    "interval": "90",
                    "startTimeOfDay": "08:00:00",
                    "endTimeOfDay": "18:00:00",
                    "intervalUnit": "MINUTES",
                    "daysOfWeek": [1, 3],
                }
            ),
            "every 90 minutes from 08:00:00 to 18:00:00, on Monday, Wednesday",
        ),
        ("FIXED_RATE", "60000", "every minute, however long runs take"),
        ("FIXED_DELAY", "1500", "1500 ms after each run ends"),
        ("API", None, "only when started through the API"),
    ],
)
def test_describe(kind: str, expression: str | None, words: str) -> None:
    assert describe(kind, expression) == words


def test_schedule_command_prints_the_words_and_the_next_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schedule", "0 0 0 1 1 ? 2098-2099", "--count", "3", "--tz", "Asia/Tokyo"]) == 0
    out = capsys.readouterr().out
    assert "At 00:00, on day 1 of the month, only in January, 2098 through 2099" in out
    assert "| 1 | 2098-01-01 00:00:00 JST |" in out
    assert "| 2 | 2099-01-01 00:00:00 JST |" in out
    assert "| 3 |" not in out


def test_schedule_command_refuses_a_bad_expression_naming_the_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schedule", "0 0 * * *"]) == 1
    assert "cron needs 6 or 7 fields" in capsys.readouterr().err


def test_schedule_command_takes_other_types(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", "5000", "--type", "fixed_rate", "--count", "2"]) == 0
    out = capsys.readouterr().out
    assert "every 5 seconds" in out and "| 2 |" in out
