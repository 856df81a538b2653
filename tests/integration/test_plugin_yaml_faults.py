"""Exactly once under faults on the plugin path: a YAML program through the CLI and
``pulumi-resource-powerjob``, with a dropped answer or a 502 on the mutation of a job create,
update and delete and of a workflow create.

`up` runs until the stack converges (``preview --expect-no-changes``); counted at the proxy,
the faulted call reached the server exactly once, and the server holds no duplicate.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.local.engine import PulumiCli
from pulumi_powerjob.models import JobInfoQuery
from tests.support import Fault, PowerJobApp, RecordingProxy
from tests.support.engine import yaml_program

pytestmark = [pytest.mark.integration, pytest.mark.engine]

MAX_UPS = 3
HEAD = "name: yaml-faults\nruntime: yaml\nresources:\n"
JOB = """\
  target:
    type: powerjob:index:Job
    properties:
      jobName: {name}
      processorInfo: demo.Processor
      timeExpressionType: CRON
      timeExpression: "0 0 5 * * ?"
      concurrency: {concurrency}
"""
WORKFLOW = """\
  node:
    type: powerjob:index:Job
    properties:
      jobName: {name}-node
      processorInfo: demo.Processor
      timeExpressionType: WORKFLOW
  target:
    type: powerjob:index:Workflow
    properties:
      wfName: {name}
      nodes:
        - name: only
          jobId: ${{node.jobId}}
"""
FAULTS = (Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
CELLS = [
    ("job", "create", "/openApi/saveJob"),
    ("job", "update", "/openApi/saveJob"),
    ("job", "delete", "/openApi/deleteJob"),
    ("workflow", "create", "/openApi/saveWorkflow"),
]


def _converge(cli: PulumiCli) -> int:
    """``up`` until the stack has nothing left to do; the ``up``s it took."""
    for ups in range(1, MAX_UPS + 1):
        if cli.attempt("up", "--yes") and cli.attempt("preview", "--expect-no-changes"):
            return ups
    return MAX_UPS + 1


@pytest.mark.parametrize(("resource", "operation", "path"), CELLS)
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_fault_on_the_plugin_path_never_duplicates_and_converges(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    fault: Fault,
    resource: str,
    operation: str,
    path: str,
) -> None:
    name = f"yf-{resource}-{operation}-{uuid.uuid4().hex[:6]}"
    body = (JOB if resource == "job" else WORKFLOW).format(name=name, concurrency=5)
    cli = yaml_program(HEAD + body, tmp_path, pulumi_bin)
    cli.init(
        {
            "powerjob:address": recording_proxy.address,
            "powerjob:appName": powerjob_app.app_name,
            "powerjob:readTimeout": "2",
        },
        {"powerjob:password": powerjob_app.password},
    )
    program = cli.project / "Pulumi.yaml"
    if operation != "create":
        cli.up()
    if operation == "update":
        program.write_text(HEAD + JOB.format(name=name, concurrency=8))
    elif operation == "delete":
        program.write_text(HEAD.replace("resources:\n", "resources: {}\n"))

    recording_proxy.reset()
    recording_proxy.inject(path, fault)
    ups = _converge(cli)
    reached = recording_proxy.mutations()[path]

    with PowerJobClient(powerjob_app.settings()) as direct:
        if resource == "job":
            live = direct.query_job(JobInfoQuery(job_name_eq=name, status_in=[1, 2]))
            count = len(live)
            settled = count == (0 if operation == "delete" else 1) and (
                operation != "update" or live[0].concurrency == 8
            )
        else:
            with ConsoleClient(powerjob_app.settings()) as console:
                count = len(console.list_workflows(direct.app_id, name=name))
            settled = count == 1
    cli.destroy()
    cli.remove()

    assert ups <= MAX_UPS, "the stack converges"
    assert reached == 1, f"{path} reached the server {reached} times"
    assert settled, f"{count} live {resource}(s) named {name}"
