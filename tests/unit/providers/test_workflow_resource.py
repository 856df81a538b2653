"""The ``Workflow`` resource under mocks: its type token, its props and its provider blob."""

from __future__ import annotations

import base64
from typing import Any

import dill
import pulumi
import pytest

from pulumi_powerjob import Workflow, WorkflowArgs
from pulumi_powerjob.providers.workflow import OUTPUT_KEYS, WorkflowProvider


class Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        return f"{args.name}-id", {**args.inputs, "workflow_id": 7, "node_ids": {"a": 1}}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


@pytest.fixture
def recorder() -> Recorder:
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test  # type: ignore[misc]  # the SDK decorator is untyped
def test_the_workflow_type_token_and_provider_blob_are_stable(recorder: Recorder) -> Any:
    workflow = Workflow(
        "etl",
        WorkflowArgs(
            nodes=[{"name": "a", "job_id": 3}, {"name": "b", "job_id": 4, "params": "x"}],
            edges=[{"from_node": "a", "to_node": "b"}],
        ),
    )

    def check(values: list[Any]) -> None:
        workflow_id, node_ids = values
        args = recorder.registered[0]
        assert args.typ == "pulumi-python:dynamic/powerjob:Workflow"
        assert args.inputs["wf_name"] == "etl"  # defaults to the resource name
        assert args.inputs["nodes"][1] == {"name": "b", "job_id": 4, "params": "x"}
        assert not set(OUTPUT_KEYS) & {k for k, v in args.inputs.items() if v is not None}
        provider = dill.loads(base64.b64decode(args.inputs["__provider"]))
        assert type(provider) is WorkflowProvider  # pickled by reference, not by value
        assert vars(provider) == {}  # nothing, and so no secret, rides in state
        assert len(args.inputs["__provider"]) < 200
        assert (workflow_id, node_ids) == (7, {"a": 1})

    return pulumi.Output.all(workflow.workflow_id, workflow.node_ids).apply(check)
