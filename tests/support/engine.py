"""The real Pulumi engine for tests: the CLI on a project dir, or the Automation API."""

from __future__ import annotations

import os
import re
import shutil
import sys
import uuid
from pathlib import Path

from pulumi_powerjob.local.engine import REPO, PulumiCli, inline_stack, offline_env

QUICKSTART_FILES = ("Pulumi.yaml", "__main__.py", "examples/quickstart/__main__.py")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\):.*?^\s*(\w+)\s*$", re.S | re.M)


def without_program_interrupt(text: str) -> str:
    """``text`` without the traceback of a Python program that the engine interrupted.

    When a step fails, the CLI shuts its plugins down with SIGINT to their children, the
    running program among them. A program still running then (a slow machine) prints a
    ``KeyboardInterrupt`` traceback from ``pulumi-language-python-exec``; a program done
    by then prints nothing. That traceback is the engine's shutdown, so whether it is there
    depends on timing; every other traceback stays in the text."""

    def keep(match: re.Match[str]) -> str:
        block = match.group(0)
        interrupted = match.group(1) == "KeyboardInterrupt"
        only_one = block.count("Traceback (most recent call last):") == 1
        return "" if interrupted and only_one and "pulumi-language-python-exec" in block else block

    return _TRACEBACK.sub(keep, text)


def quickstart_project(tmp: Path) -> Path:
    """A copy of the top-level project, as a user has it (the venv linked, not copied)."""
    project = tmp / "project"
    for name in QUICKSTART_FILES:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, project / name)
    (project / ".venv").symlink_to(Path(sys.prefix))
    return project


def project_cli(project: Path, home: Path, bin_dir: Path) -> PulumiCli:
    return PulumiCli(project, offline_env(home, bin_dir), stack=f"t{uuid.uuid4().hex[:8]}")


def plugin_project(example: str | Path, tmp: Path, bin_dir: Path) -> PulumiCli:
    """The CLI on a copy of ``examples/<example>`` (or of a directory), a program in another
    language, with ``pulumi-resource-powerjob`` on PATH: the bin directory pip installed it
    into, as a user's activated environment has it."""
    project = tmp / "project"
    shutil.copytree(REPO / "examples" / example if isinstance(example, str) else example, project)
    env = offline_env(tmp / "home", bin_dir)
    env["PATH"] = f"{bin_dir}{os.pathsep}{Path(sys.prefix) / 'bin'}{os.pathsep}{env['PATH']}"
    return PulumiCli(project, env, stack=f"t{uuid.uuid4().hex[:8]}")


def yaml_program(text: str, tmp: Path, bin_dir: Path) -> PulumiCli:
    """``plugin_project`` on a new YAML project whose ``Pulumi.yaml`` is ``text``."""
    source = tmp / "source"
    source.mkdir(parents=True)
    (source / "Pulumi.yaml").write_text(text)
    return plugin_project(source, tmp, bin_dir)


__all__ = ["inline_stack", "plugin_project", "project_cli", "quickstart_project", "yaml_program"]
