"""Workflow spec <-> wire with recorded payloads, and the plan of calls per kind of change.

The round trip keeps diffs from being perpetual; the plan is what the integration tests count
on the real server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob.models import (
    SaveWorkflowNodeRequest,
    SaveWorkflowRequest,
    WorkflowInfoVO,
)
from pulumi_powerjob.reconcile.workflow_mapping import (
    WORKFLOW_FIELDS,
    Plan,
    node_request,
    plan_update,
    requests_to_spec,
    vo_to_spec,
    workflow_request,
)
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec

FIXTURES = Path(__file__).parents[2] / "fixtures" / "powerjob-4.3.9"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


def fetched() -> WorkflowInfoVO:
    return WorkflowInfoVO.model_validate(_load("fetchWorkflow")["response"]["data"])


def test_recorded_fetch_reads_as_a_canonical_spec_with_node_ids() -> None:
    spec, node_ids = vo_to_spec(fetched())
    assert node_ids == {"node-0": 1, "node-1": 2, "node-2": 3}
    assert spec.model_dump(mode="json") == {
        "wf_name": "fixture-workflow",
        "wf_description": "three job nodes",
        "time_expression_type": "CRON",
        "time_expression": "0 0 3 * * ?",
        "max_wf_instance_num": 1,
        "enabled": True,
        "notify_user_ids": [1],
        "lifecycle": None,
        "nodes": [
            {
                "name": f"node-{i}",
                "type": "JOB",
                "job_id": 8 + i,
                "workflow_id": None,
                "params": None,
                "enabled": True,
                "skip_when_failed": False,
            }
            for i in range(3)
        ],
        "edges": [
            {"from_node": "node-0", "to_node": "node-1", "property": None},
            {"from_node": "node-0", "to_node": "node-2", "property": None},
        ],
    }


def test_recorded_requests_read_back_as_the_recorded_fetch() -> None:
    """What was sent (saveWorkflow + addWorkflowNode) is what the server showed afterwards."""
    save = SaveWorkflowRequest.model_validate(_load("saveWorkflow")["request"]["json"])
    node_call = _load("addWorkflowNode")
    ids = [row["id"] for row in node_call["response"]["data"]]
    rows = [
        SaveWorkflowNodeRequest.model_validate({**raw, "id": i})
        for raw, i in zip(node_call["request"]["json"], ids, strict=True)
    ]
    assert requests_to_spec(save, rows) == vo_to_spec(fetched())[0]


def test_spec_to_requests_and_back_is_identity() -> None:
    spec, node_ids = vo_to_spec(fetched())
    rows = [node_request(n, app_id=1, node_id=node_ids[n.name]) for n in spec.nodes]
    request = workflow_request(spec, app_id=1, node_ids=node_ids, workflow_id=1)
    assert requests_to_spec(request, rows) == spec


def test_every_spec_field_reaches_the_wire() -> None:
    """A spec field forgotten in the mapping would be silently dropped on every save."""
    spec = WorkflowSpec.model_validate(
        {
            "wf_name": "w",
            "wf_description": "d",
            "time_expression_type": "CRON",
            "time_expression": "0 0 3 * * ?",
            "max_wf_instance_num": 3,
            "enabled": False,
            "notify_user_ids": [4],
            "lifecycle": {"start": 1, "end": 4_102_444_800_000},
            "nodes": [
                {"name": "d", "type": "DECISION", "params": "return true;"},
                {"name": "j", "job_id": 5, "enabled": False, "skip_when_failed": True},
                {"name": "w", "type": "NESTED_WORKFLOW", "workflow_id": 6},
            ],
            "edges": [
                {"from_node": "d", "to_node": "j", "property": "true"},
                {"from_node": "d", "to_node": "w", "property": "false"},
            ],
        }
    )
    ids = {"d": 11, "j": 12, "w": 13}
    rows = [node_request(n, app_id=1, node_id=ids[n.name]) for n in spec.nodes]
    request = workflow_request(spec, app_id=1, node_ids=ids, workflow_id=9)
    assert requests_to_spec(request, rows) == spec
    assert rows[2].job_id == 6  # a nested workflow travels in jobId
    wire = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert wire["dag"]["edges"] == [
        {"from": 11, "to": 12, "property": "true"},
        {"from": 11, "to": 13, "property": "false"},
    ]


def test_a_save_always_sends_lifecycle_and_notify_users_so_they_can_be_cleared() -> None:
    """saveWorkflow keeps a lifecycle it is not sent, and null notifyUserIds keep the old ones."""
    spec, node_ids = vo_to_spec(fetched())
    spec = spec.model_copy(update={"notify_user_ids": []})
    wire = workflow_request(spec, app_id=1, node_ids=node_ids, workflow_id=1).model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    assert wire["lifeCycle"] == {}
    assert wire["notifyUserIds"] == []
    assert wire["dag"]["edges"] is not None


def test_a_read_names_nodes_by_node_name_falling_back_on_state() -> None:
    raw = _load("fetchWorkflow")["response"]["data"]
    raw["peworkflowDAG"]["nodes"][0]["nodeName"] = None
    raw["peworkflowDAG"]["nodes"][2]["nodeName"] = "node-1"  # renamed in the console
    spec, node_ids = vo_to_spec(WorkflowInfoVO.model_validate(raw), {"first": 1})
    assert node_ids == {"first": 1, "node-1": 2, "node-1#3": 3}
    assert [(e.from_node, e.to_node) for e in spec.edges] == [
        ("first", "node-1"),
        ("first", "node-1#3"),
    ]


def test_a_deleted_workflow_reads_as_disabled() -> None:
    data = _load("fetchWorkflow-deleted")["response"]["data"]
    spec, _ = vo_to_spec(WorkflowInfoVO.model_validate(data))
    assert spec.enabled is False


# -- plan per kind of change -------------------------------------------------------------


def declared(**changes: Any) -> WorkflowSpec:
    base: dict[str, Any] = {
        "wf_name": "etl",
        "nodes": [
            {"name": "a", "job_id": 1},
            {"name": "b", "job_id": 2},
            {"name": "c", "job_id": 3},
        ],
        "edges": [{"from_node": "a", "to_node": "b"}, {"from_node": "a", "to_node": "c"}],
    }
    return WorkflowSpec.model_validate({**base, **changes})


IDS = {"a": 10, "b": 11, "c": 12}
NODES = declared().model_dump()["nodes"]
EDGES = declared().model_dump()["edges"]


@pytest.mark.parametrize(
    ("changes", "plan"),
    [
        ({}, Plan((), save_workflow=False)),
        ({"nodes": NODES[::-1], "edges": EDGES[::-1]}, Plan((), save_workflow=False)),
        ({"wf_name": "renamed"}, Plan((), save_workflow=True)),
        (
            {"time_expression_type": "CRON", "time_expression": "0 0 3 * * ?"},
            Plan((), save_workflow=True),
        ),
        ({"wf_description": "d"}, Plan((), save_workflow=True)),
        ({"enabled": False}, Plan((), save_workflow=True)),
        ({"max_wf_instance_num": 2}, Plan((), save_workflow=True)),
        (
            {
                "nodes": [*NODES, {"name": "d", "job_id": 1}],
                "edges": [*EDGES, {"from_node": "c", "to_node": "d"}],
            },
            Plan((("d", None),), save_workflow=True),
        ),
        ({"nodes": NODES[:2], "edges": EDGES[:1]}, Plan((), save_workflow=True)),
        (
            {"nodes": [{**NODES[0], "params": "p"}, *NODES[1:]]},
            Plan((("a", 10),), save_workflow=False),
        ),
        (
            {"nodes": [{**NODES[0], "job_id": 7}, {**NODES[1], "enabled": False}, NODES[2]]},
            Plan((("a", 10), ("b", 11)), save_workflow=False),
        ),
        (
            {"edges": [{"from_node": "a", "to_node": "b"}, {"from_node": "b", "to_node": "c"}]},
            Plan((), save_workflow=True),
        ),
        (
            {
                "nodes": [{**NODES[0], "params": "p"}, *NODES[1:], {"name": "d", "job_id": 1}],
                "edges": [*EDGES, {"from_node": "c", "to_node": "d"}],
            },
            Plan((("a", 10), ("d", None)), save_workflow=True),
        ),
    ],
    ids=[
        "nothing",
        "reorder",
        "rename",
        "cron",
        "description",
        "enable",
        "max-instances",
        "add-node",
        "remove-node",
        "node-params",
        "node-job-and-enable",
        "edges",
        "params-and-add",
    ],
)
def test_each_kind_of_change_plans_the_fewest_calls(changes: dict[str, Any], plan: Plan) -> None:
    assert plan_update(declared(), declared(**changes), IDS) == plan


def test_a_node_without_a_known_id_is_created_and_the_workflow_saved() -> None:
    plan = plan_update(declared(), declared(), {"a": 10, "b": 11})
    assert plan == Plan((("c", None),), save_workflow=True)


def test_every_workflow_field_is_compared() -> None:
    assert set(WORKFLOW_FIELDS) == set(WorkflowSpec.model_fields) - {"nodes", "edges"}
