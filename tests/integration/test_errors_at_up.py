"""An error at `up`, as the `pulumi` CLI prints it: the message first, no chained "During
handling" section, and the setting to fix named (issue 24, item 3; through the real engine)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests.support import PowerJobApp, RecordingProxy
from tests.support.death_program import PROGRAM
from tests.support.user_path import user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]


def test_regress_24_a_wrong_password_at_up_reads_as_its_message(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    decl = {"kind": "Job", "prefix": f"err-{uuid.uuid4().hex[:6]}", "jobs": 1, "concurrency": 5}
    cli = user_project(tmp_path, pulumi_bin, PROGRAM, name="errors")
    (cli.project / "decl.json").write_text(json.dumps(decl))
    wrong = f"wrong-{uuid.uuid4().hex[:8]}"
    cli.init(
        {"powerjob:address": recording_proxy.address, "powerjob:appName": powerjob_app.app_name},
        {"powerjob:password": wrong},
    )
    assert not cli.attempt("up", "--yes")
    out = cli.log[-1]
    print(out)
    assert "During handling" not in out
    assert wrong not in out, "the password is never printed"
    [first] = [line for line in out.splitlines() if "powerjob:password" in line][:1]
    assert out.index(first) < out.index("Traceback"), "the message comes before the traceback"
    assert recording_proxy.mutations() == {}


def test_regress_24_destroy_says_that_an_app_is_kept(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    program = """\
from pulumi_powerjob import App, AppArgs
App("kept", AppArgs(app_name="NAME", password="PASSWORD"))
"""
    name = f"kept-{uuid.uuid4().hex[:6]}"
    source = program.replace("NAME", name).replace("PASSWORD", uuid.uuid4().hex)
    cli = user_project(tmp_path, pulumi_bin, source, name="errors")
    cli.init({"powerjob:address": recording_proxy.address})
    cli.up()
    recording_proxy.reset()
    out = cli.destroy()
    print(out)
    assert f"app '{name}'" in out and "is kept on the server" in out
    assert recording_proxy.mutations() == {}
