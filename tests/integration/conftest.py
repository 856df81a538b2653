"""Fixtures of the integration tests: a direct client, the Pulumi engine's bin directory
(built once), and an app with a real worker online."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.certificates import PrivateCA
from pulumi_powerjob.local.engine import engine_bin
from pulumi_powerjob.local.forward_proxy import ForwardProxy
from tests.support import PowerJobApp
from tests.support.worker import WorkerProcess, build_worker


@pytest.fixture(scope="module")
def direct(powerjob_app: PowerJobApp) -> Iterator[PowerJobClient]:
    """A client straight to the server, for looking at what is really there."""
    with PowerJobClient(powerjob_app.settings()) as client:
        yield client


@pytest.fixture(scope="session")
def worker_app(powerjob_server: LocalServer) -> Iterator[PowerJobApp]:
    """An app of its own (``w-<uuid8>``) with the test worker online (tests/support/worker.py).

    Its own app, so that the other tests keep an app without workers (their instances fail
    at once for want of one).
    """
    name, password = f"w-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app_id = powerjob_server.create_app(name, password)
    with WorkerProcess(build_worker(), powerjob_server.address, name) as worker:
        worker.start(app_id)
        yield PowerJobApp(powerjob_server.address, name, password, app_id)


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """``pulumi`` v3.274.1 with its Python language host (scripts/engine, cached)."""
    return engine_bin()


# The SDK's inline-program machinery (grpc server, asyncio loop) is collected whenever the
# garbage collector runs, often during a later test; its leftovers are the SDK's, not ours.
# Unit tests keep every warning an error.
SDK_LEFTOVERS = (
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in item.nodeid:
            for mark in SDK_LEFTOVERS:
                item.add_marker(mark)


@pytest.fixture(scope="session")
def forward_proxy() -> Iterator[ForwardProxy]:
    """A real egress proxy (Debian's tinyproxy, installed when missing) on loopback."""
    with ForwardProxy() as proxy:
        yield proxy


@pytest.fixture(scope="session")
def private_ca(tmp_path_factory: pytest.TempPathFactory) -> PrivateCA:
    """A private certificate authority; its ``certificate`` is what users give as caBundle."""
    return PrivateCA(tmp_path_factory.mktemp("ca"))
