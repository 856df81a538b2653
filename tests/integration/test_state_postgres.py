"""Pulumi state shared by a team: the CLI's PostgreSQL backend (``PULUMI_BACKEND_URL=postgres://``)
on a cluster our own code starts (``LocalPostgres``, once for the module), against the session's
PowerJob 4.3.9 behind a recording proxy, through the `pulumi` CLI on a project directory.

- the lifecycle with the state in PostgreSQL, each step counted at the proxy;
- two `pulumi up` of one stack at once, from two working copies: the second fails on the first's
  lock (the first is held at its first `saveJob` until then), and the server sees one set of
  mutations;
- the engine SIGKILLed mid-`up`: its lock stays; the next `up` fails on it, sending nothing;
  what a CI retry runs (README) removes it and converges, one job per declaration.

The database password never shows in any command's output (both URL forms are used).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob.client import PowerJobClient
from tests.support import Fault, PowerJobApp, Record, RecordingProxy, wait_until
from tests.support.engine_death import KILL, REAL, Cell, Stop
from tests.support.shared_state import StateDatabase, shared_project, working_copy
from tests.support.user_path import Steps

pytestmark = [pytest.mark.integration, pytest.mark.engine]
SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"
LOCKED = "the stack is currently locked by 1 lock(s)"
GUARD_S = 600.0
"""A guard only: how long a held answer or a waited-for event may take on a loaded machine."""


@pytest.fixture(scope="module")
def state_db() -> Iterator[StateDatabase]:
    """The database as users start it: `powerjob-local state-db`, which prints the URL."""
    root = Path(tempfile.mkdtemp(prefix="powerjob-state-db-"))  # the cluster's user enters it
    command = [sys.executable, "-m", "pulumi_powerjob.local", "state-db", "--data-dir", str(root)]
    try:
        started = subprocess.run(command, capture_output=True, text=True, check=False)
        assert started.returncode == 0, started.stderr
        [url] = started.stdout.splitlines()
        yield StateDatabase.at(url, root)
    finally:
        subprocess.run([*command, "--stop"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def decl(jobs: int) -> dict[str, Any]:
    return {"kind": "Job", "prefix": f"st-{uuid.uuid4().hex[:6]}", "jobs": jobs, "concurrency": 5}


def live_jobs(app: PowerJobApp, prefix: str) -> Counter[str]:
    """The live jobs of ``app`` named ``<prefix>-...``, by name."""
    with PowerJobClient(app.settings()) as client:
        jobs = client.fetch_all_job()
    return Counter(
        j.job_name or "" for j in jobs if not j.deleted and (j.job_name or "").startswith(prefix)
    )


def assert_no_password(state_db: StateDatabase, *logs: list[str]) -> None:
    shown = "\n".join(line for log in logs for line in log)
    assert state_db.password not in shown, "the state database's password was printed"


def test_the_lifecycle_keeps_its_state_in_postgresql(
    tmp_path: Path,
    pulumi_bin: Path,
    state_db: StateDatabase,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
) -> None:
    d = decl(4)
    cli = shared_project(
        tmp_path, pulumi_bin, state_db.passfile_url, powerjob_app, recording_proxy, d
    )
    assert state_db.password not in state_db.passfile_url
    steps = Steps(recording_proxy)

    steps.preview(cli, "preview (new stack)")
    steps.run("up", cli.up, {SAVE: 4})
    assert state_db.checkpoint(cli.stack), "the checkpoint is a row in PostgreSQL"
    assert not list((tmp_path / "home" / "state").rglob("*.json")), "and not a file"
    assert state_db.locks(cli.stack) == [], "the lock went with the engine that held it"
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    steps.run("destroy", cli.destroy, {DELETE: 4})
    print("\n" + steps.table())

    assert live_jobs(powerjob_app, d["prefix"]) == Counter()
    cli.remove()
    assert state_db.checkpoint(cli.stack) == []
    assert_no_password(state_db, cli.log)


def test_two_ups_of_one_stack_at_once_the_second_fails_on_the_lock(
    tmp_path: Path,
    pulumi_bin: Path,
    state_db: StateDatabase,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
) -> None:
    d = decl(3)
    url = state_db.password_url.get_secret_value()
    # readTimeout well above the hold below: the held answer must not time out
    first = shared_project(
        tmp_path / "a", pulumi_bin, url, powerjob_app, recording_proxy, d,
        **{"powerjob:readTimeout": "600"},
    )  # fmt: skip
    second = working_copy(first, tmp_path / "b")

    held, release = threading.Event(), threading.Event()

    def hold_first_save(record: Record) -> Fault | None:
        if record.path == SAVE and not held.is_set():
            held.set()
            release.wait(GUARD_S)  # the server ran it; its answer waits for the second up
        return None

    recording_proxy.reset()
    recording_proxy.on_forwarded = hold_first_save
    outcome: dict[str, bool] = {}
    racer = threading.Thread(target=lambda: outcome.update(ok=first.attempt("up", "--yes")))
    racer.start()
    try:
        wait_until(held.is_set, timeout_s=GUARD_S, what="the first up's first saveJob")
        lost = not second.attempt("up", "--yes")
    finally:
        release.set()
        racer.join(GUARD_S)
        recording_proxy.on_forwarded = None
    loser = second.log[-1]
    print(f"\nthe second up said:\n{loser}")

    assert lost and second.returncode != 0
    assert LOCKED in loser and "pulumi cancel" in loser, loser
    starred = f"postgres://****:****@127.0.0.1:{state_db.cluster.port}/pulumi/.pulumi/locks/"
    assert starred in loser, "the lock is named, user and password starred"
    assert outcome == {"ok": True}, "\n".join(first.log)
    assert recording_proxy.mutations() == {SAVE: 3}, "one set of mutations"
    assert live_jobs(powerjob_app, d["prefix"]) == Counter(
        {f"{d['prefix']}-{i}": 1 for i in range(3)}
    )
    assert state_db.locks(first.stack) == []

    # The second working copy sees the first's deployment: nothing left to do.
    steps = Steps(recording_proxy)
    steps.preview(second, "second copy: preview --expect-no-changes", "--expect-no-changes")
    steps.run("second copy: up", second.up, {})
    steps.run("second copy: destroy", second.destroy, {DELETE: 3})
    print(steps.table())
    assert_no_password(state_db, first.log, second.log)


def test_the_engine_killed_mid_up_leaves_its_lock_and_a_ci_retry_converges(
    tmp_path: Path,
    pulumi_bin: Path,
    state_db: StateDatabase,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
) -> None:
    d = decl(6)
    url = state_db.password_url.get_secret_value()
    cli = shared_project(
        tmp_path, pulumi_bin, url, powerjob_app, recording_proxy, d,
        **{"powerjob:readTimeout": "3", "powerjob:reconcileTimeout": "60"},
    )  # fmt: skip
    # SIGKILL of the CLI and every process under it, right after the server ran the 4th
    # saveJob, whose answer is lost (the engine-death table's cut)
    stop = Stop(Cell(REAL, "Job", "create", SAVE, KILL, k=4), recording_proxy)
    recording_proxy.reset()
    stop.arm()
    try:
        assert not cli.attempt("up", "--yes")
    finally:
        recording_proxy.on_forwarded = None
    assert stop.fired.is_set(), "the engine was killed mid-up"
    # a saveJob the dead provider had sent may still be on its way to the server: count it too
    wait_until(lambda: recording_proxy.in_flight == 0, timeout_s=GUARD_S, what="quiet proxy")
    saved_before = recording_proxy.mutations()[SAVE]
    assert len(state_db.locks(cli.stack)) == 1, "the dead engine's lock stays in the table"

    # The next `up` alone fails on that lock, before running anything.
    recording_proxy.reset()
    assert not cli.attempt("up", "--yes")
    assert LOCKED in cli.log[-1], cli.log[-1]
    assert recording_proxy.records == [], "nothing reached the server"

    # What a CI retry runs (README): recover (nothing to repair here), cancel, up.
    recover = [sys.executable, "-m", "pulumi_powerjob", "recover"]
    done = subprocess.run(recover, env=dict(cli.env), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "not a file backend; nothing to repair" in done.stdout
    cli.run("cancel", "--yes")
    assert state_db.locks(cli.stack) == [], "`pulumi cancel` removed the lock row"
    cli.up()
    saved_after = recording_proxy.mutations()[SAVE]
    recording_proxy.reset()
    cli.preview("--expect-no-changes")
    assert recording_proxy.records == []

    declared = Counter({f"{d['prefix']}-{i}": 1 for i in range(6)})
    assert live_jobs(powerjob_app, d["prefix"]) == declared, "one job per declaration"
    assert saved_before + saved_after == 6, "each job saved once, the cut one included"
    cli.destroy()
    assert live_jobs(powerjob_app, d["prefix"]) == Counter()
    assert_no_password(state_db, cli.log, [done.stdout, done.stderr])
