"""Workflow lifecycle through the real engine (Automation API), step by step, each step judged
by the mutations that reached the real server.

3 jobs + a workflow running them (5 calls) -> preview (0 requests) -> up (0) -> refresh
(0 mutations) -> rename (1) -> cron (1) -> add a node (2) -> node params (1) -> remove a node
(1) -> reorder nodes and edges (0) -> disable (1) -> enable (1) -> deleted out of band,
refresh, up (1) -> destroy (4)
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from pydantic import SecretStr

from pulumi_powerjob import Job, JobArgs, Workflow, WorkflowArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.models import WorkflowInfoVO
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
ADD, SAVE = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"
JOBS = ("extract", "transform", "load")


def test_workflow_lifecycle_counts_the_fewest_mutations_per_declared_change(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    tag = uuid.uuid4().hex[:8]
    declared: dict[str, Any] = {
        "wf_name": f"etl-{tag}",
        # (node name, job it runs, params)
        "nodes": [("extract", "extract", None), ("eu", "transform", "eu"), ("load", "load", None)],
        "edges": [("extract", "eu"), ("eu", "load")],
    }

    def program() -> None:
        jobs = {
            name: Job(
                f"job-{name}",
                JobArgs(
                    job_name=f"{name}-{tag}",
                    processor_info=f"demo.{name.title()}",
                    time_expression_type="API",
                ),
            )
            for name in JOBS
        }
        Workflow(
            "etl",
            WorkflowArgs(
                wf_name=declared["wf_name"],
                time_expression_type=declared.get("time_expression_type"),
                time_expression=declared.get("time_expression"),
                enabled=declared.get("enabled"),
                nodes=[
                    {"name": name, "job_id": jobs[job].job_id, "params": params}
                    for name, job, params in declared["nodes"]
                ],
                edges=[{"from_node": a, "to_node": b} for a, b in declared["edges"]],
            ),
        )

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    settings = ConnectionSettings(
        addresses=(powerjob_app.address,),
        app_name=powerjob_app.app_name,
        password=SecretStr(powerjob_app.password),
    )

    def step(run: Any, expected: dict[str, int], *, requests: int | None = None) -> Any:
        recording_proxy.reset()
        result = run()
        assert recording_proxy.mutations() == expected
        if requests is not None:
            assert len(recording_proxy.records) == requests
        return result

    def change(**fields: Any) -> None:
        declared.update(fields)

    with PowerJobClient(settings) as client:
        up = step(stack.up, {"/openApi/saveJob": 3, ADD: 1, SAVE: 1})
        assert up.summary.resource_changes == {"create": 5}
        workflow_id = _workflow_id(stack)

        def live() -> WorkflowInfoVO:
            return client.fetch_workflow(workflow_id)

        def node_names() -> list[str]:
            graph = live().dag
            assert graph is not None
            return sorted(str(n.node_name) for n in graph.nodes)

        assert node_names() == ["eu", "extract", "load"]

        step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)
        step(lambda: stack.up(expect_no_changes=True), {})
        step(lambda: stack.refresh(expect_no_changes=True), {})
        assert recording_proxy.count("/openApi/fetchWorkflow") == 1
        step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)

        change(wf_name=f"etl-renamed-{tag}")
        step(stack.up, {SAVE: 1})
        assert live().wf_name == f"etl-renamed-{tag}"

        change(time_expression_type="CRON", time_expression="0 0 3 * * ?")
        step(stack.up, {SAVE: 1})
        assert live().time_expression == "0 0 3 * * ?"

        change(
            nodes=[*declared["nodes"], ("us", "transform", "us")],
            edges=[*declared["edges"], ("extract", "us"), ("us", "load")],
        )
        preview = step(stack.preview, {}, requests=0)
        assert preview.change_summary.get("update") == 1
        step(stack.up, {ADD: 1, SAVE: 1})
        assert node_names() == ["eu", "extract", "load", "us"]

        change(nodes=[(n, j, "us-west" if n == "us" else p) for n, j, p in declared["nodes"]])
        step(stack.up, {ADD: 1})
        graph = live().dag
        assert graph is not None
        assert {n.node_name: n.node_params for n in graph.nodes}["us"] == "us-west"

        change(
            nodes=[n for n in declared["nodes"] if n[0] != "eu"],
            edges=[e for e in declared["edges"] if "eu" not in e],
        )
        step(stack.up, {SAVE: 1})
        assert node_names() == ["extract", "load", "us"]

        change(nodes=declared["nodes"][::-1], edges=declared["edges"][::-1])
        step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)
        step(lambda: stack.up(expect_no_changes=True), {})

        change(enabled=False)
        step(stack.up, {SAVE: 1})
        assert live().enable is False
        change(enabled=True)
        step(stack.up, {SAVE: 1})
        assert live().enable is True

        # Deleted in the console: it reads as disabled, and one save brings it back.
        client.delete_workflow(workflow_id)
        refresh = step(stack.refresh, {})
        assert refresh.summary.resource_changes.get("update") == 1
        step(stack.up, {SAVE: 1})
        assert live().enable is True
        step(lambda: stack.refresh(expect_no_changes=True), {})

        step(stack.destroy, {"/openApi/deleteWorkflow": 1, "/openApi/deleteJob": 3})
        assert live().enable is False
    stack.workspace.remove_stack(stack.name)


def _workflow_id(stack: auto.Stack) -> int:
    deployment = stack.export_stack().deployment
    assert deployment is not None
    workflows = [
        r for r in deployment["resources"] if r["type"] == "pulumi-python:dynamic/powerjob:Workflow"
    ]
    assert len(workflows) == 1
    return int(workflows[0]["outputs"]["workflow_id"])
