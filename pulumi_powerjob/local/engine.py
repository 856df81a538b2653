"""The real Pulumi CLI, run offline on a project directory (tests, demo, benchmarks).

``scripts/engine`` provides the binaries (cached outside the clone); this module finds them
and runs ``pulumi`` with a file backend, a passphrase and no network look-ups.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import automation as auto
from pulumi.automation._stack import StackInitMode  # not re-exported by the SDK

from pulumi_powerjob.errors import PowerJobError

REPO = Path(__file__).resolve().parents[2]
ENGINE_SCRIPT = REPO / "scripts" / "engine"


class EngineError(PowerJobError):
    """The Pulumi engine could not be provided, or a CLI command failed."""


def engine_bin() -> Path:
    """The bin directory holding ``pulumi`` and the Python language host (builds once)."""
    if not ENGINE_SCRIPT.exists():
        raise EngineError(f"{ENGINE_SCRIPT} is missing; run from a clone of pulumi-powerjob")
    done = subprocess.run(
        ["bash", str(ENGINE_SCRIPT)], stdout=subprocess.PIPE, text=True, check=False
    )
    if done.returncode != 0:
        raise EngineError(f"scripts/engine failed with exit code {done.returncode}")
    return Path(done.stdout.strip().splitlines()[-1])


def offline_env(
    home: Path, bin_dir: Path, python: str | None = None, backend_url: str | None = None
) -> dict[str, str]:
    """Environment for the CLI: file backend under ``home`` (or ``backend_url``), no update
    check, no downloads."""
    state = home / "state"
    state.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "POWERJOB_"))}
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        PULUMI_HOME=str(home / "pulumi-home"),
        PULUMI_BACKEND_URL=backend_url or state.as_uri(),
        PULUMI_CONFIG_PASSPHRASE="pulumi-powerjob-local",
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_PYTHON_CMD=python or sys.executable,
    )
    return env


@dataclass
class PulumiCli:
    """``pulumi`` in one project directory, for one stack."""

    project: Path
    env: Mapping[str, str] = field(repr=False)
    """The CLI's environment; never shown (it may hold a backend URL with a password)."""
    stack: str = "dev"
    log: list[str] = field(default_factory=list)
    returncode: int = 0
    """The exit status of the last command."""

    def run(self, *args: str, check: bool = True, secret: bool = False) -> str:
        """Run ``pulumi <args> --stack <stack> --non-interactive``; its combined output."""
        cmd = ["pulumi", *args, "--stack", self.stack, "--non-interactive"]
        done = subprocess.run(
            cmd,
            cwd=self.project,
            env=dict(self.env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        self.returncode = done.returncode
        shown = " ".join(cmd[:3] + (["<secret>"] if secret else cmd[3:]))
        self.log.append(f"$ {shown}\n{done.stdout}")
        if check and done.returncode != 0:
            raise EngineError(f"`{shown}` exited {done.returncode}:\n{done.stdout[-4000:]}")
        return done.stdout

    def attempt(self, *args: str) -> bool:
        """Run ``pulumi <args>`` and say whether it exited 0 (its output is in ``log``)."""
        self.run(*args, check=False)
        return self.returncode == 0

    def init(self, config: Mapping[str, str], secrets: Mapping[str, str] = {}) -> None:
        """Create the stack (or select it) and set its config."""
        self.run("stack", "select", "--create")
        for key, value in config.items():
            self.run("config", "set", key, value)
        for key, value in secrets.items():
            self.run("config", "set", "--secret", key, value, secret=True)

    # As users run them: each of these previews first (`--yes` only answers the prompt).
    # A caller that must skip the preview passes `--skip-preview` itself and says why.
    def up(self, *extra: str) -> str:
        return self.run("up", "--yes", *extra)

    def preview(self, *extra: str) -> str:
        return self.run("preview", "--diff", *extra)

    def refresh(self, *extra: str) -> str:
        return self.run("refresh", "--yes", *extra)

    def destroy(self, *extra: str) -> str:
        return self.run("destroy", "--yes", *extra)

    def remove(self) -> None:
        self.run("stack", "rm", "--yes", "--force", check=False)


class PreviewingStack(auto.Stack):
    """An Automation API stack whose ``up`` previews first, as ``pulumi up`` does.

    ``Stack.up()`` alone always skips the preview; a caller that must skip it passes
    ``preview_first=False`` and says why.
    """

    def up(self, *args: Any, preview_first: bool = True, **kwargs: Any) -> auto.UpResult:
        if preview_first:
            self.preview(
                **{k: v for k, v in kwargs.items() if k in _PREVIEW_OPTIONS},
            )
        return super().up(*args, **kwargs)


_PREVIEW_OPTIONS = frozenset({"parallel", "target", "expect_no_changes", "refresh", "color"})


def inline_stack(
    tmp: Path,
    bin_dir: Path,
    program: Callable[[], None],
    config: Mapping[str, str],
    secrets: Mapping[str, str],
    *,
    project: str = "lifecycle",
    backend_url: str | None = None,
) -> PreviewingStack:
    """A fresh Automation API stack whose program runs in this process (offline, file
    backend under ``tmp`` unless ``backend_url``); the dynamic provider runs in its own
    process, as always."""
    env = offline_env(tmp / "home", bin_dir, backend_url=backend_url)
    work = tmp / "work"
    work.mkdir(parents=True, exist_ok=True)
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(work),
        pulumi_home=env["PULUMI_HOME"],
        pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
        env_vars={k: v for k, v in env.items() if k.startswith("PULUMI_")},
        project_settings=auto.ProjectSettings(name=project, runtime="python"),
    )
    stack = auto.create_or_select_stack(
        stack_name=f"s{uuid.uuid4().hex[:8]}", project_name=project, program=program, opts=opts
    )
    stack = PreviewingStack(stack.name, stack.workspace, StackInitMode.SELECT)
    stack.set_all_config(
        {
            **{k: auto.ConfigValue(v) for k, v in config.items()},
            **{k: auto.ConfigValue(v, secret=True) for k, v in secrets.items()},
        }
    )
    return stack
