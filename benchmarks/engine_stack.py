"""An Automation API stack with a local file backend, offline, running an inline program."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from pulumi import automation as auto

from pulumi_powerjob.local.engine import offline_env


def bench_stack(
    tmp: Path,
    bin_dir: Path,
    program: Callable[[], None],
    config: Mapping[str, str],
    secrets: Mapping[str, str],
) -> auto.Stack:
    """A fresh stack whose program runs in this process; the provider runs in its own."""
    env = offline_env(tmp / "home", bin_dir)
    work = tmp / "work"
    work.mkdir(parents=True, exist_ok=True)
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(work),
        pulumi_home=env["PULUMI_HOME"],
        pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
        env_vars={k: v for k, v in env.items() if k.startswith("PULUMI_")},
        project_settings=auto.ProjectSettings(name="bench", runtime="python"),
    )
    stack = auto.create_or_select_stack(
        stack_name=f"b{uuid.uuid4().hex[:8]}", project_name="bench", program=program, opts=opts
    )
    stack.set_all_config(
        {
            **{k: auto.ConfigValue(v) for k, v in config.items()},
            **{k: auto.ConfigValue(v, secret=True) for k, v in secrets.items()},
        }
    )
    return stack
