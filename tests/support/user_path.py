"""A program run as users run it: the `pulumi` CLI on a project directory, step by step.

``UserProject`` writes a ``Pulumi.yaml`` and a ``__main__.py`` (the venv linked, as a user's
project has one), configures a new stack against a recording proxy, and runs each step
through ``Steps``, which asserts what reached the server in that step and keeps a table of
requests and mutations per step.
"""

from __future__ import annotations

import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pulumi_powerjob.local.engine import PulumiCli
from pulumi_powerjob.local.table import render_table
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import project_cli

PROJECT_FILE = """\
name: {name}
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
"""


def user_project(
    tmp: Path,
    bin_dir: Path,
    program: str,
    *,
    name: str = "userpath",
    files: Mapping[str, str] | None = None,
) -> PulumiCli:
    """The CLI on a fresh project under ``tmp/project`` whose ``__main__.py`` is ``program``."""
    project = tmp / "project"
    project.mkdir(parents=True)
    (project / "Pulumi.yaml").write_text(PROJECT_FILE.format(name=name))
    (project / "__main__.py").write_text(textwrap.dedent(program))
    for relative, text in (files or {}).items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text)
    (project / ".venv").symlink_to(Path(sys.prefix))
    return project_cli(project, tmp / "home", bin_dir)


def configure(cli: PulumiCli, app: PowerJobApp, proxy: RecordingProxy, **extra: str) -> None:
    """A new stack whose `powerjob:*` config points at ``proxy``; the password a secret."""
    cli.init(
        {"powerjob:address": proxy.address, "powerjob:appName": app.app_name, **extra},
        {"powerjob:password": app.password},
    )


@dataclass
class Steps:
    """Runs steps against a recording proxy and asserts each one's server-side mutations."""

    proxy: RecordingProxy
    rows: list[tuple[str, int, str]] = field(default_factory=list)

    def run(
        self,
        name: str,
        action: Callable[[], object],
        mutations: Mapping[str, int],
        *,
        requests: int | None = None,
    ) -> None:
        """Run ``action``; exactly ``mutations`` (path: count) reach the server, and
        ``requests`` requests in all when given (0 for every preview)."""
        self.proxy.reset()
        action()
        got = self.proxy.mutations()
        seen = len(self.proxy.records)
        self.rows.append((name, seen, _show(got)))
        assert got == dict(mutations), f"{name}: mutations {got}, expected {dict(mutations)}"
        if requests is not None:
            assert seen == requests, f"{name}: {seen} requests reached the server"

    def preview(self, cli: PulumiCli, name: str, *extra: str) -> str:
        """A preview: 0 requests, whatever it shows."""
        out: list[str] = []
        self.run(name, lambda: out.append(cli.preview(*extra)), {}, requests=0)
        return out[0]

    def table(self) -> str:
        """The steps as a table: requests and mutations each."""
        return render_table(
            ["step", "requests", "mutations"], [[n, str(r), m] for n, r, m in self.rows]
        )


def _show(mutations: Mapping[str, int]) -> str:
    counts = Counter(mutations)
    return ", ".join(f"{path.rsplit('/', 1)[-1]} x{n}" for path, n in sorted(counts.items())) or "0"
