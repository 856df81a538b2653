"""The PowerJob 5.1 emulation against exchanges recorded from real 5.1.0 and 5.1.1 servers.

Every recorded request is replayed, in order, against an emulation set up like the recorded
server (same version, auth switch, app, ids and clock). Tokens are the emulation's own,
because recorded tokens are signed with another server's key; a bogus token stays bogus.
The other tests pin the behaviour the recordings imply (expiry, password change, the 5.1.0
double execution) and the server semantics the client relies on.
"""

from __future__ import annotations

import ast
import base64
import functools
import hashlib
import json
import re
from typing import Any, Literal

import httpx
import pytest

from tests.support.emulation51 import ManualClock, PowerJob51Emulation, serve
from tests.support.recordings import Replay, load, probe_job, replay

AUTH_PASSED = "X-POWERJOB-AUTH-PASSED"
Version = Literal["5.1.0", "5.1.1"]
SETUPS: dict[str, tuple[Version, bool]] = {
    "5.1.0-authoff": ("5.1.0", False),
    "5.1.0-authon": ("5.1.0", True),
    "5.1.1-authoff": ("5.1.1", False),
    "5.1.1-authon": ("5.1.1", True),
    "5.1.1-token-expiry": ("5.1.1", True),
}
EXPIRY_PASSWORD = "exp-app-pw"  # that transcript hides the password; its md5 is all that counts
# test-id slugs by (first word of the section title, endpoint), in order of appearance
_SLUGS: dict[tuple[str, str], tuple[str, ...]] = {
    ("a)", "authApp"): ("md5",),
    ("a')", "authApp"): ("wrong-password",),
    ("b1)", "saveJob"): ("no-headers",),
    ("b2)", "saveJob"): ("valid-token",),
    ("b3)", "saveJob"): ("bogus-token",),
    ("b4)", "saveJob"): ("app-id-only",),
    ("c1)", "fetchJob"): ("live", "deleted-status-99"),
    ("c1)", "deleteJob"): ("soft-delete",),
    ("c1')", "fetchJob"): ("unknown-id",),
    ("fetchAllJob", "fetchAllJob"): ("includes-deleted",),
    ("queryJob", "queryJob"): ("includes-deleted",),
    ("c2)", "addWorkflowNode"): ("unattached-node",),
    ("c2)", "saveWorkflow"): ("with-dag",),
    ("c2)", "fetchWorkflow"): ("peworkflowDAG",),
    ("c3)", "deleteWorkflow"): ("soft-delete",),
    ("c3)", "fetchWorkflow"): ("deleted-shows-disabled",),
    ("authApp", "authApp"): ("lifetime-4s",),
    ("saveJob", "saveJob"): ("valid-token",),
    ("the", "saveJob"): ("expired-token",),
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00")


def _client(emulation: PowerJob51Emulation) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=emulation), base_url="http://emulation")


@functools.cache
def replayed(name: str) -> Replay:
    version, auth_on = SETUPS[name]
    expiry = "expiry" in name
    return replay(
        name, version, auth_on, jwt_expire_seconds=4 if expiry else 604800, password=EXPIRY_PASSWORD
    )


def _cases() -> list[Any]:
    cases = []
    for name in SETUPS:
        used: dict[tuple[str, str], int] = {}
        for index, exchange in enumerate(e for s in load(name) for e in s.exchanges):
            endpoint = exchange.request.path.rsplit("/", 1)[-1] if exchange.request else "saveJob"
            key = (exchange.section.split()[0], endpoint)
            slug = _SLUGS[key][used.get(key, 0)]
            used[key] = used.get(key, 0) + 1
            cases.append(pytest.param(name, index, id=f"emulation-{name}-{endpoint}-{slug}"))
    return cases


def _masked_text(text: str) -> str:
    """Dates, tokens and elapsed milliseconds differ by nature; all else must be equal."""
    text = _DATE.sub("<date>", text)
    text = re.sub(r'"token":"[^"]*"', '"token":"<jwt>"', text)
    return re.sub(r"a difference of \d+ milliseconds", "a difference of N milliseconds", text)


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<jwt>" if k == "token" else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return _masked_text(value) if isinstance(value, str) else value


