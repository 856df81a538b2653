"""What ``pulumi preview --diff`` prints on the plugin path, line by line, for each resource:
a Job, a JobSet and a Workflow, each through an update, an add, a delete and a replacement.

One YAML program, stepped through four edits on a stack that was ``up``ed on the real server;
each preview is read as text (``--color never``), per resource, and sends nothing to the
server. The dynamic path's rendering: ``test_job_preview_diff.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import yaml_program
from tests.support.languages import edit
from tests.support.user_path import Steps, configure

pytestmark = [pytest.mark.integration, pytest.mark.engine]

SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"
NODES, FLOW = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"

PROGRAM = """\
name: yaml-diffs
runtime: yaml
resources:
  report:
    type: powerjob:index:Job
    properties:
      jobName: diff-report
      processorInfo: com.example.Report
      timeExpressionType: CRON
      timeExpression: "0 0 2 * * ?"
      jobDescription: nightly report
  extract:
    type: powerjob:index:Job
    properties:
      jobName: diff-extract
      processorInfo: com.example.Extract
      timeExpressionType: WORKFLOW
  load:
    type: powerjob:index:Job
    properties:
      jobName: diff-load
      processorInfo: com.example.Load
      timeExpressionType: WORKFLOW
  regional:
    type: powerjob:index:JobSet
    properties:
      jobs:
        report-eu:
          processorInfo: com.example.Regional
          timeExpressionType: CRON
          timeExpression: "0 0 3 * * ?"
        report-us:
          processorInfo: com.example.Regional
          timeExpressionType: CRON
          timeExpression: "0 0 4 * * ?"
  etl:
    type: powerjob:index:Workflow
    properties:
      timeExpressionType: CRON
      timeExpression: "0 0 1 * * ?"
      nodes:
        - name: extract
          jobId: ${extract.jobId}
          params: '{"batch": 100}'
        - name: load
          jobId: ${load.jobId}
      edges:
        - fromNode: extract
          toNode: load
"""
US = """\
        report-us:
          processorInfo: com.example.Regional
          timeExpressionType: CRON
          timeExpression: "0 0 4 * * ?"
"""
APAC = """\
        report-apac:
          processorInfo: com.example.Regional
          timeExpressionType: API
"""
TRANSFORM = """\
  transform:
    type: powerjob:index:Job
    properties:
      jobName: diff-transform
      processorInfo: com.example.Transform
      timeExpressionType: WORKFLOW
"""
LOAD_NODE = """\
        - name: load
          jobId: ${load.jobId}
"""
TRANSFORM_NODE = """\
        - name: transform
          jobId: ${transform.jobId}
"""
EDGE = """\
        - fromNode: extract
          toNode: load
"""
NEW_EDGE = """\
        - fromNode: extract
          toNode: transform
