"""The user's path: the real `pulumi` CLI on the top-level project, against a real server.

Every step is judged by what reached the server, counted by the recording proxy.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import project_cli, quickstart_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]


def test_quickstart_lifecycle_through_the_cli(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = project_cli(quickstart_project(tmp_path), tmp_path / "home", pulumi_bin)
    cli.init(
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    recording_proxy.reset()

    out = cli.preview()
    assert "+ 3 to create" in out
    assert recording_proxy.records == [], "preview of a new stack needs no server at all"

    cli.up()
    assert recording_proxy.mutations() == {"/openApi/saveJob": 2}
    outputs = json.loads(cli.run("stack", "output", "--json"))
    assert outputs["nightly_report_job_id"] != outputs["reindex_job_id"]

    steps: list[Callable[[], str]] = [
        lambda: cli.preview("--expect-no-changes"),
        lambda: cli.up("--expect-no-changes"),
        lambda: cli.refresh("--expect-no-changes"),
        lambda: cli.preview("--expect-no-changes"),
    ]
    for step in steps:
        recording_proxy.reset()
        step()
        assert recording_proxy.mutations() == {}

    state = cli.run("stack", "export")
    assert powerjob_app.password not in state
    assert all(powerjob_app.password not in entry for entry in cli.log)

    recording_proxy.reset()
    cli.destroy()
    assert recording_proxy.mutations() == {"/openApi/deleteJob": 2}
    cli.remove()
