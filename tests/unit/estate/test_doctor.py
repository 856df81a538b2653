"""Copy sets from recorded jobs with chosen creation times (no server)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pulumi_powerjob.estate import find_copies, ids_in_state, report
from pulumi_powerjob.estate.doctor import NEWEST
from pulumi_powerjob.models import JobInfoDTO, SwitchableStatus
from pulumi_powerjob.reconcile import ownership

FIXTURES = Path(__file__).parents[2] / "fixtures" / "powerjob-4.3.9"
T0 = datetime(2026, 1, 1, 12, 0, 0)


def job(job_id: int, seconds: float, **changes: Any) -> JobInfoDTO:
    data = json.loads((FIXTURES / "fetchJob-api.json").read_text())["response"]["data"]
    base = JobInfoDTO.model_validate(data)
    return base.model_copy(
        update={"id": job_id, "gmt_create": T0 + timedelta(seconds=seconds), **changes}
    )


def test_copies_created_close_together_are_one_set_and_the_newest_is_kept() -> None:
    jobs = [job(1, 0), job(2, 0.3), job(3, 60), job(4, 0.1, job_params="other")]
    [copy] = find_copies(jobs, frozenset())
    assert [j.id for j in copy.jobs] == [1, 2]
    assert copy.keep == {2}
    assert copy.reason == NEWEST
    assert [j.id for j in copy.orphans] == [1]


def test_a_referenced_copy_is_kept_instead_of_the_newest() -> None:
    [copy] = find_copies([job(1, 0), job(2, 1)], frozenset({1}))
    assert copy.keep == {1}
    assert [j.id for j in copy.orphans] == [2]


def test_deleted_jobs_and_distant_twins_are_not_copies() -> None:
    deleted = job(2, 0.5, status=SwitchableStatus.DELETED)
    assert find_copies([job(1, 0), deleted], frozenset()) == []
    assert find_copies([job(1, 0), job(2, 6)], frozenset()) == []
    assert len(find_copies([job(1, 0), job(2, 6)], frozenset(), timedelta(seconds=10))) == 1


def test_report_shows_the_evidence() -> None:
    table = report(find_copies([job(7, 0), job(8, 0.25)], frozenset()))
    rows = table.splitlines()[2:]
    assert "| 7 " in rows[0] and "+0 ms" in rows[0] and "orphan" in rows[0]
    assert "| 8 " in rows[1] and "+250 ms" in rows[1] and "keep" in rows[1]
    assert report([]) == "no copied jobs found"


def test_state_export_protects_its_jobs_and_the_jobs_its_workflows_run(tmp_path: Path) -> None:
    exported = {
        "version": 3,
        "deployment": {
            "resources": [
                {"type": "pulumi:pulumi:Stack", "outputs": {"job_id": 99}},
                {"type": "pulumi-python:dynamic/powerjob:Job", "id": "11", "outputs": {}},
                {
                    "type": "pulumi-python:dynamic/powerjob:Job",
                    "id": "12",
                    "outputs": {"job_id": 12},
                },
                {
                    "type": "pulumi-python:dynamic/powerjob:Workflow",
                    "id": "3",
                    "outputs": {"nodes": [{"name": "a", "job_id": 13}, {"name": "d"}]},
                },
            ]
        },
    }
    path = tmp_path / "state.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    assert ids_in_state(path) == {11, 12, 13}


def test_regress_26_jobs_that_carry_one_resources_mark_are_copies_whenever_made() -> None:
    mark = ownership.mark_of("urn:pulumi:dev::p::pulumi-python:dynamic/powerjob:Job::nightly")
    other = ownership.mark_of("urn:pulumi:dev::p::pulumi-python:dynamic/powerjob:Job::hourly")
    jobs = [
        job(1, 0, extra=mark),
        job(2, 600, extra=mark, concurrency=9),  # an hour later, declaration changed since
        job(3, 0.2, extra=other),  # close to 1 and alike, but another resource's
    ]
    [copy] = find_copies(jobs, frozenset({1}))
    assert [j.id for j in copy.jobs] == [1, 2]
    assert [j.id for j in copy.orphans] == [2]
