"""The client against the PowerJob 5.1 protocol EMULATION (tests/support/emulation51), in
every server mode: each mutation executes exactly once, the token comes first and is renewed
before it expires, and only a certified rejection is sent again, once."""

from __future__ import annotations

import itertools
import threading
from typing import Literal

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.auth import REFUSAL_MEMORY_S
from pulumi_powerjob.errors import AuthenticationError
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings
from tests.support.emulation51 import ManualClock, PowerJob51Emulation, serve

PASSWORD = "app-pass-5.1"
MODES = [
    pytest.param(v, on, id=f"emulation-{v}-{'authon' if on else 'authoff'}")
    for v, on in itertools.product(("5.1.0", "5.1.1"), (False, True))
]
JOB = SaveJobInfoRequest.model_validate(
    {
        "job_name": "emulated",
        "time_expression_type": "CRON",
        "time_expression": "0 0 * * * ?",
        "execute_type": "STANDALONE",
        "processor_type": "BUILT_IN",
        "processor_info": "demo.Processor",
    }
)
_apps = itertools.count()


def setup(
    version: Literal["5.1.0", "5.1.1"], auth: bool, *, lifetime: int = 604800
) -> tuple[PowerJob51Emulation, PowerJobClient, ManualClock]:
    clock = ManualClock()
    emulation = PowerJob51Emulation(version, auth, jwt_expire_seconds=lifetime, clock=clock)
    name = f"app{next(_apps)}"  # sessions are per process, per (server, app)
    emulation.add_app(name, PASSWORD)
    settings = ConnectionSettings(
        addresses=(f"http://emulation-{name}.test",), app_name=name, password=SecretStr(PASSWORD)
    )
    client = PowerJobClient(settings, transport=httpx.WSGITransport(app=emulation), clock=clock)
    return emulation, client, clock


@pytest.mark.parametrize(("version", "auth"), MODES)
def test_each_mutation_executes_exactly_once(
    version: Literal["5.1.0", "5.1.1"], auth: bool
) -> None:
    emulation, client, _ = setup(version, auth)
    job_id = client.save_job(JOB)
    client.disable_job(job_id)
    client.enable_job(job_id)
    client.delete_job(job_id)
    for path in ("saveJob", "disableJob", "enableJob", "deleteJob"):
        assert emulation.executed(f"/openApi/{path}") == 1, path
        assert emulation.attempts(f"/openApi/{path}") == 1, path
    assert len(emulation.jobs) == 1 and client.fetch_job(job_id).deleted
    assert client.server_line == "5.1"


@pytest.mark.parametrize(("version", "auth"), MODES)
def test_the_token_request_comes_before_the_first_call(
    version: Literal["5.1.0", "5.1.1"], auth: bool
) -> None:
    emulation, client, _ = setup(version, auth)
    client.save_job(JOB)
    paths = [e.path for e in emulation.executions]
    assert paths == ["/openApi/authApp", "/openApi/saveJob"]
    save = emulation.executions[1]
    assert save.app_id_header is not None and save.access_token_header is not None


def test_5_1_0_with_auth_off_sends_no_header_and_we_never_resend() -> None:
    emulation, client, _ = setup("5.1.0", False)
    client.save_job(JOB)
    save = [e for e in emulation.executions if e.path.endswith("saveJob")]
    assert [e.auth_passed_header for e in save] == [None]
    assert len(emulation.jobs) == 1, "the official client makes two jobs here"


def test_an_expired_token_is_refreshed_before_the_call_with_no_rejected_attempt() -> None:
    emulation, client, clock = setup("5.1.1", True, lifetime=600)
    client.save_job(JOB)
    clock.advance(600 - 30)  # inside the refresh skew (60 s) of the token's exp
    client.save_job(JOB)
    assert [e.path.rsplit("/", 1)[-1] for e in emulation.executions] == [
        "authApp", "saveJob", "authApp", "saveJob"
    ]  # fmt: skip
    assert all(e.auth_passed_header != "false" for e in emulation.executions)