@pytest.mark.parametrize(("name", "index"), _cases())
def test_replayed_exchange_matches_recording(name: str, index: int) -> None:
    outcome = replayed(name).exchanges[index]
    recorded, response = outcome.recorded.response, outcome.response
    expected, actual = recorded.json(), response.json()
    assert response.status_code == (recorded.status or 200)
    if recorded.headers is not None:
        assert response.headers.get(AUTH_PASSED) == recorded.header(AUTH_PASSED)
        assert response.headers["Content-Type"] == recorded.header("Content-Type")
        assert response.headers["Date"] == recorded.header("Date")
        assert response.headers.get_list("Vary") == [v for k, v in recorded.headers if k == "Vary"]
    assert list(actual) == list(expected), "envelope keys and their order"
    assert (actual["success"], actual.get("code")) == (expected["success"], expected.get("code"))
    assert _masked(actual["message"]) == _masked(expected["message"])
    assert _masked(actual.get("data")) == _masked(expected.get("data"))
    assert _masked_text(response.text) == _masked_text(recorded.body), "byte-exact serialisation"
    handler_ran = recorded.headers is None or recorded.header(AUTH_PASSED) != "false"
    assert outcome.executed == (1 if handler_ran else 0)
    request = outcome.recorded.request
    if request is None or request.path.endswith("/saveJob"):
        assert outcome.new_jobs == (1 if handler_ran and expected["success"] else 0)


def test_replayed_token_carries_the_recorded_claims() -> None:
    result = replayed("5.1.1-token-expiry")
    recorded = json.loads(result.note("JWT payload"))
    token = result.exchanges[0].response.json()["data"]["token"]
    header, payload = (json.loads(base64.urlsafe_b64decode(p + "==")) for p in token.split(".")[:2])
    assert header == {"typ": "JWT", "alg": "HS256"}
    assert list(payload) == list(recorded)
    assert payload["password"] == hashlib.md5(EXPIRY_PASSWORD.encode()).hexdigest()
    assert (payload["appId"], payload["encryptType"], payload["sub"]) == (1, "md5", "PowerJob")
    assert payload["exp"] == int(result.token_issued_at) + 4
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", payload["jti"])


def test_replayed_expiry_keeps_only_the_job_saved_in_time() -> None:
    result = replayed("5.1.1-token-expiry")
    jobs = [(j["id"], j["jobName"], j["status"]) for j in result.emulation.jobs if j["appId"] == 1]
    assert jobs == ast.literal_eval(result.note("jobs of the app"))


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, id=f"emulation-{n}-hello") for n in SETUPS if "expiry" not in n],
)
def test_hello_reports_the_recorded_version(name: str) -> None:
    recorded = load(name)[0].notes[0].removeprefix("version ")
    version, auth_on = SETUPS[name]
    data = _client(PowerJob51Emulation(version, auth_on)).get("/server/hello").json()["data"]
    assert data["serverInfo"]["version"] == recorded


# ------------------------------------------------------------------ behaviour around auth


class Session:
    """An app on a fresh emulation, with a token from /authApp."""

    def __init__(self, version: Version, auth_on: bool, **options: Any) -> None:
        self.clock = ManualClock()
        self.emulation = PowerJob51Emulation(version, auth_on, clock=self.clock, **options)
        self.app_id = self.emulation.add_app("app", "app-pw")
        self.http = _client(self.emulation)
        self.authenticate("app-pw")

    def authenticate(self, password: str) -> httpx.Response:
        md5 = hashlib.md5(password.encode()).hexdigest()
        body = {"appName": "app", "encryptedPassword": md5, "encryptType": "md5"}
        response = self.http.post("/openApi/authApp", json=body)
        if response.json()["success"]:
            self.token = response.json()["data"]["token"]
        return response

    def call(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"X-POWERJOB-APP-ID": str(self.app_id), "X-POWERJOB-ACCESS-TOKEN": self.token}
        return self.http.post(
            f"/openApi/{path}", headers=headers | kwargs.pop("headers", {}), **kwargs
        )

    def form(self, path: str, **params: Any) -> dict[str, Any]:
        data: dict[str, Any] = self.call(path, data={"appId": self.app_id} | params).json()
        return data


