"""What an HTTP exchange came to, in our error terms; shared by the OpenAPI and console clients.

The rule they share: a failure after a mutation was sent is ``OutcomeUnknownError`` (never
resend; reconcile), a failure before anything was sent is a plain ``TransportError``.
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import TypeAdapter

from pulumi_powerjob.client.envelope import unwrap
from pulumi_powerjob.client.transport import NOTHING_SENT
from pulumi_powerjob.errors import ApiError, OutcomeUnknownError, TransportError

T = TypeVar("T")
UNTRUSTED = "the TLS certificate"


def describe(exc: httpx.HTTPError) -> str:
    """A short, secret-free description of a transport failure."""
    kind = type(exc).__name__
    if "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return f"{UNTRUSTED}{_to(exc, 'of')} is not trusted (give its CA as caBundle)"
    if isinstance(exc, httpx.ProxyError):  # "403 Forbidden": the proxy's own status line
        return f"the egress proxy refused a tunnel{_to(exc)} ({exc})"
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return f"could not connect{_to(exc)} ({kind})"
    if isinstance(exc, httpx.TimeoutException):
        return f"no answer in time ({kind})"
    return f"connection failed ({kind})"


def _to(exc: httpx.HTTPError, word: str = "to") -> str:
    """`` to http://host:port``: the server tried (no path, no query: nothing secret)."""
    try:
        url = exc.request.url
    except RuntimeError:  # an error made without a request
        return ""
    port = f":{url.port}" if url.port is not None else ""
    return f" {word} {url.scheme}://{url.host}{port}"


def failure(endpoint: str, exc: httpx.HTTPError, *, mutating: bool, sent: bool) -> TransportError:
    """The error for an exchange that got no answer."""
    if mutating and sent and not isinstance(exc, (*NOTHING_SENT, httpx.PoolTimeout)):
        what = describe(exc)
        return OutcomeUnknownError(
            endpoint, f"{what} after the request was sent; it may have run", came_back=what
        )
    return TransportError(endpoint, describe(exc))


def answer(
    endpoint: str,
    response: httpx.Response,
    adapter: TypeAdapter[T],
    *,
    mutating: bool,
    missing: str,
) -> T:
    """``data`` of an answer, or the error its status means (``missing`` explains a 404)."""
    status = response.status_code
    if status >= 500 and mutating:
        raise OutcomeUnknownError(
            endpoint,
            f"HTTP {status} after the request was sent; it may have run",
            came_back=f"HTTP {status}",
        )
    if status == 404:
        raise ApiError(endpoint, f"HTTP 404: {missing}", status=404)
    if status != 200:
        raise TransportError(endpoint, f"HTTP {status}")
    return unwrap(endpoint, response, adapter)
