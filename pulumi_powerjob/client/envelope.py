"""Unwrap the ``ResultDTO`` envelope and map refusals onto the error hierarchy."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from pulumi_powerjob.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    ResponseValidationError,
)

T = TypeVar("T")

# 5.x codes (reference §5.6) and 4.3 texts that mean "credentials or token refused".
_AUTH_CODES = frozenset({"-300", "-400", "-401", "-402", "-403", "-1002"})
_AUTH_TEXTS = (
    "INCORRECT_PASSWORD",
    "INVALID_APP",
    "INVALID_TOKEN",
    "TOKEN_EXPIRED",
    "OPEN_API_AUTH_FAILED",
    "password error",
    "can't find appInfo by appName",
)
_NOT_FOUND_TEXTS = ("can't find job by", "can't find workflow by", "can't find instance")


def refusal(endpoint: str, body: dict[str, Any], status: int = 200) -> ApiError:
    """The error for a ``success: false`` answer, keeping the server's message."""
    message = body.get("message")
    text = message if isinstance(message, str) else None
    code = body.get("code")
    code = str(code) if code is not None else None
    kind: type[ApiError] = ApiError
    if code in _AUTH_CODES or (text and any(t in text for t in _AUTH_TEXTS)):
        kind = AuthenticationError
    elif text and any(t in text for t in _NOT_FOUND_TEXTS):
        kind = NotFoundError
    return kind(endpoint, text, status=status, code=code)


def _where(response: httpx.Response) -> str:
    """The URL answered, without its query (nothing secret)."""
    try:
        return str(response.request.url.copy_with(query=None))
    except RuntimeError:  # a response made without a request
        return "the server"


def envelope_of(endpoint: str, response: httpx.Response) -> dict[str, Any]:
    """The JSON envelope of an answer, or a clear error when it is not PowerJob's."""
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("content-type", "no content type")
        raise ResponseValidationError(
            endpoint,
            f"HTTP {response.status_code} with a body that is not JSON ({kind}) from "
            f"{_where(response)}; is this address (and its path prefix) a PowerJob server?",
        ) from None
    if not isinstance(body, dict) or "success" not in body:
        raise ResponseValidationError(
            endpoint, "JSON without a PowerJob result envelope; is this a PowerJob server?"
        )
    return body


def unwrap(endpoint: str, response: httpx.Response, adapter: TypeAdapter[T]) -> T:
    """``data`` of a successful answer validated into ``T``; refusals raise ``ApiError``."""
    body = envelope_of(endpoint, response)
    if body["success"] is not True:
        raise refusal(endpoint, body, response.status_code)
    try:
        return adapter.validate_python(body.get("data"))
    except ValidationError as exc:
        # Name the fields and rules only: the values may be anything the server sent.
        rules = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'data'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise ResponseValidationError(endpoint, rules) from None
