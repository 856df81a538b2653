"""Fixtures of the engine tests: the Pulumi engine's bin directory, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_powerjob.local.engine import engine_bin


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """``pulumi`` v3.259.0 with its Python language host (scripts/engine, cached)."""
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