def test_a_certified_rejection_is_sent_again_once_after_a_new_token() -> None:
    emulation, client, _ = setup("5.1.1", True)
    client.save_job(JOB)
    emulation.rotate_signing_key()  # every issued token stops verifying
    emulation.reset_log()
    client.save_job(JOB)
    log = [
        (e.path.rsplit("/", 1)[-1], e.executed, e.auth_passed_header) for e in emulation.executions
    ]
    assert log == [
        ("saveJob", False, "false"),
        ("authApp", True, None),
        ("saveJob", True, "true"),
    ]
    assert emulation.executed("/openApi/saveJob") == 1


def test_a_password_changed_on_the_server_is_an_error_and_nothing_runs() -> None:
    emulation, client, _ = setup("5.1.1", True)
    client.fetch_all_job()
    emulation.change_password(client.settings.app_name, "rotated")
    emulation.reset_log()
    with pytest.raises(AuthenticationError, match="INCORRECT_PASSWORD") as caught:
        client.save_job(JOB)
    assert emulation.executed("/openApi/saveJob") == 0
    assert emulation.attempts("/openApi/saveJob") == 1
    assert PASSWORD not in str(caught.value) and "rotated" not in str(caught.value)


def test_a_refused_password_is_not_offered_again_until_its_memory_lapses() -> None:
    emulation, client, clock = setup("5.1.1", True)
    client.fetch_all_job()
    emulation.change_password(client.settings.app_name, "rotated")
    emulation.reset_log()
    for _ in range(3):  # e.g. the engine's parallel creates, one after the other
        with pytest.raises(AuthenticationError, match="INCORRECT_PASSWORD"):
            client.save_job(JOB)
    assert emulation.attempts("/openApi/authApp") == 1
    assert emulation.attempts("/openApi/saveJob") == 3  # each refused by the old token
    assert emulation.executed("/openApi/saveJob") == 0
    clock.advance(REFUSAL_MEMORY_S)
    with pytest.raises(AuthenticationError, match="INCORRECT_PASSWORD"):
        client.save_job(JOB)
    assert emulation.attempts("/openApi/authApp") == 2, "offered once more after the memory"


def test_a_rejection_after_a_fresh_token_is_not_sent_a_third_time() -> None:
    emulation, client, _ = setup("5.1.1", True)
    client.save_job(JOB)
    emulation.rotate_signing_key()
    real_auth = client._auth.authenticate

    def authenticate_then_rotate(base: httpx.URL):  # type: ignore[no-untyped-def]
        yield from real_auth(base)
        emulation.rotate_signing_key()  # the fresh token is rejected too

    client._auth.authenticate = authenticate_then_rotate  # type: ignore[method-assign]
    emulation.reset_log()
    with pytest.raises(AuthenticationError):
        client.save_job(JOB)
    assert emulation.attempts("/openApi/saveJob") == 2
    assert emulation.executed("/openApi/saveJob") == 0


def test_four_threads_share_one_token() -> None:
    emulation, client, _ = setup("5.1.1", True)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                client.save_job(JOB)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert emulation.executed("/openApi/saveJob") == 100
    assert emulation.attempts("/openApi/authApp") == 1


def test_the_token_never_shows_in_reprs() -> None:
    _, client, _ = setup("5.1.1", True)
    client.fetch_all_job()
    token = client._auth.session.token
    assert token is not None
    assert token not in repr(client._auth.session) and token not in repr(client._auth)


def test_over_a_real_socket_a_refresh_inside_the_flow_reads_the_token_answer() -> None:
    clock = ManualClock()
    emulation = PowerJob51Emulation("5.1.1", True, jwt_expire_seconds=600, clock=clock)
    emulation.add_app("socket-app", PASSWORD)
    with serve(emulation) as base:
        settings = ConnectionSettings(
            addresses=(base,), app_name="socket-app", password=SecretStr(PASSWORD)
        )
        with PowerJobClient(settings, clock=clock) as client:
            client.save_job(JOB)
            clock.advance(590)
            client.save_job(JOB)
            emulation.rotate_signing_key()
            client.save_job(JOB)
    assert emulation.executed("/openApi/saveJob") == 3
    assert emulation.attempts("/openApi/authApp") == 3
