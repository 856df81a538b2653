"""Bad servers and bad answers: each a clear error naming the cause, nothing resent."""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import (
    ApiError,
    AuthenticationError,
    NotFoundError,
    OutcomeUnknownError,
    ResponseValidationError,
    TransportError,
)
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings

PASSWORD = "s3cr3t-PASSWORD"
JOB = SaveJobInfoRequest.model_validate(
    {
        "job_name": "n",
        "time_expression_type": "API",
        "execute_type": "STANDALONE",
        "processor_type": "BUILT_IN",
        "processor_info": "p",
    }
)


def ok(data: object) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "data": data, "message": None})


class Server43:
    """A 4.3-style server in a function: no /authApp, /assert gives app id 7."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.hits: Counter[str] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hits[request.url.path] += 1
        if request.url.path.endswith("/authApp"):
            return httpx.Response(404, json={"status": 404, "error": "Not Found"})
        if request.url.path.endswith("/assert"):
            return ok(7)
        return self.answer(request)


def client(
    handler: Callable[[httpx.Request], httpx.Response], **settings: object
) -> PowerJobClient:
    base = {
        "addresses": "http://pj.test:7700",
        "app_name": f"app-{uuid.uuid4().hex}",
        "password": PASSWORD,
    }
    return PowerJobClient(
        ConnectionSettings.model_validate({**base, **settings}),
        transport=httpx.MockTransport(handler),
    )


def test_a_4_3_server_is_detected_by_the_404_of_auth_app() -> None:
    server = Server43(lambda r: ok(11))
    c = client(server)
    assert c.save_job(JOB) == 11
    assert c.server_line == "4.3"
    assert server.hits["/openApi/saveJob"] == 1
    assert server.hits["/openApi/authApp"] == 1 and server.hits["/openApi/assert"] == 1


def test_the_app_id_is_injected_into_save_requests() -> None:
    bodies: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return ok(1)

    client(Server43(answer)).save_job(JOB)
    assert bodies[0]["appId"] == 7
    assert bodies[0]["timeExpressionType"] == "API"


@pytest.mark.parametrize(
    ("answer", "error", "text"),
    [
        (
            lambda r: httpx.Response(200, text="<html>hello</html>"),
            ResponseValidationError,
            "not JSON",
        ),
        (
            lambda r: httpx.Response(200, text='{"success": tru'),
            ResponseValidationError,
            "not JSON",
        ),
        (
            lambda r: httpx.Response(200, json={"hello": "world"}),
            ResponseValidationError,
            "envelope",
        ),
        (lambda r: ok({"unexpected": "shape"}), ResponseValidationError, "id"),
        (lambda r: httpx.Response(404, json={"status": 404}), ApiError, "no such endpoint"),
        (
            lambda r: httpx.Response(
                200,
                json={
                    "success": False,
                    "data": None,
                    "message": "IllegalArgumentException: can't find job by jobId: 5",
                },
            ),
            NotFoundError,
            "can't find job by jobId: 5",
        ),
    ],
    ids=["html", "truncated-json", "no-envelope", "wrong-model", "http-404", "not-found"],
)
def test_bad_answers_to_a_read_name_the_cause(
    answer: Callable[[httpx.Request], httpx.Response], error: type[Exception], text: str
) -> None:
    with pytest.raises(error, match=text):
        client(Server43(answer)).fetch_job(5)


def test_a_wrong_password_is_an_authentication_error_without_the_password() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/authApp"):
            return httpx.Response(404)
        return httpx.Response(
            200,
            json={"success": False, "data": None, "message": "PowerJobException: password error!"},
        )

    with pytest.raises(AuthenticationError, match="password error") as caught:
        client(handler).fetch_all_job()
    assert PASSWORD not in str(caught.value) and PASSWORD not in repr(caught.value)


def test_an_unknown_app_is_an_authentication_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={"success": False, "data": None, "message": "INVALID_APP:nope", "code": "-402"},
        )

    with pytest.raises(AuthenticationError, match="INVALID_APP"):
        client(handler).fetch_all_job()


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("reset"), httpx.ReadError("eof")],
    ids=["read-timeout", "protocol-error", "read-error"],
)
def test_a_mutation_whose_answer_is_lost_is_outcome_unknown_and_not_resent(
    failure: Exception,
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise failure

    server = Server43(answer)
    with pytest.raises(OutcomeUnknownError, match="may have run"):
        client(server).save_job(JOB)
    assert server.hits["/openApi/saveJob"] == 1


def test_a_read_whose_answer_is_lost_is_a_plain_transport_error() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow")

    with pytest.raises(TransportError) as caught:
        client(Server43(answer)).fetch_job(1)
    assert not isinstance(caught.value, OutcomeUnknownError)


def test_a_5xx_to_a_mutation_is_outcome_unknown() -> None:
    server = Server43(lambda r: httpx.Response(502, text="bad gateway"))
    with pytest.raises(OutcomeUnknownError):
        client(server).delete_job(3)
    assert server.hits["/openApi/deleteJob"] == 1


def test_unreachable_servers_fail_over_only_when_nothing_was_sent() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.host))
        if request.url.host == "down.test":
            raise httpx.ConnectError("refused")
        return Server43(lambda r: ok(5))(request)

    from pulumi_powerjob.client.transport import FailoverTransport

    settings = ConnectionSettings(
        addresses=("http://down.test:7700", "http://up.test:7700"),
        app_name="fo",
        password=SecretStr(PASSWORD),
    )
    c = PowerJobClient(
        settings, transport=FailoverTransport(settings.addresses, httpx.MockTransport(handler))
    )
    assert c.save_job(JOB) == 5
    assert seen[0] == "down.test" and seen.count("up.test") == 3  # authApp, assert, saveJob
    assert c.save_job(JOB) == 5
    assert seen[-1] == "up.test" and seen.count("down.test") == 1  # the winner is remembered


def test_no_reachable_server_is_a_transport_error_naming_the_cause() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(TransportError, match="could not connect"):
        client(handler).fetch_all_job()


def test_secrets_stay_out_of_reprs_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    c = client(Server43(lambda r: ok([])))
    c.fetch_all_job()
    assert PASSWORD not in repr(c.settings) and PASSWORD not in str(c.settings)
    assert PASSWORD not in repr(c) and PASSWORD not in caplog.text
    assert PASSWORD not in c.settings.model_dump_json()


def test_regress_24_an_unreachable_server_is_named_by_the_address_tried() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(TransportError) as caught:
        client(handler).fetch_all_job()
    message = str(caught.value)
    assert "could not connect to http://" in message and "(ConnectError)" in message
    assert "check powerjob:address / POWERJOB_ADDRESS" in message


def test_regress_24_errors_of_a_named_profile_name_its_settings() -> None:
    from pulumi_powerjob.reconcile import connection

    settings = connection.resolve(
        "prod",
        {
            "powerjob:connections": {
                "prod": {"address": "pj.test:1", "appName": "p", "password": "x"}
            }
        },
        {},
    )

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(TransportError) as caught:
        PowerJobClient(settings, transport=httpx.MockTransport(handler)).fetch_all_job()
    assert str(caught.value) == (
        "authApp: could not connect to http://pj.test:1 (ConnectError) "
        "[app 'p'; check powerjob:connections.prod.address / POWERJOB_PROD_ADDRESS]"
    )
