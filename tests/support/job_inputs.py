"""A seeded, deterministic generator of job declarations, valid and invalid.

Each generated job is one valid base (drawn with ``random.Random(seed)``) with at most one
*mutation*: a named edge case (a cron field out of range, a 256-character name, a negative
count...). Its ``label`` names the mutation, so a disagreement between ``check()`` and the
server points at one rule. ``raw_request`` turns any declaration, even one the spec model
cannot hold, into the ``saveJob`` body a hand-written client would send for it.

Values that depend on the clock (lifecycles, cron years) are relative to ``now_ms``, so a
given seed and clock always give the same list.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic.alias_generators import to_camel

from pulumi_powerjob.models.enums import LogLevel, LogType, TaskTrackerBehavior
from pulumi_powerjob.validation.schedule import normalize_time_expression

INT32 = 2**31 - 1
INT64 = 2**63 - 1
DAY_MS = 86_400_000
SEED = 4309
MISSING = object()
"""A mutation value meaning: leave the field out of the declaration."""


@dataclass(frozen=True)
class GeneratedJob:
    """One declaration to try: ``label`` names what is special about it."""

    index: int
    category: str
    label: str
    inputs: dict[str, Any]

    @property
    def case_id(self) -> str:
        return f"{self.index:03d}-{self.label}"


@dataclass(frozen=True)
class Clock:
    """The values a generation depends on besides the seed."""

    now_ms: int

    @property
    def year(self) -> int:
        """This year, as seen two days ago: clear of check()'s one-day time-zone slack."""
        return datetime.fromtimestamp(self.now_ms / 1000 - 2 * 86_400, UTC).year

    def days(self, n: float) -> int:
        return self.now_ms + int(n * DAY_MS)

    def jan1(self, year: int) -> int:
        return int(datetime(year, 1, 1, tzinfo=UTC).timestamp() * 1000)


Changes = Callable[[Clock], dict[str, Any]]


def _cron(expr: Any) -> Changes:
    """A CRON schedule; ``expr`` is the expression (any value) or a function of the clock."""
    return lambda c: {
        "time_expression_type": "CRON",
        "time_expression": expr(c) if callable(expr) else expr,
    }


def _fixed(kind: str, value: Any) -> Changes:
    return lambda c: {"time_expression_type": kind, "time_expression": value}


_DAILY_BASE: dict[str, Any] = {
    "interval": 10,
    "startTimeOfDay": "08:00:00",
    "endTimeOfDay": "18:00:00",
    "intervalUnit": "MINUTES",
    "daysOfWeek": [1, 2, 3, 4, 5],
}


def _daily(text: str | None = None, drop: str | None = None, **changes: Any) -> Changes:
    body = {k: v for k, v in {**_DAILY_BASE, **changes}.items() if k != drop}
    expr = text if text is not None else json.dumps(body)
    return lambda c: {"time_expression_type": "DAILY_TIME_INTERVAL", "time_expression": expr}


def _set(**fields: Any) -> Changes:
    return lambda c: dict(fields)


_LONG_CRON_250 = (
    "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24 "
    + ",".join(str(m) for m in range(50))
    + " * * * ?"
)
_LONG_CRON_300 = " ".join([",".join(str(s) for s in range(60))] * 2) + " * * * ?"

