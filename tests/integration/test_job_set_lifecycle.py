"""JobSet through the real engine against the real server, each step judged by what reached
the server: one listing per operation, one mutation per declared change, nothing at preview.

preview with an unknown (0 requests) -> up -> no-op preview and up (0) -> refresh (0 mutations)
-> two jobs changed, named by ``preview --diff`` -> console edit and console delete seen by
refresh, put back by up -> one job added, one removed -> destroy; and an estate adopted by name.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob import Job, JobArgs, JobSet, JobSetArgs, PowerJobClient
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.reconcile.job_set_plan import spec_of
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
N = 12
LIST, SAVE, DELETE = "/openApi/fetchAllJob", "/openApi/saveJob", "/openApi/deleteJob"


def _jobs(prefix: str, n: int, overrides: dict[str, dict[str, Any]]) -> dict[str, Any]:
    jobs: dict[str, Any] = {}
    for i in range(n):
        key = f"{prefix}-{i:02d}"
        args = JobArgs(
            processor_info=f"demo.P{i}",
            time_expression_type="CRON",
            time_expression=f"0 {i} 3 * * ?",
            job_params=f'{{"n": {i}}}',
        )
        for field, value in overrides.get(key, {}).items():
            setattr(args, field, value)
        jobs[key] = args
    return jobs


def _stack(tmp: Path, bin_dir: Path, app: PowerJobApp, proxy: RecordingProxy, program: Any) -> Any:
    return inline_stack(
        tmp,
        bin_dir,
        program,
        {"powerjob:address": proxy.address, "powerjob:appName": app.app_name},
        {"powerjob:password": app.password},
        project="jobset",
    )


def _job_ids(stack: Any) -> dict[str, int]:
    resources = stack.export_stack().deployment["resources"]
    (job_set,) = [r for r in resources if r["type"].endswith(":JobSet")]
    return {k: int(v) for k, v in job_set["outputs"]["job_ids"].items()}


def _step(proxy: RecordingProxy, run: Any, mutations: dict[str, int], **expect: int) -> Any:
    proxy.reset()
    result = run()
    assert dict(proxy.mutations()) == mutations
    for path, count in expect.items():
        assert proxy.count(f"/openApi/{path}") == count, path
    return result


def test_a_job_set_costs_one_listing_and_one_mutation_per_declared_change(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
) -> None:
    prefix = f"set-{uuid.uuid4().hex[:6]}"
    overrides: dict[str, dict[str, Any]] = {}
    extra: list[str] = []
    removed: list[str] = []

    def program() -> None:
        # A job of the set takes an output of a job not created yet: unknown at first preview.
        source = Job(
            f"{prefix}-source", JobArgs(processor_info="demo.S", time_expression_type="API")
        )
        jobs = _jobs(prefix, N, overrides)
        jobs[f"{prefix}-00"].job_params = source.console_url
        for key in extra:
            jobs[key] = JobArgs(processor_info="demo.X", time_expression_type="API")
        for key in removed:
            del jobs[key]
        JobSet("estate", JobSetArgs(jobs=jobs))

    stack = _stack(tmp_path, pulumi_bin, powerjob_app, recording_proxy, program)
    preview = _step(recording_proxy, stack.preview, {})
    assert len(recording_proxy.records) == 0
    assert preview.change_summary == {"create": 3}  # the stack, the source job, the set

    # `up` previews first (as `pulumi up` does), then the set's one listing, the listing the
    # source `Job`'s create takes (README, "When the engine itself dies") and N + 1 saves.
    _step(recording_proxy, stack.up, {SAVE: N + 1}, fetchAllJob=2)
    ids = _job_ids(stack)
    assert sorted(ids) == sorted(_jobs(prefix, N, {}))
    assert (direct.fetch_job(ids[f"{prefix}-00"]).job_params or "").startswith("http")

    _step(recording_proxy, lambda: stack.preview(expect_no_changes=True), {})
    assert len(recording_proxy.records) == 0
    _step(recording_proxy, lambda: stack.up(expect_no_changes=True), {})
    assert len(recording_proxy.records) == 0
    # one listing for the set, one for the source Job (each provider lists once per operation)
    _step(recording_proxy, lambda: stack.refresh(expect_no_changes=True), {}, fetchAllJob=2)

    # Two jobs changed: `preview --diff` names them and their fields; `up` sends two saves.
    overrides[f"{prefix}-03"] = {"concurrency": 7}
    overrides[f"{prefix}-07"] = {"time_expression": "0 59 3 * * ?"}
    diff = _step(recording_proxy, lambda: stack.preview(diff=True), {})
    assert len(recording_proxy.records) == 0
    # Without a detailed diff from the host the engine prints the whole map, marking with `~`
    # the jobs that change and, inside them, the fields.
    marked = [line.strip() for line in diff.stdout.splitlines() if line.strip()[:1] in "~+-"]
    assert f"~ {prefix}-03: {{" in marked
    assert "+ concurrency         : 7" in marked
    assert f"~ {prefix}-07: {{" in marked
    assert '~ time_expression     : "0 7 3 * * ?" => "0 59 3 * * ?"' in marked
    assert not [line for line in marked if f"{prefix}-04" in line]
    _step(recording_proxy, stack.up, {SAVE: 2}, fetchAllJob=1)
    assert direct.fetch_job(ids[f"{prefix}-03"]).concurrency == 7

    # Drift: a console edit and a console delete are seen by refresh; up puts both back.
    live = direct.fetch_job(ids[f"{prefix}-05"])
    edited = dto_to_spec(live).model_copy(update={"job_params": "edited by hand"})
    direct.save_job(spec_to_request(edited, live.app_id, live.id))
    direct.delete_job(ids[f"{prefix}-06"])
    refresh = _step(recording_proxy, stack.refresh, {}, fetchAllJob=2)
    assert refresh.summary.resource_changes.get("update") == 1
    _step(recording_proxy, stack.up, {SAVE: 2}, fetchAllJob=1)
    assert direct.fetch_job(ids[f"{prefix}-05"]).job_params == '{"n": 5}'
    _step(recording_proxy, lambda: stack.preview(expect_no_changes=True), {})

    # One job added, one removed: one save, one delete.
    extra.append(f"{prefix}-new")
    removed.append(f"{prefix}-11")
    _step(recording_proxy, stack.up, {SAVE: 1, DELETE: 1}, fetchAllJob=1)
    assert direct.fetch_job(ids[f"{prefix}-11"]).deleted
    _step(recording_proxy, lambda: stack.preview(expect_no_changes=True), {})

    # destroy: one delete per job of the set, plus the source job.
    _step(recording_proxy, stack.destroy, {DELETE: N + 1}, fetchAllJob=1)
    left = [j for j in direct.fetch_all_job() if (j.job_name or "").startswith(prefix)]
    assert all(j.deleted for j in left)


def test_an_existing_estate_is_adopted_by_name_with_a_save_only_where_it_differs(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
) -> None:
    prefix = f"adopt-{uuid.uuid4().hex[:6]}"
    declared = _jobs(prefix, 5, {})
    before: dict[str, int] = {}
    for key in declared:  # the estate as it is: made by hand, one of them different
        spec = dict(processor_info=declared[key].processor_info, time_expression_type="CRON")
        spec["time_expression"] = declared[key].time_expression
        spec["job_params"] = "old" if key.endswith("-04") else declared[key].job_params
        before[key] = direct.save_job(spec_to_request(spec_of(key, spec), direct.app_id))

    stack = _stack(
        tmp_path, pulumi_bin, powerjob_app, recording_proxy,
        lambda: JobSet("estate", JobSetArgs(jobs=_jobs(prefix, 5, {}))),
    )  # fmt: skip
    up = _step(recording_proxy, stack.up, {SAVE: 1}, fetchAllJob=1)
    assert up.summary.resource_changes == {"create": 2}
    assert _job_ids(stack) == before
    _step(recording_proxy, lambda: stack.preview(expect_no_changes=True), {})
    _step(recording_proxy, stack.destroy, {DELETE: 5})
