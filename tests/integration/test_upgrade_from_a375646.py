"""A stack deployed by the release before the core moved out (a375646) needs no change after.

``up`` runs with that release's package (``git archive`` of a375646 first on ``PYTHONPATH``,
for the program and the dynamic provider host alike); every later step runs with this tree's
package: the preview shows no changes and sends nothing, refresh changes nothing, a cron change
is one ``saveJob``, and destroy deletes what the old release made. Counted at the proxy.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pulumi_powerjob.local.engine import REPO
from tests.support import PowerJobApp, RecordingProxy
from tests.support.release import BLOB_OF_TYPE, RELEASE, release_tree
from tests.support.user_path import Steps, configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]

PROGRAM = """\
import pulumi

from pulumi_powerjob import (
    App, AppArgs, AppJobs, AppJobsArgs, AppWorkflowArgs, Job, JobArgs, JobSet, JobSetArgs,
    Workflow, WorkflowArgs, WorkflowEdgeArgs, WorkflowNodeArgs,
)

config = pulumi.Config("upgrade")
daily = dict(processor_info="demo.Processor", time_expression_type="CRON",
             time_expression="0 0 1 * * ?")

extract = Job("extract", JobArgs(**{**daily, "time_expression": config.require("cron")}))
load = Job("load", JobArgs(**daily, job_params=extract.console_url))
Workflow("etl", WorkflowArgs(
    time_expression_type="CRON", time_expression="0 0 2 * * ?",
    nodes=[WorkflowNodeArgs(name="extract", job_id=extract.job_id),
           WorkflowNodeArgs(name="load", job_id=load.job_id)],
    edges=[WorkflowEdgeArgs(from_node="extract", to_node="load")],
))
JobSet("nightly", JobSetArgs(jobs={"s1": JobArgs(**daily), "s2": JobArgs(**daily)}))
AppJobs("team", AppJobsArgs(
    connection="default",
    jobs={"a": JobArgs(**daily), "b": JobArgs(**daily)},
    workflows={"ab": AppWorkflowArgs(nodes=[{"job": "a"}, {"job": "b"}], edges=[("a", "b")])},
))
App("scratch", AppArgs(app_name=config.require("app"),
                       password=config.require_secret("appPassword"), delete_on_destroy=True))
"""
SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"
NODES, FLOW = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"


def _package_file(env: dict[str, str]) -> str:
    """Where ``import pulumi_powerjob`` leads a Python started with ``env``."""
    done = subprocess.run(
        [sys.executable, "-c", "import pulumi_powerjob; print(pulumi_powerjob.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    return done.stdout.strip()


def test_a_stack_deployed_by_the_earlier_release_previews_with_no_changes(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    app, proxy = powerjob_app, recording_proxy
    cli = user_project(tmp_path, pulumi_bin, PROGRAM, name="upgrade")
    configure(
        cli, app, proxy, **{"upgrade:cron": "0 0 1 * * ?", "upgrade:app": f"s-{app.app_name}"}
    )
    cli.run("config", "set", "--secret", "upgrade:appPassword", uuid.uuid4().hex, secret=True)
    old_tree = release_tree(tmp_path / "release")
    old = dataclasses.replace(cli, env={**cli.env, "PYTHONPATH": str(old_tree)})
    assert _package_file(dict(old.env)).startswith(str(old_tree))
    assert not (old_tree / "pulumi_powerjob" / "reconcile").exists()
    assert _package_file(dict(cli.env)).startswith(str(REPO))
    steps = Steps(proxy)

    made = {SAVE: 6, NODES: 2, FLOW: 2, "/appInfo/save": 1}
    steps.run(f"up ({RELEASE})", old.up, made)
    stored = json.loads(cli.run("stack", "export"))["deployment"]["resources"]
    blobs = {r["type"]: r["inputs"]["__provider"] for r in stored if r["type"] in BLOB_OF_TYPE}
    assert blobs == BLOB_OF_TYPE  # what state holds is what the unit tests load

    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    steps.run("up (no-op)", lambda: cli.up("--expect-no-changes"), {}, requests=0)
    steps.run("refresh", lambda: cli.refresh("--expect-no-changes"), {})
    steps.preview(cli, "preview after refresh", "--expect-no-changes")

    cli.run("config", "set", "upgrade:cron", "0 0 3 * * ?")
    change = steps.preview(cli, "preview (cron change)")
    # outputs of the job being updated are unknown at preview, so its dependents show too
    assert '"0 0 1 * * ?" => "0 0 3 * * ?"' in change, change
    steps.run("up (cron change)", cli.up, {SAVE: 1})
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")

    steps.run(
        "destroy", cli.destroy, {DELETE: 6, "/openApi/deleteWorkflow": 2, "/appInfo/delete": 1}
    )
    print(steps.table())
    cli.remove()
