"""``WorkflowSpec``: a workflow as declared, a schedule and a DAG of *named* nodes.

Canonical like ``JobSpec``: the form a read of the same workflow gives back. Nodes are sorted
by name and edges by their ends, because the server gives order no meaning; so reordering
either in a program is no change. Node names are the keys users write edges with, and the
keys of the ``node_ids`` output that ties each name to its node on the server.

A preview-time unknown inside a node or an edge (typically ``job_id=some_job.job_id``) is
kept as is and not judged; the rules that need it are skipped until it is known.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapSerializer,
    WrapValidator,
    field_validator,
    model_validator,
)

from pulumi_powerjob.reconcile.job_spec import (
    LifecycleSpec,
    Name255,
    OptStr,
    SpecModel,
    settle_time_expression,
)
from pulumi_powerjob.reconcile.unknowns import is_marker
from pulumi_powerjob.reconcile.values import INT32, Id, Long, flag, whole
from pulumi_powerjob.validation import dag

NodeTypeName = Literal["JOB", "DECISION", "NESTED_WORKFLOW"]
WorkflowTriggerName = Literal["API", "CRON"]
BranchName = Literal["true", "false"]


def is_unknown_value(value: Any) -> bool:
    return is_marker(value)


def _deferred(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A preview-time unknown passes untouched: it is judged once it is known."""
    return value if is_unknown_value(value) else handler(value)


