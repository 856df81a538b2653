"""Auth that changes in the middle of an ``up``, through the real engine, against the PowerJob
5.1 *emulation* served on loopback (5.1 server jars are not published).

- The app token expires after the K-th saveJob: the up still finishes in one go, every job
  is saved once, and a second token was issued in between.
- The app password changes after the K-th saveJob: the up fails on the rest with an auth
  error that names no secret, nothing runs twice, and the next up with the new password
  converges.

Everything is counted at the emulation (what its handlers actually ran), one request at a time
through ``WsgiTap`` so that "after the K-th saveJob" is exact under the engine's parallelism.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_powerjob import Job, JobArgs
from pulumi_powerjob.local.engine import EngineError
from tests.support.emulation51 import ManualClock, PowerJob51Emulation, serve
from tests.support.emulation51.app import Version
from tests.support.engine import inline_stack
from tests.support.job_project import jobs_project
from tests.support.wsgi_tap import Exchange, Hook, WsgiTap

pytestmark = [
    pytest.mark.integration,
    pytest.mark.engine,
    # A failed inline `up` leaves the SDK's program server (grpc, asyncio) to be collected
    # later; its leftovers are the SDK's, not ours.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
SAVE_JOB, AUTH_APP = "/openApi/saveJob", "/openApi/authApp"
TOKEN_LIFETIME_S = 3600


@dataclass
class Served:
    """The emulation with one app, its clock, the tap in front of it and its base URL."""

    server: PowerJob51Emulation
    clock: ManualClock
    tap: WsgiTap
    url: str
    app_name: str
    password: str


@pytest.fixture(params=["5.1.0", "5.1.1"])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    # The server's clock starts at the real time and only moves when a test moves it: the
    # provider process judges token expiry by the real clock, the server by this one.
    version: Version = request.param
    clock = ManualClock(time.time())
    server = PowerJob51Emulation(
        version, auth_enabled=True, jwt_expire_seconds=TOKEN_LIFETIME_S, clock=clock
    )
    app_name, password = f"auth-up-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}"
    server.add_app(app_name, password)
    tap = WsgiTap(server)
    with serve(tap) as url:
        yield Served(server, clock, tap, url, app_name, password)


def _program(names: list[str]) -> Callable[[], None]:
    def program() -> None:
        for name in names:
            Job(
                name,
                JobArgs(
                    job_name=name,
                    processor_info="demo.Processor",
                    time_expression_type="CRON",
                    time_expression="0 0 5 * * ?",
                ),
            )

    return program


def _after_kth_save(server: PowerJob51Emulation, k: int, action: Callable[[], None]) -> Hook:
    """A hook that runs ``action`` once, right after the K-th saveJob that really executed."""
    done: list[bool] = []

    def hook(exchange: Exchange) -> None:
        if exchange.path == SAVE_JOB and not done and server.executed(SAVE_JOB) == k:
            done.append(True)
            action()

    return hook


def _names_on_server(server: PowerJob51Emulation) -> Counter[str]:
    return Counter(str(job["jobName"]) for job in server.jobs if job["status"] != 99)


def test_a_token_expiring_mid_up_is_renewed_and_every_job_is_saved_once(
    tmp_path: Path, pulumi_bin: Path, served: Served
) -> None:
    # The provider process judges expiry by its own clock, which has not moved, so the renewal
    # proven here is the certified one: the server refuses the expired token with
    # X-POWERJOB-AUTH-PASSED: false, the client gets a new token and sends that request once
    # more. Renewal before the call (from the token's exp) is in tests/unit/client/test_auth_51.py.
    server, n, k = served.server, 12, 6
    tag = uuid.uuid4().hex[:6]
    names = [f"expiry-{tag}-{i:02d}" for i in range(n)]
    served.tap.hooks.append(
        _after_kth_save(server, k, lambda: served.clock.advance(TOKEN_LIFETIME_S + 1))
    )
    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        _program(names),
        {"powerjob:address": served.url, "powerjob:appName": served.app_name},
        {"powerjob:password": served.password},
    )

    up = stack.up()  # one up: it must not fail
    assert up.summary.result == "succeeded"

    assert server.executed(SAVE_JOB) == n, "every job saved, none twice"
    assert _names_on_server(server) == Counter(names), "one job per name, no duplicate"
    assert server.executed(AUTH_APP) == 2, "one token before, one renewed mid-up"
    save_tokens = [
        e.access_token_header for e in server.executions if e.path == SAVE_JOB and e.executed
    ]
    assert len(set(save_tokens)) == 2, "saves ran under the first token, then the renewed one"
    assert save_tokens[:k] == [save_tokens[0]] * k
    refused = [e for e in server.executions if not e.executed and e.path != AUTH_APP]
    assert refused, "the old token was refused at least once after the clock moved"
    assert all(e.auth_passed_header == "false" for e in refused), "each refusal was certified"
    assert all("TOKEN_EXPIRED" in (e.message or "") for e in refused)
    assert server.attempts(SAVE_JOB) - server.executed(SAVE_JOB) == sum(
        1 for e in refused if e.path == SAVE_JOB
    ), "a saveJob was sent again only after a certified refusal"

    before = len(server.executions)
    stack.preview(expect_no_changes=True)
    assert server.executions[before:] == [], "preview needs no server"
    stack.destroy()
    stack.workspace.remove_stack(stack.name)


def test_a_password_changed_mid_up_fails_the_rest_cleanly_and_the_next_up_converges(
    tmp_path: Path, pulumi_bin: Path, served: Served
) -> None:
    # Through the CLI: the program runs in its own process, so the failed `up` leaves nothing
    # of the SDK behind in this one.
    server, n, k = served.server, 8, 3
    tag = uuid.uuid4().hex[:6]
    names = [f"rotate-{tag}-{i:02d}" for i in range(n)]
    new_password = f"pw-new-{uuid.uuid4().hex}"
    served.tap.hooks.append(
        _after_kth_save(server, k, lambda: server.change_password(served.app_name, new_password))
    )
    tokens: list[str] = []
    served.tap.hooks.append(lambda e: tokens.extend(_tokens_in([e])))
    cli = jobs_project(tmp_path, pulumi_bin)
    cli.init(
        {
            "powerjob:address": served.url,
            "powerjob:appName": served.app_name,
            "jobs:names": ",".join(names),
        },
        {"powerjob:password": served.password},
    )

    ups = 1
    with pytest.raises(EngineError) as failed:
        cli.up()
    assert server.executed(SAVE_JOB) == k, "nothing ran after the password changed"
    text = str(failed.value)
    assert "authApp: INCORRECT_PASSWORD" in text, "a clear authentication error"
    assert len(tokens) == 1, "the first up's token was captured; the re-auths were refused"
    secrets = [served.password, new_password, *(_md5(p) for p in (served.password, new_password))]
    assert [s for s in [*secrets, *tokens] if s in text or s in cli.log[-1]] == []
    refused = [e for e in server.executions if not e.executed and e.path == SAVE_JOB]
    assert refused, "the saves after the change reached the server and were refused"
    assert all(e.auth_passed_header == "false" for e in refused), "each refusal was certified"

    cli.run("config", "set", "--secret", "powerjob:password", new_password, secret=True)
    ups += 1
    cli.up()
    cli.preview("--expect-no-changes")

    assert ups == 2
    assert server.executed(SAVE_JOB) == n, "each job saved exactly once over both ups"
    assert _names_on_server(server) == Counter(names), "one job per name, no duplicate"
    cli.destroy()
    cli.remove()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _tokens_in(exchanges: list[Exchange]) -> list[str]:
    """The tokens that successful authApp answers handed out."""
    found = []
    for exchange in exchanges:
        if exchange.path == AUTH_APP:
            data = json.loads(exchange.response_body).get("data") or {}
            found += [data["token"]] if data.get("token") else []
    return found
