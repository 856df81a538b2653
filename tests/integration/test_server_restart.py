"""The server killed (SIGKILL) and restarted in the middle of an `up`, through the real engine.

A 4.3.9 server on an H2 file database (data survives the restart) behind the recording proxy.
The proxy kills the JVM right after the server executed the K-th saveJob, so that answer is
lost, the saves in flight lose theirs, and the saves sent while it is down meet a dead
upstream; a thread starts the server again on the same ports. The provider asks for the
outcome of each lost save until the server answers again (``reconcileTimeout``), so nothing is
sent twice. Counted on the server afterwards: one job per declared job, one workflow, and the
number of `up`s it took to converge.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_powerjob import Job, JobArgs, Workflow, WorkflowArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.server import START_DEADLINE_S
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.models import JobInfoQuery
from tests.support import Fault, PowerJobApp, Record, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [
    pytest.mark.integration,
    pytest.mark.engine,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
JOBS = 12
KILL_AT_SAVE = 4
MAX_UPS = 4
SAVE = "/openApi/saveJob"
RESULTS = Path(__file__).parents[1] / "results" / "server-restart.md"


@pytest.fixture(scope="module")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    server = LocalServer("4.3.9", data_dir=tmp_path_factory.mktemp("h2"), persistent=True)
    try:
        server.start()
        yield server
    finally:
        server.close()


def test_a_server_killed_mid_up_loses_and_duplicates_nothing(
    tmp_path: Path, pulumi_bin: Path, file_server: LocalServer
) -> None:
    name, password = f"t-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app = PowerJobApp(file_server.address, name, password, file_server.create_app(name, password))
    prefix = f"restart-{uuid.uuid4().hex[:6]}"
    names = [f"{prefix}-{i:02d}" for i in range(JOBS)]
    wf_name = f"{prefix}-wf"

    def program() -> None:
        jobs = [
            Job(
                job_name,
                JobArgs(
                    job_name=job_name,
                    processor_info="demo.Processor",
                    time_expression_type="WORKFLOW",
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

    restarted = threading.Event()
    restart_errors: list[BaseException] = []

    def restart() -> None:
        try:
            file_server.start()
        except BaseException as exc:  # reported by the test thread
            restart_errors.append(exc)
        finally:
            restarted.set()

    killed: list[Record] = []
    kill_lock = threading.Lock()

    def kill_after_kth_save(record: Record) -> Fault | None:
        with kill_lock:
            if record.path != SAVE or killed:
                return None
            saves = sum(1 for r in proxy.records if r.path == SAVE)
            if saves < KILL_AT_SAVE:
                return None
            killed.append(record)
            file_server.kill()
        threading.Thread(target=restart, name="restart-powerjob", daemon=True).start()
        return Fault.RESET  # the server executed this save, then died: its answer is lost

    with RecordingProxy(file_server.address) as proxy:
        proxy.on_forwarded = kill_after_kth_save
        stack = inline_stack(
            tmp_path,
            pulumi_bin,
            program,
            {
                "powerjob:address": proxy.address,
                "powerjob:appName": app.app_name,
                "powerjob:readTimeout": "3",
                "powerjob:reconcileTimeout": "180",
            },
            {"powerjob:password": app.password},
        )
        ups = 0
        outcomes: list[str] = []
        while ups < MAX_UPS:
            ups += 1
            try:
                stack.up()
                outcomes.append("ok")
            except auto.CommandError:
                outcomes.append("failed")
                restarted.wait(timeout=START_DEADLINE_S + 60)
                continue
            stack.preview(expect_no_changes=True)
            break
        answered = Counter(r.path for r in proxy.records if r.path == SAVE)[SAVE]
        unanswered = sum(1 for r in proxy.unanswered if r.path == SAVE)
        try:
            _check(app, names, wf_name, answered, unanswered, ups, outcomes, bool(killed))
        finally:
            stack.destroy()
            stack.workspace.remove_stack(stack.name)
    assert restarted.is_set() and not restart_errors, restart_errors


def _check(
    app: PowerJobApp,
    names: list[str],
    wf_name: str,
    answered: int,
    unanswered: int,
    ups: int,
    outcomes: list[str],
    killed: bool,
) -> None:
    prefix = names[0].rsplit("-", 1)[0]

    assert killed, "the server was killed in the middle of the up"
    with PowerJobClient(app.settings()) as client:
        live = client.query_job(JobInfoQuery(job_name_like=f"{prefix}%", status_in=[1, 2]))
        with ConsoleClient(app.settings()) as console:
            workflows = console.list_workflows(client.app_id, name=wf_name)
    per_name = Counter(job.job_name for job in live)
    duplicates = sum(n - 1 for n in per_name.values()) + max(0, len(workflows) - 1)
    lost = sum(1 for n in names if per_name[n] == 0) + int(not workflows)

    rows = [
        ["jobs declared", str(JOBS)],
        ["saveJob answered by the server", str(answered)],
        ["saveJob forwarded, no answer (server dead)", str(unanswered)],
        ["jobs on the server", str(len(live))],
        ["workflows on the server", str(len(workflows))],
        ["duplicates", str(duplicates)],
        ["lost", str(lost)],
        ["ups to converge", f"{ups} ({', '.join(outcomes)})"],
    ]
    table = render_table([f"server killed after saveJob #{KILL_AT_SAVE}", "count"], rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("# Server killed and restarted mid-up (4.3.9, H2 file)\n\n" + table + "\n")
    print("\n" + table)

    assert ups < MAX_UPS, "the stack converges"
    assert ups <= 2, "one more up after the failed one is enough"
    assert duplicates == 0
    assert lost == 0
    assert len(live) == JOBS
    assert answered <= JOBS, "no save reached the server twice"
