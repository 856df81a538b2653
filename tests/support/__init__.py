"""Test helpers: the recording proxy, deadline polling and the shared app handle."""

from __future__ import annotations

import dataclasses

from pulumi_powerjob.local.proxy import Fault, Record, RecordingProxy, is_mutation
from tests.support.deadline import DeadlineExceeded, wait_until


@dataclasses.dataclass(frozen=True)
class PowerJobApp:
    """An app on the session's local server (``powerjob_app`` fixture)."""

    address: str
    app_name: str
    password: str = dataclasses.field(repr=False)
    app_id: int


__all__ = [
    "DeadlineExceeded",
    "Fault",
    "PowerJobApp",
    "Record",
    "RecordingProxy",
    "is_mutation",
    "wait_until",
]
