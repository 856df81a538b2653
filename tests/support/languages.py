"""The steps a user runs on a program in any language, asserted at the recording proxy.

Preview of a new stack (every job id unknown), ``up`` (with its own preview),
``preview --expect-no-changes``, ``refresh``, a cron change, a new job added to the workflow as
a new node (its id unknown at preview), ``destroy``: each step's mutations asserted, every
preview sending nothing at all. ``PYTHON_TWIN`` is the examples' stack as a Python program on
the dynamic providers, whose table the other languages' must equal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from pulumi_powerjob.local.engine import PulumiCli
from tests.support.user_path import Steps

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
