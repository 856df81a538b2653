"""Judging a declared workflow offline, when parts of its graph are not known yet.

Like ``check.validate``, but an unknown *inside* a node or an edge leaves the rest judged:
the DAG rules run on what can be read (``dag.UNKNOWN`` for the rest).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from pulumi_powerjob.reconcile import connection
from pulumi_powerjob.reconcile.failures import Failure, failures_of
from pulumi_powerjob.reconcile.keys import CONNECTION
from pulumi_powerjob.reconcile.partial import judge_known_part
from pulumi_powerjob.reconcile.unknowns import is_marker, is_unknown
from pulumi_powerjob.reconcile.workflow_spec import (
    WorkflowEdgeSpec,
    WorkflowNodeSpec,
    WorkflowSpec,
    edge_view,
    node_view,
)
from pulumi_powerjob.validation import dag

GRAPH = ("nodes", "edges")
_READ = {"read": True}  # parse only: the per-type rules are the spec's to report
_STAND_INS: dict[str, Any] = {
    "wf_name": "unknown",
    "time_expression_type": "API",
    "nodes": [{"name": "unknown", "job_id": 1}],
    "edges": [],
}


def validate_workflow(
    values: Mapping[str, Any], extra_inputs: tuple[str, ...]
) -> tuple[dict[str, Any], list[Failure]]:
    """Canonical inputs and the failures of a workflow's declared ``values``."""
    values = dict(values)
    unknown = frozenset(k for k, v in values.items() if _wholly_unknown(k, v))
    extras = {k: values.pop(k) for k in extra_inputs if k in values}
    if extras.get(CONNECTION) in (None, ""):
        extras[CONNECTION] = connection.DEFAULT
    known = {k: v for k, v in values.items() if k not in unknown}
    known.update({k: v for k, v in _STAND_INS.items() if k in unknown})
    failures = [
        failure
        for k in sorted(unknown - set(GRAPH))
        if k in values and not is_marker(values[k])
        for failure in judge_known_part(WorkflowSpec, k, values[k])
    ]
    spec = None
    try:
        context = {"unknown": unknown, "dag_checked": True}
        spec = WorkflowSpec.model_validate(known, context=context)
    except ValidationError as exc:
        failures += failures_of(exc, unknown)
    if not any(is_marker(values.get(k)) for k in GRAPH):  # an unknown node: the rest
        problems = dag.problems(*_lenient_view(values.get("nodes"), values.get("edges")))
        failures += [Failure(p.field, p.message) for p in problems]
    if spec is None or failures:
        return {**values, **extras}, failures
    canonical = spec.model_dump(mode="json")
    canonical.update({k: values[k] for k in unknown if k in values})
    return {**canonical, **extras}, []


def _wholly_unknown(key: str, value: Any) -> bool:
    """Unknown as a whole; a list of node or edge objects is judged item by item instead."""
    if key in GRAPH and isinstance(value, list):
        return not all(isinstance(item, Mapping) for item in value) and is_unknown(value)
    return is_unknown(value)


def _lenient_view(nodes: Any, edges: Any) -> tuple[list[dag.Node], list[dag.Edge]]:
    """The DAG as far as it can be read from raw inputs; what does not parse is unknown.

    The spec reports why a node or an edge does not parse; the DAG rules still judge the rest.
    """
    view_nodes: list[dag.Node] = []
    for raw in nodes if isinstance(nodes, list) else []:
        try:
            view_nodes.append(node_view(WorkflowNodeSpec.model_validate(raw, context=_READ)))
        except ValidationError:
            view_nodes.append(dag.Node(_raw_name(raw, "name"), dag.UNKNOWN))
    view_edges: list[dag.Edge] = []
    for raw in edges if isinstance(edges, list) else []:
        try:
            view_edges.append(edge_view(WorkflowEdgeSpec.model_validate(raw)))
        except ValidationError:
            ends = _raw_name(raw, "from_node"), _raw_name(raw, "to_node")
            view_edges.append(dag.Edge(*ends, dag.UNKNOWN))
    return view_nodes, view_edges


def _raw_name(raw: Any, key: str) -> str | dag.Unknown:
    value = raw.get(key) if isinstance(raw, Mapping) else None
    return value if isinstance(value, str) and value and not is_unknown(value) else dag.UNKNOWN
