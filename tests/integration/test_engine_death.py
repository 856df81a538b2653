"""The engine stopped mid-operation on the real 4.3.9 server, then a CI retry: the cells
and the runner are in tests/support/engine_death.py (README "When the engine itself dies");
the table is written to tests/results/engine-death.md. The 5.1.1 emulation's cells are in
test_engine_death_51.py."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import PowerJobApp, RecordingProxy
from tests.support.death_program import PROGRAM
from tests.support.engine_death import (
    ADD_NODES,
    DELETE_APP,
    DELETE_JOB,
    DELETE_WF,
    HEADER,
    INT,
    INT_TERM,
    KILL,
    REAL,
    SAVE_APP,
    SAVE_JOB,
    SAVE_WF,
    Cell,
    Line,
    retry_as_ci,
    run_cell,
    server_line,
)
from tests.support.results import write_results
from tests.support.user_path import configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]
_rows: list[list[str]] = []
CELLS = [
    Cell(REAL, "Job", "create", SAVE_JOB, KILL, k=4),
    Cell(REAL, "Job", "create", SAVE_JOB, INT, k=4),
    Cell(REAL, "Job", "create", SAVE_JOB, INT_TERM, k=4),
    Cell(REAL, "Job", "update", SAVE_JOB, KILL, k=4),
    Cell(REAL, "Job", "update", SAVE_JOB, INT, k=4),
    Cell(REAL, "Job", "delete", DELETE_JOB, KILL, k=4),
    Cell(REAL, "Job", "delete", DELETE_JOB, INT_TERM, k=4),
    Cell(REAL, "Workflow", "create", ADD_NODES, KILL),
    Cell(REAL, "Workflow", "create", SAVE_WF, KILL),
    Cell(REAL, "Workflow", "create", SAVE_WF, INT_TERM),
    Cell(REAL, "Workflow", "update", SAVE_WF, KILL),
    Cell(REAL, "Workflow", "update", SAVE_WF, INT_TERM),
    Cell(REAL, "Workflow", "delete", DELETE_WF, KILL),
    Cell(REAL, "App", "create", SAVE_APP, KILL),
    Cell(REAL, "App", "update", SAVE_APP, KILL),
    Cell(REAL, "App", "delete", DELETE_APP, KILL),
    Cell(REAL, "AppJobs", "create", SAVE_JOB, KILL, k=2),
    Cell(REAL, "AppJobs", "create", SAVE_WF, KILL),
    Cell(REAL, "AppJobs", "delete", DELETE_JOB, KILL, k=2),
]


@pytest.fixture(scope="module", autouse=True)
def table() -> Iterator[None]:
    yield
    write_results(
        "engine-death.md",
        "The engine stopped mid-operation (4.3.9), then a CI retry",
        HEADER,
        _rows,
    )


@pytest.fixture
def line(request: pytest.FixtureRequest) -> Iterator[Line]:
    with server_line(request, request.node.callspec.params["cell"]) as chosen:
        yield chosen


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
def test_the_engine_stopped_mid_operation_leaves_each_object_once(
    tmp_path: Path, pulumi_bin: Path, line: Line, cell: Cell
) -> None:
    run_cell(tmp_path, pulumi_bin, line, cell, _rows)


def test_regress_26_recover_repairs_the_sidecar_a_killed_engine_leaves_empty(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    """The file backend's `<stack>.json.attrs` is created empty, then filled: a kill between
    the two (seen under load in the table above) breaks every later command until `recover`."""
    decl = {"kind": "Job", "prefix": f"die-{uuid.uuid4().hex[:6]}", "jobs": 1, "concurrency": 5}
    cli = user_project(tmp_path, pulumi_bin, PROGRAM, name="death")
    (cli.project / "decl.json").write_text(json.dumps(decl))
    configure(cli, powerjob_app, recording_proxy)
    cli.up()
    [sidecar] = (tmp_path / "home" / "state").rglob(f"{cli.stack}.json.attrs")
    sidecar.write_text("")  # as a SIGKILL between its creation and its first byte leaves it
    assert not cli.attempt("preview")
    assert "failed to load checkpoint: EOF" in cli.log[-1]

    retry_as_ci(cli, "preview")
    recording_proxy.reset()
    cli.preview("--expect-no-changes")
    assert recording_proxy.records == [], "the last checkpoint is back: nothing to do"


def test_regress_26_a_stack_deployed_before_the_mark_previews_without_changes(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    """The state of a stack deployed before the `owner` input existed (its resources have none)
    previews with no changes and an `up` sends nothing, when the program now passes one."""
    decl = {"kind": "AppJobs", "prefix": f"old-{uuid.uuid4().hex[:6]}", "concurrency": 5, "max": 1}
    cli = user_project(tmp_path, pulumi_bin, PROGRAM, name="death")
    (cli.project / "decl.json").write_text(json.dumps(decl))
    configure(cli, powerjob_app, recording_proxy)
    cli.up()
    exported = json.loads(cli.run("stack", "export"))
    stripped = 0
    for resource in exported["deployment"]["resources"]:
        for key in ("inputs", "outputs"):
            stripped += resource.get(key, {}).pop("owner", None) is not None
    assert stripped == 8, "4 resources (3 jobs, 1 workflow), inputs and outputs"
    state = tmp_path / "old-state.json"
    state.write_text(json.dumps(exported))
    cli.run("stack", "import", "--file", str(state))

    recording_proxy.reset()
    cli.preview("--expect-no-changes")
    cli.up()
    assert recording_proxy.records == [], "no request: nothing to change"

    decl["concurrency"] = 7  # a real change: its diff shows it alone, no `+ owner`
    (cli.project / "decl.json").write_text(json.dumps(decl))
    shown = cli.preview()
    assert "concurrency" in shown and "owner" not in shown, shown
    cli.up()
    assert recording_proxy.mutations() == {"/openApi/saveJob": 3}
