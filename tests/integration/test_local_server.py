"""Local PowerJob servers: start, readiness, apps, failed starts, persistent restarts, CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from pulumi_powerjob.local import LocalServer, LocalServerError, fetch_jar, free_ports, jar_path
from pulumi_powerjob.local import server as server_module
from pulumi_powerjob.local.cli import process_alive
from pulumi_powerjob.local.server import START_DEADLINE_S

pytestmark = pytest.mark.integration


def post(address: str, path: str, **kwargs: object) -> object:
    """POST and return ``data`` of a successful envelope."""
    body = httpx.post(f"{address}{path}", timeout=30.0, **kwargs).json()  # type: ignore[arg-type]
    assert body["success"] is True, body
    return body["data"]


def save_api_job(address: str, app_id: int, name: str) -> int:
    job = {
        "appId": app_id,
        "jobName": name,
        "timeExpressionType": "API",
        "executeType": "STANDALONE",
        "processorType": "BUILT_IN",
        "processorInfo": "demo.Processor",
    }
    job_id = post(address, "/openApi/saveJob", json=job)
    assert isinstance(job_id, int)
    return job_id


def test_session_server_is_ready_and_is_4_3_9(powerjob_server):
    hello = httpx.get(f"{powerjob_server.address}/server/hello", timeout=10.0).json()

    assert hello["success"] is True
    assert hello["data"]["serverInfo"]["version"] == "4.3.9"
    assert powerjob_server.address == f"http://127.0.0.1:{powerjob_server.http_port}"


def test_created_app_is_found_by_assert(powerjob_server, powerjob_app):
    form = {"appName": powerjob_app.app_name, "password": powerjob_app.password}

    assert post(powerjob_server.address, "/openApi/assert", data=form) == powerjob_app.app_id
    assert powerjob_app.app_name.startswith("t-")
    assert powerjob_app.password not in repr(powerjob_app)


def test_create_app_twice_is_an_error(powerjob_server):
    name = f"dup-{uuid.uuid4().hex[:8]}"
    powerjob_server.create_app(name, "pw")

    with pytest.raises(LocalServerError, match="/appInfo/save"):
        powerjob_server.create_app(name, "pw")


def test_bogus_jar_fails_with_the_log_tail(tmp_path):
    bogus = tmp_path / "bogus.jar"
    bogus.write_bytes(b"this is not a jar")
    server = LocalServer(data_dir=tmp_path / "work", jar=bogus)

    with pytest.raises(LocalServerError, match="exited with code") as failure:
        server.start()

    assert "Invalid or corrupt jarfile" in str(failure.value)
    assert not server.running


def test_port_already_bound_fails_with_the_log_tail(tmp_path):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))  # bound, not listening: refuses others' bind()
        server = LocalServer(data_dir=tmp_path, port=squatter.getsockname()[1])

        with pytest.raises(LocalServerError, match="already in use") as failure:
            server.start()  # the port was given: nothing else to try

    assert "Port" in str(failure.value) or "BindException" in str(failure.value)
    assert not server.running


@pytest.mark.parametrize("index", [0, 1], ids=["web port", "transport port"])
def test_a_taken_port_fails_at_once_and_chosen_ports_are_chosen_again(tmp_path, monkeypatch, index):
    """Another process may bind a free port before the JVM does. A JVM whose web port is taken
    exits; one whose transport port (oms.http.port) is taken lives on without ever answering.
    Either way the start sees it in the log at once, and picks other ports."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))  # bound, not listening: refuses others' bind()
        taken = squatter.getsockname()[1]
        picks: list[list[int]] = []

        def first_one_taken(count: int) -> list[int]:
            ports = free_ports(count)
            if not picks:
                ports[index] = taken
            picks.append(ports)
            return ports

        monkeypatch.setattr(server_module, "free_ports", first_one_taken)
        server = LocalServer(data_dir=tmp_path)
        try:
            server.start()  # the guard stays 600 s: only the log line can end the first try
            assert server.running
            assert len(picks) == 2 and taken not in (server.http_port, server.oms_port)
        finally:
            server.close()
    log = server.log_path.read_text()
    assert log.count("starting PowerJob 4.3.9") == 2
    assert ("java.net.BindException" if index else "was already in use") in log


def test_missed_deadline_kills_the_jvm(tmp_path):
    server = LocalServer(data_dir=tmp_path)

    with pytest.raises(LocalServerError, match="not ready within 0 s"):
        server.start(deadline_s=0)

    assert not server.running
    assert "starting PowerJob 4.3.9" in server.log_path.read_text()


def test_persistent_server_keeps_a_job_across_restart(tmp_path):
    with LocalServer(data_dir=tmp_path, persistent=True) as server:
        address = server.address
        app_id = server.create_app("persisted", "pw")
        job_id = save_api_job(address, app_id, "survivor")

        server.restart()

        assert server.address == address
        job = post(address, "/openApi/fetchJob", data={"jobId": job_id, "appId": app_id})
        assert isinstance(job, dict)
        assert job["jobName"] == "survivor"
        server.kill()
        assert not server.running
    assert (tmp_path / "db.mv.db").is_file()  # data_dir is the caller's: kept


def test_context_manager_removes_its_own_work_dir():
    with LocalServer() as server:
        work_dir = server.work_dir
        assert server.log_path.is_file()

    assert not work_dir.exists()


def test_fetch_jar_finds_the_jar_in_the_local_repository():
    assert fetch_jar("4.3.9") == jar_path("4.3.9")
    assert fetch_jar().name == "powerjob-server-starter-4.3.9-exec.jar"


def test_maven_repo_local_is_respected(tmp_path, monkeypatch):
    monkeypatch.setenv("MAVEN_REPO_LOCAL", str(tmp_path))
    jar = tmp_path / "tech/powerjob/powerjob-server-starter/4.3.6"
    jar.mkdir(parents=True)
    (jar / "powerjob-server-starter-4.3.6-exec.jar").write_bytes(b"placeholder")

    assert fetch_jar("4.3.6") == jar / "powerjob-server-starter-4.3.6-exec.jar"


def test_unsupported_version_is_refused():
    with pytest.raises(LocalServerError, match="unsupported"):
        LocalServer("5.1.1")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_powerjob.local", *args],
        capture_output=True,  # would hang if the detached JVM kept our pipes
        text=True,
        timeout=3 * START_DEADLINE_S,  # a guard: `start` waits for readiness itself
        check=False,
        env={**os.environ, "POWERJOB_PASSWORD": "cli-pw"},
    )


def test_cli_starts_a_detached_server_and_stops_it(tmp_path):
    state_file = tmp_path / "state.json"

    started = run_cli("start", "--app", "cli-app", "--state-file", str(state_file))

    assert started.returncode == 0, started.stderr
    state = json.loads(state_file.read_text())
    try:
        assert started.stdout.strip() == state["address"]
        assert state["app_name"] == "cli-app"
        assert Path(state["log_path"]).is_file()
        form = {"appName": "cli-app", "password": "cli-pw"}
        assert post(state["address"], "/openApi/assert", data=form) == state["app_id"]
    finally:
        stopped = run_cli("stop", "--state-file", str(state_file))
    assert stopped.returncode == 0, stopped.stderr
    assert not process_alive(state["pid"])
    assert not state_file.exists()
    assert not Path(state["work_dir"]).exists()