def test_expired_token_is_rejected_before_the_handler_runs() -> None:
    session = Session("5.1.1", True, jwt_expire_seconds=60)
    session.clock.advance(60)  # at `exp` exactly the token is still valid (JJWT: now > exp)
    assert session.call("saveJob", json=probe_job(session.app_id)).headers[AUTH_PASSED] == "true"
    session.clock.advance(1)
    response = session.call("saveJob", json=probe_job(session.app_id))
    assert response.headers[AUTH_PASSED] == "false"
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"
    body = response.json()
    assert (body["success"], body["code"], "data" in body) == (False, "-403", False)
    assert body["message"].startswith("TOKEN_EXPIRED:JWT expired at ")
    assert (session.emulation.executed("/saveJob"), len(session.emulation.jobs)) == (1, 1)


def test_password_change_invalidates_issued_tokens() -> None:
    session = Session("5.1.1", True)
    session.emulation.change_password("app", "new-pw")
    response = session.call("saveJob", json=probe_job(session.app_id))
    assert response.headers[AUTH_PASSED] == "false"
    assert response.json() == {"success": False, "message": "INCORRECT_PASSWORD", "code": "-400"}
    assert session.emulation.executed("/saveJob") == 0
    assert session.authenticate("app-pw").json()["code"] == "-400"
    assert session.authenticate("new-pw").json()["success"]
    assert session.call("saveJob", json=probe_job(session.app_id)).json()["data"] == 1


_OK = (True, None, None)
_AUTH_VARIANTS = {
    "none-plain-password": ("app", "app-pw", "none", _OK),
    "empty-type-is-none": ("app", "app-pw", "", _OK),
    "md5-upper-case": ("app", hashlib.md5(b"app-pw").hexdigest().upper(), "MD5", _OK),
    "unknown-type": (
        "app", "app-pw", "sha1", (False, "INVALID_REQUEST:unknown_encryptType:sha1", "-300")
    ),
    "unknown-app": ("nope", "app-pw", "none", (False, "INVALID_APP:nope", "-402")),
}  # fmt: skip


@pytest.mark.parametrize(
    ("app", "password", "encrypt_type", "expected"),
    [
        pytest.param(*case, id=f"emulation-5.1.1-authon-authApp-{n}")
        for n, case in _AUTH_VARIANTS.items()
    ],
)
def test_auth_app_checks_credentials_like_the_server(
    app: str, password: str, encrypt_type: str, expected: tuple[bool, str | None, str | None]
) -> None:
    session = Session("5.1.1", True)
    body = {"appName": app, "encryptedPassword": password, "encryptType": encrypt_type}
    answer = session.http.post("/openApi/authApp", json=body).json()
    assert (answer["success"], answer["message"], answer["code"]) == expected
    assert list(answer) == ["success", "data", "message", "code"]


_BAD_HEADERS = {
    "null-app-id-is-missing": (
        {"X-POWERJOB-APP-ID": "null"}, "-300", "INVALID_REQUEST:lack_of_appId_in_header"
    ),
    "undefined-token-is-missing": (
        {"X-POWERJOB-ACCESS-TOKEN": "undefined"}, "-1002", "OPEN_API_AUTH_FAILED:token_is_empty"
    ),
    "app-id-mismatch": (
        {"X-POWERJOB-APP-ID": "2"}, "-300", "INVALID_REQUEST:Inconsistent_appId_from_token_and_"
    ),
    "bad-token": ({"X-POWERJOB-ACCESS-TOKEN": "a.b.c"}, "-401", "INVALID_TOKEN:"),
}  # fmt: skip


