"""A YAML program (``examples/yaml-quickstart``) through the real CLI and the provider plugin
``pulumi-resource-powerjob``, and the same stack as a Python program on the dynamic
providers, each against the real server behind the recording proxy.

The steps a user runs: preview of a new stack (every job id unknown), ``up`` (with its own
preview), ``preview --expect-no-changes``, ``refresh``, a cron change, a new job added to the
workflow as a new node (its id unknown at preview), ``destroy``. Each step's mutations are
asserted at the proxy, every preview sends nothing at all, and the two faces' tables of
requests and mutations per step are the same.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local.engine import PulumiCli
from pulumi_powerjob.reconcile.job_mapping import spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import plugin_project, yaml_program
from tests.support.user_path import Steps, configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]

SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"
NODES, FLOW = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"

NEW_JOB = """\
  transform:
    type: powerjob:index:Job
    properties:
      processorInfo: com.example.Transform
      timeExpressionType: WORKFLOW

  etl:"""
NEW_NODE = """\
        - name: transform
          jobId: ${transform.jobId}
      edges:
        - fromNode: extract
          toNode: transform
        - fromNode: transform
          toNode: load"""
CRON_DIFF = r'~ {name}\s*: "0 0 2 \* \* \?" => "0 30 2 \* \* \?"'
OLD_EDGES = """\
      edges:
        - fromNode: extract
          toNode: load"""

# examples/yaml-quickstart as a Python program; stack config drives its two changes.
PYTHON_TWIN = """\
import pulumi

from pulumi_powerjob import Job, JobArgs, Workflow, WorkflowArgs

config = pulumi.Config("twin")
report = Job("nightlyReport", JobArgs(
    job_name="py-nightly-report", processor_info="com.example.NightlyReport",
    time_expression_type="CRON", time_expression=config.get("cron") or "0 0 2 * * ?",
    job_params='{"format": "pdf"}'))
flow = dict(time_expression_type="WORKFLOW")
x = "com.example."
extract = Job("extract", JobArgs(job_name="py-extract", processor_info=x + "Extract", **flow))
load = Job("load", JobArgs(job_name="py-load", processor_info="com.example.Load", **flow))
nodes = [{"name": "extract", "job_id": extract.job_id}, {"name": "load", "job_id": load.job_id}]
edges = [{"from_node": "extract", "to_node": "load"}]
if config.get("transform"):
    transform = Job("transform", JobArgs(
        job_name="py-transform", processor_info="com.example.Transform", **flow))
    nodes.append({"name": "transform", "job_id": transform.job_id})
    edges = [{"from_node": "extract", "to_node": "transform"},
             {"from_node": "transform", "to_node": "load"}]
etl = Workflow("etl", WorkflowArgs(wf_name="py-etl", time_expression_type="CRON",
                                   time_expression="0 0 1 * * ?", nodes=nodes, edges=edges))
pulumi.export("etlNodeIds", etl.node_ids)
"""


def edit(program: Path, old: str, new: str) -> None:
    text = program.read_text()
    assert text.count(old) == 1, old
    program.write_text(text.replace(old, new))


def lifecycle(
    cli: PulumiCli,
    steps: Steps,
    change_cron: Callable[[], object],
    add_node: Callable[[], object],
    cron_diff: str,
) -> None:
    """The user's steps, each one's mutations asserted at the proxy."""
    first = steps.preview(cli, "preview (new stack: 3 jobs, a workflow on two of them)")
    assert "+ 5 to create" in first, first  # the stack, 3 jobs, the workflow
    steps.run("up", cli.up, {SAVE: 3, NODES: 1, FLOW: 1})
    assert set(json.loads(cli.run("stack", "output", "--json"))["etlNodeIds"]) == {
        "extract",
        "load",
    }
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    steps.run("refresh", lambda: cli.refresh("--expect-no-changes"), {})
    steps.preview(cli, "preview after refresh", "--expect-no-changes")

    change_cron()
    changed = steps.preview(cli, "preview (cron change)")
    assert "~ 1 to update" in changed, changed
    assert re.search(cron_diff, changed), changed  # the field, not the whole resource
    steps.run("up (cron change)", cli.up, {SAVE: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    add_node()
    second = steps.preview(cli, "preview (a new job as a new workflow node)")
    assert "+ 1 to create" in second and "~ 1 to update" in second, second
    steps.run("up (new node)", cli.up, {SAVE: 1, NODES: 1, FLOW: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    nodes = json.loads(cli.run("stack", "output", "--json"))["etlNodeIds"]
    assert set(nodes) == {"extract", "load", "transform"}

    steps.run("destroy", cli.destroy, {DELETE: 4, "/openApi/deleteWorkflow": 1})


def test_yaml_program_through_the_plugin_costs_what_the_python_program_costs(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = plugin_project("yaml-quickstart", tmp_path / "yaml", pulumi_bin)
    program = cli.project / "Pulumi.yaml"
    configure(cli, powerjob_app, recording_proxy)
    yaml_steps = Steps(recording_proxy)

    def add_node() -> None:
        edit(program, "\n  etl:", "\n" + NEW_JOB)
        edit(program, OLD_EDGES, NEW_NODE)

    lifecycle(
        cli,
        yaml_steps,
        lambda: edit(program, '"0 0 2 * * ?"', '"0 30 2 * * ?"'),
        add_node,
        CRON_DIFF.format(name="timeExpression"),
    )
    state = cli.run("stack", "export")
    assert powerjob_app.password not in state
    assert all(powerjob_app.password not in entry for entry in cli.log)
    # The engine took the plugin that pip installed, from PATH:
    installed = Path(sys.prefix) / "bin" / "pulumi-resource-powerjob"
    assert any(f"using pulumi-resource-powerjob from $PATH at {installed}" in e for e in cli.log)
    cli.remove()

    twin = user_project(tmp_path / "python", pulumi_bin, PYTHON_TWIN, name="twin")
    configure(twin, powerjob_app, recording_proxy)
    python_steps = Steps(recording_proxy)
    lifecycle(
        twin,
        python_steps,
        lambda: twin.run("config", "set", "twin:cron", "0 30 2 * * ?"),
        lambda: twin.run("config", "set", "twin:transform", "yes"),
        CRON_DIFF.format(name="time_expression"),
    )
    twin.remove()

    print("YAML program, plugin:\n" + yaml_steps.table())
    print("Python program, dynamic providers:\n" + python_steps.table())
    assert yaml_steps.rows == python_steps.rows


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
