"""``powerjob recover``: the empty sidecar a killed engine leaves in a file backend goes, and
nothing else does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_powerjob.__main__ import main
from pulumi_powerjob.recovery import empty_sidecars, file_backend


def _backend(tmp_path: Path) -> Path:
    stacks = tmp_path / "state" / ".pulumi" / "stacks" / "proj"
    stacks.mkdir(parents=True)
    (stacks / "dev.json").write_text("{}")
    (stacks / "dev.json.attrs").write_text("")  # the engine was killed while writing it
    (stacks / "dev.json.bak.attrs").write_text('{"user.content_type":"application/json"}\n')
    (stacks / "prod.json").write_text("")  # not a sidecar: never touched
    return tmp_path / "state"


def test_regress_26_recover_removes_only_empty_sidecars(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backend = _backend(tmp_path)
    stacks = backend / ".pulumi" / "stacks" / "proj"
    assert empty_sidecars(backend) == [stacks / "dev.json.attrs"]
    assert main(["recover", "--backend", str(backend)]) == 0
    assert "removed" in capsys.readouterr().out
    assert sorted(p.name for p in stacks.iterdir()) == [
        "dev.json", "dev.json.bak.attrs", "prod.json",
    ]  # fmt: skip
    assert main(["recover", "--backend", str(backend)]) == 0, "safe to run again"
    assert "needs no repair" in capsys.readouterr().out


def test_the_backend_comes_from_the_environment_or_the_login(tmp_path: Path) -> None:
    assert file_backend({"PULUMI_BACKEND_URL": "file:///srv/state"}, tmp_path) == Path("/srv/state")
    assert (
        file_backend({"PULUMI_BACKEND_URL": "file://~/state"}, tmp_path)
        == Path("~/state").expanduser()
    )
    assert file_backend({"PULUMI_BACKEND_URL": "postgres://db/state"}, tmp_path) is None
    home = tmp_path / "home"
    (home / ".pulumi").mkdir(parents=True)
    (home / ".pulumi" / "credentials.json").write_text(json.dumps({"current": "file:///x"}))
    assert file_backend({}, home) == Path("/x")
    assert file_backend({}, tmp_path / "nobody") is None
