"""``python -m pulumi_powerjob``: arguments and connection errors, no server."""

from __future__ import annotations

import pytest

from pulumi_powerjob.__main__ import main


def test_missing_connection_names_the_flags_and_variables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("POWERJOB_ADDRESS", "POWERJOB_APP_NAME", "POWERJOB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert main(["import"]) == 1
    assert "POWERJOB_ADDRESS" in capsys.readouterr().err


def test_import_help_says_workflows_must_be_named(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["import", "--help"])
    assert exited.value.code == 0
    assert "--workflow-id" in capsys.readouterr().out


def test_doctor_fix_takes_only_disable_or_delete(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["doctor", "--fix", "purge"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
