"""The offline fire-time engine against the real 4.3.9 server, schedule by schedule.

Every schedule of the corpus (tests/support/firetime_corpus.py) goes to ``saveJob`` as is; the
server's ``nextTriggerTime`` (from ``fetchJob``) or its refusal is compared with
``next_fire`` in the zone ``/server/hello`` reports. The server reads its clock while saving,
somewhere between our request and its answer: the two agree when some instant of that
bracket gives the server's answer offline (``next_fire`` is monotone in the instant, so a
bisection finds it). CRON comes back in whole seconds, DAILY_TIME_INTERVAL to the millisecond.
check() must refuse exactly what the server refuses, save for the zone it cannot know.

The report is written to tests/results/firetimes.md and printed.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.validation.firetimes import next_fire
from pulumi_powerjob.validation.schedule import check_fire_window, normalize_time_expression
from pulumi_powerjob.validation.zones import zone_from_display_name
from tests.support.firetime_corpus import Schedule, corpus, daylight_saving
from tests.support.job_inputs import SEED, generate

pytestmark = pytest.mark.integration
REPORT = Path(__file__).parents[1] / "results" / "firetimes.md"
OUT_OF_DATE = "time expression is out of date"
NEW_YORK = "America/New_York"
TIMED = ("CRON", "FIXED_RATE", "FIXED_DELAY", "DAILY_TIME_INTERVAL")

# Where the server's answer is not a fire time we could compare, and why (each pinned below).
QUIRKS = {
    "rate-1000": "FIXED_RATE: the server stores no nextTriggerTime for frequent jobs",
    "rate-120000": "FIXED_RATE: the server stores no nextTriggerTime for frequent jobs",
    "rate-start-ahead": "FIXED_RATE: the server stores no nextTriggerTime for frequent jobs",
    "rate-end-within-rate": "FIXED_RATE: none, and no refusal: frequent jobs are not inspected",
    "delay-1000": "FIXED_DELAY: no nextTriggerTime (a delay counts from the end of a run)",
    "delay-start-ahead": "FIXED_DELAY: no nextTriggerTime (a delay counts from the end of a run)",
}


@dataclass(frozen=True)
class Outcome:
    """What the server and the engine each said about one schedule."""

    schedule: Schedule
    zone: str
    canonical: str | None
    check_error: str | None
    server: int | None
    server_error: str | None
    offline: int | None  # the engine's answer at the matching instant (or at the bracket start)
    bracket_ms: int

    @property
    def frequent(self) -> bool:
        """FIXED_RATE/FIXED_DELAY: the server stores no fire time to compare."""
        return self.schedule.kind in ("FIXED_RATE", "FIXED_DELAY")

    @property
    def server_refused(self) -> bool:
        return self.server_error is not None

    @property
    def agrees(self) -> bool:
        if self.frequent:
            return False
        if self.server_refused:
            return self.offline is None and OUT_OF_DATE in (self.server_error or "")
        return self.offline == self.server


@pytest.fixture(scope="module")
def new_york_server() -> Iterator[LocalServer]:
    """A second server, in a zone with daylight saving time and a negative offset."""
    server = LocalServer("4.3.9", timezone=NEW_YORK)
    try:
        server.start()
        yield server
    finally:
        server.close()


@dataclass(frozen=True)
class Target:
    """One server to compare with: its HTTP client, an app of its own, the zone it reports."""

    http: httpx.Client
    app_id: int
    zone: str


@pytest.fixture(scope="module")
def targets(powerjob_server: LocalServer, new_york_server: LocalServer) -> Iterator[list[Target]]:
    with contextlib.ExitStack() as stack:
        found = []
        for server in (powerjob_server, new_york_server):
            name, password = f"fire-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
            app_id = server.create_app(name, password)
            http = stack.enter_context(
                httpx.Client(base_url=server.address, timeout=30.0, trust_env=False)
            )
            hello = http.get("/server/hello").json()["data"]
            zone = zone_from_display_name(str(hello["serverTimeZone"]))
            assert zone is not None, hello["serverTimeZone"]
            found.append(Target(http, app_id, zone))
        yield found


def _save(http: httpx.Client, app_id: int, s: Schedule, expression: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "appId": app_id,
        "jobName": f"fire-{s.label}",
        "timeExpressionType": s.kind,
        "timeExpression": expression,
        "executeType": "STANDALONE",
        "processorType": "BUILT_IN",
        "processorInfo": "demo.Processor",
        "enable": False,
    }
    if s.start is not None or s.end is not None:
        body["lifeCycle"] = {"start": s.start, "end": s.end}
    answer: dict[str, Any] = http.post("/openApi/saveJob", json=body).json()
    return answer


def _fetch_and_delete(http: httpx.Client, app_id: int, job_id: int) -> int | None:
    form = {"appId": app_id, "jobId": job_id}
    fetched = http.post("/openApi/fetchJob", data=form).json()
    assert fetched["success"], fetched
    assert http.post("/openApi/deleteJob", data=form).json()["success"]
    value = fetched["data"]["nextTriggerTime"]
    return None if value is None else int(value)


def matching_instant(
    f: Callable[[int], int | None], low: int, high: int, target: int | None
) -> int | None:
    """The engine's answer at the first instant of [low, high] reaching ``target`` (None:
    never fires), by bisection; or its answer at ``low`` when no instant gives ``target``."""
    if target is None:
        return f(high) if f(high) is None else f(low)

    def reached(t: int) -> bool:
        value = f(t)
        return value is None or value >= target

    if not reached(high):
        return f(low)
    while low < high:
        middle = (low + high) // 2
        if reached(middle):
            high = middle
        else:
            low = middle + 1
    return f(low)


def _try(target: Target, s: Schedule) -> Outcome:
    http, app_id, zone = target.http, target.app_id, target.zone
    canonical = normalize_time_expression(s.kind, s.expression)
    assert canonical is not None, s
    before = int(time.time() * 1000)
    try:
        check_fire_window(s.kind, canonical, s.start, s.end, now_ms=before)
        check_error = None
    except ValueError as exc:
        check_error = str(exc)
    answer = _save(http, app_id, s, canonical)
    after = int(time.time() * 1000)
    server = None
    if answer["success"]:
        server = _fetch_and_delete(http, app_id, int(answer["data"]))

    def offline(t: int) -> int | None:
        return next_fire(s.kind, canonical, t, now=t, start=s.start, end=s.end, zone=zone)

    expected = None if not answer["success"] else server
    found = matching_instant(offline, before, after, expected)
    error = None if answer["success"] else str(answer.get("message"))
    return Outcome(s, zone, canonical, check_error, server, error, found, after - before)


def from_check_corpus(now_ms: int) -> list[Schedule]:
    """Every timed schedule of the check differential's generator that check() accepts (with
    its lifecycle), so both differentials see the same declarations."""
    found = []
    for job in generate(SEED, now_ms):
        result = JobProvider().check({}, job.inputs)
        kind = result.inputs.get("time_expression_type")
        if result.failures or kind not in TIMED:
            continue
        lifecycle = result.inputs.get("lifecycle") or {}
        schedule = Schedule(
            "generated",
            f"gen-{job.case_id}",
            kind,
            result.inputs["time_expression"],
            lifecycle.get("start"),
            lifecycle.get("end"),
        )
        found.append(schedule)
    return found


def _now_ms() -> int:
    return int(time.time() * 1000)


def _built_when_tried(label: str) -> Schedule:
    """The corpus schedule ``label``, relative to the clock as it is tried: a lifecycle that
    ends a minute on, or a cron due in 2 s, keeps its meaning however slowly the run before
    it went (#21: on a loaded machine the corpus was tried minutes after it was built)."""
    return next(s for s in corpus(_now_ms()) if s.label == label)


@pytest.fixture(scope="module")
def outcomes(targets: list[Target]) -> list[Outcome]:
    now = _now_ms()
    labels = [s.label for s in corpus(now)]
    # day-scale windows only (lifecycles a day or more away): built once
    fixed = from_check_corpus(now) + daylight_saving(NEW_YORK)
    tried = []
    for target in targets:
        tried += [_try(target, _built_when_tried(label)) for label in labels]
        tried += [_try(target, s) for s in fixed]
    return tried


# -- the differential ------------------------------------------------------------------------


def test_the_servers_run_in_the_zones_they_were_started_in(targets: list[Target]) -> None:
    assert [t.zone for t in targets] == ["UTC", NEW_YORK]  # -Duser.timezone


def test_the_corpus_covers_every_type_and_special_form(outcomes: list[Outcome]) -> None:
    kinds = Counter(o.schedule.kind for o in outcomes)
    assert set(kinds) == {"CRON", "DAILY_TIME_INTERVAL", "FIXED_RATE", "FIXED_DELAY"}
    text = " ".join(o.schedule.expression for o in outcomes if o.schedule.kind == "CRON")
    for form in ("L ", "L-", "LW", "W ", "#", "6L", "/", "FRI-MON", "JAN", " 2030"):
        assert form in text, form
    assert sum(o.server_refused for o in outcomes) >= 5


def test_the_first_fire_time_agrees_with_the_server(outcomes: list[Outcome]) -> None:
    wrong = [_row(o) for o in outcomes if not o.agrees and not o.frequent]
    assert wrong == []


def test_check_refuses_what_the_server_refuses_and_nothing_else(outcomes: list[Outcome]) -> None:
    """Refusals agree but where the window fires in another UTC offset (check cannot know)."""
    refused_only_by_server = {
        o.schedule.label for o in outcomes if o.server_refused and o.check_error is None
    }
    # 03:00 falls in the window in UTC+2 and UTC+3; hh:30 UTC is a whole hour in UTC+05:30.
    assert refused_only_by_server == {
        "cron-window-half-hour",
        "cron-window-1h",
        next(o.schedule.label for o in outcomes if o.schedule.label.endswith("misses-fire-time")),
    }
    assert [o.schedule.label for o in outcomes if o.check_error and not o.server_refused] == []


def test_frequent_jobs_have_no_server_fire_time(outcomes: list[Outcome]) -> None:
    rates = [o for o in outcomes if o.frequent]
    assert set(QUIRKS) <= {o.schedule.label for o in rates}
    assert all(o.server is None and not o.server_refused for o in rates)
    assert all(o.offline is not None for o in rates if o.schedule.label != "rate-end-within-rate")


def test_the_report_is_written(outcomes: list[Outcome]) -> None:
    report = render_report(outcomes)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print(report.split("\n## All schedules")[0])
    assert "Agreement" in REPORT.read_text(encoding="utf-8")


# -- the report ------------------------------------------------------------------------------


def _iso(value: int | None) -> str:
    if value is None:
        return "none"
    if value > 253_402_214_400_000:
        return f"{value} ms"
    moment = datetime.fromtimestamp(value / 1000, UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{value % 1000:03d}"


def _row(o: Outcome) -> str:
    server = f"refused: {o.server_error}" if o.server_refused else _iso(o.server)
    return f"{o.schedule.label}: offline {_iso(o.offline)}, server {server}"


def _cell(text: str, width: int = 60) -> str:
    flat = text.replace("|", "\\|")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _quirk(o: Outcome) -> str:
    if not o.frequent:
        return "NO"
    return QUIRKS.get(o.schedule.label, f"{o.schedule.kind}: the server stores no nextTriggerTime")


def render_report(outcomes: list[Outcome]) -> str:
    compared = [o for o in outcomes if not o.frequent]
    agree = sum(o.agrees for o in compared)
    groups = sorted({(o.zone, o.schedule.category) for o in outcomes})
    by_category = [
        [
            zone,
            c,
            str(len(rows := [o for o in compared if (o.zone, o.schedule.category) == (zone, c)])),
            str(sum(o.agrees for o in rows)),
            str(sum(o.server_refused for o in rows)),
        ]
        for zone, c in groups
    ]
    every = [
        [
            o.schedule.label,
            o.zone,
            o.schedule.kind,
            _cell(o.schedule.expression, 50),
            _iso(o.offline),
            _cell(f"refused: {o.server_error}", 50) if o.server_refused else _iso(o.server),
            "check refuses" if o.check_error else "",
            "yes" if o.agrees else _quirk(o),
        ]
        for o in outcomes
    ]
    widest = max(o.bracket_ms for o in outcomes)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Offline fire times vs PowerJob 4.3.9: differential report",
            "",
            f"Generated {when} by tests/integration/test_firetimes_differential.py "
            f"(two servers: UTC and {NEW_YORK}; H2 database).",
            "",
            f"- Schedules: {len(outcomes)} ({len(compared)} with a fire time to compare, "
            f"{len(outcomes) - len(compared)} frequent jobs the server computes none for)",
            f"- Agreement on the first fire time (or on 'out of date'): {agree}/{len(compared)}"
            f" = {agree / len(compared):.1%}",
            f"- Server refusals ({OUT_OF_DATE}): {sum(o.server_refused for o in outcomes)}; "
            f"check() refuses {sum(o.check_error is not None for o in outcomes)} of them at "
            "preview (the rest fire in another UTC offset)",
            f"- Widest request bracket (the server's clock reading lies inside): {widest} ms",
            "",
            "## By category",
            "",
            render_table(["zone", "category", "compared", "agree", "server refuses"], by_category),
            "",
            "## All schedules",
            "",
            render_table(
                ["schedule", "zone", "type", "expression", "offline", "server", "check", "agree"],
                every,
            ),
            "",
        ]
    )
