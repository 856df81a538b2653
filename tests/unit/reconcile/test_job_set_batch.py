"""Sending a JobSet's steps: each at most once, stopping after a failure, lost answers settled
by listings and never resent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import httpx
import pytest

from pulumi_powerjob import ConnectionSettings, PartlyAppliedError, PowerJobClient
from pulumi_powerjob.reconcile import batch, job_set
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


def test_a_create_cut_off_carries_the_jobs_that_landed_with_their_ids() -> None:
    server = Server()
    server.never = {"b"}
    for client in _client(server):
        with pytest.raises(PartlyAppliedError) as failed:
            job_set.create(client, {"a": JOB, "b": JOB, "c": JOB})
    landed = failed.value.landed
    assert landed is not None
    assert landed.outputs == {
        "jobs": {"a": JOB, "c": JOB},
        "job_ids": {"a": server.saved["a"], "c": server.saved["c"]},
    }
    assert landed.resource_id is None  # the face that makes the resource names it


def test_an_update_cut_off_keeps_the_old_entry_of_a_job_whose_save_did_not_land() -> None:
    server = Server()
    for client in _client(server):
        ids = job_set.create(client, {"a": JOB, "b": JOB})
        server.never = {"b"}
        changed = {**JOB, "concurrency": 9}
        with pytest.raises(PartlyAppliedError) as failed:
            job_set.update(client, {"a": JOB, "b": JOB}, ids, {"a": changed, "b": changed})
    landed = failed.value.landed
    assert landed is not None
    # (this stand-in answers every save with a new id)
    assert landed.outputs == {
        "jobs": {"a": changed, "b": JOB},
        "job_ids": {"a": server.saved["a"], "b": ids["b"]},
    }


def test_a_failure_before_anything_was_sent_carries_nothing() -> None:
    server = Server(refuse=frozenset({"a"}))
    for client in _client(server):
        with pytest.raises(PartlyAppliedError) as failed:
            job_set.create(client, {"a": JOB})
    assert failed.value.landed is None


def test_partial_state_never_forgets_a_job_the_server_still_holds() -> None:
    old = {"a": {"x": 1}, "b": {"x": 1}, "kept": {"x": 1}, "deleted": {"x": 1}}
    old_ids = {"a": 1, "b": 2, "kept": 3, "deleted": 4}
    new = {"a": {"x": 2}, "b": {"x": 2}, "c": {"x": 2}, "d": {"x": 2}}
    landed = job_set.partly_applied(old, old_ids, new, {"a": 1, "c": 5}, ["kept"])
    assert landed.outputs == {
        "jobs": {"a": {"x": 2}, "b": {"x": 1}, "c": {"x": 2}, "kept": {"x": 1}},
        "job_ids": {"a": 1, "b": 2, "c": 5, "kept": 3},
    }
