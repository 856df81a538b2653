"""Infrastructure as code for PowerJob: jobs and workflows as Pulumi resources.

The OpenAPI client works on its own too: ``PowerJobClient(ConnectionSettings.resolve())``
with the request models below (see the README, "The client on its own"); running a job
and waiting for it: ``run_job`` with ``wait_for_instance`` ("Running jobs from scripts").
"""

from __future__ import annotations

from pulumi_powerjob.app import App, AppArgs
from pulumi_powerjob.client import (
    PowerJobClient,
    SavedWorkflow,
    terminal_progress,
    wait_for_instance,
    wait_for_workflow_instance,
)
from pulumi_powerjob.component import AppJobs, AppJobsArgs, AppWorkflowArgs, AppWorkflowNodeArgs
from pulumi_powerjob.errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    CopiesFoundError,
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
    PartlyAppliedError,
    PowerJobError,
    ResponseValidationError,
    TransportError,
    WaitTimeoutError,
)
from pulumi_powerjob.job import AlarmConfigArgs, Job, JobArgs, LifecycleArgs, LogConfigArgs
from pulumi_powerjob.job_set import JobSet, JobSetArgs
from pulumi_powerjob.models import (
    DagEdge,
    DagNode,
    DispatchStrategy,
    ExecuteType,
    InstanceInfoDTO,
    InstanceStatus,
    JobInfoDTO,
    JobInfoQuery,
    PEWorkflowDAG,
    ProcessorType,
    SaveJobInfoRequest,
    SaveWorkflowNodeRequest,
    SaveWorkflowRequest,
    TimeExpressionType,
    WorkflowInfoVO,
    WorkflowInstanceInfoDTO,
    WorkflowInstanceStatus,
    WorkflowNodeInfo,
    WorkflowNodeType,
)
from pulumi_powerjob.reconcile.workflow import save_workflow_with_nodes
from pulumi_powerjob.reconcile.workflow_spec import (
    WorkflowEdgeSpec,
    WorkflowNodeSpec,
    WorkflowSpec,
)
from pulumi_powerjob.settings import ConnectionSettings
from pulumi_powerjob.workflow import Workflow, WorkflowArgs, WorkflowEdgeArgs, WorkflowNodeArgs

__all__ = [
    "AlarmConfigArgs",
    "ApiError",
    "App",
    "AppArgs",
    "AppJobs",
    "AppJobsArgs",
    "AppWorkflowArgs",
    "AppWorkflowNodeArgs",
    "AuthenticationError",
    "ConfigurationError",
    "ConnectionSettings",
    "CopiesFoundError",
    "DagEdge",
    "DagNode",
    "DispatchStrategy",
    "ExecuteType",
    "InputValidationError",
    "InstanceInfoDTO",
    "InstanceStatus",
    "Job",
    "JobArgs",
    "JobInfoDTO",
    "JobInfoQuery",
    "JobSet",
    "JobSetArgs",
    "LifecycleArgs",
    "LogConfigArgs",
    "NotFoundError",
    "OutcomeUnknownError",
    "PEWorkflowDAG",
    "PartlyAppliedError",
    "PowerJobClient",
    "PowerJobError",
    "ProcessorType",
    "ResponseValidationError",
    "SaveJobInfoRequest",
    "SaveWorkflowNodeRequest",
    "SaveWorkflowRequest",
    "SavedWorkflow",
    "TimeExpressionType",
    "TransportError",
    "WaitTimeoutError",
    "Workflow",
    "WorkflowArgs",
    "WorkflowEdgeArgs",
    "WorkflowEdgeSpec",
    "WorkflowInfoVO",
    "WorkflowInstanceInfoDTO",
    "WorkflowInstanceStatus",
    "WorkflowNodeArgs",
    "WorkflowNodeInfo",
    "WorkflowNodeSpec",
    "WorkflowNodeType",
    "WorkflowSpec",
    "save_workflow_with_nodes",
    "terminal_progress",
    "wait_for_instance",
    "wait_for_workflow_instance",
]
