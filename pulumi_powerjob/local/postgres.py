"""A PostgreSQL cluster of our own on loopback, from Debian's ``postgresql`` package.

``LocalPostgres`` runs ``initdb`` into a directory (a temporary one unless told), starts the
server on a free 127.0.0.1 port with no Unix socket, creates the ``powerjob`` database and
stops the cluster again. PostgreSQL refuses to run as root, so as root every server-side
command runs as the package's ``postgres`` user (``runuser``), which then owns the directory.
The cluster's password is random, kept in ``<root>/password`` (mode 0600) for the next start.
The package is installed with apt-get when missing and running as root; otherwise the error
names it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from pulumi_powerjob.local.database import Datasource, postgres
from pulumi_powerjob.local.jar import LocalServerError
from pulumi_powerjob.local.lifetime import Lifetime
from pulumi_powerjob.local.server import free_ports
from pulumi_powerjob.local.server_log import log_tail

PACKAGE = "postgresql"
RUN_AS = "postgres"
"""The unprivileged user Debian's package creates; the server runs as it when we are root."""
DATABASE = "powerjob"
USERNAME = "powerjob"
START_DEADLINE_S = 600
"""A guard for ``pg_ctl start -w`` (a few seconds on a quiet machine)."""

# PowerJob's PostgreSQL dialect reads and writes its @Lob columns as text, and says they are
# text columns; but 4.3.9 still creates them as ``oid``, so no job can be saved (PowerJob issue
# #926: 'column "job_params" is of type oid'). These columns are made text before the server's
# first start; it adds every other column and the ``native`` id sequence itself.
LOB_COLUMNS = {
    "instance_info": ("instance_params", "job_params", "result"),
    "job_info": ("job_params",),
    "workflow_info": ("pedag",),
    "workflow_instance_info": ("dag", "result", "wf_context", "wf_init_params"),
    "workflow_node_info": ("extra", "node_params"),
}


def postgres_bin_dir(install: bool = True) -> Path:
    """The newest ``/usr/lib/postgresql/<major>/bin`` (Debian), else ``pg_ctl`` on PATH.

    Installs Debian's package when it is missing and we are root (and ``install``).
    """
    found = _find_bin_dir()
    if found is None and install and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"[powerjob-local] installing {PACKAGE} from Debian's packages", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", PACKAGE]):
            subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr, check=False)
        found = _find_bin_dir()
    if found is None:
        raise LocalServerError(
            f"PostgreSQL is not installed: install Debian's {PACKAGE} package "
            f"(sudo apt-get install {PACKAGE}), or put pg_ctl and initdb on PATH"
        )
    return found


def _find_bin_dir() -> Path | None:
    def major(path: Path) -> int:
        name = path.parent.parent.name
        return int(name) if name.isdigit() else -1

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=major)
    if debian:
        return debian[-1].parent
    on_path = shutil.which("pg_ctl")
    return Path(on_path).resolve().parent if on_path else None


