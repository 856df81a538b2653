"""Every example program and every Python block of the README, as a user runs it.

Each one is a project of its own on a new stack: `pulumi preview` (zero requests, while the
outputs it refers to are unknown), `pulumi up` with its own preview (the mutations the README
promises), `pulumi preview --expect-no-changes` (zero requests), then destroy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import REPO
from tests.integration.test_client_docs import MARKER as CLIENT_MARKER
from tests.integration.test_component_two_apps import connections, second_app
from tests.support import PowerJobApp, RecordingProxy
from tests.support.user_path import Steps, configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]

SAVE, NODES, FLOW = "/openApi/saveJob", "/openApi/addWorkflowNode", "/openApi/saveWorkflow"


def readme_blocks() -> list[str]:
    """The README's Python blocks that are Pulumi programs, in order.

    Client blocks (first line ``CLIENT_MARKER``) are scripts; test_client_docs runs them.
    """
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    return [b for b in blocks if not b.startswith(CLIENT_MARKER)]


BLOCKS = readme_blocks()
# (program, mutations of its first up); README blocks in order.
PROGRAMS: dict[str, tuple[str, dict[str, int]]] = {
    "examples/quickstart": ((REPO / "examples/quickstart/__main__.py").read_text(), {SAVE: 2}),
    "examples/workflow-dag": (
        (REPO / "examples/workflow-dag/__main__.py").read_text(),
        {SAVE: 3, NODES: 1, FLOW: 1},
    ),
    "examples/multi-app": (
        (REPO / "examples/multi-app/__main__.py").read_text(),
        {SAVE: 3, NODES: 1, FLOW: 1},
    ),
    "README-job": (BLOCKS[0], {SAVE: 1}),
    "README-workflow": (BLOCKS[1], {SAVE: 2, NODES: 1, FLOW: 1}),
    "README-job-set": (BLOCKS[2], {SAVE: 3}),
}


def test_every_example_and_readme_block_is_run() -> None:
    examples = {f"examples/{p.parent.name}" for p in (REPO / "examples").glob("*/__main__.py")}
    assert examples <= set(PROGRAMS)
    assert len(BLOCKS) == sum(name.startswith("README-") for name in PROGRAMS)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_preview_up_and_no_changes_on_a_new_stack(
    name: str,
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_server: LocalServer,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
) -> None:
    program, mutations = PROGRAMS[name]
    cli = user_project(tmp_path, pulumi_bin, program)
    if name == "examples/multi-app":
        billing = second_app(powerjob_server)
        cli.init({}, connections(recording_proxy.address, orders=powerjob_app, billing=billing))
    else:
        configure(cli, powerjob_app, recording_proxy)
    steps = Steps(recording_proxy)
    out = steps.preview(cli, "preview (new stack)")
    assert "to create" in out, out
    steps.run("up", cli.up, mutations)
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    cli.destroy()
    cli.remove()
