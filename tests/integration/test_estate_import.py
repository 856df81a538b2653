"""``python -m pulumi_powerjob import`` round trip through the real engine and server.

varied estate (all time types, tricky and repeated names, disabled, deleted, a workflow)
-> import -> up (0 mutations) -> preview (no change, 0 requests) -> one job edited in the
generated code -> up (exactly 1 saveJob)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob.__main__ import main
from pulumi_powerjob.local import LocalServer
from tests.integration.estate_fixtures import build_estate, client_for_app
from tests.support import RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]


def test_imported_program_adopts_the_estate_without_a_mutation(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_server: LocalServer,
    recording_proxy: RecordingProxy,
) -> None:
    estate = build_estate(powerjob_server)
    app = estate.app
    out = tmp_path / "imported.py"
    argv = ["import", "--address", app.address, "--app-name", app.app_name]
    argv += ["--password", app.password, "--workflow-id", str(estate.workflow_id), "-o", str(out)]
    assert main(argv) == 0
    source = out.read_text(encoding="utf-8")
    for job_id in estate.job_ids.values():
        assert f"adopt_id={job_id}," in source
    assert f"adopt_id={estate.deleted_id}," not in source
    assert f"adopt_id={estate.workflow_id}," in source
    assert source.count("enabled=False") == 1
    assert '"job_id": class_.job_id' in source  # the workflow refers to the job by variable
    assert f"dup_{estate.job_ids['dup_b']} = Job(" in source  # a repeated name

    program_text = {"source": source}

    def program() -> None:
        exec(compile(program_text["source"], "imported.py", "exec"), {"__name__": "imported"})

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {"powerjob:address": recording_proxy.address, "powerjob:appName": app.app_name},
        {"powerjob:password": app.password},
    )

    def step(run: Any, expected: dict[str, int], *, requests: int | None = None) -> Any:
        recording_proxy.reset()
        result = run()
        assert recording_proxy.mutations() == expected
        if requests is not None:
            assert len(recording_proxy.records) == requests
        return result

    up = step(stack.up, {})
    assert up.summary.resource_changes == {"create": len(estate.job_ids) + 2}
    step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)
    step(lambda: stack.up(expect_no_changes=True), {})

    assert source.count("concurrency=9,") == 1
    program_text["source"] = source.replace("concurrency=9,", "concurrency=10,")
    step(stack.up, {"/openApi/saveJob": 1})
    with client_for_app(app) as client:
        assert client.fetch_job(estate.job_ids["rich"]).concurrency == 10
    step(lambda: stack.preview(expect_no_changes=True), {}, requests=0)
    stack.workspace.remove_stack(stack.name, force=True)