@pytest.mark.parametrize(
    ("headers", "code", "message"),
    [
        pytest.param(*case, id=f"emulation-5.1.0-authon-saveJob-{n}")
        for n, case in _BAD_HEADERS.items()
    ],
)
def test_emulation_authon_rejects_bad_headers_without_running(
    headers: dict[str, str], code: str, message: str
) -> None:
    session = Session("5.1.0", True)
    response = session.call("saveJob", json=probe_job(session.app_id), headers=headers)
    assert (response.headers[AUTH_PASSED], response.json()["code"]) == ("false", code)
    assert response.json()["message"].startswith(message)
    assert session.emulation.executed("/saveJob") == 0


def test_emulation_510_authoff_runs_every_request_once_without_the_header() -> None:
    session = Session("5.1.0", False)
    job_id = session.call("saveJob", json=probe_job(session.app_id)).json()["data"]
    for path in ("fetchJob", "disableJob", "enableJob", "exportJob", "runJob", "deleteJob"):
        assert session.form(path, jobId=job_id)["success"]
    session.form("fetchJob", jobId=404)  # a failing call runs its handler too
    session.call("queryJob", json={"appIdEq": session.app_id})
    log = session.emulation.executions
    assert [e.auth_passed_header for e in log] == [None] * len(log)
    assert all(e.executed for e in log)
    assert {e.path: session.emulation.attempts(e.path) for e in log} == {
        e.path: session.emulation.executed(e.path) for e in log
    }
    assert len(session.emulation.jobs) == 1
    session.emulation.reset_log()
    assert session.emulation.executions == []


def _java_client_rule(session: Session, path: str, body: dict[str, Any]) -> None:
    """powerjob-client 5.1.x: resend after re-authenticating unless the header says true."""
    if session.call(path, json=body).headers.get(AUTH_PASSED) != "true":
        session.authenticate("app-pw")
        session.call(path, json=body)


def _certified_rule(session: Session, path: str, body: dict[str, Any]) -> None:
    """Ours: resend only after a certified rejection (header present and false)."""
    if session.call(path, json=body).headers.get(AUTH_PASSED) == "false":
        session.authenticate("app-pw")
        session.call(path, json=body)


@pytest.mark.parametrize(
    ("version", "auth_on", "java_runs"),
    [
        pytest.param("5.1.0", False, 2, id="emulation-5.1.0-authoff-java-client-saves-twice"),
        pytest.param("5.1.0", True, 1, id="emulation-5.1.0-authon-java-client-saves-once"),
        pytest.param("5.1.1", False, 1, id="emulation-5.1.1-authoff-java-client-saves-once"),
        pytest.param("5.1.1", True, 1, id="emulation-5.1.1-authon-java-client-saves-once"),
    ],
)
def test_emulation_reproduces_the_double_save_of_the_java_client(
    version: Version, auth_on: bool, java_runs: int
) -> None:
    java, ours = Session(version, auth_on), Session(version, auth_on)
    _java_client_rule(java, "saveJob", probe_job(java.app_id))
    _certified_rule(ours, "saveJob", probe_job(ours.app_id))
    assert (java.emulation.executed("/saveJob"), len(java.emulation.jobs)) == (java_runs, java_runs)
    assert (ours.emulation.executed("/saveJob"), len(ours.emulation.jobs)) == (1, 1)


# ------------------------------------------------------------------------- server semantics


def _save_error(**overrides: Any) -> str:
    session = Session("5.1.1", False)
    body = session.call("saveJob", json=probe_job(session.app_id, **overrides)).json()
    assert body["success"] is False and session.emulation.jobs == []
    return str(body["message"])


