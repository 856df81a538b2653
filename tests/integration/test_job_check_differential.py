"""``JobProvider.check()`` against the real 4.3.9 server, input by input.

Every generated declaration (tests/support/job_inputs.py) goes through ``check()`` and, as a
``saveJob``, to the server: the canonical request when ``check()`` accepts it, the body a
hand-written client would send when it does not. They must agree, except for the cases in
``QUIRKS``, each of which says why and is pinned by the server's own behaviour below.
Accepted jobs are read back (``dto_to_spec(fetched) == spec``) and deleted.

The agreement report is written to tests/results/check-differential.md and printed.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pulumi.dynamic import CheckFailure

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import ApiError
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.settings import ConnectionSettings
from tests.support.job_inputs import SEED, GeneratedJob, generate, raw_request

pytestmark = pytest.mark.integration
REPORT = Path(__file__).parents[1] / "results" / "check-differential.md"


@dataclass(frozen=True)
class Quirk:
    """A documented disagreement: the server's verdict, and why ``check()`` differs."""

    label: str
    server_accepts: bool
    why: str


_STRICTER = "check is deliberately stricter"
QUIRKS: tuple[Quirk, ...] = (
    # The server takes these, then does something other than what was written.
    Quirk("cron-range-hours-backwards", True, "22-2 fires at 22-23 only: no wrap-around"),
    Quirk("cron-range-dom-backwards", True, "5-1 fires on the 5th only: no wrap-around"),
    Quirk("cron-range-month-backwards", True, "NOV-FEB skips Dec-Feb: no wrap-around"),
    Quirk("concurrency-fraction", True, "1.5 is stored as 1 (truncated)"),
    Quirk("execute-ordinal", True, "a number is read as the enum's ordinal: 1 is BROADCAST"),
    Quirk("enabled-null", True, "null is stored as disabled"),
    Quirk("log-type-code", True, "unknown log type 5 is stored; our models cannot read it back"),
    Quirk("name-int", True, "a number is coerced to the string '42'"),
    Quirk("unknown-property", True, "unknown keys (typos) are ignored silently"),
    Quirk("daily-unknown-key", True, "unknown keys in the daily interval are ignored"),
    Quirk("daily-interval-0", True, f"{_STRICTER}: an interval of 0 never advances"),
    Quirk("daily-interval-negative", True, f"{_STRICTER}: a negative interval"),
    Quirk("daily-interval-decimal", True, f"{_STRICTER}: 1.5 is truncated"),
    Quirk("dispatch-specify-no-config", True, f"{_STRICTER}: SPECIFY with no target"),
    Quirk(
        "concurrency-numeric-string",
        True,
        f"{_STRICTER}: '7' is parsed as 7; check judges what was written: no string is a number",
    ),
    # Numbers the server stores as they are; meaningless (or failing at run time) as values.
    Quirk("concurrency-0", True, f"{_STRICTER}: a worker pool of 0 threads"),
    Quirk("concurrency-negative", True, f"{_STRICTER}: negative thread count"),
    Quirk("max-instances-negative", True, f"{_STRICTER}: negative count"),
    Quirk("time-limit-negative", True, f"{_STRICTER}: negative time limit"),
    Quirk("instance-retries-negative", True, f"{_STRICTER}: negative retries"),
    Quirk("max-workers-negative", True, f"{_STRICTER}: negative count"),
    Quirk("cpu-negative", True, f"{_STRICTER}: negative resources"),
    Quirk("notify-negative", True, f"{_STRICTER}: negative user id"),
    Quirk("alarm-negative", True, f"{_STRICTER}: negative alarm threshold"),
    Quirk("lifecycle-start-negative", True, f"{_STRICTER}: a start before 1970"),
    # What check() cannot know offline: the server's time zone.
    Quirk(
        "lifecycle-cron-window-misses-fire-time",
        False,
        "check limitation: the window holds 03:00 in UTC+2 and UTC+3, and check() does not "
        "know the server runs in UTC ('time expression is out of date')",
    ),
)
QUIRK_BY_LABEL = {q.label: q for q in QUIRKS}


