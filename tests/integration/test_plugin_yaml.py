"""A YAML program (``examples/yaml-quickstart``) through the real CLI and the provider plugin
``pulumi-resource-powerjob``, against the real server behind the recording proxy.

The steps a user runs: preview of a new stack (every job id unknown), ``up`` (with its own
preview), ``preview --expect-no-changes``, ``refresh``, a cron change, a new job added to the
workflow as a new node (its id unknown at preview), ``destroy``. Each step's mutations are
counted at the proxy, and every preview sends nothing at all.
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
OLD_EDGES = """\
      edges:
        - fromNode: extract
          toNode: load"""


def edit(program: Path, old: str, new: str) -> None:
    text = program.read_text()
    assert text.count(old) == 1, old
    program.write_text(text.replace(old, new))


def test_yaml_program_from_its_first_preview_to_destroy(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = plugin_project("yaml-quickstart", tmp_path, pulumi_bin)
    program = cli.project / "Pulumi.yaml"
    configure(cli, powerjob_app, recording_proxy)
    steps = Steps(recording_proxy)

    first = steps.preview(cli, "preview (new stack: 3 jobs, a workflow on two of them)")
    assert "+ 5 to create" in first, first  # the stack, 3 jobs, the workflow
    steps.run("up", cli.up, {SAVE: 3, NODES: 1, FLOW: 1})
    outputs = json.loads(cli.run("stack", "output", "--json"))
    assert outputs["nightlyReportJobId"] > 0 and outputs["etlWorkflowId"] > 0
    assert set(outputs["etlNodeIds"]) == {"extract", "load"}

    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    steps.run("refresh", lambda: cli.refresh("--expect-no-changes"), {})
    steps.preview(cli, "preview after refresh", "--expect-no-changes")

    edit(program, '"0 0 2 * * ?"', '"0 30 2 * * ?"')
    changed = steps.preview(cli, "preview (cron change)")
    assert "~ 1 to update" in changed, changed
    assert '~ timeExpression: "0 0 2 * * ?" => "0 30 2 * * ?"' in changed, changed
    steps.run("up (cron change)", cli.up, {SAVE: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    edit(program, "\n  etl:", "\n" + NEW_JOB)
    edit(program, OLD_EDGES, NEW_NODE)
    second = steps.preview(cli, "preview (a new job as a new workflow node)")
    assert "+ 1 to create" in second and "~ 1 to update" in second, second
    steps.run("up (new node)", cli.up, {SAVE: 1, NODES: 1, FLOW: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    nodes = json.loads(cli.run("stack", "output", "--json"))["etlNodeIds"]
    assert set(nodes) == {"extract", "load", "transform"}

    state = cli.run("stack", "export")
    assert powerjob_app.password not in state
    assert all(powerjob_app.password not in entry for entry in cli.log)

    steps.run("destroy", cli.destroy, {DELETE: 4, "/openApi/deleteWorkflow": 1})
    print(steps.table())
    cli.remove()
