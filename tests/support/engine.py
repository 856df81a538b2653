"""The real Pulumi engine for tests: the CLI on a project dir, or the Automation API."""

from __future__ import annotations

import shutil
import sys
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from pulumi import automation as auto

from pulumi_powerjob.local.engine import REPO, PulumiCli, offline_env

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


def inline_stack(
    tmp: Path,
    bin_dir: Path,
    program: Callable[[], None],
    config: Mapping[str, str],
    secrets: Mapping[str, str],
) -> auto.Stack:
    """An Automation API stack running ``program`` in this process; providers run apart."""
    env = offline_env(tmp / "home", bin_dir)
    work = tmp / "work"
    work.mkdir(parents=True, exist_ok=True)
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(work),
        pulumi_home=env["PULUMI_HOME"],
        pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
        env_vars={k: v for k, v in env.items() if k.startswith("PULUMI_")},
        project_settings=auto.ProjectSettings(name="lifecycle", runtime="python"),
    )
    stack = auto.create_or_select_stack(
        stack_name=f"t{uuid.uuid4().hex[:8]}", project_name="lifecycle", program=program, opts=opts
    )
    stack.set_all_config(
        {
            **{k: auto.ConfigValue(v) for k, v in config.items()},
            **{k: auto.ConfigValue(v, secret=True) for k, v in secrets.items()},
        }
    )
    return stack
