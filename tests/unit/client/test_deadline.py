"""An operation's ``customTimeouts`` bound every wait under it (``client.deadline``): each
request's read timeout, and the settlement of a lost answer; a mutation is never sent once the
time is up (issue 23)."""

from __future__ import annotations

import httpx
import pytest

from pulumi_powerjob.client import deadline
from pulumi_powerjob.errors import OutcomeUnknownError, TransportError
from pulumi_powerjob.reconcile import settle
from pulumi_powerjob.settings import ConnectionSettings
from tests.unit.client.test_client_errors import JOB, Server43, client, ok


def _read_timeouts(server: Server43, seen: list[float]) -> Server43:
    answer = server.answer

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"]["read"])
        return answer(request)

    server.answer = recording
    return server


def test_without_a_bound_a_request_waits_its_read_timeout() -> None:
    seen: list[float] = []
    with client(_read_timeouts(Server43(lambda _r: ok(11)), seen), read_timeout=40) as c:
        assert c.save_job(JOB) == 11
    assert seen == [40]


def test_within_a_bound_a_request_waits_no_longer_than_what_is_left() -> None:
    seen: list[float] = []
    server = _read_timeouts(Server43(lambda _r: ok(11)), seen)
    with client(server, read_timeout=40) as c, deadline.bounded(5):
        assert c.save_job(JOB) == 11
    [read] = seen
    assert deadline.SHORTEST_WAIT_S <= read <= 5


def test_a_mutation_is_not_sent_once_the_time_is_up(monkeypatch: pytest.MonkeyPatch) -> None:
    server = Server43(lambda _r: ok(11))
    with client(server) as c:
        c.login()
        with deadline.bounded(5):
            monkeypatch.setattr(deadline, "remaining", lambda: -0.1)
            with pytest.raises(TransportError, match=r"not sent: .*customTimeouts \(5 s\)"):
                c.save_job(JOB)
    assert not any(path.endswith("/saveJob") for path in server.hits)


def test_the_settlement_of_a_lost_answer_stops_when_the_operation_is_out_of_time() -> None:
    settings = ConnectionSettings.model_validate(
        {"addresses": "http://pj.test:7700", "app_name": "a", "reconcile_timeout": 120}
    )
    lost = OutcomeUnknownError("saveJob", "answer lost (timed out)")
    calls: list[int] = []

    def unanswered() -> int:
        calls.append(1)
        raise TransportError("fetchAllJob", "timed out")

    with deadline.bounded(0.01), pytest.raises(OutcomeUnknownError) as failed:
        settle.settle(unanswered, settings, lost, advice="run up again")
    assert "of the operation's customTimeouts, 0.01 s" in str(failed.value)
    assert calls, "the settlement reads at least once"


def test_a_bound_is_the_operations_own_and_ends_with_it() -> None:
    assert deadline.remaining() is None
    with deadline.bounded(30):
        assert deadline.given() == 30
    assert deadline.remaining() is None and deadline.given() is None
    with deadline.bounded(0):  # the engine sends 0 when a resource has no customTimeouts
        assert deadline.remaining() is None
