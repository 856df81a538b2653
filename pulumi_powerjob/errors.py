"""The one exception hierarchy of pulumi_powerjob.

Nothing raises anything else past the public API::

    PowerJobError                       root of everything we raise
    ├── ConfigurationError              missing or invalid connection settings
    ├── InputValidationError            bad resource input; .field and .rule
    ├── ApiError                        the server answered and refused (.status, .server_message)
    │   ├── AuthenticationError         credentials refused, or auth rejected after one refresh
    │   └── NotFoundError               the object is gone (read: drift; delete: already done)
    ├── ResponseValidationError         the server's answer does not fit the wire model
    └── TransportError                  no usable answer
        └── OutcomeUnknownError         request sent, answer lost: never resend; reconcile

Messages name the endpoint and the server's message; never a header, token, password or body.
"""

from __future__ import annotations


class PowerJobError(Exception):
    """Root of every error raised by pulumi_powerjob."""


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


__all__ = [
    "ApiError",
    "AuthenticationError",
    "ConfigurationError",
    "InputValidationError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PowerJobError",
    "ResponseValidationError",
    "TransportError",
]
