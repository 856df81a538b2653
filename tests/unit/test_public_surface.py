"""Meta tests: the public surface, the error tree, and what the engine stores for us."""

from __future__ import annotations

import base64
import inspect
from typing import Any

import dill
import pulumi
import pytest

import pulumi_powerjob
from pulumi_powerjob import errors
from pulumi_powerjob.providers.base import PowerJobProvider
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in vars(pulumi_powerjob) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(pulumi_powerjob, n))}
    assert set(pulumi_powerjob.__all__) == public - modules - {"annotations"}


def test_every_error_is_a_powerjob_error() -> None:
    classes = [c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, Exception)]
    assert len(classes) >= 9
    assert all(issubclass(c, errors.PowerJobError) for c in classes)


@pytest.mark.parametrize("provider", [JobProvider, WorkflowProvider])
def test_providers_declare_a_spec_model(provider: type[PowerJobProvider]) -> None:
    assert provider.spec_model is not None
    assert "connection" in provider.replace_on


class Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        return f"{args.name}-id", {**args.inputs, "job_id": 42}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


@pytest.fixture
def recorder() -> Recorder:
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pulumi.runtime.test  # type: ignore[misc]
def test_the_job_type_token_and_provider_blob_are_stable(recorder: Recorder) -> Any:
    job = pulumi_powerjob.Job(
        "j", pulumi_powerjob.JobArgs(processor_info="p", time_expression_type="API")
    )

    def check(job_id: int) -> None:
        args = recorder.registered[0]
        assert args.typ == "pulumi-python:dynamic/powerjob:Job"
        assert args.inputs["job_name"] == "j"  # defaults to the resource name
        provider = dill.loads(base64.b64decode(args.inputs["__provider"]))
        assert type(provider) is JobProvider  # pickled by reference, not by value
        assert vars(provider) == {}  # nothing, and so no secret, rides in state
        assert len(args.inputs["__provider"]) < 200
        assert job_id == 42

    return job.job_id.apply(check)
