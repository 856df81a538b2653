"""A WSGI wrapper around a served app (the 5.1 emulation): one request at a time, each one
recorded with its bodies, and hooks that run right after it, before the next request.

Serving one request at a time is what makes "after the K-th executed saveJob" exact even when
the engine runs creates in parallel: nothing else reaches the app between a request and its
hooks. Clients still have their requests in flight concurrently.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as they crossed the wrapper."""

    path: str
    request_body: bytes
    status: str
    response_body: bytes


Hook = Callable[[Exchange], None]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None] | None


class WsgiTap:
    """Wraps ``app``; ``exchanges`` lists every request, ``hooks`` run after each one."""

    def __init__(self, app: WSGIApplication) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.hooks: list[Hook] = []
        self.exchanges: list[Exchange] = []

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        length = str(environ.get("CONTENT_LENGTH") or "0")
        body = environ["wsgi.input"].read(int(length)) if length.isdigit() else b""
        environ["wsgi.input"] = io.BytesIO(body)
        status: list[str] = []

        def recording_start(
            status_line: str, headers: list[tuple[str, str]], exc_info: ExcInfo = None, /
        ) -> Callable[[bytes], object]:
            status.append(status_line)
            return start_response(status_line, headers, exc_info)

        with self._lock:
            answer = b"".join(self._app(environ, recording_start))
            exchange = Exchange(str(environ.get("PATH_INFO", "")), body, status[0], answer)
            self.exchanges.append(exchange)
            for hook in self.hooks:
                hook(exchange)
        return [answer]
