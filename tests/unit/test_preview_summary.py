"""examples/pr-check/preview_summary.py on preview shapes: folding, statuses, no values."""

from __future__ import annotations

import importlib.util
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


def test_errors_fail_with_status_2_and_values_never_show() -> None:
    preview = {
        "steps": [step("update", "a", diffReasons=["password"], newState={"inputs": {"p": "x1"}})],
        "diagnostics": [{"severity": "error", "message": "connection refused\ntrace"}],
    }
    markdown, code = summary.render(preview, frozenset())
    assert code == 2
    assert "`connection refused`" in markdown
    assert "x1" not in markdown
    assert "trace" not in markdown


def test_an_update_without_diff_reasons_lists_the_inputs_that_differ() -> None:
    old = {"inputs": {"__provider": "p1", "cron": "0 1 * * * ?", "name": "a"}}
    new = {"inputs": {"__provider": "p2", "cron": "0 2 * * * ?", "name": "a"}}
    markdown, _ = summary.render(
        {"steps": [step("update", "a", oldState=old, newState=new)]}, frozenset()
    )
    assert "| ~ update | `a` | Job | `cron` |" in markdown
    assert "0 2" not in markdown