_SAVE_ERRORS: dict[str, tuple[dict[str, Any], str]] = {
    "cron-5-parts": (
        {"timeExpression": "0 * * * *"},
        "IllegalArgumentException: Cron expression contains 5 parts but we expect one of [6, 7]",
    ),
    "cron-out-of-range": (
        {"timeExpression": "0 0 25 * * ?"},
        "IllegalArgumentException: Failed to parse '0 0 25 * * ?'. Value 25 not in range [0, 23]",
    ),
    "cron-never-fires": (
        {"timeExpression": "0 0 0 30 2 ?"},
        "PowerJobException: time expression is out of date: 0 0 0 30 2 ?",
    ),
    "fixed-rate-too-long": (
        {"timeExpressionType": "FIXED_RATE", "timeExpression": "120001"},
        "PowerJobException: the rate must be less than 120000ms",
    ),
    "fixed-delay-zero": (
        {"timeExpressionType": "FIXED_DELAY", "timeExpression": "0"},
        "PowerJobException: the delay must be greater than 0 ms",
    ),
    "fixed-rate-not-a-number": (
        {"timeExpressionType": "FIXED_RATE", "timeExpression": "1s"},
        "PowerJobException: invalid timeExpression!",
    ),
    "enum-number-is-an-ordinal": (  # ordinal 2 is FIXED_RATE, so the cron is refused
        {"timeExpressionType": 2},
        "PowerJobException: invalid timeExpression!",
    ),
    "enum-name-is-case-sensitive": (
        {"timeExpressionType": "cron"},
        "HttpMessageNotReadableException: JSON parse error: Cannot deserialize value of type "
        '`tech.powerjob.common.enums.TimeExpressionType` from String "cron"',
    ),
    "empty-job-name": ({"jobName": ""}, "PowerJobException: jobName can't be empty"),
    "null-processor-info": (
        {"processorInfo": None},
        "PowerJobException: processorInfo can't be empty",
    ),
    "lifecycle-over": ({"lifeCycle": {"end": 1}}, "PowerJobException: lifecycle is out of date!"),
    "incomplete-alarm-config": (
        {"alarmConfig": {"alertThreshold": 1}},
        "PowerJobException: illegal alarm config!",
    ),
    "update-unknown-id": ({"id": 7}, "IllegalArgumentException: can't find job by jobId: 7"),
}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        pytest.param(*case, id=f"emulation-5.1.1-authoff-saveJob-{n}")
        for n, case in _SAVE_ERRORS.items()
    ],
)
def test_emulation_refuses_bad_save_job_like_the_server(
    overrides: dict[str, Any], message: str
) -> None:
    assert _save_error(**overrides).startswith(message)


def test_save_job_with_id_replaces_the_job_but_keeps_unsent_configs() -> None:
    session = Session("5.1.1", True)
    first = probe_job(
        session.app_id,
        concurrency=9,
        notifyUserIds=[3, 4],
        alarmConfig={"alertThreshold": 1, "statisticWindowLen": 2, "silenceWindowLen": 3},
        lifeCycle={"start": 1, "end": 4102444800000},
    )
    job_id = session.call("saveJob", json=first).json()["data"]
    saved = session.form("fetchJob", jobId=job_id)["data"]
    assert (saved["notifyUserIds"], saved["lifecycle"]) == (
        "3,4",
        '{"end":4102444800000,"start":1}',
    )
    session.call("saveJob", json=probe_job(session.app_id, id=job_id, enable=False))
    updated = session.form("fetchJob", jobId=job_id)["data"]
    assert (updated["concurrency"], updated["lifecycle"], updated["status"]) == (5, "{}", 2)
    assert (updated["notifyUserIds"], updated["alarmConfig"]) == ("3,4", saved["alarmConfig"])
    assert session.form("exportJob", jobId=job_id)["data"]["timeExpressionType"] == "CRON"


def test_query_job_filters_include_deleted_jobs_and_copies() -> None:
    session = Session("5.1.1", True)
    alpha, beta = (
        session.call("saveJob", json=probe_job(session.app_id, jobName=name)).json()["data"]
        for name in ("alpha", "beta")
    )
    assert session.form("deleteJob", jobId=beta)["success"]
    assert session.form("copyJob", jobId=alpha)["data"] == beta + 1
    refused = session.form("copyJob", jobId=beta)["message"]
    assert refused == "IllegalStateException: can't copy the job which has been deleted!"

    def names(**query: Any) -> list[str]:
        body = {"appIdEq": session.app_id} | query
        return [j["jobName"] for j in session.call("queryJob", json=body).json()["data"]]

    assert names() == ["alpha", "alpha_COPY", "beta"]  # index order: status first
    assert names(jobNameEq="alpha") == ["alpha"]
    assert names(jobNameLike="alp") == ["alpha", "alpha_COPY"]
    assert names(statusIn=[1, 2], idEq=alpha) == ["alpha"]


