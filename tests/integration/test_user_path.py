"""The user's path through the `pulumi` CLI: resources that take each other's outputs.

A new stack is previewed first, as in a pull-request check, while every output it refers
to is unknown: workflow nodes on new jobs, a job input on another new job's output, an
AppJobs component with a workflow. Then `up` with its own preview, no-op steps, refresh,
a new job added to the existing workflow as a new node, and destroy. Each step's requests
and mutations are counted at a recording proxy in front of the real server, on both
published server lines (4.3.9, and 4.3.6 started here).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob.local import LocalServer
from tests.support import PowerJobApp, RecordingProxy
from tests.support.user_path import Steps, configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]

PROGRAM = """\
import pulumi

from pulumi_powerjob import (
    AppJobs, AppJobsArgs, AppWorkflowArgs, Job, JobArgs,
    Workflow, WorkflowArgs, WorkflowEdgeArgs, WorkflowNodeArgs,
)

step = pulumi.Config("userpath").get_int("step") or 1
daily = dict(processor_info="demo.Processor", time_expression_type="CRON",
             time_expression="0 0 1 * * ?")

extract = Job("extract", JobArgs(**daily))
load = Job("load", JobArgs(**daily))
# Inputs bound to another new job's outputs: unknown at the first preview.
report = Job("report", JobArgs(
    processor_info="demo.Report",
    time_expression_type="API",
    job_params=extract.console_url,
    job_description=load.job_id.apply(lambda i: f"after job {i}"),
    concurrency=extract.job_id.apply(lambda _: 3),
    notify_user_ids=[1, load.job_id.apply(lambda _: 2)],
    lifecycle={"end": extract.job_id.apply(lambda _: 4_102_444_799_000)},
))

nodes = [WorkflowNodeArgs(name="extract", job_id=extract.job_id),
         WorkflowNodeArgs(name="load", job_id=load.job_id)]
edges = [WorkflowEdgeArgs(from_node="extract", to_node="load")]
if step >= 2:  # a new job, added to the existing workflow as a new node
    audit = Job("audit", JobArgs(**daily))
    nodes.append(WorkflowNodeArgs(name="audit", job_id=audit.job_id))
    edges.append(WorkflowEdgeArgs(from_node="load", to_node="audit"))
etl = Workflow("etl", WorkflowArgs(
    time_expression_type="CRON", time_expression="0 0 2 * * ?", nodes=nodes, edges=edges))

team = AppJobs("team", AppJobsArgs(
    connection="default",
    jobs={"a": JobArgs(**daily), "b": JobArgs(**daily)},
    workflows={"ab": AppWorkflowArgs(nodes=[{"job": "a"}, {"job": "b"}], edges=[("a", "b")])},
))
pulumi.export("etl_id", etl.workflow_id)
pulumi.export("team_job_ids", team.job_ids)
"""
SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"
NODES, FLOW = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"


def assert_password_kept_only_in_the_default_provider(run: Any, password: str) -> None:
    """The README's sentence on where `powerjob:password` is kept, checked on the state.

    The engine stores stack config in the default provider's inputs and outputs; a secret
    there is ciphertext (`stack export`), plain only with `--show-secrets`. No resource of
    ours holds it, in any form.
    """
    plain = json.loads(run("stack", "export"))
    shown = json.loads(run("stack", "export", "--show-secrets", secret=True))
    assert password not in json.dumps(plain)
    holders = []
    for resource in shown["deployment"]["resources"]:
        for part in ("inputs", "outputs"):
            if password in json.dumps(resource.get(part, {})):
                holders.append((resource["type"], part))
    assert holders == [
        ("pulumi:providers:pulumi-python", "inputs"),
        ("pulumi:providers:pulumi-python", "outputs"),
    ]
    provider = next(
        r for r in plain["deployment"]["resources"] if r["type"] == "pulumi:providers:pulumi-python"
    )
    stored = provider["inputs"]["powerjob:password"]
    assert isinstance(stored, dict) and "ciphertext" in stored


@pytest.fixture(scope="module")
def server_436() -> Iterator[LocalServer]:
    """A PowerJob 4.3.6 server (H2 in memory) for this module only."""
    server = LocalServer("4.3.6")
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(params=["4.3.9", "4.3.6"])
def line(
    request: pytest.FixtureRequest, powerjob_server: LocalServer
) -> Iterator[tuple[PowerJobApp, RecordingProxy]]:
    """An app of its own and a recording proxy, on each published server line."""
    server = powerjob_server if request.param == "4.3.9" else request.getfixturevalue("server_436")
    name, password = f"u-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app = PowerJobApp(server.address, name, password, server.create_app(name, password))
    with RecordingProxy(server.address) as proxy:
        yield app, proxy


def test_a_composed_stack_from_its_first_preview_to_destroy(
    tmp_path: Path, pulumi_bin: Path, line: tuple[PowerJobApp, RecordingProxy]
) -> None:
    app, proxy = line
    cli = user_project(tmp_path, pulumi_bin, PROGRAM)
    configure(cli, app, proxy)
    steps = Steps(proxy)

    first = steps.preview(cli, "preview (new stack)")
    assert "error" not in first.lower(), first
    assert "+ 9 to create" in first, first  # the stack, 5 jobs, 2 workflows, the component
    steps.run("up", cli.up, {SAVE: 5, NODES: 2, FLOW: 2})
    assert_password_kept_only_in_the_default_provider(cli.run, app.password)
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    steps.run("up (no-op)", lambda: cli.up("--expect-no-changes"), {}, requests=0)
    steps.run("refresh", lambda: cli.refresh("--expect-no-changes"), {})
    steps.preview(cli, "preview after refresh", "--expect-no-changes")

    cli.run("config", "set", "userpath:step", "2")
    second = steps.preview(cli, "preview (new job as a new node)")
    assert "+ 1 to create" in second and "~ 1 to update" in second, second
    steps.run("up (new node)", cli.up, {SAVE: 1, NODES: 1, FLOW: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    steps.run("destroy", cli.destroy, {DELETE: 6, "/openApi/deleteWorkflow": 2})
    print(steps.table())
    cli.remove()
