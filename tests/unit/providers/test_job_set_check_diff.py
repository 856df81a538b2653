"""JobSetProvider.check, .diff and its plan: offline, each job judged as a Job is."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from pulumi_powerjob.models import JobInfoDTO
from pulumi_powerjob.providers.job_set import JobSetProvider
from pulumi_powerjob.reconcile.job_mapping import spec_to_request
from pulumi_powerjob.reconcile.job_set_plan import plan_apply, plan_delete, spec_of
from tests.support.delivered import WIRE_UNKNOWN, delivered, returned

JOB: dict[str, Any] = {
    "processor_info": "demo.P",
    "time_expression_type": "CRON",
    "time_expression": "0 0 3 * * ?",
}


def check(jobs: Any, **more: Any) -> tuple[dict[str, Any], dict[str, str]]:
    result = JobSetProvider().check({}, delivered({"__provider": "blob", "jobs": jobs, **more}))
    return result.inputs, {f.property: f.reason for f in result.failures}


def test_each_job_is_kept_compact_and_canonical() -> None:
    inputs, failures = check({"a": {**JOB, "concurrency": 5, "time_expression_type": "cron"}})
    assert failures == {}
    assert inputs["jobs"] == {"a": JOB}  # the default concurrency and the key as name go
    assert inputs["connection"] == "default"


def test_a_failure_names_the_job_and_its_field() -> None:
    _, failures = check(
        {
            "ok": JOB,
            "bad-cron": {**JOB, "time_expression": "0 61 * * * ?"},
            "bad-number": {**JOB, "concurrency": 0},
        }
    )
    assert set(failures) == {"jobs.bad-cron.time_expression", "jobs.bad-number.concurrency"}
    assert "61 is outside 0-59" in failures["jobs.bad-cron.time_expression"]


def test_what_belongs_to_the_set_is_refused_on_a_job() -> None:
    _, failures = check({"a": {**JOB, "connection": "prod", "adopt_id": 3, "job_name": "b"}})
    assert set(failures) == {"jobs.a.connection", "jobs.a.adopt_id", "jobs.a.job_name"}


def test_an_empty_or_misshapen_set_is_refused() -> None:
    assert check({})[1] == {"jobs": "must be a non-empty map of job name to job"}
    assert check({"a": "not a job"})[1] == {
        "jobs.a": "must be a job (JobArgs or a map of its fields)"
    }
    assert check({"a": JOB}, surprise=1)[1] == {"surprise": "is not a known property"}


def test_an_unknown_field_is_not_judged_and_the_rest_still_is() -> None:
    inputs, failures = check(
        {
            "a": {**JOB, "job_params": WIRE_UNKNOWN},
            "b": {**JOB, "concurrency": -1, "tag": WIRE_UNKNOWN},
        }
    )
    assert set(failures) == {"jobs.b.concurrency"}
    assert isinstance(inputs["jobs"]["a"]["job_params"], Unknown)


def test_unknown_jobs_and_unknown_entries_pass_check() -> None:
    assert check(WIRE_UNKNOWN)[1] == {}
    inputs, failures = check({"a": WIRE_UNKNOWN})
    assert failures == {}
    assert isinstance(inputs["jobs"]["a"], Unknown)


def test_diff_sees_a_change_an_unknown_and_a_new_connection() -> None:
    provider = JobSetProvider()
    stored = returned(check({"a": JOB, "b": JOB})[0])
    assert not provider.diff("id", stored, delivered(stored)).changes
    changed = {**stored, "jobs": {**stored["jobs"], "b": {**JOB, "concurrency": 7}}}
    assert provider.diff("id", stored, delivered(changed)).changes
    unknown = {**stored, "jobs": {**stored["jobs"], "b": {**JOB, "tag": WIRE_UNKNOWN}}}
    assert provider.diff("id", stored, delivered(unknown)).changes
    moved = provider.diff("id", stored, delivered({**stored, "connection": "prod"}))
    assert moved.replaces == ["connection"]


def _live(job_id: int, name: str, **spec: Any) -> JobInfoDTO:
    request = spec_to_request(spec_of(name, {**JOB, **spec}), 7, job_id)
    wire = request.model_dump(mode="json", by_alias=True)
    wire.update({"id": job_id, "status": 1, "timeExpressionType": 2, "executeType": 1})
    wire.update({"processorType": 1, "notifyUserIds": None, "lifecycle": None})
    return JobInfoDTO.model_validate(wire)


def test_the_plan_creates_updates_adopts_and_leaves_what_landed_alone() -> None:
    declared = {k: spec_of(k, {**JOB, "concurrency": 3}) for k in ("new", "same", "other", "mine")}
    live = [
        _live(11, "same", concurrency=3),  # landed by an earlier cut-off create, or adopted
        _live(12, "other", concurrency=9),  # an existing job of that name: one save
        _live(13, "mine-renamed", concurrency=9),  # the set's own job, by id
    ]
    steps, settled = plan_apply(declared, declared, {"mine": 13}, live)
    assert settled == {"same": 11}
    assert [(s.key, s.kind, s.job_id) for s in steps] == [
        ("new", "create", None),
        ("other", "update", 12),
        ("mine", "update", 13),
    ]


def test_the_plan_refuses_a_name_taken_twice_before_sending_anything() -> None:
    declared = {"dup": spec_of("dup", JOB), "new": spec_of("new", JOB)}
    try:
        plan_apply(declared, declared, {}, [_live(1, "dup"), _live(2, "dup")])
    except ValueError as exc:
        assert "'dup' (2 jobs: [1, 2])" in str(exc)
        assert "nothing was sent" in str(exc)
    else:
        raise AssertionError("a name taken twice was not refused")


def test_a_delete_skips_jobs_already_gone() -> None:
    steps = plan_delete({"a": 1, "b": 2}, [_live(1, "a")])
    assert [(s.key, s.job_id) for s in steps] == [("a", 1)]