def test_form_parameters_bind_from_query_or_exact_form_body_only() -> None:
    session = Session("5.1.1", False)
    job_id = session.call("saveJob", json=probe_job(session.app_id)).json()["data"]
    query = session.call(f"fetchJob?jobId={job_id}&appId={session.app_id}").json()
    charset = session.call(
        "fetchJob",
        content=f"jobId={job_id}&appId={session.app_id}",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    ).json()
    assert query["data"]["id"] == job_id
    assert charset["message"] == "IllegalArgumentException: can't find job by jobId: null"


def test_get_is_refused_before_the_interceptor() -> None:
    session = Session("5.1.1", False)
    response = session.http.get("/openApi/fetchJob")
    assert AUTH_PASSED not in response.headers
    assert (
        response.json()["message"]
        == "HttpRequestMethodNotSupportedException: Request method 'GET' not supported"
    )
    assert session.emulation.executions[-1].executed is False


def test_workflow_nodes_left_out_of_the_dag_are_deleted() -> None:
    session = Session("5.1.1", True)
    job_id = session.call("saveJob", json=probe_job(session.app_id)).json()["data"]
    node = {"appId": session.app_id, "type": 1, "jobId": job_id}
    nodes = [n["id"] for n in session.call("addWorkflowNode", json=[node, node]).json()["data"]]
    wf = {"appId": session.app_id, "wfName": "wf", "timeExpressionType": "API"}
    both = {
        "nodes": [{"nodeId": nodes[0]}, {"nodeId": nodes[1]}],
        "edges": [{"from": nodes[0], "to": nodes[1]}],
    }
    wf_id = session.call("saveWorkflow", json=wf | {"dag": both}).json()["data"]
    session.call(
        "saveWorkflow",
        json=wf | {"id": wf_id, "dag": {"nodes": [{"nodeId": nodes[0]}], "edges": []}},
    )
    dag = session.form("fetchWorkflow", workflowId=wf_id)["data"]["peworkflowDAG"]
    assert [n["nodeId"] for n in dag["nodes"]] == [nodes[0]]
    back = {"nodes": [{"nodeId": nodes[1]}], "edges": []}
    refused = session.call("saveWorkflow", json=wf | {"id": wf_id, "dag": back}).json()
    assert refused["message"] == f"PowerJobException: can't find node info by id :{nodes[1]}"
    assert (
        session.call("saveWorkflow", json=wf).json()["message"] == "PowerJobException: illegal DAG"
    )


def test_node_rows_written_again_carry_the_workflow_that_holds_them() -> None:
    """Reference §4.7: nodes start unattached, saveWorkflow attaches them, another workflow
    cannot take them, and addWorkflowNode with ids answers each row's workflowId."""
    session = Session("5.1.1", True)
    job_id = session.call("saveJob", json=probe_job(session.app_id)).json()["data"]
    node = {"appId": session.app_id, "type": 1, "jobId": job_id, "nodeName": "n"}
    rows = session.call("addWorkflowNode", json=[node, node]).json()["data"]
    assert [r["workflowId"] for r in rows] == [None, None]
    ids = [r["id"] for r in rows]
    again = [node | {"id": i} for i in ids]
    unattached = session.call("addWorkflowNode", json=again).json()["data"]
    assert [(r["id"], r["workflowId"]) for r in unattached] == [(i, None) for i in ids]

    wf = {"appId": session.app_id, "wfName": "wf", "timeExpressionType": "API"}
    dag = {"nodes": [{"nodeId": i} for i in ids], "edges": [{"from": ids[0], "to": ids[1]}]}
    wf_id = session.call("saveWorkflow", json=wf | {"dag": dag}).json()["data"]
    held = session.call("addWorkflowNode", json=again).json()["data"]
    assert [(r["id"], r["workflowId"]) for r in held] == [(i, wf_id) for i in ids]

    before = len(session.emulation.workflows)
    refused = session.call("saveWorkflow", json=wf | {"dag": dag}).json()
    assert refused["message"] == "PowerJobException: can't use another workflow's node"
    assert len(session.emulation.workflows) == before, "a refused create leaves no workflow"


