"""The real Pulumi engine for tests: the CLI on a project dir, or the Automation API."""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

from pulumi_powerjob.local.engine import REPO, PulumiCli, inline_stack, offline_env

QUICKSTART_FILES = ("Pulumi.yaml", "__main__.py", "examples/quickstart/__main__.py")


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


__all__ = ["inline_stack", "project_cli", "quickstart_project"]
