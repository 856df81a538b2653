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
        """Stack config for a provider that talks to ``address`` (a proxy), 1.5 s timeouts."""
        return {
            "powerjob:address": address,
            "powerjob:appName": self.app_name,
            "powerjob:password": self.password,
            "powerjob:readTimeout": "1.5",
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
