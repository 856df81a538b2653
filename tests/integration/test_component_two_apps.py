"""AppJobs twice in one stack, for two apps through two connection profiles, through the
real engine against the real 4.3.9 server; every step judged by the mutations that reached it.

Both profiles point at the one session server (through the recording proxy): a second
server would double the load on a two-core runner. The profiles differ in app name and
password, so each component's children must land in their own app.

up (3 saveJob + 1 addWorkflowNode + 1 saveWorkflow) -> preview (0 requests) -> refresh
(0 mutations) -> change one job of one app (1 saveJob) -> destroy (3 deleteJob + 1 deleteWorkflow)
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pydantic import SecretStr

from pulumi_powerjob import AppJobs, AppJobsArgs, AppWorkflowArgs, JobArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]


def second_app(server: LocalServer) -> PowerJobApp:
    name, password = f"t2-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    return PowerJobApp(server.address, name, password, server.create_app(name, password))


def connections(address: str, **apps: PowerJobApp) -> dict[str, str]:
    """``powerjob:connections`` (a secret: it holds the passwords) naming ``apps`` by profile."""
    table = {
        profile: {"address": address, "appName": app.app_name, "password": app.password}
        for profile, app in apps.items()
    }
    return {"powerjob:connections": json.dumps(table)}


def test_two_components_put_their_jobs_in_their_own_apps(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_server: LocalServer,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
) -> None:
    other = second_app(powerjob_server)
    tag = uuid.uuid4().hex[:8]
    declared: dict[str, Any] = {"report_params": "{}"}

    def job(name: str, **extra: Any) -> JobArgs:
        return JobArgs(
            job_name=f"{name}-{tag}",
            processor_info="demo.Step",
            time_expression_type="API",
            **extra,
        )

    def program() -> None:
        alpha = AppJobs(
            "alpha",
            AppJobsArgs(
                connection="alpha",
                jobs={"extract": job("extract"), "load": job("load")},
                workflows={
                    "etl": AppWorkflowArgs(
                        wf_name=f"etl-{tag}",
                        nodes=[{"job": "extract"}, {"job": "load", "params": "x"}],
                        edges=[("extract", "load")],
                    )
                },
            ),
        )
        beta = AppJobs(
            "beta",
            AppJobsArgs(
                connection="beta",
                jobs={"report": job("report", job_params=declared["report_params"])},
            ),
        )
        pulumi.export("alpha_jobs", alpha.job_ids)
        pulumi.export("alpha_workflows", alpha.workflow_ids)
        pulumi.export("beta_jobs", beta.job_ids)

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {},
        connections(recording_proxy.address, alpha=powerjob_app, beta=other),
    )

    recording_proxy.reset()
    up = stack.up()
    assert recording_proxy.mutations() == {
        "/openApi/saveJob": 3,
        "/openApi/addWorkflowNode": 1,
        "/openApi/saveWorkflow": 1,
    }
    alpha_jobs, beta_jobs = up.outputs["alpha_jobs"].value, up.outputs["beta_jobs"].value
    assert sorted(alpha_jobs) == ["extract", "load"]
    assert sorted(beta_jobs) == ["report"]
    assert sorted(up.outputs["alpha_workflows"].value) == ["etl"]

    # Each job is in the app of its component's profile, by the server's own account.
    for app, ids in ((powerjob_app, alpha_jobs), (other, beta_jobs)):
        settings = ConnectionSettings(
            addresses=(app.address,), app_name=app.app_name, password=SecretStr(app.password)
        )
        with PowerJobClient(settings) as client:
            for job_id in ids.values():
                assert client.fetch_job(job_id).app_id == app.app_id
            workflow_ids = up.outputs["alpha_workflows"].value.values()
            if app is powerjob_app:
                graph = client.fetch_workflow(next(iter(workflow_ids))).dag
                assert graph is not None
                assert {n.job_id for n in graph.nodes} == set(alpha_jobs.values())

    for run in (
        lambda: stack.preview(expect_no_changes=True),
        lambda: stack.refresh(expect_no_changes=True),
    ):
        recording_proxy.reset()
        run()
        assert recording_proxy.mutations() == {}

    declared["report_params"] = '{"day": "yesterday"}'
    recording_proxy.reset()
    stack.up()
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1}

    recording_proxy.reset()
    stack.destroy()
    assert recording_proxy.mutations() == {"/openApi/deleteJob": 3, "/openApi/deleteWorkflow": 1}
    stack.workspace.remove_stack(stack.name)
