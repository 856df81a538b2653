"""A YAML program (``examples/yaml-quickstart``) through the real CLI and the provider plugin
``pulumi-resource-powerjob``, against the real server behind the recording proxy.

The steps a user runs: preview of a new stack, ``up`` (with its own preview),
``preview --expect-no-changes``, ``refresh``, a cron change, ``destroy``; each step's
mutations are counted at the proxy, and every preview sends nothing at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import plugin_project
from tests.support.user_path import Steps, configure

pytestmark = [pytest.mark.integration, pytest.mark.engine]

SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"


def test_yaml_job_from_its_first_preview_to_destroy(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = plugin_project("yaml-quickstart", tmp_path, pulumi_bin)
    configure(cli, powerjob_app, recording_proxy)
    steps = Steps(recording_proxy)

    first = steps.preview(cli, "preview (new stack)")
    assert "+ 2 to create" in first, first  # the stack and the job
    steps.run("up", cli.up, {SAVE: 1})
    job_id = json.loads(cli.run("stack", "output", "--json"))["nightlyReportJobId"]
    assert isinstance(job_id, int | float) and job_id > 0

    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    steps.run("refresh", lambda: cli.refresh("--expect-no-changes"), {})
    steps.preview(cli, "preview after refresh", "--expect-no-changes")

    program = cli.project / "Pulumi.yaml"
    program.write_text(program.read_text().replace('"0 0 2 * * ?"', '"0 30 2 * * ?"'))
    changed = steps.preview(cli, "preview (cron change)")
    assert "~ 1 to update" in changed, changed
    assert "timeExpression" in changed, changed  # field-level diff
    steps.run("up (cron change)", cli.up, {SAVE: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    state = cli.run("stack", "export")
    assert powerjob_app.password not in state
    assert all(powerjob_app.password not in entry for entry in cli.log)

    steps.run("destroy", cli.destroy, {DELETE: 1})
    print(steps.table())
    cli.remove()