# (category, label, changes). Labels are unique: the quirk list refers to them.
MUTATIONS: list[tuple[str, str, Changes]] = [
    # -- cron: field counts, ranges, special characters, years --------------------------
    ("cron", "cron-5-fields", _cron("*/5 * * * *")),
    ("cron", "cron-4-fields", _cron("0 0 * *")),
    ("cron", "cron-8-fields", _cron("0 0 0 * * ? 2030 1")),
    ("cron", "cron-7-fields-star-year", _cron("0 0 3 * * ? *")),
    ("cron", "cron-whitespace-padded", _cron("  0  0 3 * *  ? ")),
    ("cron", "cron-empty", _cron("")),
    ("cron", "cron-none", _cron(None)),
    ("cron", "cron-garbage", _cron("every day at noon")),
    ("cron", "cron-int", _cron(5)),
    ("cron", "cron-seconds-60", _cron("60 0 0 * * ?")),
    ("cron", "cron-minutes-60", _cron("0 60 0 * * ?")),
    ("cron", "cron-hours-24", _cron("0 0 24 * * ?")),
    ("cron", "cron-dom-0", _cron("0 0 0 0 * ?")),
    ("cron", "cron-dom-32", _cron("0 0 0 32 * ?")),
    ("cron", "cron-month-0", _cron("0 0 0 1 0 ?")),
    ("cron", "cron-month-13", _cron("0 0 0 1 13 ?")),
    ("cron", "cron-dow-0", _cron("0 0 0 ? * 0")),
    ("cron", "cron-dow-8", _cron("0 0 0 ? * 8")),
    ("cron", "cron-negative", _cron("-1 0 0 * * ?")),
    ("cron", "cron-question-in-seconds", _cron("? 0 0 * * ?")),
    ("cron", "cron-question-in-month", _cron("0 0 0 1 ? *")),
    ("cron", "cron-question-both-days", _cron("0 0 0 ? * ?")),
    ("cron", "cron-star-both-days", _cron("0 0 0 * * *")),
    ("cron", "cron-question-dom", _cron("0 30 9 ? * MON-FRI")),
    ("cron", "cron-month-names-lower", _cron("0 0 12 ? jan,mar mon-fri")),
    ("cron", "cron-month-names-upper", _cron("0 0 12 1 JAN-JUN ?")),
    ("cron", "cron-month-name-long", _cron("0 0 12 1 JANUARY ?")),
    ("cron", "cron-day-name-long", _cron("0 0 12 ? * MONDAY")),
    ("cron", "cron-L", _cron("0 0 0 L * ?")),
    ("cron", "cron-LW", _cron("0 0 0 LW * ?")),
    ("cron", "cron-15W", _cron("0 0 0 15W * ?")),
    ("cron", "cron-32W", _cron("0 0 0 32W * ?")),
    ("cron", "cron-L-3", _cron("0 0 0 L-3 * ?")),
    ("cron", "cron-L-31", _cron("0 0 0 L-31 * ?")),
    ("cron", "cron-L-30-feb", _cron("0 0 0 L-30 2 ?")),
    ("cron", "cron-dow-6L", _cron("0 0 0 ? * 6L")),
    ("cron", "cron-dow-MONL", _cron("0 0 0 ? * MONL")),
    ("cron", "cron-dow-MON#2", _cron("0 0 0 ? * MON#2")),
    ("cron", "cron-dow-1#6", _cron("0 0 0 ? * 1#6")),
    ("cron", "cron-dow-1#0", _cron("0 0 0 ? * 1#0")),
    ("cron", "cron-W-in-month", _cron("0 0 0 L W ?")),
    ("cron", "cron-W-range", _cron("0 0 0 1W-5 * ?")),
    ("cron", "cron-hash-in-dom", _cron("0 0 0 1#2 * ?")),
    ("cron", "cron-H", _cron("H 0 0 * * ?")),
    ("cron", "cron-trailing-comma", _cron("0 0 0 1, * ?")),
    ("cron", "cron-step-0", _cron("*/0 * * * * ?")),
    ("cron", "cron-step-15", _cron("*/15 * * * * ?")),
    ("cron", "cron-step-59", _cron("0/59 * * * * ?")),
    ("cron", "cron-step-70", _cron("5/70 * * * * ?")),
    ("cron", "cron-step-hours-24", _cron("0 0 0/24 * * ?")),
    ("cron", "cron-step-dom-32", _cron("0 0 0 1/32 * ?")),
    ("cron", "cron-step-dow-8", _cron("0 0 0 ? * 1/8")),
    ("cron", "cron-range-dow-wraps", _cron("0 0 0 ? * SAT-MON")),
    ("cron", "cron-range-hours-backwards", _cron("0 0 22-2 * * ?")),
    ("cron", "cron-range-dom-backwards", _cron("0 0 0 5-1 * ?")),
    ("cron", "cron-range-month-backwards", _cron("0 0 0 1 NOV-FEB ?")),
    ("cron", "cron-feb-30", _cron("0 0 0 30 FEB ?")),
    ("cron", "cron-apr-jun-31", _cron("0 0 0 31 4,6 ?")),
    ("cron", "cron-apr-31W", _cron("0 0 0 31W 4 ?")),
    ("cron", "cron-feb-29", _cron("0 0 0 29 2 ?")),
    ("cron", "cron-31-some-months", _cron("0 0 0 31 2-4 ?")),
    ("cron", "cron-year-1969", _cron("0 0 0 1 1 ? 1969")),
    ("cron", "cron-year-2100", _cron("0 0 0 1 1 ? 2100")),
    ("cron", "cron-year-2099", _cron("0 0 0 1 1 ? 2099")),
    ("cron", "cron-year-past", _cron(lambda c: f"0 0 0 * * ? {c.year - 3}")),
    ("cron", "cron-year-last", _cron(lambda c: f"0 0 0 * * ? {c.year - 1}")),
    ("cron", "cron-year-range-past", _cron(lambda c: f"0 0 0 * * ? {c.year - 5}-{c.year - 2}")),
    (
        "cron",
        "cron-year-range-spans-now",
        _cron(lambda c: f"0 0 0 1 * ? {c.year - 2}-{c.year + 2}"),
    ),
    ("cron", "cron-year-future", _cron(lambda c: f"0 0 0 1 1 ? {c.year + 5}")),
    ("cron", "cron-year-step", _cron(lambda c: f"0 0 0 1 1 ? {c.year + 1}/2")),
    ("cron", "cron-year-backwards", _cron(lambda c: f"0 0 0 1 1 ? {c.year + 4}-{c.year + 2}")),
    ("cron", "cron-250-chars", _cron(_LONG_CRON_250)),
    ("cron", "cron-300-chars", _cron(_LONG_CRON_300)),
    # -- fixed rate / delay ---------------------------------------------------------------
    *[
        (kind.lower().replace("_", "-"), f"{kind.lower()}-{name}", _fixed(kind, value))
        for kind in ("FIXED_RATE", "FIXED_DELAY")
        for name, value in (
            ("0", "0"),
            ("1", "1"),
            ("120000", "120000"),
            ("120001", "120001"),
            ("negative", "-5"),
            ("abc", "abc"),
            ("decimal", "1.5"),
            ("exponent", "1e3"),
            ("empty", ""),
            ("none", None),
            ("plus-sign", "+5"),
            ("leading-zero", "0100"),
            ("padded", " 100 "),
            ("int", 5000),
            ("huge", "99999999999999999999"),
        )
    ],
    # -- daily time interval --------------------------------------------------------------
    ("daily", "daily-full", _daily()),
    ("daily", "daily-missing-interval", _daily(drop="interval")),
    ("daily", "daily-missing-start", _daily(drop="startTimeOfDay")),
    ("daily", "daily-missing-end", _daily(drop="endTimeOfDay")),
    ("daily", "daily-missing-unit", _daily(drop="intervalUnit")),
    ("daily", "daily-missing-days", _daily(drop="daysOfWeek")),
    ("daily", "daily-interval-0", _daily(interval=0)),
    ("daily", "daily-interval-negative", _daily(interval=-1)),
    ("daily", "daily-interval-string", _daily(interval="10")),
    ("daily", "daily-interval-abc", _daily(interval="abc")),
    ("daily", "daily-interval-decimal", _daily(interval=1.5)),
    ("daily", "daily-interval-huge", _daily(interval=2**63)),
    ("daily", "daily-interval-bool", _daily(interval=True)),
    ("daily", "daily-start-unpadded", _daily(startTimeOfDay="8:00:00")),
    ("daily", "daily-start-hh-mm", _daily(startTimeOfDay="08:00")),
    ("daily", "daily-start-24h", _daily(startTimeOfDay="24:00:00")),
    ("daily", "daily-start-second-60", _daily(startTimeOfDay="07:59:60")),
    ("daily", "daily-start-fraction", _daily(startTimeOfDay="08:00:00.5")),
    ("daily", "daily-end-before-start", _daily(endTimeOfDay="07:00:00")),
    ("daily", "daily-end-equals-start", _daily(endTimeOfDay="08:00:00")),
    ("daily", "daily-unit-lowercase", _daily(intervalUnit="minutes")),
    ("daily", "daily-unit-unknown", _daily(intervalUnit="WEEKS")),
    ("daily", "daily-unit-nanoseconds", _daily(intervalUnit="NANOSECONDS")),
    ("daily", "daily-unit-days", _daily(intervalUnit="DAYS", interval=2)),
    ("daily", "daily-unit-null", _daily(intervalUnit=None)),
    ("daily", "daily-days-0", _daily(daysOfWeek=[0])),
    ("daily", "daily-days-8", _daily(daysOfWeek=[8])),
    ("daily", "daily-days-7", _daily(daysOfWeek=[7])),
    ("daily", "daily-days-empty", _daily(daysOfWeek=[])),
    ("daily", "daily-days-duplicates", _daily(daysOfWeek=[3, 1, 1])),
    ("daily", "daily-days-string", _daily(daysOfWeek="1")),
    ("daily", "daily-days-null", _daily(daysOfWeek=None)),
    ("daily", "daily-unknown-key", _daily(everyOtherWeek=True)),
    ("daily", "daily-json-array", _daily(text="[]")),
    ("daily", "daily-not-json", _daily(text="every 10 minutes")),
    ("daily", "daily-empty-object", _daily(text="{}")),
    # -- lifecycle ------------------------------------------------------------------------
    ("lifecycle", "lifecycle-end-past", lambda c: {"lifecycle": {"end": c.days(-1)}}),
    ("lifecycle", "lifecycle-end-epoch", lambda c: {"lifecycle": {"start": 0, "end": 0}}),
    (
        "lifecycle",
        "lifecycle-start-after-end",
        lambda c: {"lifecycle": {"start": c.days(40), "end": c.days(30)}},
    ),
    ("lifecycle", "lifecycle-start-past", lambda c: {"lifecycle": {"start": c.days(-30)}}),
    ("lifecycle", "lifecycle-start-negative", lambda c: {"lifecycle": {"start": -5}}),
    ("lifecycle", "lifecycle-end-int64", lambda c: {"lifecycle": {"end": INT64}}),
    ("lifecycle", "lifecycle-empty", lambda c: {"lifecycle": {}}),
    ("lifecycle", "lifecycle-start-text", lambda c: {"lifecycle": {"start": "tomorrow"}}),
    (
        "lifecycle",
        "lifecycle-cron-start-after-2099",
        lambda c: {**_cron("0 0 3 * * ?")(c), "lifecycle": {"start": c.jan1(2100) + 2 * DAY_MS}},
    ),
    (
        "lifecycle",
        "lifecycle-fixed-start-after-2099",
        lambda c: {**_fixed("FIXED_RATE", "60000")(c), "lifecycle": {"start": INT64}},
    ),
    (
        "lifecycle",
        "lifecycle-cron-year-after-end",
        lambda c: {
            **_cron(f"0 0 0 1 1 ? {c.year + 5}")(c),
            "lifecycle": {"end": c.jan1(c.year + 3)},
        },
    ),
    (
        "lifecycle",
        "lifecycle-cron-window-misses-fire-time",
        lambda c: {
            **_cron("0 0 3 * * ?")(c),
            "lifecycle": {"start": c.jan1(c.year + 4), "end": c.jan1(c.year + 4) + 3_600_000},
        },
    ),
    # -- names and free text --------------------------------------------------------------
    ("text", "name-empty", _set(job_name="")),
    ("text", "name-none", _set(job_name=None)),
    ("text", "name-missing", _set(job_name=MISSING)),
    ("text", "name-blank", _set(job_name="   ")),
    ("text", "name-255", _set(job_name="n" * 255)),
    ("text", "name-256", _set(job_name="n" * 256)),
    ("text", "name-127-emoji", _set(job_name="\U0001f600" * 127)),
    ("text", "name-128-emoji", _set(job_name="\U0001f600" * 128)),
    ("text", "name-255-cjk", _set(job_name="\u4e2d" * 255)),
    ("text", "name-nul", _set(job_name="a\x00b")),
    ("text", "name-rtl", _set(job_name="\u202eboj-\u05e9\u05dc\u05d5\u05dd")),
    ("text", "name-control-chars", _set(job_name="\t\r\n")),
    ("text", "name-int", _set(job_name=42)),
    ("text", "description-255", _set(job_description="d" * 255)),
    ("text", "description-256", _set(job_description="d" * 256)),
    ("text", "description-255-accented", _set(job_description="\u00e9" * 255)),
    ("text", "processor-info-missing", _set(processor_info=MISSING)),
    ("text", "processor-info-empty", _set(processor_info="")),
    ("text", "processor-info-255", _set(processor_info="p" * 255)),
    ("text", "processor-info-256", _set(processor_info="p" * 256)),
    ("text", "tag-256", _set(tag="t" * 256)),
    ("text", "extra-256", _set(extra="e" * 256)),
    ("text", "designated-workers-256", _set(designated_workers="w" * 256)),
    (
        "text",
        "dispatch-config-256",
        _set(dispatch_strategy="SPECIFY", dispatch_strategy_config="c" * 256),
    ),
    ("text", "params-100k", _set(job_params="x" * 100_000)),
    ("text", "logger-name-fits", _set(log_config={"type": "ONLINE", "logger_name": "l" * 225})),
    ("text", "logger-name-too-long", _set(log_config={"logger_name": "l" * 239})),
    ("text", "logger-name-escapes", _set(log_config={"logger_name": '"' * 119 + "\\"})),
    (
        "text",
        "api-expression-ignored",
        _set(time_expression_type="API", time_expression="x" * 300),
    ),
    ("text", "unknown-property", _set(jobname="typo")),
    # -- enums ----------------------------------------------------------------------------
    ("enum", "type-lowercase", _set(time_expression_type="cron", time_expression="0 0 3 * * ?")),
    ("enum", "type-unknown", _set(time_expression_type="HOURLY")),
    ("enum", "type-missing", _set(time_expression_type=MISSING)),
    ("enum", "execute-lowercase", _set(execute_type="map_reduce")),
    ("enum", "execute-unknown", _set(execute_type="PARALLEL")),
    ("enum", "execute-none", _set(execute_type=None)),
    ("enum", "execute-ordinal", _set(execute_type=1)),
    ("enum", "processor-mixed-case", _set(processor_type="Shell", processor_info="echo hi")),
    ("enum", "processor-unknown", _set(processor_type="JAVA")),
    ("enum", "dispatch-lowercase", _set(dispatch_strategy="random")),
    ("enum", "dispatch-unknown", _set(dispatch_strategy="ROUND_ROBIN")),
    ("enum", "dispatch-specify-no-config", _set(dispatch_strategy="SPECIFY")),
    (
        "enum",
        "dispatch-specify",
        _set(dispatch_strategy="specify", dispatch_strategy_config="tagIn:gpu"),
    ),
    ("enum", "log-type-unknown-name", _set(log_config={"type": "FILE"})),
    ("enum", "log-type-code", _set(log_config={"type": 5})),
    ("enum", "log-level-lowercase", _set(log_config={"type": "local", "level": "warn"})),
    (
        "enum",
        "tracker-lowercase",
        _set(advanced_runtime_config={"task_tracker_behavior": "paddling"}),
    ),
    ("enum", "tracker-unknown", _set(advanced_runtime_config={"task_tracker_behavior": "EAGER"})),
    # -- numbers --------------------------------------------------------------------------
    ("number", "concurrency-0", _set(concurrency=0)),
    ("number", "concurrency-negative", _set(concurrency=-1)),
    ("number", "concurrency-int32", _set(concurrency=INT32)),
    ("number", "concurrency-int32-plus-1", _set(concurrency=INT32 + 1)),
    ("number", "concurrency-numeric-string", _set(concurrency="7")),
    ("number", "concurrency-fraction", _set(concurrency=1.5)),
    ("number", "concurrency-text", _set(concurrency="seven")),
    ("number", "max-instances-negative", _set(max_instance_num=-1)),
    ("number", "time-limit-negative", _set(instance_time_limit=-1)),
    ("number", "time-limit-int64", _set(instance_time_limit=INT64)),
    ("number", "time-limit-int64-plus-1", _set(instance_time_limit=INT64 + 1)),
    ("number", "instance-retries-negative", _set(instance_retry_num=-5)),
    ("number", "task-retries-int32-plus-1", _set(task_retry_num=INT32 + 1)),
    ("number", "max-workers-negative", _set(max_worker_count=-1)),
    ("number", "cpu-negative", _set(min_cpu_cores=-1.5)),
    ("number", "cpu-nan", _set(min_cpu_cores=float("nan"))),
    ("number", "memory-huge", _set(min_memory_space=1e300)),
    ("number", "disk-text", _set(min_disk_space="lots")),
    ("number", "notify-negative", _set(notify_user_ids=[-1])),
    ("number", "notify-int64", _set(notify_user_ids=[INT64])),
    ("number", "notify-int64-plus-1", _set(notify_user_ids=[INT64 + 1])),
    ("number", "notify-23-long-ids", _set(notify_user_ids=[1_000_000_000] * 23)),
    ("number", "notify-24-long-ids", _set(notify_user_ids=[1_000_000_000] * 24)),
    ("number", "notify-comma-string", _set(notify_user_ids="1,2")),
    ("number", "notify-duplicates", _set(notify_user_ids=[1, 1, 2])),
    ("number", "enabled-null", _set(enabled=None)),
    ("number", "enabled-text", _set(enabled="sometimes")),
    ("number", "alarm-partial", _set(alarm_config={"alert_threshold": 1})),
    (
        "number",
        "alarm-negative",
        _set(
            alarm_config={
                "alert_threshold": -1,
                "statistic_window_len": 60,
                "silence_window_len": 60,
            }
        ),
    ),
    (
        "number",
        "alarm-full",
        _set(
            alarm_config={
                "alert_threshold": 3,
                "statistic_window_len": 600,
                "silence_window_len": 60,
            }
        ),
    ),
]

