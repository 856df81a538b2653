"""The engine stopped in the middle of `up` or `destroy`, as a CI runner is: SIGKILL of the
whole `pulumi` process tree (cancelled by a newer push, out of time, lost), or SIGINT and then
SIGTERM, which runners send first. The cut comes right after the server ran the K-th call of
one kind, whose answer is then lost. Then what a CI retry runs: `recover`, `pulumi cancel`
(the dead engine's lock) and plain `pulumi up` (or `destroy`), until the stack converges, then
`pulumi preview --expect-no-changes`.

Counted at the recording proxy: every mutation that reached the server; and on the server:
objects declared twice (duplicates) or missing (lost). Through the CLI on a project directory,
as users run it. The cells live in two modules, one per server line (`test_engine_death.py`,
4.3.9; `test_engine_death_51.py`, the 5.1.1 emulation), so the two test workers share them.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from pulumi_powerjob import ApiError, PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.local.engine import PulumiCli
from tests.support import Fault, PowerJobApp, Record, RecordingProxy
from tests.support.death_program import PROGRAM
from tests.support.emulated import emulated_app
from tests.support.emulation51 import PowerJob51Emulation
from tests.support.processes import kill_engine, signal_engine
from tests.support.user_path import configure, user_project

REAL, EMULATED = "4.3.9", "5.1.1 emulation"
KILL, INT, INT_TERM = "SIGKILL", "SIGINT", "SIGINT, SIGTERM"
MAX_RUNS = 4
ADMIN = {"powerjob:adminUsername": "ADMIN", "powerjob:adminPassword": "powerjob_admin"}
HEADER = ["server", "resource", "operation", "cut after", "stop", "mutations",
          "duplicates", "lost", "runs to converge"]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Cell:
    server: str
    kind: str
    operation: str  # create, update (then `up`), delete (then `destroy`)
    call: str  # the path whose K-th call is cut
    stop: str
    k: int = 1

    @property
    def id(self) -> str:
        name = self.call.rpartition("/")[2]
        return f"{self.server.split()[0]}-{self.kind}-{self.operation}-{name}{self.k}-{self.stop}"


SAVE_JOB, DELETE_JOB = "/openApi/saveJob", "/openApi/deleteJob"
ADD_NODES, SAVE_WF, DELETE_WF = (
    "/openApi/addWorkflowNode",
    "/openApi/saveWorkflow",
    "/openApi/deleteWorkflow",
)
SAVE_APP, DELETE_APP = "/appInfo/save", "/appInfo/delete"


@dataclasses.dataclass
class Line:
    """A server line: its app, the proxy in front of it, and how to see what it holds."""

    label: str
    app: PowerJobApp
    proxy: RecordingProxy
    extra_config: dict[str, str]
    emulation: PowerJob51Emulation | None = None

    def live_jobs(self, prefix: str) -> Counter[str]:
        with PowerJobClient(self.app.settings()) as client:
            jobs = client.fetch_all_job()
        return Counter(
            j.job_name or "" for j in jobs if not j.deleted and _ours(j.job_name, prefix)
        )

    def live_workflows(self, prefix: str) -> Counter[str]:
        if self.emulation is not None:
            names = self.emulation.live_workflow_names()
        else:
            with ConsoleClient(self.app.settings()) as console:
                names = [w.wf_name or "" for w in console.list_workflows(self.app.app_id)]
        return Counter(n for n in names if _ours(n, prefix))

    def live_apps(self, prefix: str, password: str) -> Counter[str]:
        name = f"{prefix}-app"
        if self.emulation is not None:
            return Counter([name] if self.emulation.has_app(name) else [])
        with ConsoleClient(self.app.settings()) as console:
            try:
                console.assert_app(name, SecretStr(password))
            except ApiError:
                return Counter()
        return Counter([name])


def _ours(name: str | None, prefix: str) -> bool:
    return bool(name) and str(name).startswith(prefix + "-")


class Stop:
    """Stops the engine right after the server ran the ``k``-th ``call``; its answer is lost."""

    def __init__(self, cell: Cell, proxy: RecordingProxy) -> None:
        self.cell, self.proxy = cell, proxy
        self.fired = threading.Event()
        self._seen = 0
        self._lock = threading.Lock()

    def arm(self) -> None:
        self.proxy.on_forwarded = self._on_forwarded

    def _on_forwarded(self, record: Record) -> Fault | None:
        with self._lock:
            if record.path != self.cell.call or self.fired.is_set():
                return None
            self._seen += 1
            if self._seen < self.cell.k:
                return None
            self.fired.set()
        if self.cell.stop == KILL:
            kill_engine()
        elif self.cell.stop == INT:
            signal_engine(signal.SIGINT)
        else:
            signal_engine(signal.SIGINT, signal.SIGTERM)
        return Fault.DROP_RESPONSE_AFTER_EXECUTE


def run_cell(
    tmp_path: Path, pulumi_bin: Path, line: Line, cell: Cell, rows: list[list[str]]
) -> None:
    """One cell: declare, stop the engine at the cut, retry as CI does; its row goes to
    ``rows`` before the verdict, so a failing cell shows in the table too."""
    prefix = f"die-{uuid.uuid4().hex[:6]}"
    decl: dict[str, Any] = {
        "kind": cell.kind, "prefix": prefix, "jobs": 6, "concurrency": 5, "max": 1,
        "password": f"pw-{uuid.uuid4().hex[:10]}",
    }  # fmt: skip
    cli = user_project(tmp_path, pulumi_bin, PROGRAM, name="death")
    decl_file = cli.project / "decl.json"
    decl_file.write_text(json.dumps(decl))
    configure(
        cli,
        line.app,
        line.proxy,
        **{"powerjob:readTimeout": "3", "powerjob:reconcileTimeout": "60"},
        **line.extra_config,
    )
    if cell.operation != "create":
        cli.up()
    if cell.operation == "update":
        decl.update(concurrency=9, max=3, password=f"pw-{uuid.uuid4().hex[:10]}")
        decl_file.write_text(json.dumps(decl))

    line.proxy.reset()
    stop = Stop(cell, line.proxy)
    stop.arm()
    verb = "destroy" if cell.operation == "delete" else "up"
    try:
        runs, outcomes = retry_as_ci(cli, verb)
        line.proxy.on_forwarded = None
        mutations = line.proxy.mutations()
        if verb == "up":
            cli.preview("--expect-no-changes")
    finally:
        print("\n".join(cli.log))  # shown when the test fails

    if cell.kind == "Job":
        live = line.live_jobs(prefix)
    elif cell.kind == "App":
        live = line.live_apps(prefix, decl["password"])
    else:
        live = line.live_jobs(prefix) + line.live_workflows(prefix)
    names = declared(cell.kind, prefix, decl["jobs"])
    expected = 0 if cell.operation == "delete" else 1
    # a delete leaves nothing: whatever is still live is one object too many
    extra = [max(0, n - 1) for n in live.values()] if expected else list(live.values())
    duplicates = sum(extra)
    lost = sum(1 for name in names if live[name] < expected)
    shown = ", ".join(f"{p.rpartition('/')[2]} x{n}" for p, n in sorted(mutations.items()))
    rows.append([
        line.label, cell.kind, cell.operation, f"{cell.call.rpartition('/')[2]} #{cell.k}",
        cell.stop, shown, str(duplicates), str(lost), f"{runs} ({', '.join(outcomes)})",
    ])  # fmt: skip

    assert stop.fired.is_set(), "the engine was stopped mid-operation"
    assert runs < MAX_RUNS, "a CI retry converges"
    assert lost == 0, f"declared objects missing: {live}"
    assert duplicates == 0, f"objects on the server: {dict(live)}"
    if cell.kind == "Job" and cell.operation == "create":
        assert mutations[SAVE_JOB] == decl["jobs"], "each job saved once, the cut one included"


def retry_as_ci(cli: PulumiCli, verb: str) -> tuple[int, list[str]]:
    """Run ``verb`` as a CI job does after a cancelled or lost runner (README): `powerjob
    recover` (an empty state sidecar the kill left), `pulumi cancel` (the dead engine's lock;
    it fails harmlessly when there is none), then the command, again until it succeeds."""
    runs, outcomes = 0, []
    while runs < MAX_RUNS:
        runs += 1
        if runs > 1:
            recover = [sys.executable, "-m", "pulumi_powerjob", "recover"]
            done = subprocess.run(recover, env=dict(cli.env), capture_output=True, text=True)
            cli.log.append(f"$ {' '.join(recover[1:])}\n{done.stdout}{done.stderr}")
            assert done.returncode == 0, done.stderr
            cli.run("cancel", "--yes", check=False)
        ok = cli.attempt(verb, "--yes")
        outcomes.append("ok" if ok else "failed")
        if ok:
            break
    return runs, outcomes


def declared(kind: str, prefix: str, jobs: int) -> list[str]:
    if kind == "Job":
        return [f"{prefix}-{i}" for i in range(jobs)]
    if kind == "Workflow":
        return [f"{prefix}-first", f"{prefix}-then", f"{prefix}-flow"]
    if kind == "App":
        return [f"{prefix}-app"]
    return [f"{prefix}-extract", f"{prefix}-load", f"{prefix}-report", f"{prefix}-etl"]


@contextmanager
def server_line(request: pytest.FixtureRequest, cell: Cell) -> Iterator[Line]:
    """The server line a cell names (only that one is started)."""
    if cell.server == REAL:
        app: PowerJobApp = request.getfixturevalue("powerjob_app")
        proxy: RecordingProxy = request.getfixturevalue("recording_proxy")
        yield Line(REAL, app, proxy, {})
        return
    with emulated_app("death51") as (server, app, proxy):
        yield Line(EMULATED, app, proxy, ADMIN, server)
