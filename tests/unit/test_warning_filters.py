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
import warnings
from typing import Any

import pytest


def _collected(make: Any) -> list[str]:
    """The unraisable messages left when what ``make`` returns is collected."""
    seen: list[str] = []
    gc.collect()  # garbage that earlier tests left is not this check's to judge
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


def test_the_sdk_inline_program_left_suspended_by_a_killed_engine_is_let_through() -> None:
    warnings.warn(
        pytest.PytestUnraisableExceptionWarning(
            "Exception ignored in: <coroutine object run_in_stack at 0x7f12a4419f20>\n\n"
            "RuntimeError: no running event loop"
        ),
        stacklevel=1,
    )


def test_any_other_coroutine_left_behind_is_still_an_error() -> None:
    with pytest.raises(pytest.PytestUnraisableExceptionWarning):
        warnings.warn(
            pytest.PytestUnraisableExceptionWarning(
                "Exception ignored in: <coroutine object our_own_code at 0x7f12a4419f20>"
            ),
            stacklevel=1,
        )
