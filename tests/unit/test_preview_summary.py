"""examples/pr-check/preview_summary.py on preview shapes: folding, statuses, no values."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pulumi_powerjob.local.engine import REPO


def _load() -> ModuleType:
    path = REPO / "examples" / "pr-check" / "preview_summary.py"
    spec = importlib.util.spec_from_file_location("preview_summary", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


summary = _load()
URN = "urn:pulumi:prod::proj::pulumi-python:dynamic/powerjob:Job::"


def step(op: str, name: str, **extra: Any) -> dict[str, Any]:
    return {"op": op, "urn": URN + name, **extra}


@pytest.mark.parametrize(
    ("steps", "fail_on", "status", "expected"),
    [
        ([step("same", "a")], {"delete"}, 0, "No changes (1 resources unchanged)."),
        (
            [step("update", "a", diffReasons=["job_params"])],
            {"delete"},
            0,
            "| ~ update | `a` | Job | `job_params` |",
        ),
        (
            [
                step("create-replacement", "a", replaceReasons=["connection"]),
                step("replace", "a", replaceReasons=["connection"]),
                step("delete-replaced", "a", replaceReasons=["connection"]),
            ],
            {"replace"},
            1,
            "1 to replace; 0 unchanged.",
        ),
        ([step("delete", "a")], set(), 0, "| - delete | `a` | Job |  |"),
    ],
)
def test_rows_and_status(
    steps: list[dict[str, Any]], fail_on: set[str], status: int, expected: str
) -> None:
    markdown, code = summary.render({"steps": steps}, frozenset(fail_on))
    assert code == status
    assert expected in markdown


def test_errors_fail_with_status_3_and_values_never_show() -> None:
    preview = {
        "steps": [step("update", "a", diffReasons=["password"], newState={"inputs": {"p": "x1"}})],
        "diagnostics": [{"severity": "error", "message": "connection refused\ntrace"}],
    }
    markdown, code = summary.render(preview, frozenset())
    assert code == 3
    assert "`connection refused`" in markdown
    assert "x1" not in markdown
    assert "trace" not in markdown


# -- issue 24: no gate that silently opens, no crash that looks like a blocked change ----------


@pytest.fixture
def a_delete(tmp_path: Path) -> Path:
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps({"steps": [step("delete", "a")]}))
    return preview


def test_regress_24_an_unknown_fail_on_kind_is_a_usage_error(
    a_delete: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        summary.main([str(a_delete), "--fail-on", "delet,replace"])
    assert exited.value.code == 2
    assert "unknown kind(s) 'delet'; known: create, update, delete, replace" in (
        capsys.readouterr().err
    )
    assert summary.main([str(a_delete), "--fail-on", "Delete"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--server", "http://127.0.0.1:1"],
            "error: no summary: could not read the server's zone from "
            "http://127.0.0.1:1/server/hello: ",
        ),
        (["--tz", "Mars/X"], "error: no summary: unknown time zone 'Mars/X'"),
    ],
)
def test_regress_24_a_crash_has_its_own_status_and_one_line(
    a_delete: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert summary.main([str(a_delete), *args]) == summary.NO_SUMMARY == 4
    out, err = capsys.readouterr()
    assert err.startswith(message) and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""


def test_regress_24_a_failed_preview_is_never_summarised_as_no_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = tmp_path / "failed.json"
    failed.write_text(
        json.dumps(
            {
                "steps": [step("same", "a")],
                "diagnostics": [{"severity": "error", "message": "check failed"}],
                "changeSummary": {"same": 1},
            }
        )
    )
    assert summary.main([str(failed)]) == summary.PREVIEW_FAILED == 3
    out = capsys.readouterr().out
    assert "**The preview failed:**" in out and "`check failed`" in out
    assert "No changes" not in out
    empty = tmp_path / "empty.json"
    empty.write_text("")
    assert summary.main([str(empty)]) == 3
    out, err = capsys.readouterr()
    assert "No changes" not in out and "holds no preview" in err


def test_an_update_without_diff_reasons_lists_the_inputs_that_differ() -> None:
    old = {"inputs": {"__provider": "p1", "cron": "0 1 * * * ?", "name": "a"}}
    new = {"inputs": {"__provider": "p2", "cron": "0 2 * * * ?", "name": "a"}}
    markdown, _ = summary.render(
        {"steps": [step("update", "a", oldState=old, newState=new)]}, frozenset()
    )
    assert "| ~ update | `a` | Job | `cron` |" in markdown
    assert "0 2" not in markdown


# -- unchanged counts and schedules (issue 14) ----------------------------------------------------

NOW = 1_796_196_612_500  # Wednesday 2026-12-02 07:30:12.500 UTC


def job_state(expression: Any, kind: Any = "CRON", **inputs: Any) -> dict[str, Any]:
    return {
        "type": "pulumi-python:dynamic/powerjob:Job",
        "inputs": {"time_expression_type": kind, "time_expression": expression, **inputs},
    }


def render_at(preview: dict[str, Any], zone: str = "UTC") -> str:
    from pulumi_powerjob.validation.zones import zone_of

    markdown, _ = summary.render(preview, frozenset(), zone_of(zone), NOW)
    return str(markdown)


def test_regress_14_unchanged_resources_are_counted_from_the_change_summary() -> None:
    preview = {
        "steps": [step("same", "a"), step("update", "b", diffReasons=["job_params"])],
        "changeSummary": {"same": 5, "update": 1},
    }
    assert "1 to update; 5 unchanged." in render_at(preview)
    assert "No changes (7 resources unchanged)." in render_at(
        {"steps": [step("same", "a")], "changeSummary": {"same": 7}}
    )


def test_a_replace_is_counted_once_from_the_change_summary() -> None:
    halves = [
        step(op, "a", replaceReasons=["connection"])
        for op in ("create-replacement", "replace", "delete-replaced")
    ]
    preview = {"steps": halves, "changeSummary": {"replace": 1, "same": 2}}
    assert "1 to replace; 2 unchanged." in render_at(preview)


def test_regress_14_a_changed_cron_shows_old_new_meaning_and_the_next_three_runs() -> None:
    old = job_state("0 30 2 * * ?", job_params="not-shown-1")
    new = job_state("0 0/15 8-18 ? * MON-FRI", job_params="not-shown-2")
    markdown = render_at({"steps": [step("update", "nightly", oldState=old, newState=new)]})
    assert "#### Schedules (next 3 runs in UTC)" in markdown
    assert (
        "| `nightly` | `0 30 2 * * ?` | `0 0/15 8-18 ? * MON-FRI` "
        "| Every 15 minutes, between 08:00 and 18:59, Monday through Friday "
        "| 2026-12-02 08:00:00 UTC<br>2026-12-02 08:15:00 UTC<br>2026-12-02 08:30:00 UTC |"
    ) in markdown
    assert "not-shown" not in markdown


def test_runs_are_in_the_server_zone_and_inside_the_lifecycle() -> None:
    start = 1_798_761_600_000  # 2027-01-01T00:00Z
    new = job_state("0 0 12 * * ?", lifecycle={"start": start, "end": start + 86_400_000})
    markdown = render_at({"steps": [step("create", "noon", newState=new)]}, "Asia/Shanghai")
    assert "| `noon` |  | `0 0 12 * * ?` | At 12:00 | 2027-01-01 12:00:00 CST |" in markdown


def test_a_daily_interval_keeps_its_milliseconds() -> None:
    daily = (
        '{"interval":"90","startTimeOfDay":"08:00:00","endTimeOfDay":"18:00:00",'
        '"intervalUnit":"MINUTES","daysOfWeek":[3]}'
    )
    new = job_state(daily, "DAILY_TIME_INTERVAL")
    markdown = render_at({"steps": [step("create", "d", newState=new)]})
    assert "every 90 minutes from 08:00:00 to 18:00:00, on Wednesday" in markdown
    assert "2026-12-02 09:00:12.500 UTC<br>2026-12-02 10:30:12.500 UTC" in markdown


@pytest.mark.parametrize(
    ("expression", "shown"),
    [
        ("[secret]", "secret: not shown"),
        ({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}, "secret"),
        ("04da6b54-80e4-46f7-96ec-b56ff0331ba9", "computed at apply"),
    ],
)
def test_secret_and_unknown_expressions_are_not_shown_or_guessed(
    expression: Any, shown: str
) -> None:
    old = job_state("0 30 2 * * ?")
    markdown = render_at(
        {"steps": [step("update", "a", oldState=old, newState=job_state(expression))]}
    )
    row = next(line for line in markdown.splitlines() if line.startswith("| `a` |"))
    assert shown in row
    assert "UTC" not in row and "At " not in row
    assert "1b47061264138c4ac30d75fd1eb44270" not in markdown


def test_an_update_that_keeps_the_schedule_lists_no_schedule() -> None:
    old = job_state("0 30 2 * * ?", job_params="a")
    new = job_state("0 30 2 * * ?", job_params="b")
    markdown = render_at({"steps": [step("update", "a", oldState=old, newState=new)]})
    assert "Schedules" not in markdown


def test_api_jobs_say_so_and_list_no_runs() -> None:
    new = job_state(None, "API")
    markdown = render_at({"steps": [step("create", "manual", newState=new)]})
    assert "| `manual` |  | API | only when started through the API | none |" in markdown
