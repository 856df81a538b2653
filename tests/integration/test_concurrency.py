"""Concurrency through the real engine: many jobs at the engine's default parallelism, and
two stacks applying to the same app at the same time. Counted at the recording proxy."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from pulumi_powerjob import Job, JobArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local.engine import PulumiCli
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack, project_cli, quickstart_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]
N = 200


def test_an_up_of_200_jobs_saves_each_once(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    direct: PowerJobClient,
) -> None:
    def program() -> None:
        for i in range(N):
            Job(
                f"many-{i:03d}",
                JobArgs(processor_info="demo.Processor", time_expression_type="API"),
            )

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    stack.up()
    assert recording_proxy.mutations() == {"/openApi/saveJob": N}
    outputs = stack.export_stack().deployment
    assert outputs is not None
    ids = {
        int(r["outputs"]["job_id"])
        for r in outputs["resources"]
        if r["type"].endswith("powerjob:Job")
    }
    assert len(ids) == N, "every resource has a job of its own"
    recording_proxy.reset()
    stack.up(expect_no_changes=True)
    assert recording_proxy.mutations() == {}
    recording_proxy.reset()
    stack.destroy()
    assert recording_proxy.mutations() == {"/openApi/deleteJob": N}
    assert all(direct.fetch_job(i).deleted for i in ids)
    stack.workspace.remove_stack(stack.name)


def test_two_stacks_applying_to_one_app_at_once_keep_their_own_jobs(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    clis: list[PulumiCli] = []
    for side in ("a", "b"):
        cli = project_cli(quickstart_project(tmp_path / side), tmp_path / side / "home", pulumi_bin)
        cli.init(
            {
                "powerjob:address": recording_proxy.address,
                "powerjob:appName": powerjob_app.app_name,
            },
            {"powerjob:password": powerjob_app.password},
        )
        clis.append(cli)
    recording_proxy.reset()
    errors: list[BaseException] = []

    def up(cli: PulumiCli) -> None:
        try:
            cli.up()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=up, args=(cli,)) for cli in clis]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert recording_proxy.mutations() == {"/openApi/saveJob": 4}
    ids = [json.loads(cli.run("stack", "output", "--json")) for cli in clis]
    assert len({v for out in ids for k, v in out.items() if k.endswith("job_id")}) == 4

    for cli in clis:
        recording_proxy.reset()
        cli.up("--expect-no-changes")
        assert recording_proxy.mutations() == {}
        recording_proxy.reset()
        cli.destroy()
        assert recording_proxy.mutations() == {"/openApi/deleteJob": 2}
        cli.remove()
