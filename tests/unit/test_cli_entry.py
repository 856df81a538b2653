"""Issue 24, item 6: the console script, help without reStructuredText, and a closed pipe."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import entry_points

import pytest

from pulumi_powerjob.__main__ import _parser, run
from pulumi_powerjob.local.engine import REPO

SUBCOMMANDS = ("import", "doctor", "schedule", "run", "run-workflow")


def test_regress_24_powerjob_is_a_console_script_and_the_module_form_stays() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["powerjob"] == "pulumi_powerjob.__main__:run"
    (installed,) = [e for e in entry_points(group="console_scripts") if e.name == "powerjob"]
    assert installed.load() is run
    done = subprocess.run(
        [sys.executable, "-m", "pulumi_powerjob", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("usage: python -m pulumi_powerjob")


@pytest.mark.parametrize("command", [(), *((c,) for c in SUBCOMMANDS)])
def test_regress_24_help_shows_no_restructuredtext(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        _parser("powerjob").parse_args([*command, "--help"])
    shown = capsys.readouterr().out
    assert "``" not in shown and shown.startswith("usage: powerjob")


def test_regress_24_a_closed_pipe_ends_the_listing_quietly() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "pulumi_powerjob", "schedule", "0 * * * * ?", "--count", "5000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().startswith(b"schedule")
        process.stdout.close()  # as `| head -1` does
        err = process.stderr.read().decode()
        assert process.wait(timeout=60) == 141
    assert err == ""