class LocalPostgres(Lifetime):
    """One PostgreSQL cluster under ``root`` (``root/data``), serving 127.0.0.1:``port``.

    Without ``root`` a temporary directory is made and ``close()`` removes it. An existing
    cluster under ``root`` is started again with its data and password.
    """

    def __init__(self, root: Path | None = None, port: int | None = None) -> None:
        self.owns_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="powerjob-pg-")) if root is None else root
        self.data_dir = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.port = port
        self._bin: Path | None = None

    @property
    def datasource(self) -> Datasource:
        """What a PowerJob server on this cluster is told (start() first)."""
        if self.port is None:
            raise LocalServerError("PostgreSQL has no port yet; call start() first")
        return postgres(self.port, DATABASE, USERNAME, self._password())

    @property
    def pid(self) -> int | None:
        """The postmaster's pid while the cluster runs (from ``postmaster.pid``)."""
        try:
            first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
        except OSError:
            return None
        return int(first) if first.strip().isdigit() else None

    def start(self) -> None:
        """initdb if needed, start and wait until ready, create the database if new."""
        self._bin = postgres_bin_dir()
        if self.port is None:
            self.port = free_ports(1)[0]
        fresh = not (self.data_dir / "PG_VERSION").is_file()
        if fresh:
            self._initdb()
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories=''"
        started = self._run(
            "pg_ctl", "start", "-w", f"-t{START_DEADLINE_S}", "-D", str(self.data_dir),
            "-l", str(self.log_path), "-o", options, as_owner=True,
        )  # fmt: skip
        if started.returncode != 0:
            self._fail("pg_ctl start", started)
        if fresh:
            self._create_database()

    def stop(self) -> None:
        """Stop the cluster (fast shutdown: sessions are ended, data kept)."""
        if self._bin is None:
            self._bin = _find_bin_dir()
        if self._bin is None or self.pid is None:
            return
        stopped = self._run(
            "pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir), as_owner=True
        )
        if stopped.returncode != 0 and self.pid is not None:
            self._fail("pg_ctl stop", stopped)

    def close(self) -> None:
        """Stop the cluster and remove its directory if this object created it."""
        try:
            self.stop()
        finally:
            if self.owns_root:
                shutil.rmtree(self.root, ignore_errors=True)

    def _initdb(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        password_file = self.root / "password"
        password_file.write_text(secrets.token_urlsafe(24) + "\n")
        password_file.chmod(0o600)
        if os.geteuid() == 0:
            for path in (self.root, password_file):
                shutil.chown(path, RUN_AS, RUN_AS)
            self.root.chmod(0o700)
        done = self._run(
            "initdb", "-D", str(self.data_dir), "-U", USERNAME, f"--pwfile={password_file}",
            "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", as_owner=True,
        )  # fmt: skip
        if done.returncode != 0:
            self._fail("initdb", done)

    def query(self, sql: str, database: str = DATABASE) -> str:
        """Run SQL with psql in ``database`` (stopping at the first error); rows as text."""
        if self.port is None:
            raise LocalServerError("PostgreSQL has no port yet; call start() first")
        self._bin = self._bin or postgres_bin_dir(install=False)
        env = {**os.environ, "PGPASSWORD": self._password()}
        done = self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", USERNAME, "-d", database,
            "-v", "ON_ERROR_STOP=1", "-qtAc", sql, env=env,
        )  # fmt: skip
        if done.returncode != 0:
            self._fail(f"psql ({sql[:60]})", done)
        return done.stdout.strip()

    def _create_database(self) -> None:
        self.query(f"CREATE DATABASE {DATABASE}", database="postgres")
        self.query(
            "".join(
                f"CREATE TABLE {table} (id bigint PRIMARY KEY, {' text, '.join(columns)} text);"
                for table, columns in LOB_COLUMNS.items()
            )
        )

    def _password(self) -> str:
        try:
            return (self.root / "password").read_text().strip()
        except OSError as exc:
            raise LocalServerError(f"no password file for the cluster in {self.root}") from exc

    def _run(
        self, tool: str, *args: str, as_owner: bool = False, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        assert self._bin is not None
        cmd = [str(self._bin / tool), *args]
        if as_owner and os.geteuid() == 0:
            cmd = ["runuser", "-u", RUN_AS, "--", *cmd]
        return subprocess.run(
            cmd, env=env, cwd="/", stdin=subprocess.DEVNULL, capture_output=True, text=True
        )

    def _fail(self, step: str, done: subprocess.CompletedProcess[str]) -> NoReturn:
        output = _redact((done.stderr or done.stdout).strip())
        tail = log_tail(self.log_path)
        hint = ""
        if os.geteuid() == 0 and "ermission denied" in output:
            hint = (
                f" (as root the cluster runs as {RUN_AS!r}, who must be able to enter {self.root})"
            )
        raise LocalServerError(
            f"{step} failed (exit {done.returncode}){hint}: {output}"
            + (f"; last lines of {self.log_path}:\n{tail}" if tail else "")
        )


def _redact(text: str) -> str:
    return re.sub(r"(?i)(password\S*\s*[=:]\s*)\S+", r"\1***", text)