@dataclass(frozen=True)
class Outcome:
    """What ``check()`` and the server each said about one generated job."""

    job: GeneratedJob
    failures: tuple[CheckFailure, ...]
    server_accepted: bool
    server_message: str | None
    round_trip: str | None  # None: not both accepted; "" identical; else the difference

    @property
    def check_accepts(self) -> bool:
        return not self.failures

    @property
    def agrees(self) -> bool:
        return self.check_accepts == self.server_accepted


@pytest.fixture(scope="module")
def app(powerjob_server: LocalServer) -> ConnectionSettings:
    """An app of its own: some quirks store jobs that break every listing of their app."""
    name, password = f"diff-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    powerjob_server.create_app(name, password)
    return ConnectionSettings.model_validate(
        {"addresses": powerjob_server.address, "app_name": name, "password": password}
    )


@pytest.fixture(scope="module")
def client(app: ConnectionSettings) -> Iterator[PowerJobClient]:
    with PowerJobClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def raw(app: ConnectionSettings) -> Iterator[httpx.Client]:
    """Plain HTTP for bodies our models cannot express (4.3.x has no OpenAPI auth)."""
    with httpx.Client(base_url=app.addresses[0], timeout=30.0, trust_env=False) as http:
        yield http


def save_raw(raw: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    content = json.dumps(body, allow_nan=True)  # NaN goes out as the token a client would send
    headers = {"content-type": "application/json"}
    answer: dict[str, Any] = raw.post("/openApi/saveJob", content=content, headers=headers).json()
    return answer


def fetch_raw(raw: httpx.Client, app_id: int, job_id: int) -> dict[str, Any]:
    answer = raw.post("/openApi/fetchJob", data={"appId": app_id, "jobId": job_id}).json()
    assert answer["success"], answer
    data: dict[str, Any] = answer["data"]
    return data


def delete_raw(raw: httpx.Client, app_id: int, job_id: int) -> None:
    answer = raw.post("/openApi/deleteJob", data={"appId": app_id, "jobId": job_id}).json()
    assert answer["success"], answer


def _try(job: GeneratedJob, client: PowerJobClient, raw: httpx.Client) -> Outcome:
    result = JobProvider().check({}, job.inputs)
    failures = tuple(result.failures)
    if failures:
        answer = save_raw(raw, raw_request(job.inputs, client.app_id))
        if answer["success"]:
            delete_raw(raw, client.app_id, int(answer["data"]))
        return Outcome(job, failures, bool(answer["success"]), answer.get("message"), None)
    spec = JobSpec.model_validate(
        {k: v for k, v in result.inputs.items() if k in JobSpec.model_fields}
    )
    try:
        job_id = client.save_job(spec_to_request(spec, client.app_id))
    except ApiError as exc:
        return Outcome(job, failures, False, exc.server_message, None)
    back = dto_to_spec(client.fetch_job(job_id))
    client.delete_job(job_id)
    if back == spec:
        return Outcome(job, failures, True, None, "")
    sent, read = spec.model_dump(), back.model_dump()
    difference = {k: (v, read[k]) for k, v in sent.items() if read[k] != v}
    return Outcome(job, failures, True, None, repr(difference) or "differs")


@pytest.fixture(scope="module")
def outcomes(client: PowerJobClient, raw: httpx.Client) -> list[Outcome]:
    return [_try(job, client, raw) for job in generate(SEED)]


# -- the differential ------------------------------------------------------------------------


def test_at_least_200_inputs_both_valid_and_invalid(outcomes: list[Outcome]) -> None:
    verdicts = Counter((o.check_accepts, o.server_accepted) for o in outcomes)
    assert len(outcomes) >= 200
    assert verdicts[(True, True)] >= 50 and verdicts[(False, False)] >= 50, verdicts


def test_check_agrees_with_the_server_outside_the_quirk_list(outcomes: list[Outcome]) -> None:
    unexplained = [
        f"{o.job.case_id}: check {_check_cell(o)}; server {_server_cell(o)}"
        for o in outcomes
        if not o.agrees and o.job.label not in QUIRK_BY_LABEL
    ]
    assert unexplained == []


def test_every_quirk_still_disagrees_as_documented(outcomes: list[Outcome]) -> None:
    by_label = {o.job.label: o for o in outcomes}
    wrong = [
        f"{q.label}: server accepted={by_label[q.label].server_accepted}, "
        f"check accepted={by_label[q.label].check_accepts}"
        for q in QUIRKS
        if q.label not in by_label
        or by_label[q.label].server_accepted is not q.server_accepts
        or by_label[q.label].agrees
    ]
    assert wrong == [], "a quirk is gone or changed: update QUIRKS (and check())"


def test_jobs_both_accept_read_back_identically(outcomes: list[Outcome]) -> None:
    both = [o for o in outcomes if o.check_accepts and o.server_accepted]
    assert both
    assert [f"{o.job.case_id}: {o.round_trip}" for o in both if o.round_trip] == []


def test_every_rejection_names_a_field_and_a_rule(outcomes: list[Outcome]) -> None:
    rejected = [o for o in outcomes if not o.check_accepts]
    assert all(f.property and f.reason for o in rejected for f in o.failures)


def test_the_agreement_report_is_written(outcomes: list[Outcome]) -> None:
    report = render_report(outcomes)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print(report.split("\n## All inputs")[0])
    rate = sum(o.agrees for o in outcomes) / len(outcomes)
    assert f"{rate:.1%}" in REPORT.read_text(encoding="utf-8")


# -- the report ------------------------------------------------------------------------------


def _cell(text: str, width: int = 90) -> str:
    flat = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    flat = flat.replace("|", "\\|")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _check_cell(o: Outcome) -> str:
    if o.check_accepts:
        return "accept"
    return "reject: " + "; ".join(f"{f.property}: {f.reason}" for f in o.failures)


def _server_cell(o: Outcome) -> str:
    return "accept" if o.server_accepted else f"reject: {o.server_message}"


def render_report(outcomes: list[Outcome]) -> str:
    total = len(outcomes)
    agree = sum(o.agrees for o in outcomes)
    plain = [o for o in outcomes if o.job.label not in QUIRK_BY_LABEL]
    plain_agree = sum(o.agrees for o in plain)
    categories = sorted({o.job.category for o in outcomes})
    summary = [
        [
            category,
            str(len(rows := [o for o in outcomes if o.job.category == category])),
            str(sum(o.check_accepts for o in rows)),
            str(sum(o.server_accepted for o in rows)),
            str(sum(o.agrees for o in rows)),
            str(sum(not o.agrees for o in rows)),
            str(sum(o.round_trip == "" for o in rows)),
        ]
        for category in categories
    ]
    disagreements = [
        [o.job.case_id, _cell(_check_cell(o), 60), _cell(_server_cell(o), 60), _why(o)]
        for o in outcomes
        if not o.agrees
    ]
    every = [
        [o.job.case_id, _cell(_check_cell(o)), _cell(_server_cell(o)), "yes" if o.agrees else "NO"]
        for o in outcomes
    ]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# check() vs PowerJob 4.3.9: differential report",
            "",
            f"Generated {when} by tests/integration/test_job_check_differential.py "
            f"(seed {SEED}, H2 database).",
            "",
            f"- Inputs: {total} (check accepts {sum(o.check_accepts for o in outcomes)}, "
            f"server accepts {sum(o.server_accepted for o in outcomes)})",
            f"- Agreement: {agree}/{total} = {agree / total:.1%}",
            f"- Agreement outside the documented quirks: {plain_agree}/{len(plain)} = "
            f"{plain_agree / len(plain):.1%}",
            f"- Documented quirks: {len(QUIRKS)}",
            f"- Round trips identical (both accept): "
            f"{sum(o.round_trip == '' for o in outcomes)}/"
            f"{sum(o.round_trip is not None for o in outcomes)}",
            "",
            "## By category",
            "",
            render_table(
                ["category", "inputs", "check ok", "server ok", "agree", "disagree", "round trip"],
                summary,
            ),
            "",
            "## Disagreements",
            "",
            render_table(["case", "check", "server", "documented as"], disagreements),
            "",
            "## All inputs",
            "",
            render_table(["case", "check", "server", "agree"], every),
            "",
        ]
    )


