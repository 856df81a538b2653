"""``Workflow(adopt_id=...)``, called directly: a matching workflow is taken over with no
mutation, a differing one with the calls of the update from what the server holds."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile.workflow_mapping import node_request, workflow_request
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec
from tests.integration.estate_fixtures import client_for_app, fresh_app, save
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration


def existing(app: PowerJobApp) -> tuple[dict[str, Any], int, dict[str, int]]:
    """A workflow made with the client: its declaration, id and node ids."""
    with client_for_app(app) as client:
        job = save(client, "step", {"job_name": "step", "time_expression_type": "WORKFLOW"})
        declared: dict[str, Any] = {
            "wf_name": "adopt me",
            "nodes": [{"name": "a", "job_id": job}, {"name": "b", "job_id": job, "params": "x"}],
            "edges": [{"from_node": "a", "to_node": "b"}],
        }
        spec = WorkflowSpec.model_validate(declared)
        rows = client.add_workflow_node([node_request(n, client.app_id) for n in spec.nodes])
        node_ids = {n.name: r.id for n, r in zip(spec.nodes, rows, strict=True)}
        workflow_id = client.save_workflow(workflow_request(spec, client.app_id, node_ids))
    return declared, workflow_id, node_ids


def provider_for(app: PowerJobApp, proxy: RecordingProxy) -> WorkflowProvider:
    provider = WorkflowProvider()
    config = {
        "powerjob:address": proxy.address,
        "powerjob:appName": app.app_name,
        "powerjob:password": app.password,
    }
    provider.configure(ConfigureRequest(Config(config, "adopt")))
    return provider


def test_adopting_workflows_makes_no_mutation_when_matching_else_the_minimal_update(
    powerjob_server: LocalServer, recording_proxy: RecordingProxy
) -> None:
    app = fresh_app(powerjob_server)
    declared, workflow_id, node_ids = existing(app)
    provider = provider_for(app, recording_proxy)

    def adopt(**changes: Any) -> dict[str, Any]:
        checked = provider.check({}, {**declared, **changes, "adopt_id": float(workflow_id)})
        assert checked.failures == []
        recording_proxy.reset()
        created = provider.create(checked.inputs)
        assert created.id == str(workflow_id)
        assert created.outs is not None
        return dict(created.outs)

    outs = adopt()
    assert recording_proxy.mutations() == {}
    assert outs["node_ids"] == node_ids

    nodes = [{**declared["nodes"][0], "params": "changed"}, declared["nodes"][1]]
    outs = adopt(wf_name="adopted", nodes=nodes)
    assert recording_proxy.mutations() == {
        "/openApi/addWorkflowNode": 1,
        "/openApi/saveWorkflow": 1,
    }
    assert outs["node_ids"] == node_ids, "the existing nodes are kept, none is made"
    with client_for_app(app) as client:
        live = client.fetch_workflow(workflow_id)
    assert live.wf_name == "adopted"
    assert live.dag is not None
    assert {n.node_name: n.node_params for n in live.dag.nodes} == {"a": "changed", "b": "x"}
