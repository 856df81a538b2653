"""A throwaway Pulumi project run by the real CLI: one ``Job`` per name in ``jobs:names``.

The program runs in the language host's own process (as a user's does), so a failed ``up``
leaves nothing behind in the test process; the names come from stack config, so a test
changes what is declared with ``config set``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pulumi_powerjob.local.engine import PulumiCli
from tests.support.engine import project_cli

PROJECT_FILE = """\
name: jobs
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
"""
PROGRAM = '''\
"""One PowerJob job per name in the stack config `jobs:names` (comma-separated)."""

from __future__ import annotations

import pulumi

from pulumi_powerjob import Job, JobArgs

for name in pulumi.Config("jobs").require("names").split(","):
    Job(
        name,
        JobArgs(
            job_name=name,
            processor_info="demo.Processor",
            time_expression_type="CRON",
            time_expression="0 0 5 * * ?",
        ),
    )
'''


def jobs_project(tmp: Path, bin_dir: Path) -> PulumiCli:
    """The CLI on a fresh project under ``tmp/project`` (state under ``tmp/home``)."""
    project = tmp / "project"
    project.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(PROJECT_FILE)
    (project / "__main__.py").write_text(PROGRAM)
    (project / ".venv").symlink_to(Path(sys.prefix))
    return project_cli(project, tmp / "home", bin_dir)
