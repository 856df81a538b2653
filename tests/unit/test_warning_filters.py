"""The session's warning filters: exactly the SDK's leftovers are let through, nothing else.

What the garbage collector finds after the last test is judged by these filters alone
(pyproject.toml), so whether a run passes must not depend on when it runs.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import sys
import tempfile
from typing import Any

import pytest


def _collected(make: Any) -> list[str]:
    """The unraisable messages left when what ``make`` returns is collected."""
    seen: list[str] = []
    hook = sys.unraisablehook
    sys.unraisablehook = lambda args: seen.append(str(args.exc_value))
    try:
        make()
        gc.collect()
    finally:
        sys.unraisablehook = hook
    return seen


def test_an_unclosed_event_loop_and_its_unix_self_pipe_are_let_through() -> None:
    assert _collected(lambda: asyncio.new_event_loop()) == []
    assert _collected(lambda: socket.socketpair()) == []


def test_any_other_resource_left_open_is_still_an_error() -> None:
    leaks = _collected(lambda: tempfile.TemporaryFile().__enter__())  # noqa: SIM115
    tcp = _collected(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
    assert any("unclosed file" in m for m in leaks), leaks
    assert any("unclosed <socket.socket" in m for m in tcp), tcp


@pytest.mark.parametrize("family", [socket.AF_INET6])
def test_only_unix_sockets_are_let_through(family: socket.AddressFamily) -> None:
    assert _collected(lambda: socket.socket(family, socket.SOCK_STREAM)) != []
