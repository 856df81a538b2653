"""examples/pr-check through the real CLI and server: a pull request's preview, summarised.

The quickstart project is deployed, then edited as a pull request would (a cron changed, a
job renamed, i.e. deleted and created). ``pulumi preview --json`` sends no mutation, and
``preview_summary.py`` lists the three changes, names the changed property, shows the changed
schedule (old, new, in words, the next three runs), counts unchanged resources from the
preview's ``changeSummary``, prints no other value and no secret, and fails the check because
of the delete, unless deletes are allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pulumi_powerjob.local.engine import REPO, offline_env
from tests.support import PowerJobApp, RecordingProxy
from tests.support.actions import JobRun, run_job
from tests.support.engine import project_cli, quickstart_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]
SCRIPT = REPO / "examples" / "pr-check" / "preview_summary.py"
WORKFLOW = REPO / "examples" / "pr-check" / "pr-check.yml"


def summarise(preview: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(preview), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_pr_check_summarises_a_preview_and_fails_on_a_delete(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    project = quickstart_project(tmp_path)
    cli = project_cli(project, tmp_path / "home", pulumi_bin)
    cli.init(
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    cli.up()

    program = project / "examples" / "quickstart" / "__main__.py"
    source = program.read_text()
    edited = source.replace("0 30 2 * * ?", "0 45 2 * * ?").replace(
        '"reindex-on-demand"', '"reindex-manual"'
    )
    assert edited.count("0 45 2") == 1 and "reindex-manual" in edited
    # A schedule computed from another resource's output: unknown until apply.
    edited = edited.replace(
        "pulumi.export(",
        "follow_up = Job('follow-up', JobArgs(processor_info='demo.Follow', "
        "time_expression_type='CRON', "
        "time_expression=on_demand.job_id.apply(lambda i: f'0 {int(i) % 60} 4 * * ?')))\n"
        "pulumi.export(",
        1,
    )
    program.write_text(edited)

    recording_proxy.reset()
    done = subprocess.run(
        ["pulumi", "preview", "--json", "--stack", cli.stack, "--non-interactive"],
        cwd=project,
        env=dict(cli.env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert recording_proxy.mutations() == {}
    preview = tmp_path / "preview.json"
    preview.write_text(done.stdout)

    before = datetime.now(UTC)
    result = summarise(preview, "--server", powerjob_app.address)
    assert result.returncode == 1, result.stdout + result.stderr
    summary = result.stdout
    print(summary)
    unchanged = json.loads(done.stdout)["changeSummary"].get("same", 0)
    assert f"2 to create, 1 to delete, 1 to update; {unchanged} unchanged." in summary
    assert "| ~ update | `nightly-report` | Job | `time_expression` |" in summary
    assert "| - delete | `reindex-on-demand` | Job |" in summary
    assert "| + create | `reindex-manual` | Job |" in summary
    assert "Not allowed without review" in summary
    assert powerjob_app.password not in summary
    assert "#### Schedules (next 3 runs in UTC)" in summary  # the zone /server/hello reports
    runs = [
        (before.replace(hour=2, minute=45, second=0, microsecond=0) + timedelta(days=d))
        for d in range(4)
    ]
    runs = [r for r in runs if r > before][:3]
    expected_runs = "<br>".join(f"{r:%Y-%m-%d %H:%M:%S} UTC" for r in runs)
    assert (
        f"| `nightly-report` | `0 30 2 * * ?` | `0 45 2 * * ?` | At 02:45 | {expected_runs} |"
    ) in summary
    assert "| `reindex-manual` |  | API | only when started through the API | none |" in summary
    assert "| `follow-up` |  | computed at apply |  | computed at apply |" in summary
    assert "pdf" not in summary, "no value but the schedule is printed"

    assert summarise(preview, "--fail-on", "replace").returncode == 0

    # The workflow runs the same two commands and this script.
    workflow = WORKFLOW.read_text()
    assert "pulumi preview --diff" in workflow
    assert "pulumi preview --json" in workflow
    assert "examples/pr-check/preview_summary.py preview.json" in workflow

    program.write_text(source)
    recording_proxy.reset()
    cli.destroy()
    assert recording_proxy.mutations() == {"/openApi/deleteJob": 2}
    cli.remove()


# -- issue 24: the workflow's own commands, as written ------------------------------------------

_NOT_COPIED = (
    ".git",
    ".venv",
    "tests",
    "benchmarks",
    "tools",
    "*cache*",
    "__pycache__",
    "*.egg-info",
)


def _checkout(tmp: Path) -> Path:
    """What ``actions/checkout`` leaves: the repository's files, no virtualenv."""
    project = tmp / "checkout"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(*_NOT_COPIED))
    return project