# -- valid bases --------------------------------------------------------------------------

_CRONS = (
    "0 0 3 * * ?",
    "0 */5 * * * ?",
    "0 15 10 ? * MON-FRI",
    "0 0 12 1 * ?",
    "0 0 0 1 1 ?",
    "30 0/10 8-18 ? * 2-6",
    "0 0 0 L * ?",
)
_DESCRIPTIONS = (
    "nightly export",
    "описание задачи",
    "夜间导出任务",
    "emoji \U0001f680 ok",
    "<b>bold</b> & <script>alert(1)</script>",
    "'; DROP TABLE job_info; --",
    '{"json": "lookalike"}',
    "مهمة ليلية",
    "",
)
_PROCESSORS = (
    ("BUILT_IN", "tech.powerjob.samples.processors.StandaloneProcessorDemo"),
    ("EXTERNAL", "demo.External"),
    ("SHELL", "echo hello && exit 0"),
    ("PYTHON", "print('hi')"),
)
_PARAMS = ('{"batch": 100}', "plain text", "", "line1\nline2", "x" * 5_000, "tab\tinside")


def _valid_base(rng: random.Random, clock: Clock, kind: str | None = None) -> dict[str, Any]:
    kind = kind or rng.choice(
        ["CRON", "CRON", "FIXED_RATE", "FIXED_DELAY", "API", "WORKFLOW", "DAILY_TIME_INTERVAL"]
    )
    processor_type, processor_info = rng.choice(_PROCESSORS)
    job: dict[str, Any] = {
        "job_name": f"gen-{rng.randrange(16**6):06x}",
        "time_expression_type": kind,
        "processor_type": processor_type,
        "processor_info": processor_info,
    }
    if kind == "CRON":
        job["time_expression"] = rng.choice(_CRONS)
    elif kind in ("FIXED_RATE", "FIXED_DELAY"):
        job["time_expression"] = str(rng.choice([1, 1000, 30_000, 120_000]))
    elif kind == "DAILY_TIME_INTERVAL":
        job["time_expression"] = json.dumps(
            {**_DAILY_BASE, "daysOfWeek": sorted(rng.sample(range(1, 8), rng.randint(0, 3)))}
        )
    optional: dict[str, Callable[[], Any]] = {
        "job_description": lambda: rng.choice(_DESCRIPTIONS),
        "job_params": lambda: rng.choice(_PARAMS),
        "execute_type": lambda: rng.choice(["STANDALONE", "broadcast", "MAP_REDUCE", "Map"]),
        "max_instance_num": lambda: rng.choice([0, 1, 10, INT32]),
        "concurrency": lambda: rng.choice([1, 5, 64, INT32]),
        "instance_time_limit": lambda: rng.choice([0, 60_000, INT64]),
        "instance_retry_num": lambda: rng.choice([0, 3, INT32]),
        "task_retry_num": lambda: rng.choice([0, 1]),
        "min_cpu_cores": lambda: rng.choice([0, 0.5, 2.25]),
        "min_memory_space": lambda: rng.choice([0, 1.5, 64]),
        "min_disk_space": lambda: rng.choice([0, 10.0]),
        "enabled": lambda: rng.choice([True, False]),
        "designated_workers": lambda: rng.choice(["", "127.0.0.1:27777", "tag-a,tag-b"]),
        "max_worker_count": lambda: rng.choice([0, 2]),
        "notify_user_ids": lambda: rng.choice([[], [1], [3, 1, 2], [7, 7]]),
        "extra": lambda: rng.choice(["", "k=v", "\u00fcber"]),
        "dispatch_strategy": lambda: rng.choice(["HEALTH_FIRST", "random", None]),
        "tag": lambda: rng.choice(["", "team-a", "\u30bf\u30b0"]),
        "lifecycle": lambda: rng.choice(
            [
                None,
                {"start": clock.days(-1)},
                {"end": clock.days(800)},
                {"start": clock.days(1), "end": clock.days(800)},
            ]
        ),
        "alarm_config": lambda: rng.choice(
            [
                None,
                {"alert_threshold": 0, "statistic_window_len": 0, "silence_window_len": 0},
                {"alert_threshold": 2, "statistic_window_len": 300, "silence_window_len": 600},
            ]
        ),
        "log_config": lambda: rng.choice(
            [
                None,
                {},
                {"type": "ONLINE", "level": "info"},
                {"type": "LOCAL_AND_ONLINE", "level": "DEBUG", "logger_name": "my.jobs"},
            ]
        ),
        "advanced_runtime_config": lambda: rng.choice(
            [None, {"task_tracker_behavior": "PADDLING"}, {"task_tracker_behavior": "NORMAL"}]
        ),
    }
    for key, draw in optional.items():
        if rng.random() < 0.4:
            job[key] = draw()
    return job


