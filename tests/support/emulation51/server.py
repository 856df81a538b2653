"""Serve a WSGI app (the PowerJob 5.1 *emulation*) over real HTTP on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import IO, Any, cast
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer
from wsgiref.types import WSGIApplication


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietServerHandler(ServerHandler):
    server_software = ""  # the real server sends no `Server` header

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class _RequestHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        """`WSGIRequestHandler.handle`, with a handler that stays quiet."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536 or not self.parse_request():
            return
        output = cast("IO[bytes]", self.wfile)
        handler = _QuietServerHandler(
            self.rfile, output, self.get_stderr(), self.get_environ(), multithread=True
        )
        handler.request_handler = self  # type: ignore[attr-defined]
        handler.run(self.server.get_app())  # type: ignore[attr-defined]


@contextmanager
def serve(app: WSGIApplication) -> Iterator[str]:
    """Run `app` on an ephemeral port in a thread; yields the base URL, stops on exit."""
    server = _Server(("127.0.0.1", 0), _RequestHandler)
    server.set_app(app)
    thread = threading.Thread(target=server.serve_forever, name="powerjob-emulation", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