def _runner_env(tmp: Path, pulumi_bin: Path) -> dict[str, str]:
    """``setup-python`` (``python`` is 3.11) and ``pulumi/actions`` (``pulumi`` on PATH)."""
    tools = tmp / "tools"
    tools.mkdir()
    (tools / "python").symlink_to(getattr(sys, "_base_executable", sys.executable))
    env = offline_env(tmp / "runner-home", pulumi_bin)
    for key in ("PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"):
        env.pop(key)  # the workflow sets them itself
    env["PATH"] = f"{tools}{os.pathsep}{env['PATH']}"
    # The Python language host scripts/engine pins does not read Pulumi.yaml's `virtualenv`
    # option (the CLI that pulumi/actions installs does): point it at that virtualenv, which
    # the workflow's install step makes.
    env["PULUMI_PYTHON_CMD"] = str(tmp / "checkout" / ".venv" / "bin" / "python")
    return env


def test_regress_24_the_workflow_runs_as_written_and_blocks_deletes_and_failures(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    project = _checkout(tmp_path)
    cli = project_cli(project, tmp_path / "home", pulumi_bin)
    cli.stack = "prod"
    cli.init(
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name}
    )
    base = _runner_env(tmp_path, pulumi_bin)
    secrets = {
        "PULUMI_CONFIG_PASSPHRASE": cli.env["PULUMI_CONFIG_PASSPHRASE"],
        "POWERJOB_PASSWORD": powerjob_app.password,
    }
    variables = {"PULUMI_BACKEND_URL": cli.env["PULUMI_BACKEND_URL"]}

    def workflow(variables: dict[str, str] = variables) -> JobRun:
        return run_job(
            WORKFLOW,
            "preview",
            project,
            base,
            variables=variables,
            secrets=secrets,
            skip={"comment"},  # needs GitHub; it only posts summary.md
        )

    # No state backend: the first step says so, and nothing goes to Pulumi Cloud.
    unset = workflow(variables={})
    assert unset.failed is not None and unset.failed.name == "state backend"
    assert "set the repository variable PULUMI_BACKEND_URL" in unset.failed.stderr
    assert len(unset.steps) == 1

    recording_proxy.reset()
    first = workflow()  # a new stack: creates only
    assert first.failed is None, first.steps
    assert first.outputs["summary"]["status"] == "0"
    assert "to create" in first.summary and "Not allowed" not in first.summary
    assert recording_proxy.mutations() == {}

    cli.env = {**cli.env, "POWERJOB_PASSWORD": powerjob_app.password}
    cli.up()
    program = project / "examples" / "quickstart" / "__main__.py"
    source = program.read_text()
    program.write_text(source.replace('"reindex-on-demand"', '"reindex-manual"'))
    recording_proxy.reset()
    renamed = workflow()  # a delete: blocked
    assert renamed.outputs["summary"]["status"] == "1"
    assert renamed.failed is not None and "deletes or replaces" in renamed.failed.stderr
    assert "| - delete | `reindex-on-demand` | Job |" in renamed.summary
    assert recording_proxy.mutations() == {}

    program.write_text(source.replace("0 30 2 * * ?", "30 2 * * 1-5"))
    broken = workflow()  # check refuses the 5-field cron: the preview fails
    assert broken.outputs["summary"]["status"] == "3"
    assert broken.failed is not None and "the preview failed" in broken.failed.stderr
    assert "**The preview failed:**" in broken.summary
    assert "No changes" not in broken.summary

    program.write_text(source)
    cli.destroy()
    cli.remove()
