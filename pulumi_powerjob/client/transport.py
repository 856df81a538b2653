"""Transport: explicit timeouts, connect-only retries, and failover across server addresses.

A request moves to the next address only when the connection could not be opened, i.e. when
nothing was sent. Every other failure is raised to the client, which decides whether the
outcome is unknown.
"""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Sequence

import httpx

from pulumi_powerjob.settings import ConnectionSettings

log = logging.getLogger(__name__)

# Errors raised before any byte of the request reached the server.
NOTHING_SENT: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout)


class FailoverTransport(httpx.BaseTransport):
    """Sends to the address that last worked; on a connect failure, to the next one."""

    def __init__(self, addresses: Sequence[str], inner: httpx.BaseTransport) -> None:
        self._origins = [httpx.URL(a) for a in addresses]
        self._inner = inner
        self._current = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            start = self._current
        last: Exception | None = None
        for step in range(len(self._origins)):
            index = (start + step) % len(self._origins)
            origin = self._origins[index]
            request.url = request.url.copy_with(
                scheme=origin.scheme, host=origin.host, port=origin.port
            )
            try:
                response = self._inner.handle_request(request)
            except NOTHING_SENT as exc:
                log.debug("connect to %s failed; trying the next address", origin)
                last = exc
                continue
            with self._lock:
                self._current = index
            return response
        assert last is not None
        raise last

    def close(self) -> None:
        self._inner.close()


def timeouts(settings: ConnectionSettings) -> httpx.Timeout:
    """The client's timeouts: connect and pool from ``connect_timeout``, the rest from read."""
    return httpx.Timeout(
        connect=settings.connect_timeout,
        read=settings.read_timeout,
        write=settings.read_timeout,
        pool=settings.connect_timeout,
    )


def build_transport(settings: ConnectionSettings) -> httpx.BaseTransport:
    """The default transport: TLS verified (or a CA bundle), connect retries, failover."""
    verify: ssl.SSLContext | bool = settings.verify
    if settings.ca_bundle:
        verify = ssl.create_default_context(cafile=settings.ca_bundle)
    if not any(a.startswith("https://") for a in settings.addresses):
        # no TLS anywhere (redirects are not followed): skip building an SSL context, ~30 ms
        verify = False
    inner = httpx.HTTPTransport(verify=verify, retries=settings.connect_retries)
    if len(settings.addresses) == 1:
        return inner
    return FailoverTransport(settings.addresses, inner)
