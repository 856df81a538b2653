"""examples/multi-app through the real engine: two apps, one connection profile each."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import REPO
from tests.integration.test_component_two_apps import connections, second_app
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
EXAMPLE = REPO / "examples" / "multi-app" / "__main__.py"


def test_the_multi_app_example_deploys_settles_and_destroys(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_server: LocalServer,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
) -> None:
    billing = second_app(powerjob_server)

    def program() -> None:
        runpy.run_path(str(EXAMPLE))

    secrets = connections(recording_proxy.address, orders=powerjob_app, billing=billing)
    stack = inline_stack(tmp_path, pulumi_bin, program, {}, secrets)
    recording_proxy.reset()
    up = stack.up()
    assert recording_proxy.mutations() == {
        "/openApi/saveJob": 3,
        "/openApi/addWorkflowNode": 1,
        "/openApi/saveWorkflow": 1,
    }
    assert sorted(up.outputs["orders_job_ids"].value) == ["collect", "ship"]
    assert sorted(up.outputs["billing_job_ids"].value) == ["invoice"]
    assert sorted(up.outputs["orders_workflow_ids"].value) == ["fulfilment"]

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
