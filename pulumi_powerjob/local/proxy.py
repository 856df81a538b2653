"""A recording, fault-injecting HTTP proxy on loopback, placed between a client and PowerJob.

It counts what really reached the server (the proof behind "exactly one mutation") and can
lose answers on purpose: after the server executed the request (DROP, RESET, DELAY) or
before forwarding it (BAD_GATEWAY).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import select
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

import httpx

MUTATING_OPENAPI = frozenset(
    {
        "saveJob", "copyJob", "disableJob", "enableJob", "deleteJob", "runJob",
        "stopInstance", "cancelInstance", "retryInstance",
        "saveWorkflow", "copyWorkflow", "disableWorkflow", "enableWorkflow", "deleteWorkflow",
        "runWorkflow", "addWorkflowNode", "stopWfInstance", "retryWfInstance",
        "markWorkflowNodeAsSuccess",
    }
)  # fmt: skip
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "upgrade"}
)


def is_mutation(path: str) -> bool:
    """Whether ``path`` changes server state (an OpenAPI mutation, ``/appInfo/save`` or
    ``/appInfo/delete``)."""
    if path in ("/appInfo/save", "/appInfo/delete"):
        return True
    head, _, name = path.rpartition("/")
    return head.endswith("/openApi") and name in MUTATING_OPENAPI


class Fault(enum.Enum):
    """What the proxy does to one matching request."""

    DROP_RESPONSE_AFTER_EXECUTE = "drop"
    """Forward, then close the client connection without an answer (the request ran)."""
    BAD_GATEWAY_BEFORE_FORWARD = "502"
    """Answer 502 without forwarding (the request never reached the server)."""
    DELAY = "delay"
    """Forward, then hold the answer until the client gives up and closes its connection.

    ``delay_s`` is only a guard: a client still waiting then gets the answer, late."""
    RESET = "reset"
    """Forward, then reset the connection (TCP RST via SO_LINGER 0)."""


class Record(NamedTuple):
    """One request that reached the server, and the status the server answered."""

    method: str
    path: str
    query: str
    body: bytes
    status: int

    def params(self) -> dict[str, str]:
        """Query and form-body parameters merged (form wins); JSON bodies give nothing."""
        merged = dict(parse_qsl(self.query))
        with contextlib.suppress(UnicodeDecodeError):
            if self.body and not self.body.lstrip().startswith((b"{", b"[")):
                merged.update(parse_qsl(self.body.decode()))
        return merged


@dataclasses.dataclass
class _Armed:
    path_suffix: str
    fault: Fault
    remaining: int
    skip: int = 0


class RecordingProxy:
    """Forwards every request to ``upstream`` and records what reached it; thread-safe.

    Use as a context manager; ``address`` is ``http://127.0.0.1:<ephemeral port>``.
    """

    def __init__(self, upstream: str, *, delay_s: float = 30.0, max_requests: int = 10_000) -> None:
        self.upstream = upstream.rstrip("/")
        self.delay_s = delay_s
        self.max_requests = max_requests
        self.records: list[Record] = []
        self.vias: list[str] = []
        """The ``Via`` header of each record (``""`` when none): which forward proxies the
        request came through."""
        self.unanswered: list[Record] = []
        """Requests forwarded whose upstream gave no answer (status 0): they may have run."""
        self.cut: list[Record] = []
        """Requests whose client went away before sending the body its ``Content-Length``
        announced (status 0, the bytes that came): not forwarded, so they never ran."""
        self.on_forwarded: Callable[[Record], Fault | None] | None = None
        """Called with each answered request before its answer is relayed; a fault it returns
        is applied to that answer (e.g. to kill the server in the middle of an exchange)."""
        self.handled = 0
        self.in_flight = 0
        """Requests taken and not yet answered, dropped or refused (e.g. one a killed client
        sent that is still on its way to the server): wait for 0 before counting."""
        self._faults: list[_Armed] = []
        self._lock = threading.Lock()
        self.closing = threading.Event()
        self._connections: set[socket.socket] = set()
        self._client = httpx.Client(
            base_url=self.upstream, timeout=httpx.Timeout(120.0), trust_env=False
        )
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> RecordingProxy:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="recording-proxy",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving, wake delayed handlers and cut open client connections."""
        self.closing.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._client.close()

    def inject(self, path_suffix: str, fault: Fault, times: int = 1, *, after: int = 0) -> None:
        """Apply ``fault`` to the next ``times`` requests whose path ends with ``path_suffix``,
        once ``after`` such requests have passed untouched."""
        with self._lock:
            self._faults.append(_Armed(path_suffix, fault, times, after))

    def count(self, path_suffix: str) -> int:
        """How many requests with a path ending in ``path_suffix`` reached the server."""
        with self._lock:
            return sum(1 for r in self.records if r.path.endswith(path_suffix))

    def mutations(self) -> Counter[str]:
        """Mutating paths that reached the server, e.g. ``{"/openApi/saveJob": 1}``."""
        with self._lock:
            return Counter(r.path for r in self.records if is_mutation(r.path))

    def reset(self) -> None:
        """Forget records and disarm all faults."""
        with self._lock:
            self.records.clear()
            self.vias.clear()
            self.unanswered.clear()
            self.cut.clear()
            self._faults.clear()

    # -- used by the handler --------------------------------------------------------------

    def _admit(self, path: str) -> tuple[bool, Fault | None]:
        """Count the request against the bound and take one armed fault for its path."""
        with self._lock:
            self.handled += 1
            if self.handled > self.max_requests:
                return False, None
            for armed in self._faults:
                if armed.remaining > 0 and path.endswith(armed.path_suffix):
                    if armed.skip > 0:
                        armed.skip -= 1
                        continue
                    armed.remaining -= 1
                    self.in_flight += 1
                    return True, armed.fault
            self.in_flight += 1
            return True, None

    def _finished(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _record(self, record: Record, via: str = "") -> None:
        with self._lock:
            self.records.append(record)
            self.vias.append(via)

    def _record_unanswered(self, record: Record) -> None:
        with self._lock:
            self.unanswered.append(record)

    def _record_cut(self, record: Record) -> None:
        with self._lock:
            self.cut.append(record)

    def _track(self, conn: socket.socket, active: bool) -> None:
        with self._lock:
            if active:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


def _handler_for(proxy: RecordingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(_ProxyHandler):
        owner = proxy

    return Handler


class _ProxyHandler(BaseHTTPRequestHandler):
    owner: RecordingProxy
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx clients expect
    timeout = 60  # an idle keep-alive connection is dropped after this
    disable_nagle_algorithm = True  # headers and body are two writes: avoid a 40 ms stall

    def setup(self) -> None:
        super().setup()
        self.owner._track(self.connection, True)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        self.owner._track(self.connection, False)

    def handle(self) -> None:
        try:
            super().handle()
        except ConnectionResetError:
            # the client died between two requests (a killed engine): nothing was sent, so
            # there is nothing to record; the default would print a traceback
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default stderr access log."""

    def do_GET(self) -> None:
        self._proxy()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _proxy(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = self.rfile.read(length) if length else b""
        except ConnectionResetError:
            body = b""
        split = urlsplit(self.path)
        if len(body) < length:
            # The client went away in the middle of its request (a killed engine, between
            # writing the headers and the body). Forwarded with its length corrected, the
            # stub would be a different, complete request; the server reading it directly
            # would get a truncated body instead. Counted apart, never forwarded.
            self.owner._record_cut(Record(self.command, split.path, split.query, body, 0))
            self.close_connection = True
            return
        admitted, fault = self.owner._admit(split.path)
        if not admitted:
            self._answer(503, [], b"recording proxy: request limit reached")
            return
        try:
            self._forward(split.path, split.query, body, fault)
        finally:
            self.owner._finished()

    def _forward(self, path: str, query: str, body: bytes, fault: Fault | None) -> None:
        if fault is Fault.BAD_GATEWAY_BEFORE_FORWARD:
            self._answer(502, [], b"recording proxy: injected bad gateway")
            return
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
        headers = [(k, v) for k, v in headers if k.lower() not in ("host", "content-length")]
        request = self.owner._client.build_request(
            self.command, self.path, headers=headers, content=body
        )
        try:
            response = self.owner._client.send(request, stream=True)
            try:
                content = b"".join(response.iter_raw())  # raw: keep any content encoding
            finally:
                response.close()
        except httpx.ConnectError as exc:  # no connection: the request never reached it
            self._answer(502, [], f"recording proxy: upstream refused: {exc}".encode())
            return
        except httpx.HTTPError as exc:
            self.owner._record_unanswered(Record(self.command, path, query, body, 0))
            self._answer(502, [], f"recording proxy: upstream failed: {exc}".encode())
            return
        record = Record(self.command, path, query, body, response.status_code)
        self.owner._record(record, self.headers.get("Via", ""))
        hook = self.owner.on_forwarded
        self._apply((hook(record) if hook else None) or fault, response, content)

    def _apply(self, fault: Fault | None, response: httpx.Response, content: bytes) -> None:
        if fault is Fault.DROP_RESPONSE_AFTER_EXECUTE:
            self.close_connection = True  # the server then sends FIN with no answer
            return
        if fault is Fault.RESET:
            self.close_connection = True
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            with contextlib.suppress(OSError):
                self.connection.close()  # last reference goes in finish(): RST, not FIN
            return
        if fault is Fault.DELAY and self._client_left(self.owner.delay_s):
            self.close_connection = True
            return
        raw = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in response.headers.raw
            if k.decode("latin-1").lower() not in _HOP_BY_HOP | {"content-length"}
        ]
        self._answer(response.status_code, raw, content, response.reason_phrase)

    def _client_left(self, guard_s: float) -> bool:
        """Wait until the client closes its connection (its read timed out) or the proxy
        closes; False when ``guard_s`` passes first. Waits on the socket, not on a clock."""
        deadline = time.monotonic() + guard_s
        readable, _, _ = select.select([self.connection], [], [], guard_s)
        if self.owner.closing.is_set():
            return True
        if not readable:
            return False
        try:
            peeked = self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True
        if not peeked:
            return True  # end of stream: the client gave up
        # bytes of a next request (no HTTP/1.1 client pipelines behind an unanswered one):
        # nothing to watch on the socket, so hold for the rest of the guard
        return self.owner.closing.wait(max(0.0, deadline - time.monotonic()))

    def _answer(
        self, status: int, headers: list[tuple[str, str]], body: bytes, reason: str | None = None
    ) -> None:
        try:
            self.send_response_only(status, reason)
            for key, value in headers:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client gave up (e.g. timed out during a DELAY)
            self.close_connection = True
