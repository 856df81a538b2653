"""The rules of a workflow's DAG, checked offline on node *names* (reference §3.6, §4.7).

A value not known yet (a preview-time unknown) is ``UNKNOWN``: a rule that needs it is
skipped, never guessed. Every problem names the node or the edge it is about.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

DECISION = "DECISION"


class Unknown(enum.Enum):
    """The type of ``UNKNOWN``."""

    TOKEN = "unknown"


UNKNOWN: Final = Unknown.TOKEN
"""Stands for a value that is only known after the deployment (an ``Output``)."""


@dataclass(frozen=True)
class Node:
    """A node as the rules see it: its name and its kind (JOB, DECISION, NESTED_WORKFLOW)."""

    name: str | Unknown
    kind: str | Unknown = "JOB"


@dataclass(frozen=True)
class Edge:
    """``source -> target``; ``branch`` is "true" or "false" after a decision node."""

    source: str | Unknown
    target: str | Unknown
    branch: str | None | Unknown = None


@dataclass(frozen=True)
class Problem:
    """One broken rule: the input it belongs to (``nodes`` or ``edges``) and what is wrong."""

    field: str
    message: str


def problems(nodes: Sequence[Node], edges: Sequence[Edge]) -> list[Problem]:
    """Every broken rule, in a stable order; an empty list means the DAG is valid."""
    if not nodes:
        return [Problem("nodes", "a workflow needs at least one node")]
    names = [n.name for n in nodes if isinstance(n.name, str)]
    known = [e for e in edges if isinstance(e.source, str) and isinstance(e.target, str)]
    found = [
        Problem("nodes", f"node {name!r} is declared {count} times; node names must be unique")
        for name, count in sorted(Counter(names).items())
        if count > 1
    ]
    if len(names) == len(nodes):  # an unknown name may be the one an edge points at
        found += _dangling(set(names), known)
    found += _duplicate_edges(known)
    found += _cycles(set(names), known)
    found += _branches(nodes, edges, all_sources_known=len(known) == len(edges))
    return found


def _dangling(names: set[str], edges: Sequence[Edge]) -> list[Problem]:
    found = []
    for edge in edges:
        for end in dict.fromkeys((edge.source, edge.target)):
            if end not in names:
                found.append(Problem("edges", f"edge {_show(edge)} names an unknown node {end!r}"))
    return found


def _duplicate_edges(edges: Sequence[Edge]) -> list[Problem]:
    counts = Counter((e.source, e.target) for e in edges)
    return [
        Problem("edges", f"edge {source!r} -> {target!r} is declared {count} times")
        for (source, target), count in counts.items()
        if count > 1
    ]


def _cycles(names: set[str], edges: Sequence[Edge]) -> list[Problem]:
    """One problem per cycle found by a depth-first walk (a self-loop is a cycle too)."""
    successors: dict[str, list[str]] = {}
    for edge in edges:
        if edge.source in names and edge.target in names:
            assert isinstance(edge.source, str) and isinstance(edge.target, str)
            successors.setdefault(edge.source, []).append(edge.target)
    done: set[str] = set()
    found: list[Problem] = []
    for root in sorted(names):
        if root in done:
            continue
        path: list[str] = [root]
        on_path = {root}
        stack = [iter(sorted(successors.get(root, [])))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
            elif nxt in on_path:
                loop = [*path[path.index(nxt) :], nxt]
                shown = " -> ".join(repr(n) for n in loop)
                found.append(Problem("edges", f"edges make a cycle: {shown}"))
            elif nxt not in done:
                path.append(nxt)
                on_path.add(nxt)
                stack.append(iter(sorted(successors.get(nxt, []))))
    return found


def _branches(
    nodes: Sequence[Node], edges: Sequence[Edge], *, all_sources_known: bool
) -> list[Problem]:
    """A DECISION node has exactly a "true" and a "false" edge; other nodes have neither."""
    kinds = {n.name: n.kind for n in nodes if isinstance(n.name, str)}
    found = []
    for node in nodes:
        if node.kind != DECISION or not isinstance(node.name, str) or not all_sources_known:
            continue
        branches = [e.branch for e in edges if e.source == node.name]
        if UNKNOWN in branches or sorted(map(str, branches)) == ["false", "true"]:
            continue
        has = (
            ", ".join(
                f"-> {e.target!r} ({e.branch or 'no property'})"
                for e in edges
                if e.source == node.name
            )
            or "none"
        )
        found.append(
            Problem(
                "edges",
                f"decision node {node.name!r} needs exactly two outgoing edges, one with "
                f'property "true" and one with "false"; it has: {has}',
            )
        )
    for edge in edges:
        kind = kinds.get(edge.source) if isinstance(edge.source, str) else UNKNOWN
        if isinstance(edge.branch, str) and isinstance(kind, str) and kind != DECISION:
            found.append(
                Problem(
                    "edges",
                    f"edge {_show(edge)}: property is only used after a DECISION node, "
                    f"and {edge.source!r} is a {kind} node",
                )
            )
    return found


def _show(edge: Edge) -> str:
    return f"{edge.source!r} -> {edge.target!r}"
