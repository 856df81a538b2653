"""README, "The client on its own" and "Running jobs from scripts": every Python block runs
against the real server (the run block with the test worker online for its app).

A client block starts with ``MARKER``, which keeps it out of ``test_docs_run`` (Pulumi
programs). Each block runs as a user's script, with the ``POWERJOB_*`` environment, through a
recording proxy that counts what reaches the server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_powerjob import InstanceInfoDTO, PowerJobClient
from pulumi_powerjob.local.engine import REPO
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration

MARKER = "# the client on its own"
HEADINGS = ("## The client on its own\n", "## Running jobs from scripts\n")


def section(heading: str = HEADINGS[0]) -> str:
    """The README section under ``heading``, up to the next heading of its level."""
    text = (REPO / "README.md").read_text()
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else len(text)]


def sections() -> str:
    return "".join(section(h) for h in HEADINGS)


def client_blocks() -> list[str]:
    """The README's client blocks (anywhere in it), in order."""
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    return [b for b in blocks if b.startswith(MARKER)]


def test_the_sections_hold_the_client_blocks_and_cite_tests_that_exist() -> None:
    assert client_blocks() and all(b in sections() for b in client_blocks())
    for heading in HEADINGS:
        cited = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", section(heading))
        assert len(cited) >= 3, heading
        for path, name in cited:
            source = (REPO / path).read_text()
            assert re.search(rf"^def {name}\(", source, flags=re.M), (path, name)


def test_every_footnote_of_the_run_section_is_cited_and_defined() -> None:
    text = section(HEADINGS[1])
    defined = set(re.findall(r"^\[(\w)\] `tests/", text, flags=re.M))
    used = set(re.findall(r"(?<!^)\[(\w)\]", text, flags=re.M))
    assert defined and defined == used


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
    assert len(client_blocks()) == 3


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


def test_the_run_block_creates_runs_and_waits_with_a_real_worker(
    worker_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scope = run_block(2, worker_app, recording_proxy, monkeypatch, tmp_path)
    assert capsys.readouterr().out == "SUCCEED hi\n"  # what its comment says it prints
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1, "/openApi/runJob": 1}
    info = scope["info"]
    assert isinstance(info, InstanceInfoDTO) and info.job_id == scope["job_id"]
    with PowerJobClient(worker_app.settings()) as client:
        client.delete_job(info.job_id)
