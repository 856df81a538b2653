"""Job lifecycle through the real engine (Automation API), step by step, each step judged
by the mutations that reached the real server.

up N (N saveJob) -> preview (0 requests) -> up (0) -> refresh (0 mutations) -> one field (1)
-> out-of-band edit + refresh (drift seen) -> up (1) -> disable (1) -> destroy (N deleteJob)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from pydantic import SecretStr

from pulumi_powerjob import Job, JobArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.models import SwitchableStatus
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec, spec_to_request
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
N = 4


def declared(overrides: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    jobs = []
    for i in range(N):
        spec: dict[str, Any] = {
            "processor_info": f"demo.Processor{i}",
            "time_expression_type": ["CRON", "API", "FIXED_RATE", "DAILY_TIME_INTERVAL"][i],
            "time_expression": [
                "0 0/10 * * * ?",
                None,
                "30000",
                '{"interval":"5","startTimeOfDay":"09:00:00","endTimeOfDay":"17:00:00",'
                '"intervalUnit":"MINUTES","daysOfWeek":[1,2,3,4,5]}',
            ][i],
            "job_params": f'{{"n": {i}}}',
        }
        spec.update(overrides.get(i, {}))
        jobs.append(spec)
    return jobs


def test_job_lifecycle_counts_one_mutation_per_declared_change(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    overrides: dict[int, dict[str, Any]] = {}

    def program() -> None:
        for i, spec in enumerate(declared(overrides)):
            Job(f"job-{i}", JobArgs(**spec))

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    settings = ConnectionSettings(
        addresses=(powerjob_app.address,),
        app_name=powerjob_app.app_name,
        password=SecretStr(powerjob_app.password),
    )
    with PowerJobClient(settings) as client:
        run_lifecycle(stack, client, recording_proxy, overrides)


def run_lifecycle(
    stack: auto.Stack,
    client: PowerJobClient,
    recording_proxy: RecordingProxy,
    overrides: dict[int, dict[str, Any]],
) -> None:
    def step(run: Any, expected: dict[str, int], *, requests: int | None = None) -> Any:
        recording_proxy.reset()
        result = run()
        assert recording_proxy.mutations() == expected
        if requests is not None:
            assert len(recording_proxy.records) == requests
        return result

    up = step(stack.up, {"/openApi/saveJob": N})
    ids = [int(r["outputs"]["job_id"]) for r in _jobs(stack)]
    assert up.summary.resource_changes == {"create": N + 1}

    step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)
    step(lambda: stack.up(expect_no_changes=True), {})
    step(lambda: stack.refresh(expect_no_changes=True), {})
    assert recording_proxy.count("/openApi/fetchAllJob") == 1, "one listing serves every read"
    assert recording_proxy.count("/openApi/fetchJob") == 0
    step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)

    overrides[0] = {"concurrency": 9}
    preview = step(stack.preview, {}, requests=0)
    assert preview.change_summary.get("update") == 1
    step(stack.up, {"/openApi/saveJob": 1})
    assert client.fetch_job(ids[0]).concurrency == 9

    # An edit made in the console: refresh sees it, the next up puts the declaration back.
    live = client.fetch_job(ids[1])
    edited = dto_to_spec(live).model_copy(update={"job_params": "edited by hand"})
    client.save_job(spec_to_request(edited, live.app_id, ids[1]))
    refresh = step(stack.refresh, {})
    assert refresh.summary.resource_changes.get("update") == 1
    assert step(stack.preview, {}, requests=0).change_summary.get("update") == 1
    step(stack.up, {"/openApi/saveJob": 1})
    assert client.fetch_job(ids[1]).job_params == '{"n": 1}'
    step(lambda: stack.refresh(expect_no_changes=True), {})
    step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)

    overrides[2] = {"enabled": False}
    step(stack.up, {"/openApi/saveJob": 1})
    assert client.fetch_job(ids[2]).status is SwitchableStatus.DISABLE
    step(lambda: stack.up(expect_no_changes=True), {})

    step(stack.destroy, {"/openApi/deleteJob": N})
    assert all(client.fetch_job(i).deleted for i in ids)
    stack.workspace.remove_stack(stack.name)


def _jobs(stack: auto.Stack) -> list[dict[str, Any]]:
    deployment = stack.export_stack().deployment
    assert deployment is not None
    state = deployment["resources"]
    jobs = [r for r in state if r["type"] == "pulumi-python:dynamic/powerjob:Job"]
    return sorted(jobs, key=lambda r: r["urn"])
