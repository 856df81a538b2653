"""README, "The client on its own": every Python block runs against the real server.

A client block starts with ``MARKER``, which keeps it out of ``test_docs_run`` (Pulumi
programs). Each block runs as a user's script, with the ``POWERJOB_*`` environment, through a
recording proxy that counts what reaches the server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_powerjob import PowerJobClient
from pulumi_powerjob.local.engine import REPO
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration

MARKER = "# the client on its own"
HEADING = "## The client on its own\n"


def section() -> str:
    """The README section, up to the next heading of its level."""
    text = (REPO / "README.md").read_text()
    start = text.index(HEADING)
    end = text.find("\n## ", start + len(HEADING))
    return text[start : end if end != -1 else len(text)]


def client_blocks() -> list[str]:
    """The README's client blocks (anywhere in it), in order."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    return [b for b in blocks if b.startswith(MARKER)]


def test_the_section_has_the_quick_start_and_cites_tests_that_exist() -> None:
    assert client_blocks() and all(b in section() for b in client_blocks())
    cited = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", section())
    assert len(cited) >= 3
    for path, name in cited:
        assert re.search(rf"^def {name}\(", (REPO / path).read_text(), flags=re.M), (path, name)


def run_block(
    index: int,
    app: PowerJobApp,
    proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> dict[str, object]:
    """Run client block ``index`` as a script with the user's environment; its globals."""
    monkeypatch.setenv("POWERJOB_ADDRESS", proxy.address)
    monkeypatch.setenv("POWERJOB_APP_NAME", app.app_name)
    monkeypatch.setenv("POWERJOB_PASSWORD", app.password)
    block = client_blocks()[index]
    script = tmp_path / f"client_block_{index}.py"
    script.write_text(block)
    scope: dict[str, object] = {"__name__": "__main__"}
    exec(compile(block, str(script), "exec"), scope)
    return scope


def test_every_client_block_has_a_test() -> None:
    assert len(client_blocks()) == 2


def test_the_quick_start_runs_against_the_server(
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    scope = run_block(0, powerjob_app, recording_proxy, monkeypatch, tmp_path)
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1, "/openApi/deleteJob": 1}
    with PowerJobClient(powerjob_app.settings()) as client:
        job = client.fetch_job(int(str(scope["job_id"])))
    assert job.deleted and job.time_expression_type.name == "CRON"
    assert scope["app_id"] == powerjob_app.app_id


def test_the_workflow_block_makes_each_call_once_and_none_when_unchanged(
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    scope = run_block(1, powerjob_app, recording_proxy, monkeypatch, tmp_path)
    assert recording_proxy.mutations() == {
        "/openApi/saveJob": 2,
        "/openApi/addWorkflowNode": 1,
        "/openApi/saveWorkflow": 1,
        "/openApi/deleteWorkflow": 1,
        "/openApi/deleteJob": 2,
    }
    assert scope["again"] == scope["saved"]
