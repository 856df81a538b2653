"""The server killed (SIGKILL) and restarted in the middle of an `up`, on any database.

The recording proxy kills the JVM right after the server executed the K-th saveJob, so that
answer is lost, the saves in flight lose theirs, and the saves sent while it is down meet a
dead upstream; a thread starts the server again on the same ports and the same database. The
provider asks for the outcome of each lost save until the server answers again
(``reconcileTimeout``), so nothing is sent twice. Counted on the server afterwards: one job
per declared job, one workflow, and the number of `up`s it took to converge. Used by
tests/integration/test_server_restart.py (H2 file) and test_database_postgres.py.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pulumi import automation as auto

from pulumi_powerjob import Job, JobArgs, Workflow, WorkflowArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import PreviewingStack
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.models import JobInfoQuery
from tests.support import Fault, PowerJobApp, Record, RecordingProxy
from tests.support.cuts import SETTLE_GUARD_S
from tests.support.engine import inline_stack

JOBS = 12
KILL_AT_SAVE = 4
MAX_UPS = 4
SAVE = "/openApi/saveJob"
RESULTS = Path(__file__).parents[1] / "results"


@dataclass
class _Restarter:
    """Kills the server after the K-th save the proxy forwarded, and starts it again."""

    server: LocalServer
    proxy: RecordingProxy | None = None

    def __post_init__(self) -> None:
        self.killed: list[Record] = []
        self.errors: list[BaseException] = []
        self.restarted = threading.Event()
        self._lock = threading.Lock()

    def _restart(self) -> None:
        try:
            self.server.start()
        except BaseException as exc:  # reported by the test thread
            self.errors.append(exc)
        finally:
            self.restarted.set()

    def __call__(self, record: Record) -> Fault | None:
        assert self.proxy is not None
        with self._lock:
            if record.path != SAVE or self.killed:
                return None
            if sum(1 for r in self.proxy.records if r.path == SAVE) < KILL_AT_SAVE:
                return None
            self.killed.append(record)
            self.server.kill()
        threading.Thread(target=self._restart, name="restart-powerjob", daemon=True).start()
        return Fault.RESET  # the server executed this save, then died: its answer is lost


def _program(names: list[str], wf_name: str) -> Callable[[], None]:
    """The declared jobs (each with params) and one workflow over the first."""

    def program() -> None:
        jobs = [
            Job(
                job_name,
                JobArgs(
                    job_name=job_name,
                    processor_info="demo.Processor",
                    time_expression_type="WORKFLOW",
                    job_params=f'{{"job": "{job_name}"}}',
                ),
            )
            for job_name in names
        ]
        Workflow(
            "wf",
            WorkflowArgs(
                wf_name=wf_name,
                nodes=[{"name": "first", "job_id": jobs[0].job_id}],
                time_expression_type="API",
            ),
        )

    return program


def _converge(stack: PreviewingStack, restarter: _Restarter) -> tuple[int, list[str]]:
    """`up` (each previews first) until one succeeds, waiting for the restart after a failure."""
    ups = 0
    outcomes: list[str] = []
    while ups < MAX_UPS:
        ups += 1
        try:
            stack.up()
            outcomes.append("ok")
        except auto.CommandError:
            outcomes.append("failed")
            restarter.restarted.wait(timeout=SETTLE_GUARD_S)
            continue
        stack.preview(expect_no_changes=True)
        break
    return ups, outcomes


def kill_mid_up(server: LocalServer, tmp_path: Path, pulumi_bin: Path, database: str) -> None:
    """Run the scenario on ``server`` (its data must survive a restart) and assert on it."""
    name, password = f"t-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app = PowerJobApp(server.address, name, password, server.create_app(name, password))
    prefix = f"restart-{uuid.uuid4().hex[:6]}"
    names = [f"{prefix}-{i:02d}" for i in range(JOBS)]
    wf_name = f"{prefix}-wf"
    restarter = _Restarter(server)
    with RecordingProxy(server.address) as proxy:
        restarter.proxy = proxy
        proxy.on_forwarded = restarter
        config = {
            "powerjob:address": proxy.address,
            "powerjob:appName": app.app_name,
            "powerjob:readTimeout": "3",
            "powerjob:reconcileTimeout": f"{SETTLE_GUARD_S:g}",
        }
        program = _program(names, wf_name)
        stack = inline_stack(
            tmp_path, pulumi_bin, program, config, {"powerjob:password": app.password}
        )
        ups, outcomes = _converge(stack, restarter)
        answered = sum(1 for r in proxy.records if r.path == SAVE)
        unanswered = sum(1 for r in proxy.unanswered if r.path == SAVE)
        try:
            assert restarter.killed, "the server was killed in the middle of the up"
            rows = _count(app, names, wf_name, answered, unanswered, ups, outcomes)
            _report(database, rows)
        finally:
            stack.destroy()
            stack.workspace.remove_stack(stack.name)
    assert restarter.restarted.is_set() and not restarter.errors, restarter.errors


def _count(
    app: PowerJobApp,
    names: list[str],
    wf_name: str,
    answered: int,
    unanswered: int,
    ups: int,
    outcomes: list[str],
) -> list[list[str]]:
    prefix = names[0].rsplit("-", 1)[0]
    with PowerJobClient(app.settings()) as client:
        live = client.query_job(JobInfoQuery(job_name_like=f"{prefix}%", status_in=[1, 2]))
        with ConsoleClient(app.settings()) as console:
            workflows = console.list_workflows(client.app_id, name=wf_name)
    per_name = Counter(job.job_name for job in live)
    duplicates = sum(n - 1 for n in per_name.values()) + max(0, len(workflows) - 1)
    lost = sum(1 for n in names if per_name[n] == 0) + int(not workflows)
    params_kept = sum(1 for job in live if job.job_params == f'{{"job": "{job.job_name}"}}')
    rows = [
        ["jobs declared", str(JOBS)],
        ["saveJob answered by the server", str(answered)],
        ["saveJob forwarded, no answer (server dead)", str(unanswered)],
        ["jobs on the server", str(len(live))],
        ["jobs whose params read back as written", str(params_kept)],
        ["workflows on the server", str(len(workflows))],
        ["duplicates", str(duplicates)],
        ["lost", str(lost)],
        ["ups to converge", f"{ups} ({', '.join(outcomes)})"],
    ]
    assert ups < MAX_UPS, "the stack converges"
    assert ups <= 2, "one more up after the failed one is enough"
    assert duplicates == 0
    assert lost == 0
    assert len(live) == JOBS
    assert params_kept == JOBS
    assert answered <= JOBS, "no save reached the server twice"
    return rows


def _report(database: str, rows: list[list[str]]) -> None:
    table = render_table([f"server killed after saveJob #{KILL_AT_SAVE}", "count"], rows)
    path = RESULTS / f"server-restart-{database.split()[0].lower()}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"# Server killed and restarted mid-up (4.3.9, {database})\n\n{table}\n")
    print("\n" + table)
