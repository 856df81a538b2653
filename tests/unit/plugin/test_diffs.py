"""The property paths of a detailed diff: maps by key, workflow nodes and edges by name and
ends, other lists by index (what ``preview --diff`` prints: ``test_plugin_preview_diff.py``)."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from typing import Any

from pulumi.dynamic import DiffResult
from pulumi.provider.experimental.provider import PropertyDiffKind

from pulumi_powerjob.plugin.diffs import changed_paths, detailed_diff
from pulumi_powerjob.providers.unknowns import MARKER


def node(name: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "jobId": ord(name), **more}


def edge(a: str, b: str) -> dict[str, Any]:
    return {"fromNode": a, "toNode": b, "property": None}


def test_a_map_entry_changes_added_and_deleted_alone() -> None:
    old = {"report-eu": {"timeExpression": "a"}, "report-us": {"timeExpression": "b"}}
    new = {"report-eu": {"timeExpression": "c"}, "report-apac": {"timeExpression": "b"}}
    assert changed_paths(old, new, "jobs") == [
        ('jobs["report-apac"]', "add"),
        ('jobs["report-eu"].timeExpression', "update"),
        ('jobs["report-us"]', "delete"),
    ]


def test_a_node_added_or_deleted_in_the_middle_is_that_node_alone() -> None:
    three = [node("a"), node("b"), node("c")]
    two = [node("a"), node("c")]
    assert changed_paths(three, two, "nodes") == [("nodes[1]", "delete")]
    assert changed_paths(two, three, "nodes") == [("nodes[1]", "add")]


def test_an_edge_swapped_for_another_at_the_end_is_a_delete_and_an_add() -> None:
    old = [edge("a", "b"), edge("b", "c")]
    new = [edge("b", "c"), edge("a", "c")]
    assert changed_paths(old, new, "edges") == [("edges[0]", "delete"), ("edges[1]", "add")]


def test_a_kept_node_that_changes_is_diffed_in_place_beside_an_added_one() -> None:
    old = [node("a", params="1"), node("b")]
    new = [node("a", params="2"), node("b"), node("c", jobId=MARKER)]
    assert changed_paths(old, new, "nodes") == [
        ("nodes[2]", "add"),
        ("nodes[0].params", "update"),
    ]


def test_reordered_or_shifted_and_changed_elements_fall_back_to_index() -> None:
    old, new = [node("a"), node("b")], [node("b"), node("a")]
    assert changed_paths(old, new, "nodes") == [
        ("nodes[0].jobId", "update"),
        ("nodes[0].name", "update"),
        ("nodes[1].jobId", "update"),
        ("nodes[1].name", "update"),
    ]
    old, new = [node("a"), node("b", params="1")], [node("b", params="2")]
    assert changed_paths(old, new, "nodes") == [
        ("nodes[0].jobId", "update"),
        ("nodes[0].name", "update"),
        ("nodes[0].params", "add"),
        ("nodes[1]", "delete"),
    ]
    assert changed_paths(["x", "y"], ["x", "z", "w"], "tags") == [
        ("tags[1]", "update"),
        ("tags[2]", "add"),
    ]


def test_a_replacing_property_is_marked_as_replace() -> None:
    diff = detailed_diff(
        {"connection": "default", "jobName": "j"},
        {"connection": "alt", "jobName": "k"},
        ["connection", "jobName"],
        ["connection"],
    )
    assert {path: d.kind for path, d in diff.items()} == {
        "connection": PropertyDiffKind.UPDATE_REPLACE,
        "jobName": PropertyDiffKind.UPDATE,
    }

    unset = detailed_diff({"jobName": "j"}, {"connection": "default", "jobName": "k"},
                          ["connection", "jobName"], [])  # fmt: skip
    assert list(unset) == ["jobName"]  # an unset connection is the default one


def test_the_dynamic_provider_host_sends_no_detailed_diff() -> None:
    """The installed SDK's dynamic providers answer ``changes``, ``replaces`` and
    ``deleteBeforeReplace`` only: on that path the engine diffs the inputs itself (README)."""
    assert "detailed_diff" not in inspect.signature(DiffResult).parameters
    host = importlib.util.find_spec("pulumi.dynamic.__main__")
    assert host is not None and host.origin is not None
    source = Path(host.origin).read_text()
    assert "proto.DiffResponse(**fields)" in source and "detailedDiff" not in source
