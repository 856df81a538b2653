"""The client as a script author meets it: exports, defaults, login and error texts."""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable

import httpx
import pytest

import pulumi_powerjob
from pulumi_powerjob import (
    AuthenticationError,
    ConfigurationError,
    ConnectionSettings,
    PowerJobClient,
    SaveJobInfoRequest,
    SaveWorkflowNodeRequest,
    SaveWorkflowRequest,
    TransportError,
    WorkflowNodeType,
)
from tests.support.answers import ok

PASSWORD = "s3cr3t-PASSWORD"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhcHBJZCI6OX0.c2lnbmF0dXJl"


def refused(message: str, code: str) -> httpx.Response:
    body = {"success": False, "message": message, "code": code}
    return httpx.Response(200, json=body, headers={"X-POWERJOB-AUTH-PASSED": "false"})


class Server:
    """A 4.3-style server unless ``auth_app`` answers: counts every path."""

    def __init__(
        self,
        answer: Callable[[httpx.Request], httpx.Response] = lambda r: ok(11),
        auth_app: Callable[[httpx.Request], httpx.Response] | None = None,
    ) -> None:
        self.answer, self.auth_app = answer, auth_app
        # the app's name: login sessions are per process and per app, and id() is reused
        self.suffix = uuid.uuid4().hex
        self.hits: Counter[str] = Counter()
        self.bodies: list[dict[str, object]] = []  # list bodies (addWorkflowNode) flattened

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hits[request.url.path] += 1
        if request.url.path.endswith("/authApp"):
            if self.auth_app is None:
                return httpx.Response(404, json={"status": 404})
            return self.auth_app(request)
        if request.url.path.endswith("/assert"):
            return ok(7)
        if request.headers.get("content-type") == "application/json":
            body = json.loads(request.content)
            self.bodies.extend(body if isinstance(body, list) else [body])
        return self.answer(request)


def client(server: Server, app: str = "orders") -> PowerJobClient:
    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": f"{app}-{server.suffix}"},
        environ={"POWERJOB_PASSWORD": PASSWORD},
    )
    return PowerJobClient(settings, transport=httpx.MockTransport(server))


def test_the_client_and_its_models_are_exported_from_the_package() -> None:
    for name in ("PowerJobClient", "ConnectionSettings", "SaveJobInfoRequest", "PEWorkflowDAG"):
        assert name in pulumi_powerjob.__all__


def test_a_save_request_needs_no_app_id_and_takes_the_server_defaults() -> None:
    request = SaveJobInfoRequest(job_name="n", time_expression_type="API", processor_info="p")  # type: ignore[arg-type]
    body = request.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert "appId" not in body
    assert body["executeType"] == "STANDALONE" and body["processorType"] == "BUILT_IN"
    assert body["concurrency"] == 5 and body["enable"] is True


def test_the_client_fills_in_its_app_id_on_every_request_model() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/addWorkflowNode"):
            return ok([{"id": 3, "type": 1, "jobId": 11}])
        return ok(11)

    server = Server(answer)
    with client(server) as c:
        c.save_job(
            SaveJobInfoRequest.model_validate(
                {"job_name": "n", "time_expression_type": "API", "processor_info": "p"}
            )
        )
        c.add_workflow_node([SaveWorkflowNodeRequest(type=WorkflowNodeType.JOB, job_id=11)])
        c.save_workflow(
            SaveWorkflowRequest.model_validate(
                {"wf_name": "w", "time_expression_type": "API", "dag": {"nodes": [{"node_id": 3}]}}
            )
        )
    assert [b["appId"] for b in server.bodies] == [7, 7, 7]


def test_login_authenticates_once_and_returns_the_app_id() -> None:
    server = Server()
    c = client(server)
    assert server.hits == {}  # constructing the client sends nothing
    assert c.login() == 7
    assert c.login() == 7 and c.app_id == 7
    assert server.hits == {"/openApi/authApp": 1, "/openApi/assert": 1}
    c.save_job(
        SaveJobInfoRequest.model_validate(
            {"job_name": "n", "time_expression_type": "API", "processor_info": "p"}
        )
    )
    assert server.hits["/openApi/authApp"] == 1 and server.hits["/openApi/saveJob"] == 1


def test_a_wrong_password_names_the_app_the_endpoint_and_the_setting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = Server(auth_app=lambda r: refused("INCORRECT_PASSWORD", "-400"))
    c = client(server, app="orders")
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as info:
        c.login()
    text = str(info.value)
    assert text.startswith("authApp: INCORRECT_PASSWORD (code -400)")
    assert f"app 'orders-{server.suffix}'" in text
    assert "powerjob:password / POWERJOB_PASSWORD" in text
    assert info.value.setting == "powerjob:password / POWERJOB_PASSWORD"
    assert PASSWORD not in text and PASSWORD not in caplog.text


def test_an_unknown_app_names_the_app_name_setting() -> None:
    server = Server(auth_app=lambda r: refused("INVALID_APP: can't find app", "-402"))
    with pytest.raises(AuthenticationError, match="check powerjob:appName / POWERJOB_APP_NAME"):
        client(server).fetch_job(1)


def test_a_missing_password_on_a_5_1_server_names_the_app_and_the_setting() -> None:
    server = Server(auth_app=lambda r: ok({"appId": 9, "token": TOKEN}))
    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": "nopass"}, environ={}
    )
    c = PowerJobClient(settings, transport=httpx.MockTransport(server))
    with pytest.raises(ConfigurationError, match=r"POWERJOB_PASSWORD.*\[app 'nopass'\]"):
        c.login()


def test_a_refused_connection_names_the_address_setting() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": "down", "connect_retries": 0},
        environ={"POWERJOB_PASSWORD": PASSWORD},
    )
    c = PowerJobClient(settings, transport=httpx.MockTransport(down))
    with pytest.raises(TransportError) as info:
        c.fetch_job(1)
    assert str(info.value).endswith("[app 'down'; check powerjob:address / POWERJOB_ADDRESS]")


def test_context_is_added_once() -> None:
    error = AuthenticationError("authApp", "INCORRECT_PASSWORD")
    error.add_context("a", "x")
    error.add_context("b", "y")
    assert str(error) == "authApp: INCORRECT_PASSWORD [app 'a'; check x]"
