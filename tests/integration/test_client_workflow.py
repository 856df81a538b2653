"""``save_workflow_with_nodes`` on the real server: the fewest calls, none resent."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from pulumi_powerjob import (
    ConnectionSettings,
    NotFoundError,
    PowerJobClient,
    SaveJobInfoRequest,
    TimeExpressionType,
    WorkflowEdgeSpec,
    WorkflowNodeSpec,
    WorkflowSpec,
    save_workflow_with_nodes,
)
from pulumi_powerjob.local.proxy import Fault
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration

ADD, SAVE = "/openApi/addWorkflowNode", "/openApi/saveWorkflow"


@pytest.fixture
def client(powerjob_app: PowerJobApp, recording_proxy: RecordingProxy) -> Iterator[PowerJobClient]:
    settings = ConnectionSettings(
        addresses=(recording_proxy.address,),
        app_name=powerjob_app.app_name,
        password=SecretStr(powerjob_app.password),
        read_timeout=3.0,
    )
    with PowerJobClient(settings) as c:
        yield c


@pytest.fixture
def jobs(client: PowerJobClient, recording_proxy: RecordingProxy) -> Iterator[list[int]]:
    made = [
        client.save_job(
            SaveJobInfoRequest(
                job_name=f"cw-{i}",
                processor_info="demo.Processor",
                time_expression_type=TimeExpressionType.WORKFLOW,
            )
        )
        for i in range(3)
    ]
    recording_proxy.reset()
    yield made
    for job_id in made:
        client.delete_job(job_id)


def spec(jobs: list[int], *, names: tuple[str, ...] = ("a", "b"), **fields: object) -> WorkflowSpec:
    nodes = [WorkflowNodeSpec(name=n, job_id=jobs[i]) for i, n in enumerate(names)]
    edges = [WorkflowEdgeSpec(from_node=x, to_node=y) for x, y in itertools.pairwise(names)]
    values: dict[str, object] = {"wf_name": f"cw-{uuid.uuid4().hex[:8]}", **fields}
    return WorkflowSpec.model_validate({**values, "nodes": nodes, "edges": edges})


def test_create_update_and_no_op_each_make_the_fewest_calls(
    client: PowerJobClient, recording_proxy: RecordingProxy, jobs: list[int]
) -> None:
    first = spec(jobs)
    saved = save_workflow_with_nodes(client, first)
    assert recording_proxy.mutations() == {ADD: 1, SAVE: 1}
    assert set(saved.node_ids) == {"a", "b"}
    try:
        renamed = first.model_copy(update={"wf_description": "renamed"})
        a, b = renamed.nodes
        new_params = renamed.model_copy(update={"nodes": [a, b.model_copy(update={"params": "p"})]})
        steps = [(first, {}), (renamed, {SAVE: 1}), (new_params, {ADD: 1})]
        for wanted, calls in steps:
            recording_proxy.reset()
            again = save_workflow_with_nodes(client, wanted, saved.workflow_id)
            assert recording_proxy.mutations() == calls, wanted
            assert again.node_ids == saved.node_ids
        recording_proxy.reset()
        grown = spec(jobs, names=("a", "b", "c"), wf_name=first.wf_name, wf_description="renamed")
        bigger = save_workflow_with_nodes(client, grown, saved.workflow_id)
        assert recording_proxy.mutations() == {ADD: 1, SAVE: 1}
        assert {k: bigger.node_ids[k] for k in ("a", "b")} == saved.node_ids
        live = client.fetch_workflow(saved.workflow_id)
        assert live.dag is not None and len(live.dag.nodes) == 3
    finally:
        client.delete_workflow(saved.workflow_id)


def test_a_lost_save_answer_is_settled_by_reads_and_not_resent(
    client: PowerJobClient, recording_proxy: RecordingProxy, jobs: list[int]
) -> None:
    recording_proxy.inject(SAVE, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    saved = save_workflow_with_nodes(client, spec(jobs))
    try:
        assert recording_proxy.mutations() == {ADD: 1, SAVE: 1}
        assert client.fetch_workflow(saved.workflow_id).wf_name is not None
    finally:
        client.delete_workflow(saved.workflow_id)


def test_an_unknown_workflow_id_is_not_found_and_nothing_is_written(
    client: PowerJobClient, recording_proxy: RecordingProxy, jobs: list[int]
) -> None:
    with pytest.raises(NotFoundError, match=r"\[app "):
        save_workflow_with_nodes(client, spec(jobs), 987654321)
    assert recording_proxy.mutations() == {}