def generate(
    seed: int = SEED, now_ms: int | None = None, valid_count: int = 60
) -> list[GeneratedJob]:
    """Every mutation once, on a random valid base, then ``valid_count`` plain valid jobs."""
    rng = random.Random(seed)
    clock = Clock(int(time.time() * 1000) if now_ms is None else now_ms)
    jobs: list[GeneratedJob] = []
    for category, label, changes in MUTATIONS:
        applied = changes(clock)
        kind = "CRON" if category in ("text", "enum", "number") and rng.random() < 0.5 else None
        base = _valid_base(rng, clock, kind)
        if "time_expression_type" in applied:
            base.pop("lifecycle", None)  # a schedule case is judged on its own
        merged = {**base, **applied}
        inputs = {k: v for k, v in merged.items() if v is not MISSING}
        jobs.append(GeneratedJob(len(jobs), category, label, inputs))
    for _ in range(valid_count):
        base = _valid_base(rng, clock)
        label = f"valid-{base['time_expression_type'].lower().replace('_', '-')}"
        jobs.append(GeneratedJob(len(jobs), "valid", label, base))
    return jobs


# -- the hand-written wire form -----------------------------------------------------------

_ENUM_FIELDS = ("time_expression_type", "execute_type", "processor_type", "dispatch_strategy")
_DEFAULTS = {"execute_type": "STANDALONE", "processor_type": "BUILT_IN"}


