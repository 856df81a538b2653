"""Sending a JobSet's steps: each at most once, stopping after a failure, lost answers settled
by listings and never resent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from pulumi_powerjob import ConnectionSettings, PartlyAppliedError, PowerJobClient
from pulumi_powerjob.reconcile import batch
from pulumi_powerjob.reconcile import settle as settling
from pulumi_powerjob.reconcile.job_set import run
from pulumi_powerjob.reconcile.job_set_plan import Step, spec_of
from tests.support.answers import AppServer, ok

JOB = {"processor_info": "demo.P", "time_expression_type": "API"}


class Server(AppServer):
    """Saves get ids 100, 101, ...; ``lose`` names whose save runs but whose answer is a 502;
    ``refuse`` names the server refuses."""

    def __init__(
        self, lose: frozenset[str] = frozenset(), refuse: frozenset[str] = frozenset()
    ) -> None:
        super().__init__()
        self.lose, self.refuse = lose, refuse
        self.never: set[str] = set()  # answered 502 without running
        self.saved: dict[str, int] = {}

    def answer(self, path: str, request: httpx.Request) -> httpx.Response:
        if path == "fetchAllJob":
            return ok([self._dto(name, i) for name, i in self.saved.items()])
        if path == "saveJob":
            name = json.loads(request.content)["jobName"]
            if name in self.never:
                return httpx.Response(502, text="bad gateway")
            if name in self.refuse:
                return httpx.Response(200, json={"success": False, "message": "no"})
            self.saved[name] = 100 + len(self.saved)
            if name in self.lose:
                return httpx.Response(502, text="bad gateway")
            return ok(self.saved[name])
        return super().answer(path, request)

    @staticmethod
    def _dto(name: str, job_id: int) -> dict[str, object]:
        return {
            "id": job_id, "appId": 7, "jobName": name, "processorInfo": "demo.P",
            "timeExpressionType": 1, "executeType": 1, "processorType": 1, "status": 1,
            "concurrency": 5,
        }  # fmt: skip


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(settling, "monotonic", lambda: now[0])
    monkeypatch.setattr(settling, "sleep", lambda s: now.__setitem__(0, now[0] + s))


def _client(server: Server) -> Iterator[PowerJobClient]:
    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": f"batch-{uuid.uuid4().hex}"},
        environ={"POWERJOB_PASSWORD": "pw"},
    )
    with PowerJobClient(settings, transport=httpx.MockTransport(server)) as client:
        yield client


def _creates(*names: str) -> list[Step]:
    return [Step(n, "create", spec_of(n, JOB)) for n in names]


def test_a_lost_answer_that_landed_is_settled_by_a_listing_not_resent() -> None:
    server = Server(lose=frozenset({"b"}))
    for client in _client(server):
        assert run(client, _creates("a", "b", "c"), "create") == {"a": 100, "b": 101, "c": 102}
    assert server.hits["saveJob"] == 3
    assert server.hits["fetchAllJob"] == 1


def test_a_refusal_stops_new_steps_from_starting() -> None:
    server = Server(refuse=frozenset({"b"}))
    for client in _client(server):
        outcome = batch.send(client, _creates("a", "b", "c", "d"), parallel=1)
    assert outcome.done == {"a": 100}
    assert list(outcome.failed) == ["b"]
    assert outcome.not_sent == ["c", "d"]
    assert server.hits["saveJob"] == 2


def test_a_502_that_never_ran_is_reported_not_landed_and_names_what_did() -> None:
    server = Server()
    server.never = {"b"}
    for client in _client(server):
        with pytest.raises(PartlyAppliedError) as failed:
            run(client, _creates("a", "b"), "create")
    message = str(failed.value)
    assert message.startswith("JobSet create: 1 step(s) landed, 1 failed, 0 not sent.")
    assert "b: saveJob: HTTP 502, and a listing shows it did not land" in message
    assert message.endswith("Run up again: it lists the app first, so nothing is sent twice")
    assert server.hits["saveJob"] == 2
