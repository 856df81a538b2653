"""Workflow wire models (reference §3.6): requests, the DAG, nodes and ``WorkflowInfoVO``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AliasChoices, Field

from pulumi_powerjob.models.base import RequestModel, WireModel, by_code, by_name
from pulumi_powerjob.models.enums import TimeExpressionType, WorkflowNodeType
from pulumi_powerjob.models.job import LifeCycle, NotifyUserIds

NodeType = Annotated[WorkflowNodeType, *by_code(WorkflowNodeType)]


class DagNode(WireModel):
    """A node of ``PEWorkflowDAG``; only ``node_id`` matters when saving."""

    node_id: int
    node_type: NodeType | None = None
    job_id: int | None = None
    node_name: str | None = None
    node_params: str | None = None
    enable: bool | None = None
    skip_when_failed: bool | None = None


class DagEdge(WireModel):
    """An edge of ``PEWorkflowDAG``; ``property`` is "true"/"false" after a decision node."""

    from_: int = Field(alias="from")
    to: int
    property: str | None = None
    enable: bool | None = None


class PEWorkflowDAG(WireModel):
    """The DAG of a workflow; ``edges`` must be present, even empty."""

    nodes: list[DagNode]
    edges: list[DagEdge] = Field(default_factory=list)


class SaveWorkflowRequest(RequestModel):
    """Body of ``/openApi/saveWorkflow``; ``id`` set means update; unset fields: server defaults."""

    id: int | None = None
    wf_name: str
    wf_description: str | None = None
    app_id: int | None = None
    """Left out: ``PowerJobClient`` always sends its own app's id."""
    time_expression_type: Annotated[TimeExpressionType, *by_name(TimeExpressionType)]
    time_expression: str | None = None
    max_wf_instance_num: int = 1
    enable: bool = True
    notify_user_ids: NotifyUserIds = Field(default_factory=list[int])
    dag: PEWorkflowDAG
    life_cycle: LifeCycle | None = None


class SaveWorkflowNodeRequest(RequestModel):
    """An item of ``/openApi/addWorkflowNode``; nodes are created unattached."""

    id: int | None = None
    app_id: int | None = None
    """Left out: ``PowerJobClient`` always sends its own app's id."""
    type: NodeType
    job_id: int | None = None
    node_name: str | None = None
    node_params: str | None = None
    enable: bool = True
    skip_when_failed: bool = False


class WorkflowNodeInfo(WireModel):
    """A node row as ``/addWorkflowNode`` returns it."""

    id: int
    app_id: int | None = None
    workflow_id: int | None = None
    type: NodeType | None = None
    job_id: int | None = None
    node_name: str | None = None
    node_params: str | None = None
    enable: bool | None = None
    skip_when_failed: bool | None = None
    extra: str | None = None
    gmt_create: datetime | None = None
    gmt_modified: datetime | None = None


class WorkflowInfoVO(WireModel):
    """A workflow as ``/fetchWorkflow`` reports it: no status, so deleted reads as disabled."""

    id: int
    wf_name: str | None = None
    wf_description: str | None = None
    app_id: int | None = None
    dag: PEWorkflowDAG | None = Field(
        default=None,
        validation_alias=AliasChoices("peworkflowDAG", "pEWorkflowDAG", "PEWorkflowDAG", "dag"),
    )
    time_expression_type: Annotated[TimeExpressionType, *by_name(TimeExpressionType)] | None = None
    time_expression: str | None = None
    max_wf_instance_num: int | None = None
    enable: bool = False
    notify_user_ids: NotifyUserIds = None
    life_cycle: LifeCycle | None = None
    gmt_create: datetime | None = None
    gmt_modified: datetime | None = None
