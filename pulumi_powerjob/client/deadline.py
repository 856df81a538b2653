"""The time one engine operation may take in all: a resource's ``customTimeouts``.

The plugin face gets each create, update and delete with the engine's timeout for it and runs
the operation inside ``bounded(seconds)``. Below it, each request waits for its answer no
longer than what is left (``read_timeout`` otherwise), and the settlement of a lost answer
(``reconcile.settle``) stops when the time is up instead of after ``reconcile_timeout``. A
mutation is not sent once the time is up: nothing is left half-sent. Unbounded (no
``customTimeouts``, or the dynamic providers, which the engine gives no timeout) changes
nothing. A context variable, so that concurrent operations each keep their own.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SHORTEST_WAIT_S = 1.0
"""A read sent after the time is up still gets this long: it can only end the settlement
sooner, never start a mutation."""

_until: ContextVar[tuple[float, float] | None] = ContextVar("powerjob_deadline", default=None)


@contextmanager
def bounded(seconds: float | None) -> Iterator[None]:
    """Run the body with at most ``seconds`` for everything it waits on (none: unbounded)."""
    if not seconds or seconds <= 0:
        yield
        return
    token = _until.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _until.reset(token)


def given() -> float | None:
    """The operation's whole timeout in seconds, when it has one."""
    bound = _until.get()
    return None if bound is None else bound[1]


def remaining() -> float | None:
    """Seconds left for the operation (may be negative), or ``None`` when unbounded."""
    bound = _until.get()
    return None if bound is None else bound[0] - time.monotonic()


def capped(seconds: float) -> float:
    """``seconds``, or less when the operation has less left (never under the shortest wait)."""
    left = remaining()
    return seconds if left is None else max(SHORTEST_WAIT_S, min(seconds, left))
