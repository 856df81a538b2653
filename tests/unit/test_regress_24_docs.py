"""Issue 24, item 5: what the README says of ``JobArgs``, a kept app, and an import that found
jobs of workflows it was not asked for."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

from pulumi_powerjob import JobArgs
from pulumi_powerjob.estate import Estate, render_program
from pulumi_powerjob.estate.importer import missing_workflows
from pulumi_powerjob.local.engine import REPO
from pulumi_powerjob.models import JobInfoDTO, SaveJobInfoRequest, TimeExpressionType
from pulumi_powerjob.providers.app import AppProvider

FIXTURES = Path(__file__).parents[1] / "fixtures" / "powerjob-4.3.9"
RENAMED = {"enable": "enabled", "life_cycle": "lifecycle"}
NOT_ARGS = {"id", "app_id"}  # the resource's id; the app comes from the connection
ADDED = {"adopt_id", "connection"}


def test_regress_24_jobargs_renames_exactly_the_fields_the_readme_lists() -> None:
    request = set(SaveJobInfoRequest.model_fields)
    args = set(inspect.signature(JobArgs.__init__).parameters) - {"self"}
    assert request - args == set(RENAMED) | NOT_ARGS
    assert args - request == set(RENAMED.values()) | ADDED
    readme = " ".join(REPO.joinpath("README.md").read_text().split())
    assert (
        "`JobArgs` has every field of PowerJob's `SaveJobInfoRequest` in snake_case, with two "
        "renamed: `enabled` for `enable` and `lifecycle` for `lifeCycle`" in readme
    )
    with pytest.raises(TypeError):
        JobArgs(processor_info="p", time_expression_type="API", life_cycle={})  # type: ignore[call-arg]


def test_regress_24_destroying_a_kept_app_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    AppProvider().delete("4", {"app_name": "orders", "password": "pw"})
    assert capsys.readouterr().err == (
        "info: app 'orders' (id 4) is kept on the server: delete_on_destroy is not set\n"
    )


def _jobs() -> list[JobInfoDTO]:
    data = json.loads((FIXTURES / "fetchAllJob.json").read_text())["response"]["data"]
    return [j for j in (JobInfoDTO.model_validate(d) for d in data) if not j.deleted]


def test_regress_24_an_import_of_workflow_jobs_without_workflows_says_how() -> None:
    jobs = _jobs()
    jobs[0] = jobs[0].model_copy(update={"time_expression_type": TimeExpressionType.WORKFLOW})
    inside = jobs[:1]
    program = render_program(Estate("orders", jobs, []))
    expected = f"{len(inside)} of these jobs run inside workflows"
    assert expected in program and "--workflow-id ID for each workflow" in program
    assert missing_workflows(Estate("orders", [j for j in jobs if j not in inside], [])) is None
