"""Fixtures of the engine tests: the Pulumi engine's bin directory, built once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_powerjob.local.engine import engine_bin


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """``pulumi`` v3.259.0 with its Python language host (scripts/engine, cached)."""
    return engine_bin()
