"""The one exception hierarchy of pulumi_powerjob.

Nothing raises anything else past the public API::

    PowerJobError                       root of everything we raise
    ├── ConfigurationError              missing or invalid connection settings
    ├── InputValidationError            bad resource input; .field and .rule
    ├── ApiError                        the server answered and refused (.status, .server_message)
    │   ├── AuthenticationError         credentials refused, or auth rejected after one refresh
    │   └── NotFoundError               the object is gone (read: drift; delete: already done)
    ├── ResponseValidationError         the server's answer does not fit the wire model
    ├── PartlyAppliedError              a JobSet operation stopped half-way; up finishes it
    ├── CopiesFoundError                several live objects carry one resource's mark
    ├── TransportError                  no usable answer
    │   └── OutcomeUnknownError         request sent, answer lost: never resend; reconcile
    └── WaitTimeoutError                an instance did not finish in time (.last_status); it
                                        keeps running on the server

Messages name the endpoint and the server's message; never a header, token, password or body.
An error of a create or update that stopped half-way carries ``landed``: what is on the server
now, as the resource's outputs, which a face that can record partial state records.
Errors raised by ``PowerJobClient`` also name the app and, where one would fix it, the setting
(``[app 'orders'; check powerjob:password / POWERJOB_PASSWORD]``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

PASSWORD_SETTING = "powerjob:password / POWERJOB_PASSWORD"
APP_NAME_SETTING = "powerjob:appName / POWERJOB_APP_NAME"
ADDRESS_SETTING = "powerjob:address / POWERJOB_ADDRESS"


@dataclass(frozen=True)
class Landed:
    """What a create or update that stopped half-way left on the server, as outputs."""

    outputs: Mapping[str, Any] = field(default_factory=dict)
    """The resource's outputs as they now stand on the server (state keys)."""
    resource_id: str | None = None
    """The resource's id, when the operation was a create (set by the face that made it)."""


class PowerJobError(Exception):
    """Root of every error raised by pulumi_powerjob."""

    landed: Landed | None = None
    """Set when the operation stopped half-way with something on the server to record."""

    app: str | None = None
    """The app the failed call was made for, when a client made it."""
    setting: str | None = None
    """The setting that would fix the error, when one would."""

    def add_context(self, app: str, setting: str | None = None) -> None:
        """Name the app (and the setting to fix) at the end of the message; once only."""
        if self.app is not None:
            return
        self.app, self.setting = app, setting
        fix = f"; check {setting}" if setting else ""
        first = str(self.args[0]) if self.args else type(self).__name__
        self.args = (f"{first} [app {app!r}{fix}]", *self.args[1:])


class ConfigurationError(PowerJobError):
    """Connection settings are missing or invalid."""


class InputValidationError(PowerJobError, ValueError):
    """A resource input breaks a rule; names the field and the rule."""

    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}")
        self.field = field
        self.rule = rule


class ApiError(PowerJobError):
    """The server answered and refused the request."""

    def __init__(
        self,
        endpoint: str,
        server_message: str | None,
        *,
        status: int = 200,
        code: str | None = None,
    ) -> None:
        detail = server_message or "no message"
        suffix = f" (code {code})" if code else ""
        super().__init__(f"{endpoint}: {detail}{suffix}")
        self.endpoint = endpoint
        self.server_message = server_message
        self.status = status
        self.code = code


class AuthenticationError(ApiError):
    """The server refused the app credentials or the token."""


class NotFoundError(ApiError, LookupError):
    """The job, workflow or app does not exist (or is deleted)."""


class ResponseValidationError(PowerJobError):
    """The server's answer is not JSON or does not fit the expected model."""

    def __init__(self, endpoint: str, reason: str) -> None:
        super().__init__(f"{endpoint}: unexpected answer: {reason}")
        self.endpoint = endpoint
        self.reason = reason


class TransportError(PowerJobError):
    """No usable answer came back (connection refused, timeout, non-PowerJob server)."""

    def __init__(self, endpoint: str, reason: str) -> None:
        super().__init__(f"{endpoint}: {reason}")
        self.endpoint = endpoint
        self.reason = reason


class OutcomeUnknownError(TransportError):
    """The request was sent but its answer was lost; it may have run. Never resend it."""

    def __init__(self, endpoint: str, reason: str, *, came_back: str = "answer lost") -> None:
        super().__init__(endpoint, reason)
        # What came back instead of an answer ("HTTP 502", "no answer in time (ReadTimeout)"),
        # so that the provider's message after its read starts with what really happened.
        self.came_back = came_back


class WaitTimeoutError(PowerJobError, TimeoutError):
    """An instance or workflow instance was not finished when the wait ran out.

    Waiting only reads: the instance keeps running on the server. ``last_status`` is the
    status the last read saw.
    """

    def __init__(self, what: str, instance_id: int, last_status: IntEnum, timeout_s: float) -> None:
        super().__init__(
            f"{what} {instance_id} not finished after {timeout_s:g} s (last status "
            f"{last_status.name}); it keeps running on the server"
        )
        self.what = what
        self.instance_id = instance_id
        self.last_status = last_status
        self.timeout_s = timeout_s


class PartlyAppliedError(PowerJobError):
    """Some steps of a ``JobSet`` operation did not land. What did land is on the server and
    is found by name on the next ``up``, which sends only what is still missing."""

    def __init__(
        self, what: str, done: int, failed: dict[str, str], not_sent: int, again: str = "up"
    ) -> None:
        shown = "; ".join(f"{key}: {why}" for key, why in list(failed.items())[:5])
        more = f" (and {len(failed) - 5} more)" if len(failed) > 5 else ""
        super().__init__(
            f"{what}: {done} step(s) landed, {len(failed)} failed, {not_sent} not sent. "
            f"{shown}{more}. Run {again} again: it lists the app first, so nothing is sent twice"
        )
        self.done = done
        self.failed = failed
        self.not_sent = not_sent


class CopiesFoundError(PowerJobError):
    """Several live objects carry the ownership mark of one resource: copies that creates cut
    off before this fix, or by a server still running an old request, left behind. Nothing was
    sent; the message names them and says which to keep (``python -m pulumi_powerjob doctor``
    finds them too)."""

    def __init__(self, what: str, ids: list[int]) -> None:
        super().__init__(
            f"{what}: {ids} all carry this resource's ownership mark, so earlier cut-off "
            f"creates made it {len(ids)} times; keep one (adopt_id={ids[0]}) and delete the "
            "others, or run `python -m pulumi_powerjob doctor --fix delete`"
        )
        self.ids = ids


__all__ = [
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "CopiesFoundError",
    "InputValidationError",
    "Landed",
    "NotFoundError",
    "OutcomeUnknownError",
    "PartlyAppliedError",
    "PowerJobError",
    "ResponseValidationError",
    "TransportError",
    "WaitTimeoutError",
]
