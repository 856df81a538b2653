"""The helper programs of ``pulumi_powerjob.local`` (nginx, tinyproxy) are installed from
Debian's packages when missing, or named with their package when that cannot be done."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pulumi_powerjob.local import daemon
from pulumi_powerjob.local.jar import LocalServerError

PROGRAM = "pj-test-program-7f3a"


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_a_missing_program_is_installed_with_apt_get_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = tmp_path / "apt-calls"
    _script(
        tmp_path / "apt-get",
        f'echo "$@" >> {calls}\n'
        f'case "$*" in *install*) printf "#!/bin/sh\\n" > {tmp_path}/{PROGRAM}; '
        f"chmod +x {tmp_path}/{PROGRAM};; esac\n",
    )
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}/usr/bin:/bin")
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert daemon.ensure_program(PROGRAM, "pj-package") == str(tmp_path / PROGRAM)
    assert (
        calls.read_text()
        .split("\n")[0]
        .endswith("install -y -q --no-install-recommends pj-package")
    )


def test_without_root_the_error_names_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _script(tmp_path / "apt-get", "exit 1\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    with pytest.raises(LocalServerError, match=rf"{PROGRAM} is not installed.*pj-package"):
        daemon.ensure_program(PROGRAM, "pj-package")
    assert not (tmp_path / PROGRAM).exists()
