"""The PowerJob OpenAPI client: authenticated before the call, never a mutation twice."""

from __future__ import annotations

from pulumi_powerjob.client.auth import PowerJobAuth
from pulumi_powerjob.client.client import PowerJobClient, SavedWorkflow
from pulumi_powerjob.client.transport import build_transport

__all__ = ["PowerJobAuth", "PowerJobClient", "SavedWorkflow", "build_transport"]