def _why(o: Outcome) -> str:
    quirk = QUIRK_BY_LABEL.get(o.job.label)
    return quirk.why if quirk else "UNEXPLAINED"


# -- what the server does with the quirks ------------------------------------------------------

_BASE = {
    "jobName": "quirk",
    "timeExpressionType": "CRON",
    "timeExpression": "0 0 3 * * ?",
    "executeType": "STANDALONE",
    "processorType": "BUILT_IN",
    "processorInfo": "demo.Processor",
}
_DAILY_0 = json.dumps({"interval": 0, "startTimeOfDay": "08:00:00", "endTimeOfDay": "18:00:00"})


@pytest.mark.parametrize(
    ("changes", "stored_key", "stored"),
    [
        pytest.param({"concurrency": 1.5}, "concurrency", 1, id="concurrency-fraction"),
        pytest.param({"concurrency": -1}, "concurrency", -1, id="concurrency-negative"),
        pytest.param({"concurrency": "7"}, "concurrency", 7, id="concurrency-numeric-string"),
        pytest.param({"enable": None}, "status", 2, id="enabled-null"),
        pytest.param({"executeType": 1}, "executeType", 2, id="execute-ordinal"),
        pytest.param({"jobName": 42}, "jobName", "42", id="name-int"),
        pytest.param({"jobname": "typo"}, "jobName", "quirk", id="unknown-property"),
        pytest.param({"dispatchStrategy": "SPECIFY"}, "dispatchStrategyConfig", None, id="specify"),
        pytest.param(
            {"timeExpressionType": "DAILY_TIME_INTERVAL", "timeExpression": _DAILY_0},
            "timeExpression",
            _DAILY_0,
            id="daily-interval-0",
        ),
        pytest.param({"lifeCycle": {"start": -5}}, "lifecycle", '{"start":-5}', id="start<0"),
        pytest.param(
            {"logConfig": {"type": 5}},
            "logConfig",
            {"type": 5, "level": None, "loggerName": None},
            id="log-type-code",
        ),
    ],
)
def test_the_server_stores_what_check_refuses(
    raw: httpx.Client, client: PowerJobClient, changes: dict[str, Any], stored_key: str, stored: Any
) -> None:
    answer = save_raw(raw, {**_BASE, "appId": client.app_id, **changes})
    assert answer["success"], answer
    job_id = int(answer["data"])
    try:
        assert fetch_raw(raw, client.app_id, job_id)[stored_key] == stored
    finally:
        delete_raw(raw, client.app_id, job_id)


