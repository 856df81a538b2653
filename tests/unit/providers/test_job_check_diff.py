"""JobProvider.check and .diff: offline, explicit, naming the field and the rule."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_powerjob.providers.job import JobProvider
from tests.support.delivered import WIRE_UNKNOWN, delivered

BASE: dict[str, Any] = {
    "job_name": "n",
    "time_expression_type": "CRON",
    "time_expression": "0 0 * * * ?",
    "processor_info": "p",
}
FUTURE = int(time.time() * 1000) + 86_400_000


def check(**changes: Any) -> tuple[dict[str, Any], dict[str, str]]:
    result = JobProvider().check({}, delivered({**BASE, "__provider": "blob", **changes}))
    return result.inputs, {f.property: f.reason for f in result.failures}


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"time_expression": "0 0 * * *"}, "time_expression", "6 or 7 fields"),
        ({"time_expression": "0 61 * * * ?"}, "time_expression", "minutes: 61 is outside 0-59"),
        ({"time_expression": None}, "time_expression", "is required when"),
        (
            {"time_expression_type": "FIXED_RATE", "time_expression": "0"},
            "time_expression",
            "1..120000",
        ),
        (
            {"time_expression_type": "FIXED_DELAY", "time_expression": "120001"},
            "time_expression",
            "1..120000",
        ),
        (
            {"time_expression_type": "FIXED_RATE", "time_expression": "1s"},
            "time_expression",
            "whole number",
        ),
        (
            {"time_expression_type": "DAILY_TIME_INTERVAL", "time_expression": "{}"},
            "time_expression",
            "interval",
        ),
        ({"time_expression_type": "HOURLY"}, "time_expression_type", "'API'"),
        ({"execute_type": "PARALLEL"}, "execute_type", "'STANDALONE'"),
        ({"job_name": ""}, "job_name", "at least 1 character"),
        ({"job_name": "x" * 256}, "job_name", "at most 255"),
        ({"processor_info": None}, "processor_info", "is required"),  # null is never sent
        ({"concurrency": 0}, "concurrency", "between 1 and 2147483647 (a Java int); got 0"),
        ({"max_instance_num": -1}, "max_instance_num", "between 0 and 2147483647"),
        ({"instance_retry_num": 2**31}, "instance_retry_num", "between 0 and 2147483647"),
        ({"min_cpu_cores": float("nan")}, "min_cpu_cores", "finite"),
        ({"jobname": "typo"}, "jobname", "is not a known property"),
        (
            {"alarm_config": {"alert_threshold": 1}},
            "alarm_config.statistic_window_len",
            "is required",
        ),
        ({"lifecycle": {"end": 1}}, "lifecycle", "end must be in the future"),
        ({"lifecycle": {"start": FUTURE + 5, "end": FUTURE}}, "lifecycle", "start must be before"),
        ({"dispatch_strategy": "SPECIFY"}, "dispatch_strategy_config", "required when"),
        ({"log_config": {"type": "FILE"}}, "log_config.type", "'ONLINE'"),
        ({"notify_user_ids": ["a"]}, "notify_user_ids.0", "whole number, not a string"),
    ],
)
def test_check_names_the_field_and_the_rule(changes: dict[str, Any], field: str, rule: str) -> None:
    _, failures = check(**changes)
    assert field in failures, failures
    assert rule in failures[field]


def test_five_field_cron_gets_a_hint() -> None:
    _, failures = check(time_expression="*/5 * * * *")
    assert "did you mean '0 */5 * * * ?'" in failures["time_expression"]


@pytest.mark.parametrize(
    ("changes", "key", "canonical"),
    [
        ({"time_expression": " 0  0 * * * ? "}, "time_expression", "0 0 * * * ?"),
        ({"time_expression": "0 0 12 ? jan mon"}, "time_expression", "0 0 12 ? JAN MON"),
        (
            {"time_expression_type": "fixed_rate", "time_expression": 5000},
            "time_expression",
            "5000",
        ),
        ({"time_expression_type": "API", "time_expression": "ignored"}, "time_expression", None),
        ({"job_description": ""}, "job_description", None),
        ({"notify_user_ids": None}, "notify_user_ids", []),
        (
            {
                "alarm_config": {
                    "alert_threshold": 0,
                    "statistic_window_len": 0,
                    "silence_window_len": 0,
                }
            },
            "alarm_config",
            None,
        ),
        ({"log_config": {}}, "log_config", None),
        ({"execute_type": "map"}, "execute_type", "MAP"),
        ({"connection": None}, "connection", "default"),
    ],
)
def test_check_returns_canonical_inputs(changes: dict[str, Any], key: str, canonical: Any) -> None:
    inputs, failures = check(**changes)
    assert failures == {}
    assert inputs[key] == canonical


def test_check_fills_server_defaults_and_drops_the_provider_blob() -> None:
    inputs, failures = check()
    assert failures == {}
    assert "__provider" not in inputs
    assert inputs["concurrency"] == 5
    assert inputs["enabled"] is True
    assert inputs["dispatch_strategy"] == "HEALTH_FIRST"


def test_unknown_values_are_kept_and_not_judged() -> None:
    inputs, failures = check(job_name=WIRE_UNKNOWN, time_expression=WIRE_UNKNOWN, concurrency=0)
    assert isinstance(inputs["job_name"], Unknown)
    assert isinstance(inputs["time_expression"], Unknown)
    assert set(failures) == {"concurrency"}


def test_daily_interval_is_canonical_json() -> None:
    inputs, failures = check(
        time_expression_type="DAILY_TIME_INTERVAL",
        time_expression='{"interval": 10, "startTimeOfDay": "08:00:00", "endTimeOfDay": "18:00:00",'
        ' "intervalUnit": "MINUTES", "daysOfWeek": [3, 1, 2]}',
    )
    assert failures == {}
    assert inputs["time_expression"] == (
        '{"interval":"10","startTimeOfDay":"08:00:00","endTimeOfDay":"18:00:00",'
        '"intervalUnit":"MINUTES","daysOfWeek":[1,2,3]}'
    )


def _state(**changes: Any) -> dict[str, Any]:
    inputs, _ = check(**changes)
    return {
        **inputs,
        "job_id": 7,
        "app_id": 1,
        "status": "ENABLE",
        "next_trigger_time": 5,
        "console_url": "u",
        "app_name": "a",
        "__provider": "old-blob",
    }


def test_diff_of_identical_declaration_is_explicitly_no_change() -> None:
    news, _ = check()
    result = JobProvider().diff("7", _state(), {**news, "__provider": "new-blob"})
    assert result.changes is False
    assert result.replaces == []


def test_diff_ignores_server_computed_outputs() -> None:
    news, _ = check()
    olds = {**_state(), "next_trigger_time": 999, "status": "DISABLE"}
    assert JobProvider().diff("7", olds, news).changes is False


def test_diff_reports_one_changed_field_in_place() -> None:
    news, _ = check(concurrency=9)
    result = JobProvider().diff("7", _state(), news)
    assert result.changes is True
    assert result.replaces == []


def test_diff_treats_unknown_as_a_change() -> None:
    news, _ = check(job_params=WIRE_UNKNOWN)
    assert JobProvider().diff("7", _state(), news).changes is True


def test_diff_replaces_with_delete_first_when_the_connection_changes() -> None:
    news, _ = check(connection="other-app")
    result = JobProvider().diff("7", _state(), news)
    assert result.replaces == ["connection"]
    assert result.delete_before_replace is True


def test_diff_ignores_adopt_id_after_creation() -> None:
    news, _ = check(adopt_id=42)
    assert JobProvider().diff("7", _state(), news).changes is False


def test_state_written_before_connection_existed_reads_as_default() -> None:
    olds = _state()
    del olds["connection"]
    news, _ = check()
    assert JobProvider().diff("7", olds, news).changes is False


# -- regressions found by the differential test against the real server ----------------------
# (tests/integration/test_job_check_differential.py; each case was accepted by check() and
# refused by PowerJob 4.3.9, or the other way round)

THIS_YEAR = time.gmtime().tm_year
Y2100 = 4_102_444_800_000


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"time_expression": "0 0 0 ? * ?"}, "time_expression", "'?' in both"),
        ({"time_expression": "0 0 0 30 FEB ?"}, "time_expression", "day 30 does not exist"),
        ({"time_expression": "0 0 0 31 4,6 ?"}, "time_expression", "day 31 does not exist"),
        ({"time_expression": "0 0 0 31W 4 ?"}, "time_expression", "day 31 does not exist"),
        ({"time_expression": "0 0 0 L-31 * ?"}, "time_expression", "L-31 is before the first"),
        ({"time_expression": "0 0 0 L-30 2 ?"}, "time_expression", "L-30 is before the first"),
        ({"time_expression": "5/70 * * * * ?"}, "time_expression", "step 70 is larger than 59"),
        ({"time_expression": "0 0 0/24 * * ?"}, "time_expression", "step 24 is larger than 23"),
        ({"time_expression": "0 0 0 1/32 * ?"}, "time_expression", "step 32 is larger than 31"),
        ({"time_expression": "0 0 0 ? * 1/8"}, "time_expression", "step 8 is larger than 7"),
        (
            {"time_expression": f"0 0 0 * * ? {THIS_YEAR - 3}"},
            "time_expression",
            "that is over",
        ),
        (
            {"time_expression": f"0 0 0 * * ? {THIS_YEAR - 5}-{THIS_YEAR - 2}"},
            "time_expression",
            "that is over",
        ),
        ({"lifecycle": {"start": Y2100 + 2 * 86_400_000}}, "time_expression", "that is over"),
        (
            {
                "time_expression": f"0 0 0 1 1 ? {THIS_YEAR + 5}",
                "lifecycle": {"end": FUTURE + 400 * 86_400_000},
            },
            "time_expression",
            "after the lifecycle ends",
        ),
        (
            {"time_expression": " ".join([",".join(map(str, range(60)))] * 2) + " * * * ?"},
            "time_expression",
            "at most 255 characters once normalised",
        ),
        (
            {
                "time_expression_type": "DAILY_TIME_INTERVAL",
                "time_expression": '{"interval": 9223372036854775808, '
                '"startTimeOfDay": "08:00:00", "endTimeOfDay": "09:00:00"}',
            },
            "time_expression",
            "64-bit",
        ),
        ({"job_name": "\U0001f600" * 128}, "job_name", "UTF-16 code units"),
        ({"job_description": "\U0001f600" * 128}, "job_description", "at most 255"),
        ({"processor_info": "p" * 256}, "processor_info", "at most 255"),
        ({"notify_user_ids": [1_000_000_000] * 24}, "notify_user_ids", "comma-joined"),
        (
            {"log_config": {"type": "ONLINE", "level": "INFO", "logger_name": "l" * 220}},
            "log_config.logger_name",
            "stored as JSON",
        ),
        ({"log_config": {"logger_name": "l" * 239}}, "log_config.logger_name", "takes 256"),
        ({"log_config": {"logger_name": '"' * 120}}, "log_config.logger_name", "takes 257"),
        ({"log_config": {"logger_name": "\x01" * 40}}, "log_config.logger_name", "takes 257"),
        ({"job_name": "a\x00b"}, "job_name", "NUL"),
        ({"job_params": "\x00"}, "job_params", "PostgreSQL refuses"),
    ],
)
def test_regress_differential_check_refuses_what_the_server_refuses(
    changes: dict[str, Any], field: str, rule: str
) -> None:
    _, failures = check(**changes)
    assert field in failures, failures
    assert rule in failures[field]


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"job_name": "a\ud800"}, "job_name", "unicode"),
        ({"job_params": "\udfff"}, "job_params", "lone surrogate"),
        ({"log_config": {"logger_name": "\ud800"}}, "log_config.logger_name", "lone surrogate"),
    ],
)
def test_lone_surrogates_are_refused_when_called_directly(
    changes: dict[str, Any], field: str, rule: str
) -> None:
    # Protobuf strings are UTF-8, so these cannot cross the engine at all (the program's
    # SDK fails to send them); a direct caller of the provider can still pass them.
    result = JobProvider().check({}, {**BASE, "__provider": "blob", **changes})
    failures = {f.property: f.reason for f in result.failures}
    assert field in failures, failures
    assert rule in failures[field]


@pytest.mark.parametrize(
    "changes",
    [
        {"job_name": "\U0001f600" * 127},
        {"job_name": "\u4e2d" * 255},
        {"processor_info": "p" * 255},
        {"notify_user_ids": [1_000_000_000] * 23},
        {"log_config": {"type": "ONLINE", "level": "INFO", "logger_name": "l" * 219}},
        {"log_config": {"logger_name": "l" * 238}},
        {"job_params": "x" * 100_000},
        {"job_name": "a\x01b"},
        {"time_expression": "0 0 0 29 2 ?"},
        {"time_expression": "0 0 0 31 2-4 ?"},
        {"time_expression": "0 0 0 L-30 * ?"},
        {"time_expression": "0/59 * * * * ?"},
        {"time_expression": "0 0 0 ? * SAT-MON"},
        {"time_expression": f"0 0 0 1 * ? {THIS_YEAR - 2}-{THIS_YEAR + 2}"},
        {"time_expression": "0 0 0 1 1 ? 2099"},
        {"time_expression_type": "FIXED_RATE", "lifecycle": {"start": Y2100 * 2}},
    ],
)
def test_regress_differential_check_accepts_what_the_server_accepts(
    changes: dict[str, Any],
) -> None:
    if "time_expression_type" in changes:
        changes = {**changes, "time_expression": "1000"}
    _, failures = check(**changes)
    assert failures == {}


@pytest.mark.parametrize(
    ("changes", "canonical"),
    [
        ({"time_expression_type": "FIXED_RATE", "time_expression": "+5"}, "5"),
        ({"time_expression_type": "FIXED_DELAY", "time_expression": "0100"}, "100"),
        (
            {
                "time_expression_type": "DAILY_TIME_INTERVAL",
                "time_expression": '{"interval": 1, "startTimeOfDay": "8:0:0", '
                '"endTimeOfDay": "18:00:00", "intervalUnit": null, "daysOfWeek": null}',
            },
            '{"interval":"1","startTimeOfDay":"08:00:00","endTimeOfDay":"18:00:00",'
            '"intervalUnit":"SECONDS","daysOfWeek":[]}',
        ),
    ],
)
def test_regress_differential_lenient_server_forms_are_canonicalised(
    changes: dict[str, Any], canonical: str
) -> None:
    inputs, failures = check(**changes)
    assert failures == {}
    assert inputs["time_expression"] == canonical


def test_regress_differential_daily_end_before_start_compares_padded_times() -> None:
    _, failures = check(
        time_expression_type="DAILY_TIME_INTERVAL",
        time_expression='{"interval": 1, "startTimeOfDay": "9:00:00", "endTimeOfDay": "10:00:00"}',
    )
    assert failures == {}
