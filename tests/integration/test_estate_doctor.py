"""``python -m pulumi_powerjob doctor`` against the real server, mutations counted at the proxy.

The 5.1.0 trace is reproduced by sending one saveJob twice in quick succession.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_powerjob.__main__ import main
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.models import SwitchableStatus
from pulumi_powerjob.reconcile.job_mapping import spec_to_request
from pulumi_powerjob.reconcile.job_spec import JobSpec
from tests.integration.estate_fixtures import client_for_app, fresh_app, save
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration


def doubled(app: PowerJobApp, name: str) -> tuple[int, int]:
    """One saveJob sent twice, as the 5.1.0 client does: two jobs, created moments apart."""
    spec = JobSpec(job_name=name, processor_info="demo.Twice", time_expression_type="API")
    with client_for_app(app) as client:
        request = spec_to_request(spec, client.app_id)
        return client.save_job(request), client.save_job(request)


def run(app: PowerJobApp, proxy: RecordingProxy, *extra: str) -> None:
    argv = ["doctor", "--address", proxy.address, "--app-name", app.app_name]
    assert main([*argv, "--password", app.password, *extra]) == 0


def test_doctor_reports_copies_and_fixes_only_the_orphans(
    tmp_path: Path,
    powerjob_server: LocalServer,
    recording_proxy: RecordingProxy,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = fresh_app(powerjob_server)
    a_old, a_new = doubled(app, "twice a")
    b_old, b_new = doubled(app, "twice b")
    c_old, c_new = doubled(app, "twice c")
    with client_for_app(app) as client:  # same name, other definition: not a copy
        fields = {"job_name": "twice a", "processor_info": "demo.Twice", "job_params": "x"}
        other = save(client, "other", {**fields, "time_expression_type": "API"})

    recording_proxy.reset()
    run(app, recording_proxy)
    assert recording_proxy.mutations() == {}
    table = capsys.readouterr().out
    for job_id in (a_old, a_new, b_old, b_new, c_old, c_new):
        assert f"| {job_id} " in table
    assert f"| {other} " not in table
    assert "the newest copy of those is kept" in table

    exported = {
        "deployment": {
            "resources": [
                {
                    "type": "pulumi-python:dynamic/powerjob:Job",
                    "id": str(c_old),
                    "outputs": {"job_id": c_old},
                }
            ]
        }
    }
    recording_proxy.reset()
    state = tmp_path / "stack.json"
    state.write_text(json.dumps(exported), encoding="utf-8")
    run(app, recording_proxy, "--keep-id", str(b_old), "--state", str(state), "--fix", "delete")
    assert recording_proxy.mutations() == {"/openApi/deleteJob": 3}
    with client_for_app(app) as client:
        deleted = {j.id for j in client.fetch_all_job() if j.deleted}
    assert deleted == {a_old, b_new, c_new}

    recording_proxy.reset()
    run(app, recording_proxy, "--fix", "disable")
    assert recording_proxy.mutations() == {}
    assert "no copied jobs found" in capsys.readouterr().out


def test_doctor_disable_sends_one_call_per_orphan(
    powerjob_server: LocalServer,
    recording_proxy: RecordingProxy,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = fresh_app(powerjob_server)
    first, second = doubled(app, "twice")
    recording_proxy.reset()
    run(app, recording_proxy, "--fix", "disable")
    assert recording_proxy.mutations() == {"/openApi/disableJob": 1}
    with client_for_app(app) as client:
        assert client.fetch_job(first).status is SwitchableStatus.DISABLE
        assert client.fetch_job(second).status is SwitchableStatus.ENABLE
    assert "disabled orphan jobs" in capsys.readouterr().out