def _ms(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    ("cron", "start", "wrapped", "fired"),
    [
        pytest.param(
            "0 0 22-2 * * ?",
            _ms(2031, 1, 1, 23, 30),
            _ms(2031, 1, 2),
            _ms(2031, 1, 2, 22),
            id="hours-22-2",
        ),
        pytest.param(
            "0 0 0 5-1 * ?", _ms(2031, 3, 10, 12), _ms(2031, 3, 11), _ms(2031, 4, 5), id="dom-5-1"
        ),
        pytest.param(
            "0 0 0 1 NOV-FEB ?", _ms(2031, 12, 10), _ms(2032, 1, 1), _ms(2032, 11, 1), id="NOV-FEB"
        ),
    ],
)
def test_backward_cron_ranges_are_taken_but_do_not_wrap(
    raw: httpx.Client, client: PowerJobClient, cron: str, start: int, wrapped: int, fired: int
) -> None:
    """Why check() refuses backward ranges (day-of-week, which does wrap, excepted)."""
    body = {**_BASE, "appId": client.app_id, "timeExpression": cron, "lifeCycle": {"start": start}}
    answer = save_raw(raw, body)
    assert answer["success"], answer
    job_id = int(answer["data"])
    try:
        next_fire = fetch_raw(raw, client.app_id, job_id)["nextTriggerTime"]
        assert (next_fire, next_fire == wrapped) == (fired, False)
    finally:
        delete_raw(raw, client.app_id, job_id)
