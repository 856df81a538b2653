"""Test helpers: the recording proxy, deadline polling and the shared app handle."""

from __future__ import annotations

import dataclasses

from pydantic import SecretStr

from pulumi_powerjob.local.proxy import Fault, Record, RecordingProxy, is_mutation
from pulumi_powerjob.settings import ConnectionSettings
from tests.support.deadline import DeadlineExceeded, wait_until


@dataclasses.dataclass(frozen=True)
class PowerJobApp:
    """An app on the session's local server (``powerjob_app`` fixture)."""

    address: str
    app_name: str
    password: str = dataclasses.field(repr=False)
    app_id: int

    def settings(self) -> ConnectionSettings:
        """Settings for a client that talks to the server directly (no proxy)."""
        return ConnectionSettings(
            addresses=(self.address,), app_name=self.app_name, password=SecretStr(self.password)
        )

    def provider_config(self, address: str) -> dict[str, str]:
        """Stack config for a provider that talks to ``address`` (a proxy).

        The read timeout is how such a provider notices an answer the proxy holds back
        (``Fault.DELAY`` holds it until the client gives up). 10 s, far above what a normal
        answer takes even on a loaded machine: at 1.5 s, a plain ``addWorkflowNode`` once
        timed out under load and failed a test that injected no fault there."""
        return {
            "powerjob:address": address,
            "powerjob:appName": self.app_name,
            "powerjob:password": self.password,
            "powerjob:readTimeout": "10",
        }


__all__ = [
    "DeadlineExceeded",
    "Fault",
    "PowerJobApp",
    "Record",
    "RecordingProxy",
    "is_mutation",
    "wait_until",
]
