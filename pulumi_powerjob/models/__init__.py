"""Pydantic v2 wire models of the PowerJob OpenAPI; Java class names kept for grep."""

from __future__ import annotations

from pulumi_powerjob.models.auth import AppAuthRequest, AppAuthResult, SaveAppInfoRequest
from pulumi_powerjob.models.base import Envelope, RequestModel, WireModel
from pulumi_powerjob.models.enums import (
    DispatchStrategy,
    ExecuteType,
    InstanceStatus,
    LogLevel,
    LogType,
    ProcessorType,
    SwitchableStatus,
    TaskTrackerBehavior,
    TimeExpressionType,
    WorkflowInstanceStatus,
    WorkflowNodeType,
)
from pulumi_powerjob.models.instance import (
    InstanceInfoDTO,
    InstancePageQuery,
    PageResult,
    WorkflowInstanceInfoDTO,
)
from pulumi_powerjob.models.job import (
    AlarmConfig,
    JobAdvancedRuntimeConfig,
    JobInfoDTO,
    JobInfoQuery,
    LifeCycle,
    LogConfig,
    SaveJobInfoRequest,
)
from pulumi_powerjob.models.workflow import (
    DagEdge,
    DagNode,
    PEWorkflowDAG,
    SaveWorkflowNodeRequest,
    SaveWorkflowRequest,
    WorkflowInfoVO,
    WorkflowNodeInfo,
)

__all__ = [
    "AlarmConfig",
    "AppAuthRequest",
    "AppAuthResult",
    "DagEdge",
    "DagNode",
    "DispatchStrategy",
    "Envelope",
    "ExecuteType",
    "InstanceInfoDTO",
    "InstancePageQuery",
    "InstanceStatus",
    "JobAdvancedRuntimeConfig",
    "JobInfoDTO",
    "JobInfoQuery",
    "LifeCycle",
    "LogConfig",
    "LogLevel",
    "LogType",
    "PEWorkflowDAG",
    "PageResult",
    "ProcessorType",
    "RequestModel",
    "SaveAppInfoRequest",
    "SaveJobInfoRequest",
    "SaveWorkflowNodeRequest",
    "SaveWorkflowRequest",
    "SwitchableStatus",
    "TaskTrackerBehavior",
    "TimeExpressionType",
    "WireModel",
    "WorkflowInfoVO",
    "WorkflowInstanceInfoDTO",
    "WorkflowInstanceStatus",
    "WorkflowNodeInfo",
    "WorkflowNodeType",
]