def raw_request(inputs: Mapping[str, Any], app_id: int) -> dict[str, Any]:
    """The ``saveJob`` body for a declaration, bad values kept as they are.

    Only what ``check()`` does to *any* value is applied here (enum names upper-cased, the
    time expression normalised when it can be, defaults for omitted enums), so the server
    judges the same thing ``check()`` judged.
    """
    values = {**_DEFAULTS, **inputs}
    body: dict[str, Any] = {"appId": app_id}
    for key, value in values.items():
        if key in _ENUM_FIELDS and isinstance(value, str):
            value = value.strip().upper()
        body[_wire_name(key)] = _wire_value(key, value)
    kind = body.get("timeExpressionType")
    expression = values.get("time_expression")
    if isinstance(kind, str):
        with contextlib.suppress(ValueError):  # unusable: the server judges it as written
            body["timeExpression"] = normalize_time_expression(
                kind, None if expression is None else str(expression)
            )
    return body


def _wire_name(key: str) -> str:
    return {"enabled": "enable", "lifecycle": "lifeCycle"}.get(key) or to_camel(key)


def _wire_value(key: str, value: Any) -> Any:
    if key == "log_config" and isinstance(value, dict):
        return {
            to_camel(k): _code(LogType if k == "type" else LogLevel, v)
            if k in ("type", "level")
            else v
            for k, v in value.items()
        }
    if key == "advanced_runtime_config" and isinstance(value, dict):
        return {to_camel(k): _code(TaskTrackerBehavior, v) for k, v in value.items()}
    if isinstance(value, dict):
        return {to_camel(k): v for k, v in value.items()}
    return value


def _code(enum: Any, value: Any) -> Any:
    """An enum name as the integer code the wire carries; anything else unchanged."""
    if isinstance(value, str) and value.strip().upper() in enum.__members__:
        return int(enum[value.strip().upper()])
    return value
