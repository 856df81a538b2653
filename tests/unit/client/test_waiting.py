"""``wait_for_instance`` / ``wait_for_workflow_instance`` through a MockTransport, on a fake clock.

Waiting only reads; it ends at a final status or raises ``WaitTimeoutError`` at the deadline.
"""

from __future__ import annotations

import io
import uuid
from collections import Counter

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob import (
    ConnectionSettings,
    InstanceInfoDTO,
    InstanceStatus,
    PowerJobClient,
    PowerJobError,
    WaitTimeoutError,
    WorkflowInstanceInfoDTO,
    WorkflowInstanceStatus,
    terminal_progress,
    wait_for_instance,
    wait_for_workflow_instance,
)
from pulumi_powerjob.client.waiting import INSTANCE_FINAL, WORKFLOW_FINAL, is_final
from pulumi_powerjob.local.proxy import is_mutation

S = InstanceStatus
W = WorkflowInstanceStatus


class Clock:
    """Time that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Server:
    """Answers each read with the next status of ``statuses`` (the last one repeats)."""

    def __init__(self, statuses: list[int], result: str | None = None) -> None:
        self.statuses, self.result = statuses, result
        self.hits: Counter[str] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.hits[path] += 1
        if path.endswith("/assert"):
            return ok(7)
        if path.endswith("/authApp"):
            return httpx.Response(404, json={"status": 404})
        reads = self.hits[path]
        status = self.statuses[min(reads, len(self.statuses)) - 1]
        key = "wfInstanceId" if path.endswith("/fetchWfInstanceInfo") else "instanceId"
        return ok({key: 2**60 + 1, "status": status, "result": self.result})

    def reads(self) -> int:
        return sum(n for p, n in self.hits.items() if p.endswith(("InstanceInfo",)))

    def mutations(self) -> int:
        return sum(n for p, n in self.hits.items() if is_mutation(p))


def ok(data: object) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "data": data, "message": None})


def client(server: Server) -> PowerJobClient:
    settings = ConnectionSettings(
        addresses=("http://pj.test:7700",),
        app_name=f"a-{uuid.uuid4().hex}",
        password=SecretStr("pw"),
    )
    return PowerJobClient(settings, transport=httpx.MockTransport(server))


def test_it_reads_until_the_instance_succeeds_and_returns_that_answer() -> None:
    server, clock = Server([S.WAITING_DISPATCH, S.RUNNING, S.RUNNING, S.SUCCEED], "done"), Clock()
    seen: list[InstanceInfoDTO | WorkflowInstanceInfoDTO] = []
    with client(server) as c:
        info = wait_for_instance(
            c, 2**60 + 1, interval=2, progress=seen.append, clock=clock, sleep=clock.sleep
        )
    assert (info.status, info.result, info.instance_id) == (S.SUCCEED, "done", 2**60 + 1)
    assert [i.status for i in seen] == [S.WAITING_DISPATCH, S.RUNNING, S.RUNNING, S.SUCCEED]
    assert clock.sleeps == [2, 2, 2]
    assert server.reads() == 4 and server.mutations() == 0


@pytest.mark.parametrize("final", [S.FAILED, S.STOPPED, S.CANCELED])
def test_every_other_final_status_ends_the_wait_too(final: InstanceStatus) -> None:
    server, clock = Server([S.RUNNING, final]), Clock()
    with client(server) as c:
        info = wait_for_instance(c, 1, clock=clock, sleep=clock.sleep)
    assert info.status == final and server.reads() == 2


def test_the_deadline_raises_wait_timeout_with_the_last_status_and_sends_nothing() -> None:
    server, clock = Server([S.WAITING_WORKER_RECEIVE, S.RUNNING]), Clock()
    with client(server) as c, pytest.raises(WaitTimeoutError) as raised:
        wait_for_instance(c, 2**60 + 1, timeout=5, interval=2, clock=clock, sleep=clock.sleep)
    error = raised.value
    assert isinstance(error, PowerJobError) and isinstance(error, TimeoutError)
    assert (error.instance_id, error.last_status, error.timeout_s) == (2**60 + 1, S.RUNNING, 5)
    assert str(error) == (
        f"instance {2**60 + 1} not finished after 5 s (last status RUNNING); "
        "it keeps running on the server"
    )
    assert clock.sleeps == [2, 2, 1]  # the last sleep ends at the deadline, then one more read
    assert server.reads() == 4 and server.mutations() == 0


def test_a_zero_timeout_reads_once() -> None:
    server, clock = Server([S.RUNNING]), Clock()
    with client(server) as c, pytest.raises(WaitTimeoutError):
        wait_for_instance(c, 1, timeout=0, clock=clock, sleep=clock.sleep)
    assert server.reads() == 1 and clock.sleeps == []


def test_a_workflow_instance_is_read_from_its_own_endpoint_with_its_own_statuses() -> None:
    # 4 is SUCCEED for a workflow instance but FAILED for a job instance
    server, clock = Server([W.WAITING, W.RUNNING, W.SUCCEED]), Clock()
    with client(server) as c:
        info = wait_for_workflow_instance(c, 9, interval=1, clock=clock, sleep=clock.sleep)
    assert info.status is W.SUCCEED and info.wf_instance_id == 2**60 + 1
    assert server.hits["/openApi/fetchWfInstanceInfo"] == 3
    assert server.hits["/openApi/fetchInstanceInfo"] == 0


def test_a_workflow_timeout_names_the_workflow_instance() -> None:
    server, clock = Server([W.RUNNING]), Clock()
    with client(server) as c, pytest.raises(WaitTimeoutError, match="^workflow instance 9 "):
        wait_for_workflow_instance(c, 9, timeout=1, clock=clock, sleep=clock.sleep)


@pytest.mark.parametrize("status", list(InstanceStatus))
def test_instance_statuses_are_final_exactly_when_nothing_follows_them(
    status: InstanceStatus,
) -> None:
    info = InstanceInfoDTO(instance_id=1, status=status)
    running = {S.WAITING_DISPATCH, S.WAITING_WORKER_RECEIVE, S.RUNNING}
    assert is_final(info) == (status not in running)
    assert (status in INSTANCE_FINAL) == is_final(info)


@pytest.mark.parametrize("status", list(WorkflowInstanceStatus))
def test_workflow_statuses_are_final_exactly_when_nothing_follows_them(
    status: WorkflowInstanceStatus,
) -> None:
    info = WorkflowInstanceInfoDTO(wf_instance_id=1, status=status)
    assert is_final(info) == (status not in {W.WAITING, W.RUNNING})
    assert (status in WORKFLOW_FINAL) == is_final(info)


def test_bad_timing_arguments_are_refused_before_any_read() -> None:
    server = Server([S.RUNNING])
    with client(server) as c:
        for timeout, interval in ((-1.0, 1.0), (1.0, 0.0)):
            with pytest.raises(ValueError, match="interval"):
                wait_for_instance(c, 1, timeout=timeout, interval=interval)
    assert server.reads() == 0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def infos(*statuses: InstanceStatus) -> list[InstanceInfoDTO]:
    return [InstanceInfoDTO(instance_id=5, status=s) for s in statuses]


def test_progress_off_a_terminal_writes_a_plain_line_per_change_of_status() -> None:
    out, clock = io.StringIO(), Clock()
    report = terminal_progress(out, clock=clock)
    for info in infos(S.WAITING_DISPATCH, S.RUNNING, S.RUNNING, S.SUCCEED):
        report(info)
        clock.now += 3
    assert out.getvalue().splitlines() == [
        "instance 5: WAITING_DISPATCH (0 s)",
        "instance 5: RUNNING (3 s)",
        "instance 5: SUCCEED (9 s)",
    ]


def test_progress_on_a_terminal_rewrites_one_line_and_ends_it_when_final() -> None:
    out, clock = Terminal(), Clock()
    report = terminal_progress(out, clock=clock)
    for info in infos(S.RUNNING, S.RUNNING, S.STOPPED):
        report(info)
        clock.now += 1
    text = out.getvalue()
    assert text.count("\r") == 3 and text.count("\n") == 1 and text.endswith("\n")
    assert text.split("\r")[-1] == "instance 5: STOPPED (2 s)\x1b[K\n"


def test_progress_true_writes_to_standard_error(capsys: pytest.CaptureFixture[str]) -> None:
    server, clock = Server([S.RUNNING, S.SUCCEED]), Clock()
    with client(server) as c:
        wait_for_instance(c, 1, progress=True, clock=clock, sleep=clock.sleep)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "RUNNING" in captured.err and "SUCCEED" in captured.err
