"""check() and diff() on values as the engine delivers them: unknowns at any depth, floats.

Every input of every resource is bound in turn to a preview-time unknown (as the host hands
it over: a ``pulumi.output.Unknown``), at the top level and inside objects and lists. The
known rest is still judged, the unknown part never is, and a diff with an unknown in it is
a change. The numbers are the engine's: ints arrive as floats.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest
from pulumi.dynamic import ResourceProvider
from pulumi.output import Unknown

from pulumi_powerjob.providers.app import AppProvider, AppSpec
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.unknowns import is_unknown
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.workflow_spec import (
    WorkflowEdgeSpec,
    WorkflowNodeSpec,
    WorkflowSpec,
)
from tests.support.delivered import WIRE_UNKNOWN, delivered, returned

U = WIRE_UNKNOWN
FUTURE = int(time.time() * 1000) + 7 * 86_400_000

JOB: dict[str, Any] = {
    "job_name": "n",
    "time_expression_type": "CRON",
    "time_expression": "0 0 * * * ?",
    "processor_info": "p",
}
WORKFLOW: dict[str, Any] = {
    "wf_name": "etl",
    "time_expression_type": "CRON",
    "time_expression": "0 0 3 * * ?",
    "nodes": [{"name": "a", "job_id": 1}, {"name": "b", "job_id": 2}],
    "edges": [{"from_node": "a", "to_node": "b"}],
}
APP: dict[str, Any] = {"app_name": "orders", "password": "pw-123456"}
RESOURCES: dict[str, tuple[ResourceProvider, dict[str, Any]]] = {
    "Job": (JobProvider(), JOB),
    "Workflow": (WorkflowProvider(), WORKFLOW),
    "App": (AppProvider(), APP),
}


def check(kind: str, **changes: Any) -> tuple[dict[str, Any], dict[str, str]]:
    provider, base = RESOURCES[kind]
    news = delivered({**copy.deepcopy(base), "__provider": "blob", **changes})
    result = provider.check({}, news)
    return result.inputs, {f.property: f.reason for f in result.failures}


def state(kind: str, **outputs: Any) -> dict[str, Any]:
    inputs, failures = check(kind)
    assert failures == {}
    return returned({**inputs, **outputs})


def _cases() -> list[tuple[str, str, Any]]:
    """(resource, input, the input with an unknown in it): each input, top level and nested."""
    cases: list[tuple[str, str, Any]] = []
    for kind, model in (("Job", JobSpec), ("Workflow", WorkflowSpec), ("App", AppSpec)):
        for name in model.model_fields:
            cases.append((kind, name, U))
    cases += [("Job", name, U) for name in ("connection", "adopt_id")]
    cases += [("Workflow", name, U) for name in ("connection", "adopt_id")]
    cases += [("App", "connection", U)]
    nested: dict[str, list[Any]] = {
        "lifecycle": [{"start": U}, {"end": U}, {"start": U, "end": U}],
        "alarm_config": [
            {"alert_threshold": U, "statistic_window_len": 1, "silence_window_len": 1},
        ],
        "log_config": [{"type": U}, {"level": U, "type": "ONLINE"}, {"logger_name": U}],
        "advanced_runtime_config": [{"task_tracker_behavior": U}],
        "notify_user_ids": [[U], [1, U]],
    }
    for name, values in nested.items():
        cases += [("Job", name, value) for value in values]
    cases += [("Workflow", "lifecycle", {"start": U}), ("Workflow", "notify_user_ids", [U])]
    for field in WorkflowNodeSpec.model_fields:
        node = {"name": "a", "job_id": 1, field: U}
        cases.append(("Workflow", f"nodes.*.{field}", [node, WORKFLOW["nodes"][1]]))
    cases.append(("Workflow", "nodes.*", [U, WORKFLOW["nodes"][1]]))
    for field in WorkflowEdgeSpec.model_fields:
        cases.append(
            ("Workflow", f"edges.*.{field}", [{"from_node": "a", "to_node": "b", field: U}])
        )
    cases.append(("Workflow", "edges.*", [U]))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("kind", "name", "value"), CASES, ids=[f"{k}-{n}" for k, n, _ in CASES])
def test_an_unknown_anywhere_is_kept_not_judged_and_diffs_as_a_change(
    kind: str, name: str, value: Any
) -> None:
    key = name.split(".")[0]
    inputs, failures = check(kind, **{key: value})
    assert failures == {}
    assert is_unknown(inputs[key])
    provider, _ = RESOURCES[kind]
    old = state(kind, job_id=7, workflow_id=7, app_id=7)
    result = provider.diff("7", old, returned(inputs))
    assert result.changes is (key != "adopt_id")  # adopt_id only counts at create
    if key == "connection" or (kind == "App" and key == "app_name"):
        assert result.replaces == [key]


@pytest.mark.parametrize(
    ("kind", "changes", "field", "rule"),
    [
        ("Job", {"lifecycle": {"start": U, "end": -5}}, "lifecycle.end", "between 0 and"),
        (
            "Job",
            {"alarm_config": {"alert_threshold": U, "statistic_window_len": -1}},
            "alarm_config.statistic_window_len",
            "between 0 and 2147483647",
        ),
        ("Job", {"log_config": {"type": U, "level": "LOUD"}}, "log_config.level", "'DEBUG'"),
        ("Job", {"notify_user_ids": [U, -1]}, "notify_user_ids.1", "between 0 and"),
        ("Job", {"job_name": U, "concurrency": 0}, "concurrency", "between 1 and"),
        ("Job", {"processor_info": U, "enabled": "yes"}, "enabled", "true or false"),
        (
            "Workflow",
            {"nodes": [{"name": "a", "job_id": U}, {"name": "b", "job_id": 0}]},
            "nodes.1.job_id",
            "between 1 and",
        ),
        (
            "Workflow",
            {"nodes": [{"name": "a", "job_id": U}, {"name": "b", "job_id": 2}], "edges": []},
            "edges",
            "",
        ),
        ("Workflow", {"notify_user_ids": [U, "x"]}, "notify_user_ids.1", "not a string"),
        ("Workflow", {"wf_name": U, "max_wf_instance_num": 0}, "max_wf_instance_num", "between"),
        ("App", {"password": U, "app_name": "has space"}, "app_name", "whitespace"),
    ],
)
def test_the_known_rest_is_still_judged(
    kind: str, changes: dict[str, Any], field: str, rule: str
) -> None:
    _, failures = check(kind, **changes)
    if field == "edges":  # two nodes and no edge between them is fine: nothing to refuse
        assert failures == {}
        return
    assert field in failures, failures
    assert rule in failures[field]


def test_an_unknown_node_keeps_the_known_nodes_and_edges_judged() -> None:
    nodes = [U, {"name": "b", "job_id": 2}]
    _, failures = check("Workflow", nodes=nodes, edges=[{"from_node": "b", "to_node": "b"}])
    assert "edges" in failures


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        (
            {"time_expression_type": "FIXED_RATE", "time_expression": 5000},
            "time_expression",
            "5000",
        ),
        ({"concurrency": 7}, "concurrency", 7),
        ({"instance_time_limit": 2**53}, "instance_time_limit", 2**53),
        ({"lifecycle": {"end": FUTURE}}, "lifecycle", {"start": None, "end": FUTURE}),
        ({"min_cpu_cores": 2}, "min_cpu_cores", 2.0),
        ({"notify_user_ids": [3, 1]}, "notify_user_ids", [3, 1]),
    ],
)
def test_whole_numbers_cross_the_engine_as_floats_and_are_ints_again(
    changes: dict[str, Any], field: str, expected: Any
) -> None:
    raw = delivered(changes)
    assert all(isinstance(v, float) for v in _numbers(raw))  # what the engine gives
    inputs, failures = check("Job", **changes)
    assert failures == {}
    assert inputs[field] == expected
    assert type(inputs[field]) is type(expected)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"instance_time_limit": 2**63 - 1}, "instance_time_limit", "(a Java long)"),
        ({"instance_time_limit": 2**63 - 1}, "instance_time_limit", "exact up to 2**53"),
        ({"notify_user_ids": [2**64]}, "notify_user_ids.0", "between 0 and 9223372036854775807"),
        ({"max_instance_num": 2**31}, "max_instance_num", "between 0 and 2147483647 (a Java int)"),
        ({"max_instance_num": True}, "max_instance_num", "not a boolean"),
        ({"concurrency": "7"}, "concurrency", "not a string"),
        ({"concurrency": 2.5}, "concurrency", "whole number; got 2.5"),
        ({"enabled": "yes"}, "enabled", "true or false, not a string"),
        ({"enabled": "false"}, "enabled", "true or false, not a string"),
        ({"enabled": 1}, "enabled", "true or false, not float"),
        ({"min_cpu_cores": True}, "min_cpu_cores", "not a boolean"),
        ({"time_expression": True}, "time_expression", "not a boolean"),
        ({"lifecycle": {"start": False}}, "lifecycle.start", "not a boolean"),
    ],
)
def test_types_are_judged_as_the_user_wrote_them(
    changes: dict[str, Any], field: str, rule: str
) -> None:
    _, failures = check("Job", **changes)
    assert field in failures, failures
    assert rule in failures[field]


@pytest.mark.parametrize(
    ("kind", "changes", "field"),
    [
        ("Workflow", {"enabled": "yes"}, "enabled"),
        ("Workflow", {"max_wf_instance_num": True}, "max_wf_instance_num"),
        ("Workflow", {"nodes": [{"name": "a", "job_id": True}]}, "nodes.0.job_id"),
        ("Workflow", {"nodes": [{"name": "a", "job_id": 1, "enabled": "no"}]}, "nodes.0.enabled"),
        ("App", {"delete_on_destroy": "true"}, "delete_on_destroy"),
    ],
)
def test_no_bool_is_a_number_and_no_string_a_bool_in_any_resource(
    kind: str, changes: dict[str, Any], field: str
) -> None:
    _, failures = check(kind, **changes)
    assert field in failures, failures


def test_the_host_hands_over_unknown_instances_not_the_wire_string() -> None:
    raw = delivered({"a": U, "b": [1, {"c": U}]})
    assert isinstance(raw["a"], Unknown)
    assert isinstance(raw["b"][1]["c"], Unknown)
    assert raw["b"][0] == 1.0 and isinstance(raw["b"][0], float)


def _numbers(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else []
