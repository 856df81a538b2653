"""``python -m pulumi_powerjob run|run-workflow`` through a MockTransport: exit statuses, the one
mutation per invocation, and a lost ``runJob`` answer that is never resent."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob import (
    ConnectionSettings,
    InstanceInfoDTO,
    InstanceStatus,
    PowerJobClient,
    WorkflowInstanceInfoDTO,
    WorkflowInstanceStatus,
)
from pulumi_powerjob.__main__ import _parser, main
from pulumi_powerjob.client.waiting import INSTANCE_FINAL, WORKFLOW_FINAL
from pulumi_powerjob.errors import ApiError
from pulumi_powerjob.local.proxy import is_mutation
from pulumi_powerjob.run_command import exit_status

INSTANCE = 2**60 + 3


def ok(data: object) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "data": data, "message": None})


class Server:
    """A 4.3-style server: runs answer ``INSTANCE``, reads answer ``status`` and ``result``."""

    def __init__(
        self,
        status: int = InstanceStatus.SUCCEED,
        result: str | None = "all good",
        run: Callable[[httpx.Request], httpx.Response] = lambda r: ok(INSTANCE),
    ) -> None:
        self.status, self.result, self.run = status, result, run
        self.hits: Counter[str] = Counter()
        self.forms: dict[str, dict[str, str]] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.hits[path] += 1
        self.forms[path] = dict(parse_qsl(request.content.decode()))
        if path.endswith("/authApp"):
            return httpx.Response(404, json={"status": 404})
        if path.endswith("/assert"):
            return ok(7)
        if path.endswith(("/runJob", "/runWorkflow")):
            return self.run(request)
        key = "wfInstanceId" if "Wf" in path else "instanceId"
        return ok({key: INSTANCE, "status": self.status, "result": self.result})

    def mutations(self) -> Counter[str]:
        return Counter({p: n for p, n in self.hits.items() if is_mutation(p)})


def run(server: Server, *argv: str) -> int:
    args = _parser().parse_args(argv)
    settings = ConnectionSettings(
        addresses=("http://pj.test:7700",),
        app_name=f"a-{uuid.uuid4().hex}",
        password=SecretStr("pw"),
    )
    with PowerJobClient(settings, transport=httpx.MockTransport(server)) as client:
        code: int = args.run(client, args)
    return code


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (InstanceStatus.SUCCEED, 0),
        (InstanceStatus.FAILED, 3),
        (InstanceStatus.STOPPED, 4),
        (InstanceStatus.CANCELED, 4),
    ],
)
def test_a_waited_run_exits_with_the_instance_outcome_and_prints_its_result(
    status: InstanceStatus, code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    server = Server(status, result=f"result of {status.name}")
    assert run(server, "run", "12", "--wait", "--interval", "0.01") == code
    assert capsys.readouterr().out == f"result of {status.name}\n"
    assert server.mutations() == {"/openApi/runJob": 1}


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (WorkflowInstanceStatus.SUCCEED, 0),
        (WorkflowInstanceStatus.FAILED, 3),
        (WorkflowInstanceStatus.STOPPED, 4),
    ],
)
def test_a_waited_workflow_run_exits_with_the_workflow_outcome(
    status: WorkflowInstanceStatus, code: int
) -> None:
    server = Server(status)
    assert run(server, "run-workflow", "3", "--wait", "--interval", "0.01") == code
    assert server.mutations() == {"/openApi/runWorkflow": 1}
    assert server.hits["/openApi/fetchWfInstanceInfo"] >= 1


def test_every_final_status_has_an_exit_status_of_its_kind() -> None:
    # the two enums share codes (4: FAILED for instances, SUCCEED for workflows)
    codes = {exit_status(InstanceInfoDTO(instance_id=1, status=s)) for s in INSTANCE_FINAL}
    assert codes == {0, 3, 4}
    assert exit_status(InstanceInfoDTO(instance_id=1, status=InstanceStatus.FAILED)) == 3
    workflow = {WorkflowInstanceInfoDTO(wf_instance_id=1, status=s) for s in WORKFLOW_FINAL}
    assert {exit_status(info) for info in workflow} == {0, 3, 4}
    done = WorkflowInstanceInfoDTO(wf_instance_id=1, status=WorkflowInstanceStatus.SUCCEED)
    assert exit_status(done) == 0


def test_the_timeout_exits_5_after_reads_only(capsys: pytest.CaptureFixture[str]) -> None:
    server = Server(InstanceStatus.RUNNING)
    assert run(server, "run", "12", "--wait", "--timeout", "0") == 5
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"instance {INSTANCE} not finished after 0 s (last status RUNNING)" in captured.err
    assert server.mutations() == {"/openApi/runJob": 1}


def test_without_wait_the_instance_id_is_printed_and_nothing_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = Server()
    assert run(server, "run", "12", "--params", "a=1", "--delay", "1.5") == 0
    assert capsys.readouterr().out == f"{INSTANCE}\n"
    form = server.forms["/openApi/runJob"]
    assert (form["jobId"], form["instanceParams"], form["delay"]) == ("12", "a=1", "1500")
    assert server.hits["/openApi/fetchInstanceInfo"] == 0


def test_workflow_params_are_its_init_params() -> None:
    server = Server(WorkflowInstanceStatus.SUCCEED)
    assert run(server, "run-workflow", "3", "--params", '{"k": 1}') == 0
    form = server.forms["/openApi/runWorkflow"]
    assert (form["workflowId"], form["initParams"], form["delay"]) == ("3", '{"k": 1}', "0")


def lost(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("answer lost", request=request)


@pytest.mark.parametrize(
    "answer", [lost, lambda r: httpx.Response(502)], ids=["read-timeout", "502"]
)
def test_a_lost_run_answer_exits_1_and_is_not_resent(
    answer: Callable[[httpx.Request], httpx.Response], capsys: pytest.CaptureFixture[str]
) -> None:
    server = Server(run=answer)
    assert run(server, "run", "12", "--wait") == 1
    err = capsys.readouterr().err
    assert "it may have run" in err and "not sent again" in err
    assert server.mutations() == {"/openApi/runJob": 1}
    assert server.hits["/openApi/fetchInstanceInfo"] == 0


def test_a_failed_read_while_waiting_exits_1_naming_the_instance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    class Gone(Server):
        def __call__(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/fetchInstanceInfo"):
                raise httpx.ConnectError("refused", request=request)
            return super().__call__(request)

    server = Gone()
    assert run(server, "run", "12", "--wait") == 1
    err = capsys.readouterr().err
    assert f"instance {INSTANCE} may still be running" in err and "could not connect" in err
    assert server.mutations() == {"/openApi/runJob": 1}


def test_a_refused_run_is_an_error_from_main() -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        body = {"success": False, "message": "can't find job by id: 12", "data": None}
        return httpx.Response(200, json=body)

    with pytest.raises(ApiError, match="can't find job"):
        run(Server(run=refused), "run", "12", "--wait")


def test_main_turns_a_connection_failure_into_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    original = PowerJobClient.__init__

    def offline(self: PowerJobClient, settings: ConnectionSettings, **kwargs: object) -> None:
        original(self, settings, transport=httpx.MockTransport(refuse))

    monkeypatch.setattr(PowerJobClient, "__init__", offline)
    argv = ["run", "12", "--address", "http://pj.test:7700", "--app-name", "a", "--password", "p"]
    assert main(argv) == 1
    assert "could not connect" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["run", "twelve"],
        ["run", "12", "--timeout", "-1"],
        ["run", "12", "--interval", "0"],
        ["run", "12", "--delay", "nan"],
        ["run", "12", "--delay", "inf"],
        ["run", "12", "--timeout", "soon"],
        ["run-workflow", "3", "--params"],
    ],
)
def test_usage_errors_exit_2_before_any_connection(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _parser().parse_args(argv)
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


# -- issue 24: a run that found no worker says so ----------------------------------------------

NODE_INSTANCE = 77


class NoWorkerServer(Server):
    """A workflow whose one node's instance found no worker; the workflow says only
    ``middle job failed``, the node's instance says ``no worker available``."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path.endswith("/fetchWfInstanceInfo"):
            self.hits[path] += 1
            node = {"nodeId": 1, "nodeName": "extract", "instanceId": NODE_INSTANCE, "status": 4}
            dag = json.dumps({"nodes": [node], "edges": []})
            return ok(
                {
                    "wfInstanceId": INSTANCE,
                    "status": WorkflowInstanceStatus.FAILED,
                    "result": "middle job failed",
                    "dag": dag,
                }
            )
        return super().__call__(request)


def test_regress_24_a_workflow_run_whose_job_found_no_worker_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = NoWorkerServer(InstanceStatus.FAILED, result="no worker available")
    assert run(server, "run-workflow", "3", "--wait", "--interval", "0.01") == 3
    out, err = capsys.readouterr()
    assert out == "middle job failed\n"
    assert "node 'extract': no worker of app 'a-" in err and "was online" in err
    assert server.mutations() == {"/openApi/runWorkflow": 1}
    assert server.forms["/openApi/fetchInstanceInfo"]["instanceId"] == str(NODE_INSTANCE)


def test_regress_24_a_job_run_that_found_no_worker_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = Server(InstanceStatus.FAILED, result="no worker available")
    assert run(server, "run", "12", "--wait", "--interval", "0.01") == 3
    assert "no worker of app 'a-" in capsys.readouterr().err
