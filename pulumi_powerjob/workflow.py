"""``Workflow`` and ``WorkflowArgs``: a PowerJob workflow (a DAG of nodes) as a Pulumi resource."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Required, TypedDict

import pulumi
from pulumi import dynamic

from pulumi_powerjob.job import LifecycleArgs
from pulumi_powerjob.providers.workflow import OUTPUT_KEYS, WorkflowProvider
from pulumi_powerjob.reconcile.ownership import OWNER
from pulumi_powerjob.resource_urn import owner_urn

__all__ = ["Workflow", "WorkflowArgs", "WorkflowEdgeArgs", "WorkflowNodeArgs"]


class WorkflowNodeArgs(TypedDict, total=False):
    """A node of the DAG. ``name`` is unique in the workflow; edges refer to nodes by it."""

    name: Required[pulumi.Input[str]]
    """The node's name (its ``nodeName`` on the server) and its key in ``node_ids``."""
    type: pulumi.Input[str]
    """JOB (default), DECISION or NESTED_WORKFLOW."""
    job_id: pulumi.Input[int]
    """For JOB: the job to run, typically ``some_job.job_id``."""
    workflow_id: pulumi.Input[int]
    """For NESTED_WORKFLOW: a workflow with no nested nodes of its own."""
    params: pulumi.Input[str]
    """JOB: parameters handed to this run of the job. DECISION: the script (required)."""
    enabled: pulumi.Input[bool]
    """A disabled node is skipped when the workflow runs; default true."""
    skip_when_failed: pulumi.Input[bool]
    """Carry on with the workflow when this node fails; default false."""


class WorkflowEdgeArgs(TypedDict, total=False):
    """``from_node -> to_node``, by node name; ``to_node`` runs after ``from_node``."""

    from_node: Required[pulumi.Input[str]]
    to_node: Required[pulumi.Input[str]]
    property: pulumi.Input[str]
    """After a DECISION node: "true" or "false", the branch this edge belongs to."""


@dataclass(kw_only=True)
class WorkflowArgs:
    """The declared state of a workflow. Unset fields take the server's defaults."""

    nodes: pulumi.Input[Sequence[pulumi.Input[WorkflowNodeArgs]]]
    """The nodes (at least one); their order does not matter."""
    edges: pulumi.Input[Sequence[pulumi.Input[WorkflowEdgeArgs]]] | None = None
    """The edges between nodes, by name; they must make no cycle. Their order does not matter."""
    wf_name: pulumi.Input[str] | None = None
    """The workflow's name on the server; defaults to the resource name. Not unique in PowerJob."""
    wf_description: pulumi.Input[str] | None = None
    """Free text shown in the console."""
    time_expression_type: pulumi.Input[str] | None = None
    """API (default: started through the API or the console) or CRON."""
    time_expression: pulumi.Input[str] | None = None
    """For CRON: a Quartz cron with seconds (6 or 7 fields)."""
    max_wf_instance_num: pulumi.Input[int] | None = None
    """Most runs of the workflow at once; default 1."""
    enabled: pulumi.Input[bool] | None = None
    """Whether the workflow is scheduled; default true. Changing it is one saveWorkflow."""
    notify_user_ids: pulumi.Input[Sequence[pulumi.Input[int]]] | None = None
    """Users alerted on failure."""
    lifecycle: pulumi.Input[LifecycleArgs] | None = None
    """When the workflow may fire."""
    connection: pulumi.Input[str] | None = None
    """A named connection profile (``powerjob:connections``); default: ``powerjob:*``."""
    adopt_id: pulumi.Input[int] | None = None
    """Take over this existing workflow instead of creating one (nodes matched by name)."""


class Workflow(dynamic.Resource, module="powerjob", name="Workflow"):
    """A PowerJob workflow: the fewest calls per declared change (see the provider's table)."""

    workflow_id: pulumi.Output[int]
    """The workflow's id on the server."""
    app_id: pulumi.Output[int]
    node_ids: pulumi.Output[dict[str, int]]
    """The server's id of each node, by node name."""
    console_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: WorkflowArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {f.name: getattr(args, f.name) for f in fields(args)}
        if props["wf_name"] is None:
            props["wf_name"] = resource_name
        props.update(dict.fromkeys(OUTPUT_KEYS))
        props[OWNER] = owner_urn(resource_name, "Workflow", opts)
        super().__init__(WorkflowProvider(), resource_name, props, opts)
