"""The engine stopped mid-operation on the 5.1.1 emulation, then a CI retry: the same
runner as test_engine_death.py (tests/support/engine_death.py); the table is written to
tests/results/engine-death-51.md."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.engine_death import (
    ADD_NODES,
    DELETE_JOB,
    DELETE_WF,
    EMULATED,
    HEADER,
    INT_TERM,
    KILL,
    SAVE_APP,
    SAVE_JOB,
    SAVE_WF,
    Cell,
    Line,
    run_cell,
    server_line,
)
from tests.support.results import write_results

pytestmark = [pytest.mark.integration, pytest.mark.engine]
_rows: list[list[str]] = []
CELLS = [
    Cell(EMULATED, "Job", "create", SAVE_JOB, KILL, k=4),
    Cell(EMULATED, "Job", "create", SAVE_JOB, INT_TERM, k=4),
    Cell(EMULATED, "Workflow", "create", ADD_NODES, KILL),
    Cell(EMULATED, "Workflow", "create", SAVE_WF, KILL),
    Cell(EMULATED, "Workflow", "create", SAVE_WF, INT_TERM),
    Cell(EMULATED, "Job", "update", SAVE_JOB, KILL, k=4),
    Cell(EMULATED, "Job", "delete", DELETE_JOB, KILL, k=4),
    Cell(EMULATED, "Workflow", "update", SAVE_WF, KILL),
    Cell(EMULATED, "Workflow", "delete", DELETE_WF, KILL),
    Cell(EMULATED, "App", "create", SAVE_APP, KILL),
    Cell(EMULATED, "App", "update", SAVE_APP, KILL),
    # no 5.1 App delete: no recorded 5.1 exchange of the console's /appInfo/delete to emulate
    Cell(EMULATED, "AppJobs", "create", SAVE_JOB, KILL, k=2),
]


@pytest.fixture(scope="module", autouse=True)
def table() -> Iterator[None]:
    yield
    title = "The engine stopped mid-operation (5.1.1 emulation), then a CI retry"
    write_results("engine-death-51.md", title, HEADER, _rows)


@pytest.fixture
def line(request: pytest.FixtureRequest) -> Iterator[Line]:
    with server_line(request, request.node.callspec.params["cell"]) as chosen:
        yield chosen


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
def test_the_engine_stopped_mid_operation_leaves_each_object_once(
    tmp_path: Path, pulumi_bin: Path, line: Line, cell: Cell
) -> None:
    run_cell(tmp_path, pulumi_bin, line, cell, _rows)
