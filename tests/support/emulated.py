"""An app on a served PowerJob 5.1.1 emulation (OpenAPI auth on), behind a recording proxy."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

from tests.support import PowerJobApp, RecordingProxy
from tests.support.emulation51 import PowerJob51Emulation, serve


@contextlib.contextmanager
def emulated_app(prefix: str) -> Iterator[tuple[PowerJob51Emulation, PowerJobApp, RecordingProxy]]:
    """The emulation, an app ``<prefix>-<uuid8>`` on it, and a proxy in front of it."""
    server = PowerJob51Emulation("5.1.1", auth_enabled=True)
    name, password = f"{prefix}-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app_id = server.add_app(name, password)
    with serve(server) as url, RecordingProxy(url) as proxy:
        yield server, PowerJobApp(url, name, password, app_id), proxy
