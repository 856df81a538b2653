"""Session fixtures for the real PowerJob server. Lazy: unit tests never start it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from pulumi_powerjob.local import LocalServer
from tests.support import PowerJobApp, RecordingProxy

SERVER_FIXTURES = frozenset({"powerjob_server", "powerjob_app", "recording_proxy"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Refuse a test that needs the server but is not marked ``integration``."""
    unmarked = [
        item.nodeid
        for item in items
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("integration") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "tests using the PowerJob server must be marked integration: " + ", ".join(unmarked)
        )


@pytest.fixture(scope="session")
def powerjob_server() -> Iterator[LocalServer]:
    """A PowerJob 4.3.9 server with H2 in memory, shared by the whole session."""
    server = LocalServer("4.3.9")
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def powerjob_app(powerjob_server: LocalServer) -> PowerJobApp:
    """A uniquely named app (``t-<uuid8>``) on the session server."""
    name, password = f"t-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app_id = powerjob_server.create_app(name, password)
    return PowerJobApp(powerjob_server.address, name, password, app_id)


@pytest.fixture
def recording_proxy(powerjob_server: LocalServer) -> Iterator[RecordingProxy]:
    """A fresh recording proxy in front of the session server."""
    with RecordingProxy(powerjob_server.address) as proxy:
        yield proxy
