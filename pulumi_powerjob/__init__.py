"""Infrastructure as code for PowerJob: jobs and workflows as Pulumi resources."""

from __future__ import annotations

from pulumi_powerjob.app import App, AppArgs
from pulumi_powerjob.component import AppJobs, AppJobsArgs, AppWorkflowArgs, AppWorkflowNodeArgs
from pulumi_powerjob.errors import (
    ApiError,
    AuthenticationError,
    ConfigurationError,
    InputValidationError,
    NotFoundError,
    OutcomeUnknownError,
    PowerJobError,
    ResponseValidationError,
    TransportError,
)
from pulumi_powerjob.job import AlarmConfigArgs, Job, JobArgs, LifecycleArgs, LogConfigArgs
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
    "InputValidationError",
    "Job",
    "JobArgs",
    "LifecycleArgs",
    "LogConfigArgs",
    "NotFoundError",
    "OutcomeUnknownError",
    "PowerJobError",
    "ResponseValidationError",
    "TransportError",
    "Workflow",
    "WorkflowArgs",
    "WorkflowEdgeArgs",
    "WorkflowNodeArgs",
]
