"""Run the ``run:`` steps of a GitHub Actions job here, as the runner would run them.

Each step runs in ``bash --noprofile --norc -eo pipefail`` (the runner's default shell) with
the job's and the step's ``env``, ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY``; ``${{ vars.X
}}``, ``${{ secrets.X }}`` and ``${{ steps.ID.outputs.KEY }}`` are filled in (missing: empty,
as on GitHub). ``uses:`` steps are left to the caller (checkout, tools on ``PATH``). A failed
step stops the job, as it does without an ``if:``; steps with an ``if:`` are refused, so that
what runs here is what runs there.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


@dataclass
class StepRun:
    name: str
    returncode: int
    stdout: str
    stderr: str


@dataclass
class JobRun:
    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summary: str = ""

    @property
    def failed(self) -> StepRun | None:
        return next((s for s in self.steps if s.returncode != 0), None)


def run_job(
    workflow: Path,
    job: str,
    cwd: Path,
    base_env: Mapping[str, str],
    *,
    variables: Mapping[str, str] = {},
    secrets: Mapping[str, str] = {},
    skip: Collection[str] = (),
    timeout: float = 900,
) -> JobRun:
    """Run ``job``'s ``run:`` steps in ``cwd``; steps named in ``skip`` are not run."""
    spec: dict[str, Any] = yaml.safe_load(workflow.read_text())["jobs"][job]
    result = JobRun()
    scratch = cwd / ".github-runner"
    scratch.mkdir(exist_ok=True)
    summary = scratch / "step_summary.md"
    summary.write_text("")

    def fill(text: str) -> str:
        def one(match: re.Match[str]) -> str:
            parts = match.group(1).split(".")
            if parts[0] == "vars":
                return variables.get(parts[1], "")
            if parts[0] == "secrets":
                return secrets.get(parts[1], "")
            if parts[0] == "steps" and parts[2] == "outputs":
                return result.outputs.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"expression not supported here: {match.group(0)}")

        return _EXPR.sub(one, text)

    job_env = {k: fill(str(v)) for k, v in (spec.get("env") or {}).items()}
    for index, step in enumerate(spec["steps"]):
        if "run" not in step:
            continue
        name = str(step.get("name") or step["run"].splitlines()[0])
        if name in skip:
            continue
        assert "if" not in step, f"step {name!r} has a condition this runner does not evaluate"
        output = scratch / f"output-{index}"
        output.write_text("")
        env = {
            **base_env,
            **job_env,
            **{k: fill(str(v)) for k, v in (step.get("env") or {}).items()},
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        script = scratch / f"step-{index}.sh"
        script.write_text(fill(step["run"]))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        result.steps.append(StepRun(name, done.returncode, done.stdout, done.stderr))
        if "id" in step:
            pairs = (line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            result.outputs[str(step["id"])] = dict(pairs)
        if done.returncode != 0:
            break
    result.summary = summary.read_text()
    return result