"""
UPDATES = [
    ('"0 0 2 * * ?"', '"0 30 2 * * ?"'),
    ('"0 0 3 * * ?"', '"0 15 3 * * ?"'),
    ('{"batch": 100}', '{"batch": 200}'),
]
ADDS = [
    ("  regional:\n", TRANSFORM + "  regional:\n"),
    (US, US + APAC),
    (LOAD_NODE, LOAD_NODE + TRANSFORM_NODE),
    (EDGE, EDGE + NEW_EDGE),
]
DELETES = [(TRANSFORM, ""), (US, ""), (TRANSFORM_NODE, ""), (NEW_EDGE, "")]
REPLACES = [
    (head, head + "      connection: alt\n")
    for head in (
        "  report:\n    type: powerjob:index:Job\n    properties:\n",
        "  regional:\n    type: powerjob:index:JobSet\n    properties:\n",
        "  etl:\n    type: powerjob:index:Workflow\n    properties:\n",
    )
]

_HEAD = re.compile(r"^ *(\+-|[-+~] )?[\w:]+: \(([\w-]+)\)$")
_URN = re.compile(r"^ *\[urn=.*::(?P<name>[\w-]+)\]$")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def blocks(out: str) -> dict[str, list[str]]:
    """The preview's text per resource name: its header (``+- (replace)``), then each line
    below its ``[urn=...]``, stripped, the column padding before ``:`` dropped, ids as ``N``."""
    found: dict[str, list[str]] = {}
    lines: list[str] = []
    for raw in _ANSI.sub("", out).splitlines():
        if raw.startswith("Resources:"):
            break
        if raw.startswith("warning:") or not raw.strip():
            continue
        head, urn = _HEAD.match(raw), _URN.match(raw)
        if head:
            lines = [f"{(head[1] or '').strip()} ({head[2]})".strip()]
        elif urn:
            found[urn["name"]] = lines
        elif not raw.strip().startswith("[id="):
            line = re.sub(r" +: ", ": ", raw.strip())
            lines.append(re.sub(r"(jobId: )\d+$", r"\1N", line))
    return found


def diff_of(out: str, **expected: list[str]) -> None:
    """Exactly the ``expected`` resources, each with exactly these lines, and nothing else."""
    got = {name: lines for name, lines in blocks(out).items() if lines != ["(same)"]}
    assert got == expected, out


def test_preview_diff_shows_exactly_the_changed_properties_of_each_resource(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = yaml_program(PROGRAM, tmp_path, pulumi_bin)
    configure(cli, powerjob_app, recording_proxy)
    for key, value in (("address", recording_proxy.address), ("appName", powerjob_app.app_name)):
        cli.run("config", "set", "--path", f"powerjob:connections.alt.{key}", value)
    cli.run("config", "set", "--path", "--secret", "powerjob:connections.alt.password",
            powerjob_app.password, secret=True)  # fmt: skip
    program = cli.project / "Pulumi.yaml"
    steps = Steps(recording_proxy)

    def preview(name: str, changes: list[tuple[str, str]]) -> str:
        for old, new in changes:
            edit(program, old, new)
        return steps.preview(cli, name, "--color", "never")

    steps.preview(cli, "preview (new stack)")
    steps.run("up", cli.up, {SAVE: 5, NODES: 1, FLOW: 1})

    diff_of(
        preview("preview (a field of each resource changes)", UPDATES),
        report=["~ (update)", '~ timeExpression: "0 0 2 * * ?" => "0 30 2 * * ?"'],
        regional=[
            "~ (update)",
            "~ jobs: {",
            "~ report-eu: {",
            '~ timeExpression: "0 0 3 * * ?" => "0 15 3 * * ?"',
            "}",
            "}",
        ],
        etl=[
            "~ (update)",
            "~ nodes: [",
            "~ [0]: {",
            "~ params: (json) {",
            "~ batch: 100 => 200",
            "}",
            "}",
            "]",
        ],
    )
    steps.run("up (updates)", cli.up, {SAVE: 2, NODES: 1})

    added_node = ["+ enabled: true", "+ jobId: [unknown]", '+ name: "transform"']
    added_node += ["+ params: <null>", "+ skipWhenFailed: false", '+ type: "JOB"']
    out = preview("preview (a Job, a job of the set, a node and an edge added)", ADDS)
    created = blocks(out)["transform"]
    assert created[0] == "+ (create)" and 'processorInfo: "com.example.Transform"' in created, out
    diff_of(
        out,
        transform=created,
        regional=[
            "~ (update)",
            "~ jobs: {",
            "+ report-apac: {",
            '+ processorInfo: "com.example.Regional"',
            '+ timeExpressionType: "API"',
            "}",
            "}",
        ],
        etl=[
            "~ (update)",
            "~ edges: [",
            "+ [1]: {",
            '+ fromNode: "extract"',
            "+ property: <null>",
            '+ toNode: "transform"',
            "}",
            "]",
            "~ nodes: [",
            "+ [2]: {",
            *added_node,
            "+ workflowId: <null>",
            "}",
            "]",
        ],
    )
    steps.run("up (adds)", cli.up, {SAVE: 2, NODES: 1, FLOW: 1})

    out = preview("preview (the Job, the set's job, the node and the edge deleted)", DELETES)
    deleted = blocks(out)["transform"]
    assert deleted[0] == "- (delete)" and '- processorInfo: "com.example.Transform"' not in out
    assert 'processorInfo: "com.example.Transform"' in deleted, out
    diff_of(
        out,
        transform=deleted,
        regional=[
            "~ (update)",
            "~ jobs: {",
            "- report-us: {",
            '- processorInfo: "com.example.Regional"',
            '- timeExpression: "0 0 4 * * ?"',
            '- timeExpressionType: "CRON"',
            "}",
            "}",
        ],
        etl=[
            "~ (update)",
            "~ edges: [",
            "- [1]: {",
            '- fromNode: "extract"',
            "- property: <null>",
            '- toNode: "transform"',
            "}",
            "]",
            "~ nodes: [",
            "- [2]: {",
            *(line.replace("+", "-", 1) for line in added_node[:1]),
            "- jobId: N",
            *(line.replace("+", "-", 1) for line in added_node[2:]),
            "- workflowId: <null>",
            "}",
            "]",
        ],
    )
    steps.run("up (deletes)", cli.up, {DELETE: 2, FLOW: 1})

    replacing = ["+- (replace)", '~ connection: "default" => "alt"']
    out = preview("preview (each resource to another connection: a replacement)", REPLACES)
    diff_of(out, report=replacing, regional=replacing, etl=replacing)
    assert "+-3 to replace" in out, out

    steps.run("destroy", cli.destroy, {DELETE: 5, "/openApi/deleteWorkflow": 1})
    print(steps.table())
    cli.remove()
