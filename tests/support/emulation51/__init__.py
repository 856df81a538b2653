"""Emulation of a PowerJob 5.1.0 / 5.1.1 server for tests. It is NOT a real PowerJob server.

PowerJob 5.x server jars are not published, so the suite checks 5.1 behaviour (app tokens,
`/openApi/authApp`, the `X-POWERJOB-AUTH-PASSED` header) against this in-memory WSGI app.
It is built from the OpenAPI reference and the exchanges recorded with real 5.1.0 and 5.1.1
servers (`tests/fixtures/powerjob-5.1/`); `tests/unit/emulation/test_fidelity.py` replays
those recordings against it. Real servers are checked outside CI.

Use in process with `httpx.WSGITransport(app=emulation)`, or over HTTP with `serve(emulation)`.
"""

from __future__ import annotations

from .app import Execution, PowerJob51Emulation
from .clock import ManualClock
from .server import serve

__all__ = ["Execution", "ManualClock", "PowerJob51Emulation", "serve"]
