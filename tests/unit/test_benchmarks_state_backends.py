"""The state-backend benchmark's table: one column per run, job runs first, requests per step.

No server, no engine: a hand-made results dict in the shape state_backends.py writes.
"""

from __future__ import annotations

import re
from typing import Any

from benchmarks.state_backends import markdown


def _step(wall: float, requests: dict[str, int]) -> dict[str, Any]:
    return {"wall_s": wall, "requests": requests, "load_after": [9.5, 8.0, 7.0]}


def test_runs_are_side_by_side_with_the_load_and_the_requests() -> None:
    save = {"/openApi/saveJob": 500}
    results = {
        "n": 500,
        "cpus": 2,
        "load_before": [12.0, 10.0, 8.0],
        "raw_httpx_s": 3.25,
        "runs": {  # in the order they ran: the set first
            "JobSet, file state": {"up": _step(7.0, save), "adopt": _step(2.0, {})},
            "job, file state": {"up": _step(140.0, save)},
            "job, PostgreSQL state": {"up": _step(150.0, save)},
        },
    }

    text = markdown(results)

    header = next(line for line in text.splitlines() if line.startswith("| step"))
    assert header.index("job, file state") < header.index("job, PostgreSQL state")
    assert header.index("job, PostgreSQL state") < header.index("JobSet, file state")
    assert "| up " in text and "140.0" in text and "150.0" in text
    assert re.search(r"\| adopt +\| - ", text), "a step one run lacks is shown as -"
    assert "saveJob 500" in text and "[9.5, 8.0, 7.0]" in text and "[12.0, 10.0, 8.0]" in text
    assert "took 3.2 s" in text
