"""``customTimeouts`` on the plugin path bound the wait for a lost answer (issue 23).

A Job's create has ``customTimeouts: create: 5s``. The server runs its ``saveJob`` and the
answer is held back for minutes, and so is every answer after it, so the settlement's reads
cannot answer either. Without the bound the create would wait ``readTimeout`` (15 s) and then
settle for ``reconcileTimeout`` (120 s); with it, the error comes when the operation's time is
up and says so. The next ``up`` (answers flowing again) finds the job the cut create made by
its mark: the job is saved once in all.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local.proxy import Fault, Record
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import yaml_program
from tests.support.user_path import configure

pytestmark = [pytest.mark.integration, pytest.mark.engine]

PROGRAM = """\
name: yaml-timeouts
runtime: yaml
resources:
  slow:
    type: powerjob:index:Job
    properties:
      jobName: {name}
      processorInfo: com.example.Slow
      timeExpressionType: API
    options:
      customTimeouts:
        create: 5s
"""


def test_a_create_whose_answers_are_held_back_ends_when_its_custom_timeout_is_up(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    name = f"timeouts-{uuid.uuid4().hex[:8]}"
    cli = yaml_program(PROGRAM.format(name=name), tmp_path, pulumi_bin)
    configure(cli, powerjob_app, recording_proxy)
    recording_proxy.delay_s = 600.0  # far beyond every timeout: only the bound can end it
    held: list[str] = []

    def hold_from_the_save_on(record: Record) -> Fault | None:
        if record.path.endswith("/saveJob") or held:
            held.append(record.path)
            return Fault.DELAY
        return None

    recording_proxy.on_forwarded = hold_from_the_save_on
    first = cli.run("up", "--yes", check=False)
    recording_proxy.on_forwarded = None
    assert "customTimeouts, 5 s" in first, first
    assert held[0].endswith("/saveJob") and len(held) >= 2, held  # the save, then reads
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1}

    cli.up()
    cli.preview("--expect-no-changes")
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1}, "saved once in all"
    with PowerJobClient(powerjob_app.settings()) as client:
        live = [j for j in client.fetch_all_job() if j.job_name == name and not j.deleted]
    assert len(live) == 1
    cli.destroy()
