"""YAML programs through the real CLI and the provider plugin ``pulumi-resource-powerjob``:
an App and a JobSet with field-level diffs, ``pulumi import``, and an error at ``up``. The
quickstart's lifecycle, beside TypeScript and Python: ``test_plugin_languages.py``.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.reconcile.job_mapping import spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import yaml_program
from tests.support.languages import edit
from tests.support.user_path import Steps, configure

pytestmark = [pytest.mark.integration, pytest.mark.engine]

SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"
NODES, FLOW = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"

APPS_PROGRAM = """\
name: yaml-apps
runtime: yaml
config:
  teamName:
    type: string
  teamPassword:
    type: string
    secret: true
resources:
  team:
    type: powerjob:index:App
    properties:
      appName: ${teamName}
      password: ${teamPassword}
      deleteOnDestroy: true
  batch:
    type: powerjob:index:JobSet
    properties:
      jobs:
        yaml-set-a:
          processorInfo: com.example.A
          timeExpressionType: CRON
          timeExpression: "0 0 3 * * ?"
        yaml-set-b:
          processorInfo: com.example.B
          timeExpressionType: API
outputs:
  teamAppId: ${team.appId}
  batchJobIds: ${batch.jobIds}
"""


def test_yaml_app_and_job_set_with_field_level_diffs_and_a_secret_password(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = yaml_program(APPS_PROGRAM, tmp_path, pulumi_bin)
    team, team_password = f"y-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    configure(cli, powerjob_app, recording_proxy, **{"yaml-apps:teamName": team})
    cli.run("config", "set", "--secret", "yaml-apps:teamPassword", team_password, secret=True)
    steps = Steps(recording_proxy)

    first = steps.preview(cli, "preview (new stack: an app, a set of 2 jobs)")
    assert "+ 3 to create" in first, first
    steps.run("up", cli.up, {"/appInfo/save": 1, SAVE: 2})
    outputs = json.loads(cli.run("stack", "output", "--json"))
    assert outputs["teamAppId"] > 0 and set(outputs["batchJobIds"]) == {"yaml-set-a", "yaml-set-b"}
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    edit(cli.project / "Pulumi.yaml", '"0 0 3 * * ?"', '"0 15 3 * * ?"')
    changed = steps.preview(cli, "preview (one job of the set changes its cron)")
    assert re.search(
        r'~ timeExpression\s*: "0 0 3 \* \* \?" => "0 15 3 \* \* \?"', changed
    ), changed
    assert "com.example.B" not in changed, changed  # field-level: the other job is not shown
    steps.run("up (cron change)", cli.up, {SAVE: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    state = cli.run("stack", "export")
    for secret in (powerjob_app.password, team_password):
        assert secret not in state
        assert all(secret not in entry for entry in cli.log)

    steps.run("destroy", cli.destroy, {DELETE: 2, "/appInfo/delete": 1})
    print(steps.table())
    cli.remove()


IMPORT_PROGRAM = """\
name: yaml-import
runtime: yaml
resources:
  legacy:
    type: powerjob:index:Job
    properties:
      jobName: {name}
      processorInfo: com.example.Legacy
      timeExpressionType: CRON
      timeExpression: "0 0 4 * * ?"
"""


def test_pulumi_import_takes_over_an_existing_job_through_the_plugin(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    name = f"legacy-{uuid.uuid4().hex[:8]}"
    spec = JobSpec.model_validate(
        {
            "job_name": name,
            "processor_info": "com.example.Legacy",
            "time_expression_type": "CRON",
            "time_expression": "0 0 4 * * ?",
        }
    )
    with PowerJobClient(powerjob_app.settings()) as client:  # made by hand, before Pulumi
        job_id = client.save_job(spec_to_request(spec, client.app_id))
    cli = yaml_program(IMPORT_PROGRAM.format(name=name), tmp_path, pulumi_bin)
    configure(cli, powerjob_app, recording_proxy)
    steps = Steps(recording_proxy)

    steps.run(
        "import",
        lambda: cli.run(
            "import",
            "powerjob:index:Job",
            "legacy",
            str(job_id),
            "--yes",
            "--generate-code=false",
            "--protect=false",
        ),
        {},
    )
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    state = json.loads(cli.run("stack", "export"))
    (job,) = [r for r in state["deployment"]["resources"] if r["type"] == "powerjob:index:Job"]
    assert job["id"] == str(job_id) and job["outputs"]["jobName"] == name
    steps.run("destroy", cli.destroy, {DELETE: 1})
    print(steps.table())
    cli.remove()


def test_an_error_at_up_leads_with_its_message_and_hides_the_password(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    wrong = f"wrong-{uuid.uuid4().hex[:12]}"
    cli = yaml_program(IMPORT_PROGRAM.format(name="never-made"), tmp_path, pulumi_bin)
    cli.init(
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": wrong},
    )
    assert not cli.attempt("up", "--yes")
    out = cli.log[-1]
    diagnostics = out[out.index("Diagnostics:") :]
    assert "password error! [app" in diagnostics  # the server's word and what to check
    assert diagnostics.count('File "') <= 4, diagnostics  # no frames of the thread pool
    assert recording_proxy.mutations() == {}
    assert wrong not in out
    cli.remove()
