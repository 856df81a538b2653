"""The ownership mark: a create sent again after the engine died adopts the job the first one
made (issue 26), and never a job of another resource or stack."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_powerjob import ConnectionSettings, CopiesFoundError, JobInfoDTO, PowerJobClient
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.reconcile import ownership
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.resource_urn import child_urn
from tests.support.answers import APP_ID, AppServer, form, ok

URN = "urn:pulumi:dev::orders::pulumi-python:dynamic/powerjob:Job::nightly"
OTHER_STACK = "urn:pulumi:prod::orders::pulumi-python:dynamic/powerjob:Job::nightly"
OTHER_JOB = "urn:pulumi:dev::orders::pulumi-python:dynamic/powerjob:Job::hourly"
MARK = ownership.mark_of(URN)
DECLARED = {
    "job_name": "nightly",
    "processor_info": "demo.P",
    "time_expression_type": "CRON",
    "time_expression": "0 0 3 * * ?",
}


def _row(job_id: int, extra: str | None, status: int = 1, **fields: Any) -> dict[str, Any]:
    return {
        "id": job_id, "appId": APP_ID, "jobName": "nightly", "timeExpressionType": 2,
        "timeExpression": "0 0 3 * * ?", "executeType": 1, "processorType": 1,
        "processorInfo": "demo.P", "status": status, "extra": extra, **fields,
    }  # fmt: skip


class Server(AppServer):
    """An app whose jobs the test lays out; keeps each saveJob."""

    def __init__(self, *jobs: dict[str, Any]) -> None:
        super().__init__()
        self.jobs = {int(j["id"]): j for j in jobs}
        self.saved: list[dict[str, Any]] = []

    def answer(self, path: str, request: httpx.Request) -> httpx.Response:
        if path == "fetchAllJob":
            return ok(list(self.jobs.values()))
        if path == "fetchJob":
            return ok(self.jobs[int(form(request)["jobId"])])
        if path == "saveJob":
            body = json.loads(request.content)
            self.saved.append(body)
            job_id = body.get("id") or 100 + len(self.saved)
            self.jobs[job_id] = _row(job_id, body.get("extra"))
            return ok(job_id)
        return super().answer(path, request)


@contextlib.contextmanager
def _wired(server: Server) -> Iterator[JobProvider]:
    """A provider whose client talks to ``server``."""
    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": f"own-{uuid.uuid4().hex}"},
        environ={"POWERJOB_PASSWORD": "pw"},
    )
    provider = JobProvider()
    with PowerJobClient(settings, transport=httpx.MockTransport(server)) as client:
        provider.client = lambda profile: client  # type: ignore[method-assign]
        yield provider


def _create(server: Server, owner: str | None = URN, **declared: Any) -> str:
    with _wired(server) as provider:
        inputs = provider.check({}, {**DECLARED, **declared, "owner": owner}).inputs
        return str(provider.create(inputs).id)


def test_the_mark_is_one_per_resource_and_names_its_stack() -> None:
    assert MARK is not None and ownership.is_mark(MARK)
    assert ownership.mark_of(URN) == MARK, "the same URN gives the same mark on every run"
    assert len({MARK, ownership.mark_of(OTHER_STACK), ownership.mark_of(OTHER_JOB)}) == 3
    assert (
        ownership.stack_in(MARK)
        == ownership.stack_of(URN)
        == ownership.stack_in(ownership.mark_of(OTHER_JOB))
    )
    assert ownership.stack_in(ownership.mark_of(OTHER_STACK)) != ownership.stack_of(URN)
    assert ownership.mark_of(None) is None and ownership.mark_of("nightly") is None
    assert not ownership.is_mark("pulumi:made-by-hand") and ownership.stack_in("x") is None


def test_the_mark_goes_into_extra_and_reads_back_as_no_extra() -> None:
    spec = JobSpec.model_validate(DECLARED)
    request = spec_to_request(spec, APP_ID, mark=MARK)
    assert request.extra == MARK
    echoed = _row(1, MARK)
    assert dto_to_spec(JobInfoDTO.model_validate(echoed)) == spec, "no perpetual diff"
    declared = JobSpec.model_validate({**DECLARED, "extra": "mine"})
    assert spec_to_request(declared, APP_ID, mark=MARK).extra == "mine", "declared extra wins"


def test_regress_26_a_create_sent_again_adopts_the_job_the_first_one_made() -> None:
    server = Server(_row(41, MARK))
    assert _create(server) == "41"
    assert server.saved == [], "it matches: no mutation"
    assert server.hits["fetchAllJob"] == 1


def test_regress_26_an_adopted_job_that_differs_gets_one_save_with_its_id_and_mark() -> None:
    server = Server(_row(41, MARK, concurrency=3))
    assert _create(server, concurrency=9) == "41"
    assert [(s["id"], s["extra"], s["concurrency"]) for s in server.saved] == [(41, MARK, 9)]


def test_a_first_create_saves_once_with_the_mark() -> None:
    server = Server(_row(7, None), _row(8, ownership.mark_of(OTHER_STACK)))
    created = _create(server)
    assert created == "101"
    assert [(s.get("id"), s["extra"]) for s in server.saved] == [(None, MARK)]


@pytest.mark.parametrize(
    "row",
    [
        _row(8, ownership.mark_of(OTHER_STACK)),  # the same name in another stack
        _row(9, ownership.mark_of(OTHER_JOB)),  # another resource of this stack
        _row(10, MARK, status=99),  # this resource's, deleted
        _row(11, None),  # made by hand
    ],
    ids=["other stack", "other resource", "deleted", "unmarked"],
)
def test_a_job_that_is_not_this_resources_live_job_is_never_adopted(row: dict[str, Any]) -> None:
    server = Server(row)
    assert _create(server) == "101"
    assert (len(server.saved) == 1 and "id" not in server.saved[0]) or not server.saved[0]["id"]


def test_copies_of_one_resource_are_named_and_nothing_is_sent() -> None:
    server = Server(_row(41, MARK), _row(42, MARK))
    with pytest.raises(CopiesFoundError, match=r"\[41, 42\].*adopt_id=41") as raised:
        _create(server)
    assert raised.value.ids == [41, 42]
    assert server.saved == []


def test_a_job_that_declares_extra_has_no_mark_and_lists_nothing() -> None:
    server = Server(_row(41, MARK))
    assert _create(server, extra="mine") == "101"
    assert server.hits["fetchAllJob"] == 0
    assert server.saved[0]["extra"] == "mine"


def test_a_state_without_an_owner_creates_as_before() -> None:
    server = Server(_row(41, MARK))
    assert _create(server, owner=None) == "101"
    assert server.hits["fetchAllJob"] == 0
    assert server.saved[0].get("extra") is None


def test_the_creates_of_one_operation_share_one_listing() -> None:
    server = Server()
    with _wired(server) as provider:
        for name in ("a", "b", "c"):
            urn = URN.replace("nightly", name)
            inputs = provider.check({}, {**DECLARED, "job_name": name, "owner": urn}).inputs
            provider.create(inputs)
    assert server.hits["fetchAllJob"] == 1
    assert server.hits["saveJob"] == 3


def test_a_childs_urn_is_formed_as_the_engine_forms_it() -> None:
    kind = "pulumi-python:dynamic/powerjob:Job"
    stack = "urn:pulumi:dev::orders::pulumi:pulumi:Stack::orders-dev"
    assert child_urn(stack, kind, "a") == f"urn:pulumi:dev::orders::{kind}::a"
    component = "urn:pulumi:dev::orders::powerjob:index:AppJobs::etl"
    assert child_urn(component, kind, "etl-a") == (
        f"urn:pulumi:dev::orders::powerjob:index:AppJobs${kind}::etl-a"
    )
    nested = "urn:pulumi:dev::orders::my:Outer$powerjob:index:AppJobs::etl"
    assert child_urn(nested, kind, "x") == (
        f"urn:pulumi:dev::orders::my:Outer$powerjob:index:AppJobs${kind}::x"
    )


def test_a_resource_created_before_the_mark_keeps_its_shape() -> None:
    provider = JobProvider()
    old = provider.check({}, dict(DECLARED)).inputs  # as an older version stored it
    assert "owner" not in old
    news = {**DECLARED, "concurrency": 7, "owner": URN}
    assert "owner" not in provider.check(old, news).inputs, "no `+ owner` in its next diff"
    assert provider.check({}, news).inputs["owner"] == URN, "a create keeps it"
    marked = provider.check({}, news).inputs
    assert provider.check(marked, news).inputs["owner"] == URN, "and so do its updates"


def test_regress_26_a_refresh_names_copies_that_carry_the_jobs_mark() -> None:
    server = Server(_row(41, MARK), _row(42, MARK), _row(43, ownership.mark_of(OTHER_JOB)))
    with _wired(server) as provider:
        with pytest.raises(CopiesFoundError, match=r"\[41, 42\]"):
            provider.read("41", {**DECLARED, "owner": URN})
        assert provider.read("43", {**DECLARED, "owner": OTHER_JOB}).id == "43"
    assert server.hits["fetchAllJob"] == 1, "the reads share one listing, marks included"
    assert server.saved == []
