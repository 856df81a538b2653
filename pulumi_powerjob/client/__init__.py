"""The PowerJob OpenAPI client: authenticated before the call, never a mutation twice."""

from __future__ import annotations

from pulumi_powerjob.client.auth import PowerJobAuth
from pulumi_powerjob.client.client import PowerJobClient, SavedWorkflow
from pulumi_powerjob.client.transport import build_transport
from pulumi_powerjob.client.waiting import (
    terminal_progress,
    wait_for_instance,
    wait_for_workflow_instance,
)

__all__ = [
    "PowerJobAuth",
    "PowerJobClient",
    "SavedWorkflow",
    "build_transport",
    "terminal_progress",
    "wait_for_instance",
    "wait_for_workflow_instance",
]
