"""Pulumi state shared by a team: the CLI's ``postgres://`` backend on a ``LocalPostgres`` of
our own (tests/integration/test_state_postgres.py), and working copies of one project that
deploy the same stack from it, as two CI runners or two people do."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from pulumi_powerjob.local.engine import PulumiCli
from pulumi_powerjob.local.postgres import LocalPostgres
from pulumi_powerjob.local.state_backend import (
    STATE_DATABASE,
    STATE_TABLE,
    backend_url,
    backend_url_with_password,
)
from tests.support import PowerJobApp, RecordingProxy
from tests.support.death_program import PROGRAM
from tests.support.user_path import configure, user_project


@dataclasses.dataclass(frozen=True)
class StateDatabase:
    """The database holding Pulumi's state, and the two forms of its ``PULUMI_BACKEND_URL``."""

    cluster: LocalPostgres
    passfile_url: str
    """The password in a libpq password file: the URL itself holds no secret."""
    password_url: SecretStr
    """The password in the URL, as teams often write it."""

    @classmethod
    def at(cls, url: str, root: Path) -> StateDatabase:
        """The database `powerjob-local state-db --data-dir root` started and printed ``url``
        for (the passfile form)."""
        port = urlsplit(url).port
        cluster = LocalPostgres(root, port)
        assert url == backend_url(cluster, root / "pgpass")
        return cls(cluster, url, backend_url_with_password(cluster))

    @property
    def password(self) -> str:
        return self.cluster.datasource.password

    def keys(self, stack: str) -> list[str]:
        """The backend's rows (keys) that name ``stack``: its checkpoint, locks, history. The
        CLI puts the URL's path (the database name) before each key."""
        if not stack.isalnum():
            raise ValueError(stack)
        rows = self.cluster.query(
            f"SELECT key FROM {STATE_TABLE} WHERE key LIKE '%{stack}%' ORDER BY key",
            database=STATE_DATABASE,
        )
        return rows.splitlines()

    def locks(self, stack: str) -> list[str]:
        """The lock rows of ``stack`` (one per engine holding or having died with its lock)."""
        return [k for k in self.keys(stack) if k.startswith(f"{STATE_DATABASE}/.pulumi/locks/")]

    def checkpoint(self, stack: str) -> list[str]:
        """The stack's checkpoint row (a list of one once the stack exists)."""
        head = f"{STATE_DATABASE}/.pulumi/stacks/"
        return [k for k in self.keys(stack) if k.startswith(head) and k.endswith(".json")]


def shared_project(
    tmp: Path,
    bin_dir: Path,
    url: str,
    app: PowerJobApp,
    proxy: RecordingProxy,
    decl: dict[str, Any],
    **config: str,
) -> PulumiCli:
    """A new stack of the death-table program (``decl``: its jobs) whose state is at ``url``."""
    cli = user_project(tmp, bin_dir, PROGRAM, name="shared")
    cli.env = {**cli.env, "PULUMI_BACKEND_URL": url}
    (cli.project / "decl.json").write_text(json.dumps(decl))
    configure(cli, app, proxy, **config)
    return cli


def working_copy(cli: PulumiCli, where: Path) -> PulumiCli:
    """Another checkout of ``cli``'s project (its stack config file included, as a repository
    holds it), with its own Pulumi home, on the same backend and stack."""
    project = where / "project"
    shutil.copytree(cli.project, project, symlinks=True)
    home = where / "pulumi-home"
    return PulumiCli(project, {**cli.env, "PULUMI_HOME": str(home)}, stack=cli.stack)
