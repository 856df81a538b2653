"""Two PowerJob servers on one PostgreSQL, each behind its own recording proxy, and the fault
that kills one in the middle of an `up` (tests/integration/test_cluster_postgres.py).

``cli_cluster`` starts them as a user does, ``powerjob-local start --db postgres --servers 2``
(detached processes, stopped by ``powerjob-local stop``); ``ClusterServer`` kills one by pid
and starts it again on its ports, work directory and database.

``KillOnSave`` watches every member's proxy. When the ``at``-th ``saveJob`` (counted across
the members) has been run by its server, that server is SIGKILLed, its proxy stops listening
(from then on its port refuses connections, as a dead server's does) and the answer is lost.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.cli import process_alive
from pulumi_powerjob.local.database import Datasource
from pulumi_powerjob.local.postgres import LocalPostgres
from pulumi_powerjob.local.proxy import Fault, Record, RecordingProxy
from pulumi_powerjob.local.server import START_DEADLINE_S
from tests.support import PowerJobApp
from tests.support.deadline import wait_until

SAVE = "/openApi/saveJob"
VERSION = "4.3.9"


class ClusterServer:
    """One server ``powerjob-local start`` left running: its ``entry`` in the state file."""

    def __init__(self, entry: dict[str, Any], datasource: Datasource) -> None:
        self.entry = entry
        self.address: str = entry["address"]
        self._datasource = datasource
        self._again: LocalServer | None = None

    @property
    def running(self) -> bool:
        if self._again is not None:
            return self._again.running
        return process_alive(int(self.entry["pid"]))

    def kill(self) -> None:
        """SIGKILL the JVM now and return once it is gone."""
        if self._again is not None:
            self._again.kill()
            return
        pid = int(self.entry["pid"])
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: not process_alive(pid), timeout_s=60, what=f"pid {pid} gone")

    def start(self) -> None:
        """Start the server again on the same ports, work directory and database."""
        server = LocalServer(
            VERSION,
            data_dir=Path(self.entry["work_dir"]),
            port=int(self.entry["http_port"]),
            database=self._datasource,
        )
        server.oms_port = int(self.entry["oms_port"])
        server.start(START_DEADLINE_S)
        self._again = server

    def stop(self) -> None:
        """Stop a server this object started again (``powerjob-local stop`` does the rest)."""
        if self._again is not None:
            self._again.stop()


def powerjob_local(*args: str, password: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_powerjob.local", *args],
        capture_output=True,  # would hang if a detached JVM kept our pipes
        text=True,
        timeout=3 * START_DEADLINE_S,  # a guard: the command waits for the servers itself
        check=False,
        env={**os.environ, "POWERJOB_PASSWORD": password},
    )


@dataclass
class StartedCluster:
    """What ``powerjob-local start --servers N`` printed and recorded."""

    printed: str
    state: dict[str, Any]
    servers: list[ClusterServer]
    app: PowerJobApp


@contextlib.contextmanager
def cli_cluster(state_file: Path, app_name: str, password: str) -> Iterator[StartedCluster]:
    """Two servers on their own PostgreSQL, started and stopped by ``powerjob-local``."""
    start = ("start", "--db", "postgres", "--servers", "2", "--app", app_name)
    # the default --deadline, as a user runs it: a guard sized for a loaded machine
    started = powerjob_local(*start, "--state-file", str(state_file), password=password)
    assert started.returncode == 0, started.stderr[-4000:]
    state = json.loads(state_file.read_text())
    database = LocalPostgres(Path(state["postgres_root"]), state["postgres_port"])
    servers = [ClusterServer(entry, database.datasource) for entry in state["servers"]]
    app = PowerJobApp(servers[0].address, app_name, password, state["app_id"])
    try:
        yield StartedCluster(started.stdout.strip(), state, servers, app)
    finally:
        for server in servers:
            server.stop()
        stopped = powerjob_local("stop", "--state-file", str(state_file))
    assert stopped.returncode == 0, stopped.stderr
    assert not any(process_alive(int(entry["pid"])) for entry in state["servers"])
    assert not database.root.exists() and not state_file.exists()


@dataclass
class Member:
    """One server of the cluster and the recording proxy in front of it."""

    name: str
    server: ClusterServer
    proxy: RecordingProxy


@dataclass
class KillOnSave:
    """Kills the server that ran the ``at``-th saveJob, loses its answer, closes its port."""

    members: Sequence[Member]
    at: int
    killed: list[tuple[Member, Record]] = field(default_factory=list)
    seen_before: dict[str, int] = field(default_factory=dict)
    """How many requests each member's proxy had recorded when the server was killed."""

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._saves = 0

    def arm(self) -> None:
        for member in self.members:
            member.proxy.on_forwarded = self._hook(member)

    def _hook(self, member: Member) -> Callable[[Record], Fault | None]:
        def on_forwarded(record: Record) -> Fault | None:
            with self._lock:
                if record.path != SAVE or self.killed:
                    return None
                self._saves += 1
                if self._saves < self.at:
                    return None
                self.killed.append((member, record))
                self.seen_before.update({m.name: len(m.proxy.records) for m in self.members})
                member.server.kill()
                member.proxy.close()  # the port refuses from now on; this answer is cut
            return Fault.DROP_RESPONSE_AFTER_EXECUTE

        return on_forwarded

    @property
    def victim(self) -> Member:
        assert self.killed, "a server was killed in the middle of the up"
        return self.killed[0][0]

    def first_after(self, member: Member) -> Record:
        """The first request ``member``'s server took after the kill (with one save in
        flight, the read that settles the lost save)."""
        later = member.proxy.records[self.seen_before[member.name] :]
        assert later, f"server {member.name} took requests after the kill"
        return later[0]


def saved_names(proxy: RecordingProxy) -> list[str]:
    """The ``jobName`` of every saveJob that reached the server behind ``proxy``."""
    return [json.loads(r.body)["jobName"] for r in proxy.records if r.path == SAVE]


def saves_per_name(members: Sequence[Member]) -> Counter[str]:
    """How many saveJob of each job name reached any server."""
    return Counter(name for m in members for name in saved_names(m.proxy))


def mutations(members: Sequence[Member]) -> Counter[str]:
    """Mutating paths that reached any server, summed over the members."""
    total: Counter[str] = Counter()
    for member in members:
        total.update(member.proxy.mutations())
    return total


def requests(members: Sequence[Member]) -> int:
    return sum(len(m.proxy.records) for m in members)


def reset(members: Sequence[Member]) -> None:
    for member in members:
        member.proxy.reset()
