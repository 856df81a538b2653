"""``WorkflowSpec`` <-> wire, and the plan of the fewest calls that carry out a change.

Nodes are named in the spec and numbered on the server; ``node_ids`` (name -> node id, kept
in state) ties the two together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pulumi_powerjob.models import (
    DagEdge,
    DagNode,
    LifeCycle,
    PEWorkflowDAG,
    SaveWorkflowNodeRequest,
    SaveWorkflowRequest,
    TimeExpressionType,
    WorkflowInfoVO,
    WorkflowNodeType,
)
from pulumi_powerjob.reconcile.workflow_spec import WorkflowNodeSpec, WorkflowSpec

# What saveWorkflow carries besides the DAG: a change to any of these is one saveWorkflow.
WORKFLOW_FIELDS = (
    "wf_name",
    "wf_description",
    "time_expression_type",
    "time_expression",
    "max_wf_instance_num",
    "enabled",
    "notify_user_ids",
    "lifecycle",
)


def node_request(
    node: WorkflowNodeSpec, app_id: int, node_id: int | None = None
) -> SaveWorkflowNodeRequest:
    """The whole node row (``/addWorkflowNode`` overwrites every property, nulls included)."""
    return SaveWorkflowNodeRequest(
        id=node_id,
        app_id=app_id,
        type=WorkflowNodeType[node.type],
        job_id=node.workflow_id if node.type == "NESTED_WORKFLOW" else node.job_id,
        node_name=node.name,
        node_params=node.params,
        enable=node.enabled,
        skip_when_failed=node.skip_when_failed,
    )


def workflow_request(
    spec: WorkflowSpec,
    app_id: int,
    node_ids: Mapping[str, int],
    workflow_id: int | None = None,
) -> SaveWorkflowRequest:
    """The complete desired workflow with its full DAG, addressed by node ids."""
    lifecycle = spec.lifecycle
    return SaveWorkflowRequest(
        id=workflow_id,
        wf_name=spec.wf_name,
        wf_description=spec.wf_description,
        app_id=app_id,
        time_expression_type=TimeExpressionType[spec.time_expression_type],
        time_expression=spec.time_expression,
        max_wf_instance_num=spec.max_wf_instance_num,
        enable=spec.enabled,
        notify_user_ids=list(spec.notify_user_ids),  # [] clears; null would keep
        dag=PEWorkflowDAG(
            nodes=[DagNode(node_id=node_ids[n.name]) for n in spec.nodes],
            edges=[
                DagEdge.model_validate(
                    {
                        "from": node_ids[e.from_node],
                        "to": node_ids[e.to_node],
                        "property": e.property,
                    }
                )
                for e in spec.edges
            ],
        ),
        # An omitted lifecycle keeps the old one on update: {} is how to clear it.
        life_cycle=LifeCycle(
            start=lifecycle.start if lifecycle else None,
            end=lifecycle.end if lifecycle else None,
        ),
    )


def vo_to_spec(
    workflow: WorkflowInfoVO, known_ids: Mapping[str, int] | None = None
) -> tuple[WorkflowSpec, dict[str, int]]:
    """The server's view in the declared shape (canonical, never refused), and ``node_ids``.

    A node's name is its ``nodeName``; a blank one falls back to the name ``known_ids`` gives
    its id, and a repeated one gets ``#<id>`` appended, so names stay unique keys.
    """
    names_by_id = {v: k for k, v in (known_ids or {}).items()}
    graph = workflow.dag or PEWorkflowDAG(nodes=[])
    names: dict[int, str] = {}
    nodes = []
    for node in graph.nodes:
        name = node.node_name or names_by_id.get(node.node_id) or f"node-{node.node_id}"
        if name in names.values():
            name = f"{name}#{node.node_id}"
        names[node.node_id] = name
        kind = (node.node_type or WorkflowNodeType.JOB).name
        nodes.append(
            {
                "name": name,
                "type": kind,
                "job_id": node.job_id if kind == "JOB" else None,
                "workflow_id": node.job_id if kind == "NESTED_WORKFLOW" else None,
                "params": node.node_params,
                "enabled": True if node.enable is None else node.enable,
                "skip_when_failed": bool(node.skip_when_failed),
            }
        )
    edges = [
        {
            "from_node": names.get(e.from_, f"node-{e.from_}"),
            "to_node": names.get(e.to, f"node-{e.to}"),
            "property": e.property,
        }
        for e in graph.edges
    ]
    lifecycle = workflow.life_cycle
    spec = WorkflowSpec.model_validate(
        {
            "wf_name": workflow.wf_name or "",
            "wf_description": workflow.wf_description,
            "time_expression_type": (
                workflow.time_expression_type.name if workflow.time_expression_type else None
            ),
            "time_expression": workflow.time_expression,
            "max_wf_instance_num": workflow.max_wf_instance_num,
            "enabled": workflow.enable,
            "notify_user_ids": workflow.notify_user_ids or [],
            "lifecycle": lifecycle.model_dump() if lifecycle else None,
            "nodes": nodes,
            "edges": edges,
        },
        context={"read": True},
    )
    return spec, {name: node_id for node_id, name in names.items()}


def requests_to_spec(
    request: SaveWorkflowRequest, nodes: Sequence[SaveWorkflowNodeRequest]
) -> WorkflowSpec:
    """A save request and the node rows its DAG points at (with ids), in the declared shape."""
    by_id = {n.id: n for n in nodes}
    echoed = WorkflowInfoVO.model_validate(
        {
            "id": request.id or 0,
            "wf_name": request.wf_name,
            "wf_description": request.wf_description,
            "app_id": request.app_id,
            "time_expression_type": request.time_expression_type,
            "time_expression": request.time_expression,
            "max_wf_instance_num": request.max_wf_instance_num,
            "enable": request.enable,
            "notify_user_ids": request.notify_user_ids,
            "life_cycle": request.life_cycle,
            "dag": PEWorkflowDAG(
                nodes=[_detailed(n.node_id, by_id[n.node_id]) for n in request.dag.nodes],
                edges=request.dag.edges,
            ),
        }
    )
    return vo_to_spec(echoed)[0]


def _detailed(node_id: int, row: SaveWorkflowNodeRequest) -> DagNode:
    return DagNode(
        node_id=node_id,
        node_type=row.type,
        job_id=row.job_id,
        node_name=row.node_name,
        node_params=row.node_params,
        enable=row.enable,
        skip_when_failed=row.skip_when_failed,
    )


@dataclass(frozen=True)
class Plan:
    """The calls an update makes: node rows to write (id, or None for a new node), then
    whether the workflow itself (and with it the DAG) must be saved."""

    node_writes: tuple[tuple[str, int | None], ...]
    save_workflow: bool

    @property
    def new_nodes(self) -> tuple[str, ...]:
        return tuple(name for name, node_id in self.node_writes if node_id is None)


def plan_update(old: WorkflowSpec, new: WorkflowSpec, node_ids: Mapping[str, int]) -> Plan:
    """The fewest calls from ``old`` (with its ``node_ids``) to ``new``.

    A new name is a new node (one ``addWorkflowNode`` for all of them, which also rewrites the
    changed existing rows); a node left out of the DAG is deleted by the server when the
    workflow is saved, so removing needs no call of its own.
    """
    old_nodes = {n.name: n for n in old.nodes}
    writes: list[tuple[str, int | None]] = []
    for node in new.nodes:
        node_id = node_ids.get(node.name)
        if node.name not in old_nodes or node_id is None:
            writes.append((node.name, None))
        elif old_nodes[node.name] != node:
            writes.append((node.name, node_id))
    dag_changed = {n.name for n in old.nodes} != {n.name for n in new.nodes} or set(
        old.edges
    ) != set(new.edges)
    fields_changed = any(getattr(old, f) != getattr(new, f) for f in WORKFLOW_FIELDS)
    save = dag_changed or fields_changed or any(i is None for _, i in writes)
    return Plan(tuple(writes), save)
