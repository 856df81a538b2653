"""App through the real engine against the real 4.3.9 server, judged by what reached it.

Two apps, one retained on destroy (the default) and one with ``delete_on_destroy``:
up (2 saves) -> preview (0 requests) -> refresh (0 mutations) -> password change (1 save,
the new password works, the old one no longer does) -> destroy (1 delete, retained app kept).
The password is never in the exported state (no ``--show-secrets``).
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pulumi
import pytest

from pulumi_powerjob import App, AppArgs
from pulumi_powerjob.local.engine import offline_env
from tests.support import RecordingProxy
from tests.support.engine import inline_stack

pytestmark = [pytest.mark.integration, pytest.mark.engine]
SAVE, DELETE = "/appInfo/save", "/appInfo/delete"


def _assert_app(address: str, name: str, password: str) -> Any:
    """What ``/openApi/assert`` says about ``name`` / ``password`` (an id, or a refusal)."""
    answer = httpx.post(
        f"{address}/openApi/assert", data={"appName": name, "password": password}
    ).json()
    return answer["data"] if answer["success"] else answer["message"]


def _export_without_secrets(tmp: Path, bin_dir: Path, stack: str) -> str:
    """``pulumi stack export`` as a user runs it (the Automation API adds --show-secrets)."""
    done = subprocess.run(
        [str(bin_dir / "pulumi"), "stack", "export", "--stack", stack, "--non-interactive"],
        cwd=tmp / "work",
        env=offline_env(tmp / "home", bin_dir),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_app_lifecycle_saves_once_per_change_and_keeps_the_password_secret(
    tmp_path: Path, pulumi_bin: Path, powerjob_server: Any, recording_proxy: RecordingProxy
) -> None:
    tag = uuid.uuid4().hex[:8]
    kept, dropped = f"kept-{tag}", f"dropped-{tag}"
    declared = {"password": f"first-{uuid.uuid4().hex}"}
    other_password = f"other-{uuid.uuid4().hex}"

    def program() -> None:
        app = App("orders", AppArgs(app_name=kept, password=declared["password"]))
        App(
            "scratch",
            AppArgs(app_name=dropped, password=other_password, delete_on_destroy=True),
        )
        pulumi.export("app_id", app.app_id)

    # A stack with one secret in its config has its secrets manager set up, as a user's has.
    secrets = {"lifecycle:marker": "not-the-password"}
    stack = inline_stack(
        tmp_path, pulumi_bin, program, {"powerjob:address": recording_proxy.address}, secrets
    )
    address = powerjob_server.address

    recording_proxy.reset()
    up = stack.up()
    assert recording_proxy.mutations() == {SAVE: 2}
    assert recording_proxy.count("/openApi/assert") == 2, "4.3 answers no id: one assert each"
    assert up.outputs["app_id"].value == _assert_app(address, kept, declared["password"])
    assert up.outputs["app_id"].secret is False

    for run in (
        lambda: stack.preview(expect_no_changes=True),
        lambda: stack.refresh(expect_no_changes=True),
        lambda: stack.up(expect_no_changes=True),
    ):
        recording_proxy.reset()
        run()
        assert recording_proxy.mutations() == {}

    old = declared["password"]
    declared["password"] = f"second-{uuid.uuid4().hex}"
    recording_proxy.reset()
    stack.up()
    assert recording_proxy.mutations() == {SAVE: 1}
    assert _assert_app(address, kept, declared["password"]) == up.outputs["app_id"].value
    assert "password error" in _assert_app(address, kept, old)

    state = _export_without_secrets(tmp_path, pulumi_bin, stack.name)
    for secret in (old, declared["password"], other_password):
        assert secret not in state
    apps = [
        r
        for r in json.loads(state)["deployment"]["resources"]
        if r["type"].endswith("powerjob:App")
    ]
    assert len(apps) == 2
    assert all("ciphertext" in json.dumps(a["outputs"]["password"]) for a in apps)
    assert all("ciphertext" in json.dumps(a["inputs"]["password"]) for a in apps)

    recording_proxy.reset()
    stack.destroy()
    assert recording_proxy.mutations() == {DELETE: 1}, "the app with delete_on_destroy only"
    assert "can't find appInfo" in _assert_app(address, dropped, other_password)
    assert _assert_app(address, kept, declared["password"]) == up.outputs["app_id"].value
    stack.workspace.remove_stack(stack.name)