def test_delayed_run_waits_for_the_clock_then_fails_without_workers() -> None:
    session = Session("5.1.1", True)
    job_id = session.call("saveJob", json=probe_job(session.app_id)).json()["data"]
    instance = session.form("runJob", jobId=job_id, delay=60000)["data"]
    assert instance > 2**53
    assert session.form("fetchInstanceStatus", instanceId=instance)["data"] == 1
    session.clock.advance(60)
    info = session.form("fetchInstanceInfo", instanceId=instance)["data"]
    assert (info["status"], info["result"]) == (4, "no worker available")
    assert (
        session.form("cancelInstance", instanceId=instance)["message"]
        == "PowerJobException: instance already up and running"
    )


# ---------------------------------------------------------------------- console and serving


def _login(http: httpx.Client) -> dict[str, str]:
    origin = json.dumps({"username": "ADMIN", "password": "powerjob_admin"})
    body = http.post(
        "/auth/thirdPartyLoginDirect", json={"loginType": "PWJB", "originParams": origin}
    ).json()
    return {"PowerJwt": body["data"]["jwtToken"]}


@pytest.mark.parametrize(
    ("version", "by_code", "duplicate"),
    [
        pytest.param(
            "5.1.0",
            "PowerJobException: namespace can't be empty",
            "DataIntegrityViolationException: ",
            id="emulation-5.1.0-console-needs-namespace-id",
        ),
        pytest.param(
            "5.1.1",
            None,
            "PowerJobException: ILLEGAL_ARGS_ERROR:App[new-app] already exists",
            id="emulation-5.1.1-console-accepts-namespace-code",
        ),
    ],
)
def test_console_creates_apps_for_the_openapi(
    version: Version, by_code: str | None, duplicate: str
) -> None:
    emulation = PowerJob51Emulation(version, True)
    http = _client(emulation)
    assert (
        http.post("/appInfo/save", json={"appName": "x", "password": "p"}).json()["code"] == "-100"
    )
    login = _login(http)
    namespace = http.post("/namespace/listAll", headers=login).json()["data"][0]
    assert namespace["code"] == "default_namespace"
    app = {"appName": "new-app", "password": "pw"}
    coded = http.post(
        "/appInfo/save", headers=login, json=app | {"namespaceCode": "default_namespace"}
    ).json()
    assert coded.get("message") == by_code
    if by_code is not None:
        assert http.post(
            "/appInfo/save", headers=login, json=app | {"namespaceId": namespace["id"]}
        ).json()["success"]
    again = http.post(
        "/appInfo/save", headers=login, json=app | {"namespaceId": namespace["id"]}
    ).json()
    assert again["message"].startswith(duplicate)
    assert (
        http.post("/openApi/assert", data={"appName": "new-app", "password": "pw"}).json()["data"]
        == 1
    )


def test_serve_exposes_the_emulation_over_http_until_exit() -> None:
    emulation = PowerJob51Emulation("5.1.1", False)
    emulation.add_app("app", "pw")
    credentials = {"appName": "app", "password": "pw"}
    with httpx.Client(trust_env=False) as http:
        with serve(emulation) as base_url:
            response = http.post(f"{base_url}/openApi/assert", data=credentials)
            assert (response.json()["data"], response.headers[AUTH_PASSED]) == (1, "true")
            assert "Server" not in response.headers
        with pytest.raises(httpx.ConnectError):
            http.post(f"{base_url}/openApi/assert", data=credentials)