def _deferred_out(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    return value if is_unknown_value(value) else handler(value)


# Last in an Annotated, so the unknown check runs before every other validator.
Deferred = (WrapValidator(_deferred), WrapSerializer(_deferred_out))


def _default_on_none(default: Any) -> BeforeValidator:
    return BeforeValidator(lambda v: default if v is None else v)


def _upper_or(default: str) -> BeforeValidator:
    return BeforeValidator(
        lambda v: default if v is None else v.strip().upper() if isinstance(v, str) else v
    )


def _branch(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value.strip().lower() or None
    return value


Flag = BeforeValidator(flag)
NodeName = Annotated[str, Field(min_length=1, max_length=255)]


class WorkflowNodeSpec(SpecModel):
    """A node: a job to run, a decision script, or another (simple) workflow."""

    name: Annotated[NodeName, *Deferred]
    """The node's name, unique in the workflow: edges refer to nodes by it, and it keys nodeIds."""
    type: Annotated[NodeTypeName, _upper_or("JOB"), *Deferred] = "JOB"
    """JOB, DECISION or NESTED_WORKFLOW."""
    job_id: Annotated[Id | None, *Deferred] = None
    """For JOB: the job to run, typically another resource's jobId."""
    workflow_id: Annotated[Id | None, *Deferred] = None
    """For NESTED_WORKFLOW: a workflow with no nested nodes of its own."""
    params: Annotated[OptStr, *Deferred] = None
    """JOB: parameters handed to this run of the job. DECISION: the script (required)."""
    enabled: Annotated[bool, Flag, _default_on_none(True), *Deferred] = True
    """A disabled node is skipped when the workflow runs."""
    skip_when_failed: Annotated[bool, Flag, _default_on_none(False), *Deferred] = False
    """Carry on with the workflow when this node fails."""

    @model_validator(mode="after")
    def _per_type_rules(self, info: ValidationInfo) -> WorkflowNodeSpec:
        if (info.context or {}).get("read") or is_unknown_value(self.type):
            return self
        needs = {"JOB": "job_id", "NESTED_WORKFLOW": "workflow_id"}.get(self.type)
        if needs and getattr(self, needs) is None:
            raise ValueError(f"node {self.name!r}: a {self.type} node needs {needs}")
        for key in ("job_id", "workflow_id"):
            value = getattr(self, key)
            if key != needs and value is not None and not is_unknown_value(value):
                raise ValueError(f"node {self.name!r}: a {self.type} node takes no {key}")
        if self.type == "DECISION" and self.params is None:
            raise ValueError(f"node {self.name!r}: a DECISION node needs params (its script)")
        return self


class WorkflowEdgeSpec(SpecModel):
    """``from_node -> to_node``; ``property`` picks the branch after a decision node."""

    from_node: Annotated[NodeName, *Deferred]
    """The node that runs first, by name."""
    to_node: Annotated[NodeName, *Deferred]
    """The node that runs after it, by name."""
    property: Annotated[BranchName | None, BeforeValidator(_branch), *Deferred] = None
    """After a DECISION node: true or false, the branch this edge belongs to."""


class WorkflowSpec(SpecModel):
    """A PowerJob workflow as declared; every field of ``SaveWorkflowRequest`` but ids."""

    wf_name: Annotated[str, Field(min_length=1, max_length=255)]
    """The workflow's name on the server; defaults to the resource name. Not unique in PowerJob."""
    wf_description: Name255 = None
    """Free text shown in the console."""
    time_expression_type: Annotated[WorkflowTriggerName, _upper_or("API")] = "API"
    """API (started through the API or the console) or CRON."""
    time_expression: OptStr = None
    """For CRON: a Quartz cron with seconds (6 or 7 fields)."""
    max_wf_instance_num: Annotated[int, whole(1, INT32), _default_on_none(1)] = 1
    """Most runs of the workflow at once."""
    enabled: Annotated[bool, Flag, _default_on_none(True)] = True
    """Whether the workflow is scheduled. Changing it is one saveWorkflow."""
    notify_user_ids: Annotated[list[Long], _default_on_none([])] = Field(default_factory=list)
    """Users alerted on failure."""
    lifecycle: LifecycleSpec | None = None
    """When the workflow may fire."""
    nodes: list[WorkflowNodeSpec]
    """The nodes (at least one); their order does not matter."""
    edges: Annotated[list[WorkflowEdgeSpec], _default_on_none([])] = Field(default_factory=list)
    """The edges between nodes, by name; they must make no cycle. Their order does not matter."""

    @field_validator("lifecycle")
    @classmethod
    def _empty_is_none(cls, value: LifecycleSpec | None) -> LifecycleSpec | None:
        """A lifecycle without ends is what the server shows when none was set."""
        return None if value is None or value.start is value.end is None else value

    @field_validator("nodes")
    @classmethod
    def _nodes_by_name(cls, value: list[WorkflowNodeSpec]) -> list[WorkflowNodeSpec]:
        return sorted(value, key=lambda n: n.name)

    @field_validator("edges")
    @classmethod
    def _edges_by_ends(cls, value: list[WorkflowEdgeSpec]) -> list[WorkflowEdgeSpec]:
        return sorted(value, key=lambda e: (e.from_node, e.to_node, e.property or ""))

    @model_validator(mode="after")
    def _cross_field_rules(self, info: ValidationInfo) -> WorkflowSpec:
        context = info.context or {}
        unknown: frozenset[str] = context.get("unknown", frozenset())
        reading = bool(context.get("read"))  # the server's word: canonicalise, never refuse
        settle_time_expression(self, unknown, reading)
        # The provider checks the DAG itself, reporting every problem; this is the backstop.
        if not reading and not context.get("dag_checked") and not {"nodes", "edges"} & unknown:
            for problem in dag.problems(*dag_view(self.nodes, self.edges)):
                raise ValueError(f"{problem.field}: {problem.message}")
        return self


def _marked(value: Any) -> Any:
    return dag.UNKNOWN if is_unknown_value(value) else value


def node_view(node: WorkflowNodeSpec) -> dag.Node:
    """A node as the DAG rules see it, unknowns marked."""
    return dag.Node(_marked(node.name), _marked(node.type))


def edge_view(edge: WorkflowEdgeSpec) -> dag.Edge:
    """An edge as the DAG rules see it, unknowns marked."""
    return dag.Edge(_marked(edge.from_node), _marked(edge.to_node), _marked(edge.property))


def dag_view(
    nodes: list[WorkflowNodeSpec], edges: list[WorkflowEdgeSpec]
) -> tuple[list[dag.Node], list[dag.Edge]]:
    """The nodes and edges as the DAG rules see them."""
    return [node_view(n) for n in nodes], [edge_view(e) for e in edges]
