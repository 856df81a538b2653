"""DAG rules on node names: each broken rule found, named, and unknowns never judged."""

from __future__ import annotations

import pytest

from pulumi_powerjob.validation.dag import UNKNOWN, Edge, Node, Problem, problems

FAN = [Node("extract"), Node("left"), Node("right"), Node("load")]
FAN_EDGES = [
    Edge("extract", "left"),
    Edge("extract", "right"),
    Edge("left", "load"),
    Edge("right", "load"),
]
DECIDE = [Node("d", "DECISION"), Node("yes"), Node("no")]


def test_a_fan_out_fan_in_dag_is_valid() -> None:
    assert problems(FAN, FAN_EDGES) == []


def test_a_single_node_without_edges_is_valid() -> None:
    assert problems([Node("only")], []) == []


def test_a_decision_with_a_true_and_a_false_edge_is_valid() -> None:
    assert problems(DECIDE, [Edge("d", "yes", "true"), Edge("d", "no", "false")]) == []


@pytest.mark.parametrize(
    ("nodes", "edges", "expected"),
    [
        ([], [], Problem("nodes", "a workflow needs at least one node")),
        (
            [Node("a"), Node("a")],
            [],
            Problem("nodes", "node 'a' is declared 2 times; node names must be unique"),
        ),
        (
            [Node("a")],
            [Edge("a", "ghost")],
            Problem("edges", "edge 'a' -> 'ghost' names an unknown node 'ghost'"),
        ),
        (
            [Node("a")],
            [Edge("ghost", "ghost")],
            Problem("edges", "edge 'ghost' -> 'ghost' names an unknown node 'ghost'"),
        ),
        (
            [Node("a"), Node("b")],
            [Edge("a", "b"), Edge("a", "b")],
            Problem("edges", "edge 'a' -> 'b' is declared 2 times"),
        ),
        (
            [Node("a")],
            [Edge("a", "a")],
            Problem("edges", "edges make a cycle: 'a' -> 'a'"),
        ),
        (
            [Node("a"), Node("b"), Node("c")],
            [Edge("a", "b"), Edge("b", "c"), Edge("c", "a")],
            Problem("edges", "edges make a cycle: 'a' -> 'b' -> 'c' -> 'a'"),
        ),
        (
            DECIDE,
            [Edge("d", "yes", "true")],
            Problem(
                "edges",
                "decision node 'd' needs exactly two outgoing edges, one with property "
                '"true" and one with "false"; it has: -> \'yes\' (true)',
            ),
        ),
        (
            DECIDE,
            [Edge("d", "yes", "true"), Edge("d", "no", "true")],
            Problem(
                "edges",
                "decision node 'd' needs exactly two outgoing edges, one with property "
                "\"true\" and one with \"false\"; it has: -> 'yes' (true), -> 'no' (true)",
            ),
        ),
        (
            DECIDE,
            [],
            Problem(
                "edges",
                "decision node 'd' needs exactly two outgoing edges, one with property "
                '"true" and one with "false"; it has: none',
            ),
        ),
        (
            [Node("a"), Node("b")],
            [Edge("a", "b", "true")],
            Problem(
                "edges",
                "edge 'a' -> 'b': property is only used after a DECISION node, "
                "and 'a' is a JOB node",
            ),
        ),
    ],
    ids=[
        "empty",
        "duplicate-node",
        "dangling-target",
        "dangling-both-ends-once",
        "duplicate-edge",
        "self-loop",
        "cycle",
        "decision-one-edge",
        "decision-two-true",
        "decision-no-edge",
        "property-after-job",
    ],
)
def test_each_broken_rule_is_named(nodes: list[Node], edges: list[Edge], expected: Problem) -> None:
    assert problems(nodes, edges) == [expected]


def test_every_problem_is_reported_not_just_the_first() -> None:
    found = problems(
        [Node("a"), Node("a"), Node("b")],
        [Edge("a", "b"), Edge("b", "a"), Edge("b", "nowhere")],
    )
    assert [p.message.split(" ")[0] for p in found] == ["node", "edge", "edges"]


def test_two_separate_cycles_are_both_reported() -> None:
    nodes = [Node(n) for n in "abcd"]
    edges = [Edge("a", "b"), Edge("b", "a"), Edge("c", "d"), Edge("d", "c")]
    assert [p.message for p in problems(nodes, edges)] == [
        "edges make a cycle: 'a' -> 'b' -> 'a'",
        "edges make a cycle: 'c' -> 'd' -> 'c'",
    ]


def test_a_diamond_is_not_mistaken_for_a_cycle() -> None:
    edges = [Edge("a", "b"), Edge("a", "c"), Edge("b", "d"), Edge("c", "d"), Edge("a", "d")]
    assert problems([Node(n) for n in "abcd"], edges) == []


@pytest.mark.parametrize(
    ("nodes", "edges"),
    [
        # an unknown node name may be the one the edge points at
        ([Node("a"), Node(UNKNOWN)], [Edge("a", "maybe")]),
        # an unknown end may leave the decision node, so its edges are not counted yet
        (DECIDE, [Edge("d", "yes", "true"), Edge(UNKNOWN, "no", "false")]),
        # an unknown branch may be "false"
        (DECIDE, [Edge("d", "yes", "true"), Edge("d", "no", UNKNOWN)]),
        # an unknown kind may be DECISION
        ([Node("a", UNKNOWN), Node("b")], [Edge("a", "b", "true")]),
    ],
    ids=["unknown-name", "unknown-source", "unknown-branch", "unknown-kind"],
)
def test_rules_needing_an_unknown_value_are_skipped(nodes: list[Node], edges: list[Edge]) -> None:
    assert problems(nodes, edges) == []


def test_known_parts_are_still_judged_next_to_unknown_ones() -> None:
    found = problems([Node("a"), Node("b"), Node(UNKNOWN)], [Edge("a", "b"), Edge("b", "a")])
    assert found == [Problem("edges", "edges make a cycle: 'a' -> 'b' -> 'a'")]
