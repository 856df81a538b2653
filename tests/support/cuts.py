"""A ``JobSet`` operation cut off at its K-th mutation, armed at the recording proxy: the
answer dropped after the server ran it, a 502 instead of it, the server SIGKILLed right after
running it (and started again), or the engine SIGKILLed with everything under it.

Shared by the fault tables of both faces (``test_job_set_faults.py``: the dynamic provider;
``test_plugin_job_set_partial.py``: the plugin, with the state right after the cut).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.server import START_DEADLINE_S
from tests.support import Fault, Record, RecordingProxy
from tests.support.processes import kill_engine

SETTLE_GUARD_S = START_DEADLINE_S + 60
"""``reconcileTimeout`` for a test that kills the server: a guard above its restart, so that the
provider's reads of a lost answer wait for the server to come back however slow the machine is.
Seen under load: a restart took longer than the settle's 120 s (the providers dropped this key
from the stack config until dacb96d, so the default applied), the outcome of the cut save stayed
unknown, and the state kept that job as it was before."""


@contextmanager
def persistent_server(data_dir: Path) -> Iterator[LocalServer]:
    """4.3.9 on an H2 file database, so that a killed server comes back with its data."""
    server = LocalServer("4.3.9", data_dir=data_dir, persistent=True)
    try:
        server.start()
        yield server
    finally:
        server.close()


class Cut:
    """Arms one cut on the ``k``-th mutation of ``path`` at ``proxy``."""

    def __init__(
        self, kind: str, path: str, proxy: RecordingProxy, server: LocalServer, k: int
    ) -> None:
        self.kind, self.path, self.proxy, self.server, self.k = kind, path, proxy, server, k
        self.fired = threading.Event()
        self.restarted = threading.Event()
        self._lock = threading.Lock()

    def arm(self) -> None:
        if self.kind == "502":
            self.proxy.inject(self.path, Fault.BAD_GATEWAY_BEFORE_FORWARD, after=self.k - 1)
            self.fired.set()
        else:
            self.proxy.on_forwarded = self._on_forwarded

    def _on_forwarded(self, record: Record) -> Fault | None:
        with self._lock:
            if record.path != self.path or self.fired.is_set():
                return None
            if sum(1 for r in self.proxy.records if r.path == self.path) < self.k:
                return None
            self.fired.set()
            if self.kind == "answer dropped":
                return Fault.DROP_RESPONSE_AFTER_EXECUTE
            if self.kind == "engine killed":
                kill_engine()
                return Fault.DROP_RESPONSE_AFTER_EXECUTE
            self.server.kill()
        threading.Thread(target=self._restart, daemon=True).start()
        return Fault.RESET

    def _restart(self) -> None:
        try:
            self.server.start()
        finally:
            self.restarted.set()

    def after_failure(self, error: str, cancel: Callable[[], object]) -> None:
        """What a user does next: wait for the server; after a crash of the engine, remove
        the stack lock it left (``cancel``: `pulumi cancel`, as the next command's error
        says)."""
        if self.kind == "server killed":
            assert self.restarted.wait(timeout=SETTLE_GUARD_S), "the server came back"
        if self.kind == "engine killed" and "currently locked" in error:
            cancel()
