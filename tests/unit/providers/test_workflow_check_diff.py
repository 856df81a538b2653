"""WorkflowProvider.check and .diff: offline, explicit, naming the node and the rule."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_powerjob.providers.workflow import WorkflowProvider
from tests.support.delivered import WIRE_UNKNOWN, delivered

BASE: dict[str, Any] = {
    "wf_name": "etl",
    "time_expression_type": "CRON",
    "time_expression": "0 0 3 * * ?",
    "nodes": [
        {"name": "extract", "job_id": 1},
        {"name": "left", "job_id": 2, "params": "eu"},
        {"name": "right", "job_id": 2, "params": "us"},
        {"name": "load", "job_id": 3},
    ],
    "edges": [
        {"from_node": "extract", "to_node": "left"},
        {"from_node": "extract", "to_node": "right"},
        {"from_node": "left", "to_node": "load"},
        {"from_node": "right", "to_node": "load"},
    ],
}
DECIDE: dict[str, Any] = {
    "nodes": [
        {"name": "d", "type": "DECISION", "params": "return true;"},
        {"name": "yes", "job_id": 1},
        {"name": "no", "job_id": 2},
    ],
    "edges": [
        {"from_node": "d", "to_node": "yes", "property": "true"},
        {"from_node": "d", "to_node": "no", "property": "false"},
    ],
}


def check(**changes: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    result = WorkflowProvider().check(
        {}, delivered({**copy.deepcopy(BASE), "__provider": "b", **changes})
    )
    failures: dict[str, list[str]] = {}
    for failure in result.failures:
        failures.setdefault(failure.property, []).append(failure.reason)
    return result.inputs, failures


def nodes_with(index: int, **fields: Any) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = copy.deepcopy(BASE["nodes"])
    nodes[index].update(fields)
    return nodes


def edge(a: str, b: str, prop: Any = None) -> dict[str, Any]:
    return {"from_node": a, "to_node": b, "property": prop}


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"nodes": []}, "nodes", "a workflow needs at least one node"),
        (
            {"nodes": nodes_with(1, name="extract")},
            "nodes",
            "node 'extract' is declared 2 times",
        ),
        (
            {"edges": [*BASE["edges"], edge("load", "ghost")]},
            "edges",
            "edge 'load' -> 'ghost' names an unknown node 'ghost'",
        ),
        (
            {"edges": [*BASE["edges"], edge("load", "extract")]},
            "edges",
            "edges make a cycle: 'extract' -> 'left' -> 'load' -> 'extract'",
        ),
        (
            {"edges": [*BASE["edges"], edge("left", "load")]},
            "edges",
            "edge 'left' -> 'load' is declared 2 times",
        ),
        (
            {**DECIDE, "edges": DECIDE["edges"][:1]},
            "edges",
            "decision node 'd' needs exactly two outgoing edges",
        ),
        (
            {**DECIDE, "edges": [edge("d", "yes"), edge("d", "no")]},
            "edges",
            "decision node 'd' needs exactly two outgoing edges",
        ),
        (
            {"edges": [edge("extract", "left", "true")]},
            "edges",
            "property is only used after a DECISION node, and 'extract' is a JOB node",
        ),
        (
            {"nodes": nodes_with(0, job_id=None)},
            "nodes.0",
            "node 'extract': a JOB node needs job_id",
        ),
        (
            {"nodes": nodes_with(0, workflow_id=7)},
            "nodes.0",
            "node 'extract': a JOB node takes no workflow_id",
        ),
        (
            {"nodes": nodes_with(0, type="NESTED_WORKFLOW")},
            "nodes.0",
            "node 'extract': a NESTED_WORKFLOW node needs workflow_id",
        ),
        (
            {**DECIDE, "nodes": [{"name": "d", "type": "DECISION"}, *DECIDE["nodes"][1:]]},
            "nodes.0",
            "node 'd': a DECISION node needs params (its script)",
        ),
        (
            {**DECIDE, "nodes": [{**DECIDE["nodes"][0], "job_id": 4}, *DECIDE["nodes"][1:]]},
            "nodes.0",
            "node 'd': a DECISION node takes no job_id",
        ),
        ({"nodes": nodes_with(0, type="SCRIPT")}, "nodes.0.type", "'JOB'"),
        ({"nodes": nodes_with(0, job_id=0)}, "nodes.0.job_id", "between 1 and 9223372036854775807"),
        ({"nodes": nodes_with(0, name="")}, "nodes.0.name", "at least 1 character"),
        ({"nodes": nodes_with(0, jobid=1)}, "nodes.0.jobid", "is not a known property"),
        ({"edges": [edge("extract", "left", "maybe")]}, "edges.0.property", "'true'"),
        ({"time_expression_type": "FIXED_RATE"}, "time_expression_type", "'API' or 'CRON'"),
        ({"time_expression": "0 0 3 * *"}, "time_expression", "6 or 7 fields"),
        ({"time_expression": None}, "time_expression", "is required when"),
        ({"max_wf_instance_num": 0}, "max_wf_instance_num", "between 1 and 2147483647"),
        ({"wf_name": ""}, "wf_name", "at least 1 character"),
        ({"wfname": "typo"}, "wfname", "is not a known property"),
        ({"lifecycle": {"end": 1}}, "lifecycle", "end must be in the future"),
    ],
)
def test_check_names_the_field_and_the_rule(changes: dict[str, Any], field: str, rule: str) -> None:
    _, failures = check(**changes)
    assert field in failures, failures
    assert any(rule in reason for reason in failures[field]), failures[field]


def test_a_valid_fan_out_fan_in_and_a_valid_decision_pass() -> None:
    assert check()[1] == {}
    assert check(**DECIDE)[1] == {}


def test_every_dag_problem_is_reported_with_the_node_checks() -> None:
    nodes = nodes_with(0, job_id=None)
    _, failures = check(nodes=nodes, edges=[edge("left", "right"), edge("right", "left")])
    assert set(failures) == {"nodes.0", "edges"}


def test_an_edge_to_a_node_that_fails_its_own_check_is_not_called_dangling() -> None:
    _, failures = check(nodes=nodes_with(1, type="SCRIPT"))
    assert set(failures) == {"nodes.1.type"}


def test_check_returns_the_canonical_form() -> None:
    inputs, failures = check(
        time_expression=" 0  0 3 * * ? ",
        nodes=[*reversed(BASE["nodes"])],
        edges=[*reversed(BASE["edges"])],
        wf_description="",
        notify_user_ids=None,
        lifecycle={},
        connection=None,
    )
    assert failures == {}
    assert inputs["time_expression"] == "0 0 3 * * ?"
    assert [n["name"] for n in inputs["nodes"]] == ["extract", "left", "load", "right"]
    assert [(e["from_node"], e["to_node"]) for e in inputs["edges"]] == [
        ("extract", "left"),
        ("extract", "right"),
        ("left", "load"),
        ("right", "load"),
    ]
    assert inputs["nodes"][0] == {
        "name": "extract",
        "type": "JOB",
        "job_id": 1,
        "workflow_id": None,
        "params": None,
        "enabled": True,
        "skip_when_failed": False,
    }
    assert inputs["wf_description"] is None
    assert inputs["notify_user_ids"] == []
    assert inputs["lifecycle"] is None
    assert inputs["max_wf_instance_num"] == 1
    assert inputs["enabled"] is True
    assert inputs["connection"] == "default"
    assert "__provider" not in inputs


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"time_expression_type": "api", "time_expression": "ignored"}, ("API", None)),
        ({"time_expression_type": None, "time_expression": None}, ("API", None)),
        ({"time_expression": "0 0 12 ? jan mon"}, ("CRON", "0 0 12 ? JAN MON")),
    ],
)
def test_trigger_types_are_canonical(changes: dict[str, Any], expected: tuple[Any, Any]) -> None:
    inputs, failures = check(**changes)
    assert failures == {}
    assert (inputs["time_expression_type"], inputs["time_expression"]) == expected


def test_branches_may_be_booleans_and_node_types_any_case() -> None:
    nodes = [{**DECIDE["nodes"][0], "type": "decision"}, *DECIDE["nodes"][1:]]
    inputs, failures = check(nodes=nodes, edges=[edge("d", "yes", True), edge("d", "no", False)])
    assert failures == {}
    assert [e["property"] for e in inputs["edges"]] == ["false", "true"]
    assert inputs["nodes"][0]["type"] == "DECISION"


def test_an_unknown_job_id_is_kept_and_the_rest_still_judged() -> None:
    nodes = nodes_with(0, job_id=WIRE_UNKNOWN)
    inputs, failures = check(nodes=nodes)
    assert failures == {}
    assert isinstance(inputs["nodes"][0]["job_id"], Unknown)  # sorted first: "extract"
    _, failures = check(nodes=nodes, edges=[*BASE["edges"], edge("load", "extract")])
    assert list(failures) == ["edges"]


def test_an_unknown_node_type_skips_the_per_type_rules_only() -> None:
    inputs, failures = check(nodes=nodes_with(0, type=WIRE_UNKNOWN, job_id=None))
    assert failures == {}
    assert isinstance(inputs["nodes"][0]["type"], Unknown)


def test_a_wholly_unknown_node_list_is_kept_and_not_judged() -> None:
    inputs, failures = check(nodes=WIRE_UNKNOWN, edges=[edge("a", "ghost")])
    assert failures == {}
    assert isinstance(inputs["nodes"], Unknown)


def test_a_list_holding_a_wholly_unknown_node_is_unknown_as_a_whole() -> None:
    inputs, failures = check(nodes=[*BASE["nodes"], WIRE_UNKNOWN], edges=[edge("a", "ghost")])
    assert failures == {}
    assert inputs["nodes"][:-1] == BASE["nodes"]
    assert isinstance(inputs["nodes"][-1], Unknown)


def test_outputs_passed_back_as_inputs_are_not_properties() -> None:
    _, failures = check(workflow_id=None, node_ids=None, app_id=None, console_url=None)
    assert failures == {}


# -- diff ----------------------------------------------------------------------------------


def _state(**changes: Any) -> dict[str, Any]:
    inputs, failures = check(**changes)
    assert failures == {}
    ids = {n["name"]: i for i, n in enumerate(inputs["nodes"], start=10)}
    return {
        **inputs,
        "workflow_id": 5,
        "app_id": 1,
        "node_ids": ids,
        "console_url": "u",
        "__provider": "old",
    }


def diff(olds: dict[str, Any], **changes: Any) -> Any:
    news, failures = check(**changes)
    assert failures == {}
    return WorkflowProvider().diff("5", olds, {**news, "__provider": "new"})


def test_an_identical_declaration_is_explicitly_no_change() -> None:
    result = diff(_state())
    assert result.changes is False
    assert result.replaces == []


@pytest.mark.parametrize(
    "changes",
    [
        {"nodes": [*reversed(BASE["nodes"])]},
        {"edges": [*reversed(BASE["edges"])]},
        {"time_expression": "0  0 3 * * ?"},
    ],
    ids=["reordered-nodes", "reordered-edges", "cron-spacing"],
)
def test_order_and_spacing_are_no_change(changes: dict[str, Any]) -> None:
    assert diff(_state(), **changes).changes is False


def test_outputs_are_never_diffed() -> None:
    olds = {**_state(), "node_ids": {"extract": 99}, "workflow_id": 6, "console_url": "v"}
    assert diff(olds).changes is False


@pytest.mark.parametrize(
    "changes",
    [
        {"wf_name": "renamed"},
        {"time_expression": "0 0 4 * * ?"},
        {"wf_description": "now described"},
        {"enabled": False},
        {"max_wf_instance_num": 2},
        {"notify_user_ids": [1]},
        {"nodes": [*BASE["nodes"], {"name": "audit", "job_id": 4}]},
        {"nodes": BASE["nodes"][:3], "edges": BASE["edges"][:2]},
        {"nodes": nodes_with(1, params="fr")},
        {"nodes": nodes_with(1, enabled=False)},
        {"edges": BASE["edges"][:3]},
        {"nodes": nodes_with(0, job_id=WIRE_UNKNOWN)},
    ],
    ids=[
        "rename",
        "cron",
        "description",
        "enable",
        "max-instances",
        "notify",
        "add-node",
        "remove-node",
        "node-params",
        "node-enabled",
        "edges",
        "unknown-job",
    ],
)
def test_each_kind_of_change_is_an_update_in_place(changes: dict[str, Any]) -> None:
    result = diff(_state(), **changes)
    assert result.changes is True
    assert result.replaces == []


def test_a_new_connection_replaces_deleting_first() -> None:
    result = diff(_state(), connection="other")
    assert result.replaces == ["connection"]
    assert result.delete_before_replace is True
