"""What a reviewer reads in a pull request: `preview --diff` names the changed fields,
hides secrets, and shows nothing for fields that did not change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto

from pulumi_powerjob import Job, JobArgs
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
SECRET_SIG, SECRET_KIND = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
SECRET_PARAMS = '{"token": "do-not-show-7f3a"}'


def test_preview_diff_names_changed_fields_and_hides_secrets(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    declared: dict[str, Any] = {"description": "v1"}

    def program() -> None:
        Job(
            "reviewed",
            JobArgs(
                processor_info="demo.Processor",
                time_expression_type="CRON",
                time_expression="0 0 4 * * ?",
                job_description=declared["description"],
                job_params=pulumi.Output.secret(SECRET_PARAMS),
            ),
        )

    stack = inline_stack(
        tmp_path,
        pulumi_bin,
        program,
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": powerjob_app.password},
    )
    stack.up()
    declared["description"] = "v2"
    recording_proxy.reset()
    preview = stack.preview(diff=True)
    assert recording_proxy.records == []
    assert preview.change_summary.get(auto.OpType.UPDATE) == 1
    out = preview.stdout
    assert "job_description" in out and '"v1" => "v2"' in out
    assert "[secret]" in out and "do-not-show-7f3a" not in out
    marked = [
        line.split(":")[0].strip() for line in out.splitlines() if line.lstrip().startswith("~ ")
    ]
    assert marked == [
        "~ pulumi-python",
        "~ job_description",
        "~ 1 to update",
    ], "only the changed field is marked"

    deployment = stack.export_stack().deployment  # the Automation API decrypts secrets here
    assert deployment is not None
    job = next(r for r in deployment["resources"] if r["type"].endswith("powerjob:Job"))
    for side in ("inputs", "outputs"):
        assert job[side]["job_params"].get(SECRET_SIG) == SECRET_KIND, f"{side}: not a secret"
    stack.destroy()
    stack.workspace.remove_stack(stack.name)
