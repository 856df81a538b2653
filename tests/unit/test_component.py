"""``AppJobs`` under mocks: children, their connection, node wiring by job key, outputs."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_powerjob import AppJobs, AppJobsArgs, AppWorkflowArgs, InputValidationError, JobArgs


class Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered.append(args)
        number = len(self.registered)
        return f"{args.name}-id", {**args.inputs, "job_id": number, "workflow_id": 100 + number}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[Any]]:
        return {}, []


@pytest.fixture
def recorder() -> Recorder:
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


def job() -> JobArgs:
    return JobArgs(processor_info="demo.P", time_expression_type="WORKFLOW")


@pulumi.runtime.test  # type: ignore[misc]  # the SDK decorator is untyped
def test_children_use_the_component_connection_and_nodes_get_job_ids(recorder: Recorder) -> Any:
    component = AppJobs(
        "orders",
        AppJobsArgs(
            connection="eu",
            jobs={"a": job(), "b": job()},
            workflows={
                "flow": AppWorkflowArgs(
                    nodes=[{"job": "a"}, {"job": "b", "name": "b-twice", "params": "p"}],
                    edges=[("a", "b-twice")],
                )
            },
        ),
    )

    def check(values: list[Any]) -> None:
        job_ids, workflow_ids = values
        by_name = {r.name: r for r in recorder.registered}
        assert by_name["orders"].typ == "powerjob:index:AppJobs"
        jobs = [by_name["orders-a"], by_name["orders-b"]]
        assert [j.inputs["connection"] for j in jobs] == ["eu", "eu"]
        assert [j.inputs["job_name"] for j in jobs] == ["a", "b"]
        flow = by_name["orders-flow"].inputs
        assert flow["connection"] == "eu"
        assert flow["wf_name"] == "flow"
        assert flow["nodes"] == [
            {"name": "a", "job_id": job_ids["a"]},
            {"name": "b-twice", "params": "p", "job_id": job_ids["b"]},
        ]
        assert flow["edges"] == [{"from_node": "a", "to_node": "b-twice"}]
        assert sorted(job_ids) == ["a", "b"]
        assert list(workflow_ids) == ["flow"]

    return pulumi.Output.all(component.job_ids, component.workflow_ids).apply(check)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (
            AppJobsArgs(
                connection="eu",
                jobs={"a": job()},
                workflows={"flow": AppWorkflowArgs(nodes=[{"job": "missing"}])},
            ),
            "workflows.flow.nodes[0].job",
        ),
        (
            AppJobsArgs(connection="eu", jobs={"a": JobArgs(**{**vars(job()), "connection": "x"})}),
            "jobs.a.connection",
        ),
    ],
)
@pulumi.runtime.test  # type: ignore[misc]
def test_a_bad_declaration_fails_at_program_time(
    recorder: Recorder, args: AppJobsArgs, field: str
) -> None:
    with pytest.raises(InputValidationError) as bad:
        AppJobs("orders", args)
    assert bad.value.field == field
