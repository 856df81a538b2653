"""PowerJob 4.3.9 on PostgreSQL (Debian's package), started by our own code, through the engine.

One cluster and one server for the module (tests/support/databases.py): the job lifecycle
counted at the recording proxy, the text cases of the bad-input corpus, the text rules of each
database against ``check()``, and the server killed and restarted mid-`up` on the same database
(no H2 flag involved). Nothing here knows H2 but the rules table, which pins both databases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import ApiError
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.cli import process_alive
from pulumi_powerjob.local.postgres import LocalPostgres
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.providers.job import JobProvider
from tests.support import PowerJobApp, RecordingProxy
from tests.support.bad_inputs import BadInput
from tests.support.corpus_run import JOBS, corpus_provider, refused_offline_or_round_trips
from tests.support.databases import powerjob_on_postgres
from tests.support.lifecycle import lifecycle_on
from tests.support.restart import kill_mid_up

pytestmark = [pytest.mark.integration, pytest.mark.engine]
RESULTS = Path(__file__).parents[1] / "results"
TEXT_CASES = [c for c in JOBS.cases if c.name.startswith(("unicode-", "long-"))]


@pytest.fixture(scope="module")
def on_postgres() -> Iterator[tuple[LocalServer, LocalPostgres]]:
    with powerjob_on_postgres() as pair:
        yield pair


@pytest.fixture(scope="module")
def pg_server(on_postgres: tuple[LocalServer, LocalPostgres]) -> LocalServer:
    return on_postgres[0]


@pytest.fixture(scope="module")
def pg_app(pg_server: LocalServer) -> PowerJobApp:
    name, password = f"pg-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    return PowerJobApp(pg_server.address, name, password, pg_server.create_app(name, password))


@pytest.fixture(scope="module")
def pg_proxy(pg_server: LocalServer) -> Iterator[RecordingProxy]:
    with RecordingProxy(pg_server.address) as proxy:
        yield proxy


def test_the_jobs_are_rows_in_postgresql(
    on_postgres: tuple[LocalServer, LocalPostgres], pg_app: PowerJobApp
) -> None:
    _, database = on_postgres
    request = SaveJobInfoRequest.model_validate(
        {"jobName": "in-pg", "jobParams": '{"k": "v"}', "processorInfo": "demo.P"}
        | {"timeExpressionType": "API"}
    )
    with PowerJobClient(pg_app.settings()) as client:
        job_id = client.save_job(request)
        row = database.query(f"SELECT job_name, job_params FROM job_info WHERE id = {job_id}")
        client.delete_job(job_id)
    assert row == 'in-pg|{"k": "v"}'
    kind = database.query(
        "SELECT data_type FROM information_schema.columns "
        "WHERE table_name = 'job_info' AND column_name = 'job_params'"
    )
    assert kind == "text"


def test_job_lifecycle_on_postgresql_counts_one_mutation_per_change(
    tmp_path: Path, pulumi_bin: Path, pg_app: PowerJobApp, pg_proxy: RecordingProxy
) -> None:
    lifecycle_on(tmp_path, pulumi_bin, pg_app, pg_proxy)


@pytest.fixture(scope="module")
def pg_provider(pg_server: LocalServer, pg_proxy: RecordingProxy) -> JobProvider:
    return corpus_provider(pg_server, pg_proxy)


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda case: case.name)
def test_the_text_corpus_on_postgresql(
    pg_provider: JobProvider, pg_proxy: RecordingProxy, case: BadInput
) -> None:
    refused_offline_or_round_trips(pg_provider, pg_proxy, case)


EMOJI = "\U0001f600"
NAMES = {
    "127 emoji (254 UTF-16 units)": EMOJI * 127,
    "128 emoji (256 UTF-16 units)": EMOJI * 128,
    "255 emoji": EMOJI * 255,
    "256 emoji": EMOJI * 256,
    "255 ASCII": "n" * 255,
    "256 ASCII": "n" * 256,
    "a NUL inside": "a\x00b",
}
SERVER_ACCEPTS = {
    "h2": {"127 emoji (254 UTF-16 units)", "255 ASCII", "a NUL inside"},
    "postgres": {"127 emoji (254 UTF-16 units)", "128 emoji (256 UTF-16 units)", "255 emoji"}
    | {"255 ASCII"},
}
CHECK_ACCEPTS = {"127 emoji (254 UTF-16 units)", "255 ASCII"}


@pytest.mark.parametrize("database", ["h2", "postgres"])
def test_check_never_lets_through_a_name_the_database_refuses(
    request: pytest.FixtureRequest, database: str
) -> None:
    """The server's own verdict on each name (sent past check()), and check()'s verdict."""
    fixture = "powerjob_server" if database == "h2" else "pg_server"
    server: LocalServer = request.getfixturevalue(fixture)
    name, password = f"rules-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    app = PowerJobApp(server.address, name, password, server.create_app(name, password))
    server_accepts: set[str] = set()
    check_says: dict[str, dict[str, str]] = {}
    rows: list[list[str]] = []
    with PowerJobClient(app.settings()) as client:
        for label, job_name in NAMES.items():
            body = {"jobName": job_name, "processorInfo": "demo.P", "timeExpressionType": "API"}
            try:
                client.delete_job(client.save_job(SaveJobInfoRequest.model_validate(body)))
                server_accepts.add(label)
            except ApiError:
                pass
            declared = {"job_name": job_name, "processor_info": "demo.P"}
            failures = JobProvider().check({}, declared | {"time_expression_type": "API"}).failures
            check_says[label] = {f.property: f.reason for f in failures}
            verdict = "accepts" if label in server_accepts else "refuses"
            rows.append([label, verdict, check_says[label].get("job_name", "accepts")])
    table = render_table(["job_name", f"{database} server", "check()"], rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"text-rules-{database}.md").write_text(
        f"# job_name on 4.3.9 with {database}: the server and check()\n\n{table}\n"
    )
    print("\n" + table)

    assert server_accepts == SERVER_ACCEPTS[database]
    assert {label for label, reasons in check_says.items() if not reasons} == CHECK_ACCEPTS
    assert server_accepts >= CHECK_ACCEPTS, "check() never lets through what the server refuses"
    for label, reasons in check_says.items():
        if label not in CHECK_ACCEPTS:
            rule = "NUL" if "NUL" in label else "UTF-16 code units"
            assert list(reasons) == ["job_name"] and rule in reasons["job_name"], reasons


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_powerjob.local", *args],
        capture_output=True,  # would hang if the detached JVM kept our pipes
        text=True,
        timeout=1200,  # a guard: the command waits for the server itself (--deadline)
        check=False,
        env={**os.environ, "POWERJOB_PASSWORD": "cli-pw"},
    )


def test_powerjob_local_starts_and_stops_a_server_on_its_own_postgresql(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    start = ("start", "--db", "postgres", "--app", "cli-app", "--deadline", "600")
    started = _cli(*start, "--state-file", str(state_file))

    assert started.returncode == 0, started.stderr
    state = json.loads(state_file.read_text())
    database = LocalPostgres(Path(state["postgres_root"]), state["postgres_port"])
    postmaster = database.pid
    try:
        assert state["database"] == "postgres" and postmaster is not None
        app = PowerJobApp(state["address"], "cli-app", "cli-pw", state["app_id"])
        with PowerJobClient(app.settings()) as client:
            job_id = client.save_job(
                SaveJobInfoRequest.model_validate(
                    {"jobName": "cli-job", "processorInfo": "demo.P", "timeExpressionType": "API"}
                )
            )
        assert database.query(f"SELECT job_name FROM job_info WHERE id = {job_id}") == "cli-job"
    finally:
        stopped = _cli("stop", "--state-file", str(state_file))
    assert stopped.returncode == 0, stopped.stderr
    assert not process_alive(state["pid"])
    assert postmaster is not None and not process_alive(postmaster)
    assert not database.root.exists() and not state_file.exists()


def test_a_server_killed_mid_up_on_postgresql_loses_and_duplicates_nothing(
    tmp_path: Path, pulumi_bin: Path, pg_server: LocalServer
) -> None:
    kill_mid_up(pg_server, tmp_path, pulumi_bin, "PostgreSQL")
