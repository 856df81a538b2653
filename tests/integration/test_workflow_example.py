"""examples/workflow-dag through the real engine: what it makes, and that it then settles."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from pulumi_powerjob.local.engine import REPO
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
EXAMPLE = REPO / "examples" / "workflow-dag" / "__main__.py"


def test_the_workflow_dag_example_deploys_settles_and_destroys(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    def program() -> None:
        runpy.run_path(str(EXAMPLE))

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    recording_proxy.reset()
    up = stack.up()
    assert recording_proxy.mutations() == {
        "/openApi/saveJob": 3,
        "/openApi/addWorkflowNode": 1,
        "/openApi/saveWorkflow": 1,
    }
    assert sorted(up.outputs["node_ids"].value) == [
        "extract",
        "load",
        "transform-eu",
        "transform-us",
    ]

    for run in (
        lambda: stack.preview(expect_no_changes=True),
        lambda: stack.refresh(expect_no_changes=True),
        lambda: stack.up(expect_no_changes=True),
    ):
        recording_proxy.reset()
        run()
        assert recording_proxy.mutations() == {}

    recording_proxy.reset()
    stack.destroy()
    assert recording_proxy.mutations() == {"/openApi/deleteWorkflow": 1, "/openApi/deleteJob": 3}
    stack.workspace.remove_stack(stack.name)
