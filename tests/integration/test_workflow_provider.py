"""WorkflowProvider called directly (as the engine would) against the real 4.3.9 server.

Decision and nested-workflow nodes, the server's refusals, and answers lost on purpose: every
step is judged by what reached the server, counted by the recording proxy.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import ApiError, OutcomeUnknownError
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile.workflow_mapping import node_request, workflow_request
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec
from tests.support import Fault, PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration
ADD, SAVE, DELETE = "/openApi/addWorkflowNode", "/openApi/saveWorkflow", "/openApi/deleteWorkflow"


@pytest.fixture(scope="module")
def job_ids(direct: PowerJobClient) -> Iterator[list[int]]:
    """Three API jobs the workflows of this module run."""
    ids = [
        direct.save_job(
            SaveJobInfoRequest.model_validate(
                {
                    "app_id": direct.app_id,
                    "job_name": f"wf-provider-{uuid.uuid4().hex[:8]}",
                    "time_expression_type": "API",
                    "execute_type": "STANDALONE",
                    "processor_type": "BUILT_IN",
                    "processor_info": "demo.Processor",
                }
            )
        )
        for _ in range(3)
    ]
    yield ids
    for job_id in ids:
        direct.delete_job(job_id)


@pytest.fixture
def provider(powerjob_app: PowerJobApp, recording_proxy: RecordingProxy) -> WorkflowProvider:
    provider = WorkflowProvider()
    config = powerjob_app.provider_config(recording_proxy.address)
    provider.configure(ConfigureRequest(Config(config, "workflows")))
    return provider


@pytest.fixture
def made(direct: PowerJobClient) -> Iterator[list[int]]:
    """Workflow ids a test made; deleted afterwards."""
    ids: list[int] = []
    yield ids
    for workflow_id in ids:
        direct.delete_workflow(workflow_id)


def fan(job_ids: list[int], **fields: Any) -> dict[str, Any]:
    return {
        "wf_name": f"wf-{uuid.uuid4().hex[:8]}",
        "nodes": [
            {"name": "a", "job_id": job_ids[0]},
            {"name": "b", "job_id": job_ids[1]},
            {"name": "c", "job_id": job_ids[2]},
        ],
        "edges": [{"from_node": "a", "to_node": "b"}, {"from_node": "a", "to_node": "c"}],
        **fields,
    }


def decision(job_ids: list[int], **fields: Any) -> dict[str, Any]:
    return {
        "wf_name": f"wf-decide-{uuid.uuid4().hex[:8]}",
        "nodes": [
            {"name": "decide", "type": "DECISION", "params": "true;"},
            {"name": "then", "job_id": job_ids[0]},
            {"name": "else", "job_id": job_ids[1]},
        ],
        "edges": [
            {"from_node": "decide", "to_node": "then", "property": "true"},
            {"from_node": "decide", "to_node": "else", "property": "false"},
        ],
        **fields,
    }


def declare(provider: WorkflowProvider, declaration: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, declaration)
    assert result.failures == []
    return result.inputs


def outs(result: Any) -> dict[str, Any]:
    assert result.outs is not None
    return dict(result.outs)


def create(provider: WorkflowProvider, inputs: dict[str, Any], made: list[int]) -> Any:
    created = provider.create(inputs)
    made.append(int(created.id))
    return created


def test_a_decision_workflow_is_created_read_back_and_changed_with_the_fewest_calls(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
    made: list[int],
) -> None:
    inputs = declare(provider, decision(job_ids))
    recording_proxy.reset()
    created = create(provider, inputs, made)
    assert recording_proxy.mutations() == {ADD: 1, SAVE: 1}

    read = provider.read(created.id, outs(created))
    assert read.inputs == inputs
    assert provider.diff(created.id, outs(read), inputs).changes is False
    live = direct.fetch_workflow(int(created.id))
    assert live.dag is not None
    assert sorted(str(e.property) for e in live.dag.edges) == ["false", "true"]

    swapped = declare(
        provider,
        {
            **decision(job_ids, wf_name=inputs["wf_name"]),
            "edges": [
                {"from_node": "decide", "to_node": "then", "property": "false"},
                {"from_node": "decide", "to_node": "else", "property": "true"},
            ],
        },
    )
    recording_proxy.reset()
    updated = provider.update(created.id, outs(read), swapped)
    assert recording_proxy.mutations() == {SAVE: 1}

    script = {
        **swapped,
        "nodes": [{**swapped["nodes"][0], "params": "false;"}, *swapped["nodes"][1:]],
    }
    script = declare(provider, script)
    recording_proxy.reset()
    provider.update(created.id, outs(updated), script)
    assert recording_proxy.mutations() == {ADD: 1}
    assert provider.read(created.id, outs(updated)).inputs == script


def test_a_nested_workflow_node_runs_another_workflow(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    job_ids: list[int],
    made: list[int],
) -> None:
    inner = create(provider, declare(provider, fan(job_ids)), made)
    outer = declare(
        provider,
        {
            "wf_name": f"wf-outer-{uuid.uuid4().hex[:8]}",
            "nodes": [
                {"name": "first", "job_id": job_ids[0]},
                {"name": "inner", "type": "NESTED_WORKFLOW", "workflow_id": int(inner.id)},
            ],
            "edges": [{"from_node": "first", "to_node": "inner"}],
        },
    )
    recording_proxy.reset()
    created = create(provider, outer, made)
    assert recording_proxy.mutations() == {ADD: 1, SAVE: 1}
    assert provider.read(created.id, outs(created)).inputs == outer

    # The server allows one level only: a workflow with a nested node cannot be nested.
    twice = {
        "wf_name": "twice",
        "nodes": [{"name": "n", "type": "NESTED_WORKFLOW", "workflow_id": int(created.id)}],
    }
    recording_proxy.reset()
    with pytest.raises(ApiError, match="specified workflow must be a simple workflow"):
        provider.create(declare(provider, twice))
    assert recording_proxy.mutations() == {ADD: 1}


def test_a_node_refused_by_the_server_is_reported_and_no_workflow_is_saved(
    provider: WorkflowProvider, recording_proxy: RecordingProxy, job_ids: list[int]
) -> None:
    inputs = declare(provider, fan([*job_ids[:2], 987_654_321]))
    recording_proxy.reset()
    with pytest.raises(ApiError, match="specified job is not exist,node name : c"):
        provider.create(inputs)
    assert recording_proxy.mutations() == {ADD: 1}


def test_a_workflow_deleted_out_of_band_reads_as_disabled_and_one_save_restores_it(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
    made: list[int],
) -> None:
    inputs = declare(provider, fan(job_ids))
    created = create(provider, inputs, made)
    direct.delete_workflow(int(created.id))
    read = provider.read(created.id, outs(created))
    assert read.inputs == {**inputs, "enabled": False}
    assert provider.diff(created.id, outs(read), inputs).changes is True
    recording_proxy.reset()
    provider.update(created.id, outs(read), inputs)
    assert recording_proxy.mutations() == {SAVE: 1}
    assert direct.fetch_workflow(int(created.id)).enable is True


def test_a_workflow_that_never_existed_reads_as_gone_and_deletes_as_done(
    provider: WorkflowProvider, recording_proxy: RecordingProxy
) -> None:
    assert provider.read("987654321", {}).id is None
    provider.delete("987654321", {"enabled": True})
    assert recording_proxy.mutations() == {DELETE: 1}


# -- answers lost on purpose ---------------------------------------------------------------


def test_a_create_whose_node_answer_is_lost_stops_before_any_workflow(
    provider: WorkflowProvider, recording_proxy: RecordingProxy, job_ids: list[int]
) -> None:
    inputs = declare(provider, fan(job_ids))
    recording_proxy.reset()
    recording_proxy.inject(ADD, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    with pytest.raises(OutcomeUnknownError, match="no workflow was made"):
        provider.create(inputs)
    assert recording_proxy.mutations() == {ADD: 1}


@pytest.mark.parametrize(
    "fault", [Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.RESET, Fault.DELAY], ids=lambda f: f.name
)
def test_a_create_whose_save_answer_is_lost_is_found_by_its_nodes_not_resent(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
    made: list[int],
    fault: Fault,
) -> None:
    inputs = declare(provider, fan(job_ids))
    recording_proxy.reset()
    recording_proxy.inject(SAVE, fault)
    created = create(provider, inputs, made)
    assert recording_proxy.mutations() == {ADD: 1, SAVE: 1}
    live = direct.fetch_workflow(int(created.id))
    assert live.wf_name == inputs["wf_name"]
    assert live.dag is not None
    assert {n.node_id for n in live.dag.nodes} == set(outs(created)["node_ids"].values())


def test_a_create_whose_save_never_reached_the_server_says_none_was_made(
    provider: WorkflowProvider, recording_proxy: RecordingProxy, job_ids: list[int]
) -> None:
    inputs = declare(provider, fan(job_ids))
    recording_proxy.reset()
    recording_proxy.inject(SAVE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
    with pytest.raises(OutcomeUnknownError, match="no workflow was created") as lost:
        provider.create(inputs)
    assert str(lost.value).startswith("saveWorkflow: HTTP 502, and the console listing shows")
    assert "delete" not in str(lost.value)
    assert recording_proxy.mutations() == {ADD: 1}
    listed = re.search(r"nodes \[([\d, ]+)\]", str(lost.value))
    assert listed is not None, "the message names the unattached nodes"


@pytest.mark.parametrize(
    "fault", [Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.RESET], ids=lambda f: f.name
)
def test_an_update_whose_save_answer_is_lost_is_confirmed_by_a_read(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
    made: list[int],
    fault: Fault,
) -> None:
    inputs = declare(provider, fan(job_ids))
    created = create(provider, inputs, made)
    renamed = {**inputs, "wf_name": inputs["wf_name"] + "-renamed"}
    recording_proxy.reset()
    recording_proxy.inject(SAVE, fault)
    provider.update(created.id, outs(created), renamed)
    assert recording_proxy.mutations() == {SAVE: 1}
    assert direct.fetch_workflow(int(created.id)).wf_name == renamed["wf_name"]


def test_an_update_refused_by_a_gateway_is_reported(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
    made: list[int],
) -> None:
    inputs = declare(provider, fan(job_ids))
    created = create(provider, inputs, made)
    recording_proxy.reset()
    recording_proxy.inject(SAVE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
    with pytest.raises(OutcomeUnknownError) as failed:
        provider.update(created.id, outs(created), {**inputs, "max_wf_instance_num": 3})
    assert str(failed.value).startswith(
        f"saveWorkflow: HTTP 502, and a read shows workflow {created.id} still as it was"
    )
    assert recording_proxy.mutations() == {}
    assert direct.fetch_workflow(int(created.id)).max_wf_instance_num == 1


def test_an_update_whose_node_answer_is_lost_is_confirmed_by_a_read(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
    made: list[int],
) -> None:
    inputs = declare(provider, fan(job_ids))
    created = create(provider, inputs, made)
    changed = declare(
        provider,
        fan(job_ids, wf_name=inputs["wf_name"])
        | {
            "nodes": [
                {"name": "a", "job_id": job_ids[0], "params": "changed"},
                *inputs["nodes"][1:],
            ]
        },
    )
    recording_proxy.reset()
    recording_proxy.inject(ADD, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    provider.update(created.id, outs(created), changed)
    assert recording_proxy.mutations() == {ADD: 1}
    live = direct.fetch_workflow(int(created.id))
    assert live.dag is not None
    assert [n.node_params for n in live.dag.nodes if n.node_name == "a"] == ["changed"]


def test_an_update_whose_new_node_answer_is_lost_says_so(
    provider: WorkflowProvider, recording_proxy: RecordingProxy, job_ids: list[int], made: list[int]
) -> None:
    inputs = declare(provider, fan(job_ids))
    created = create(provider, inputs, made)
    grown = declare(
        provider,
        {
            **inputs,
            "nodes": [*inputs["nodes"], {"name": "d", "job_id": job_ids[0]}],
            "edges": [*inputs["edges"], {"from_node": "c", "to_node": "d"}],
        },
    )
    recording_proxy.reset()
    recording_proxy.inject(ADD, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    with pytest.raises(OutcomeUnknownError, match=r"while adding nodes \['d'\]"):
        provider.update(created.id, outs(created), grown)
    assert recording_proxy.mutations() == {ADD: 1}


def test_a_delete_whose_answer_is_lost_is_confirmed_by_a_read(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
) -> None:
    created = provider.create(declare(provider, fan(job_ids)))
    recording_proxy.reset()
    recording_proxy.inject(DELETE, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    provider.delete(created.id, outs(created))
    assert recording_proxy.mutations() == {DELETE: 1}
    assert direct.fetch_workflow(int(created.id)).enable is False


def test_a_lost_delete_of_a_disabled_workflow_is_confirmed_by_the_console_listing(
    provider: WorkflowProvider,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
    job_ids: list[int],
) -> None:
    # a deleted workflow reads as disabled: only the listing, which leaves deleted ones out, tells
    created = provider.create(declare(provider, fan(job_ids, enabled=False)))
    recording_proxy.reset()
    recording_proxy.inject(DELETE, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    provider.delete(created.id, outs(created))
    assert recording_proxy.mutations() == {DELETE: 1}
    assert recording_proxy.count("/workflow/list") >= 1


def test_a_delete_of_a_disabled_workflow_that_never_reached_the_server_asks_for_another_run(
    provider: WorkflowProvider, recording_proxy: RecordingProxy, job_ids: list[int], made: list[int]
) -> None:
    created = create(provider, declare(provider, fan(job_ids, enabled=False)), made)
    recording_proxy.reset()
    recording_proxy.inject(DELETE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
    with pytest.raises(OutcomeUnknownError, match="run destroy again"):
        provider.delete(created.id, outs(created))
    assert recording_proxy.mutations() == {}


def test_node_rows_written_again_answer_the_workflow_that_holds_them(
    provider: WorkflowProvider, direct: PowerJobClient, job_ids: list[int], made: list[int]
) -> None:
    """Reference §4.7 on the real server, as the 5.1 settlement of a lost create relies on it."""
    inputs = declare(provider, fan(job_ids))
    created = create(provider, inputs, made)
    ids = outs(created)["node_ids"]
    spec = WorkflowSpec.model_validate(
        {k: inputs[k] for k in WorkflowSpec.model_fields if k in inputs}
    )
    rows = [node_request(n, direct.app_id, ids[n.name]) for n in spec.nodes]
    held = direct.add_workflow_node(rows)
    assert [(r.id, r.workflow_id) for r in held] == [
        (ids[n.name], int(created.id)) for n in spec.nodes
    ]
    loose = direct.add_workflow_node([node_request(spec.nodes[0], direct.app_id)])
    assert loose[0].workflow_id is None

    request = workflow_request(spec, direct.app_id, ids)
    with pytest.raises(ApiError, match="can't use another workflow's node"):
        direct.save_workflow(request)
