"""``powerjob-local``: fetch the server jar, start a detached local server, stop it; start a
PostgreSQL for Pulumi's state (``state-db``).

Progress goes to stderr; stdout carries only the result (the jar path or the address), so
``address=$(powerjob-local start ...)`` works in scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pulumi_powerjob.local.database import DATABASES
from pulumi_powerjob.local.jar import (
    DEFAULT_VERSION,
    SUPPORTED_VERSIONS,
    LocalServerError,
    fetch_jar,
)
from pulumi_powerjob.local.postgres import LocalPostgres
from pulumi_powerjob.local.server import START_DEADLINE_S, LocalServer
from pulumi_powerjob.local.state_backend import backend_url, create_state_database, write_passfile

DEFAULT_STATE_FILE = Path(".state") / "powerjob-local.json"
_POLL_S = 0.1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``powerjob-local`` and ``python -m pulumi_powerjob.local``."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except LocalServerError as exc:
        print(f"powerjob-local: {exc}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="powerjob-local",
        description=(__doc__ or "").replace("``", "`"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    fetch = commands.add_parser("fetch", help="put the server jar into the Maven local repository")
    _add_version(fetch)
    fetch.set_defaults(run=_fetch)

    start = commands.add_parser("start", help="start a detached server and print its address")
    _add_version(start)
    start.add_argument(
        "--data-dir",
        type=Path,
        help="work directory; with it the H2 database is a file there and survives restarts",
    )
    start.add_argument("--port", type=int, help="HTTP port (default: a free one)")
    start.add_argument(
        "--servers",
        type=int,
        default=1,
        help="how many servers to start on the one database (more than one needs --db "
        "postgres); each gets free ports of its own, and all their addresses are printed, "
        "comma-separated, as powerjob:address takes them",
    )
    start.add_argument(
        "--db",
        choices=DATABASES,
        default="h2",
        help="where the server keeps its tables: H2 (embedded), or a PostgreSQL cluster of its "
        "own from Debian's postgresql package (in DATA_DIR/postgres, else a temporary one)",
    )
    start.add_argument("--app", help="create this app once the server is ready")
    start.add_argument("--password", help="app password (default: $POWERJOB_PASSWORD)")
    start.add_argument(
        "--deadline",
        type=float,
        default=START_DEADLINE_S,
        help=f"seconds to wait for each server to be ready (default {START_DEADLINE_S:g})",
    )
    _add_state_file(start)
    start.set_defaults(run=_start)

    stop = commands.add_parser("stop", help="stop the server recorded in a state file")
    _add_state_file(stop)
    stop.set_defaults(run=_stop)

    state_db = commands.add_parser(
        "state-db",
        help="start a PostgreSQL for Pulumi's state; print its PULUMI_BACKEND_URL (no password)",
    )
    state_db.add_argument(
        "--data-dir",
        type=Path,
        default=Path(".state") / "state-db",
        help="the cluster's directory (kept; started again when it is not running)",
    )
    state_db.add_argument("--stop", action="store_true", help="stop the cluster instead")
    state_db.set_defaults(run=_state_db)
    return parser


def _add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", default=DEFAULT_VERSION, choices=SUPPORTED_VERSIONS)


def _add_state_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-file",
        type=Path,
        default=DEFAULT_STATE_FILE,
        help="JSON file describing the server",
    )


def _fetch(args: argparse.Namespace) -> int:
    print(fetch_jar(args.version))
    return 0


def _start(args: argparse.Namespace) -> int:
    state_file: Path = args.state_file
    if state_file.exists():
        old = _read_state(state_file)
        if process_alive(int(old["pid"])):
            raise LocalServerError(f"{state_file} names a running server at {old['address']}")
    password: str | None = args.password or os.environ.get("POWERJOB_PASSWORD")
    if args.app and not password:
        raise LocalServerError("--app needs --password (or $POWERJOB_PASSWORD)")
    if args.servers < 1 or (args.servers > 1 and (args.db != "postgres" or args.port)):
        raise LocalServerError(
            "--servers is 1 or more; more than 1 needs --db postgres and no --port"
        )
    fetch_jar(args.version)
    database = _start_database(args)
    servers = [
        LocalServer(
            args.version,
            data_dir=args.data_dir / f"server-{i}" if args.data_dir and i else args.data_dir,
            persistent=args.data_dir is not None,
            port=args.port,
            database=database.datasource if database else None,
        )
        for i in range(args.servers)
    ]
    server = servers[0]
    try:
        for each in servers:  # one after another: the first creates the tables
            print(
                f"[powerjob-local] starting PowerJob {args.version} on {args.db}, "
                f"log: {each.log_path}",
                file=sys.stderr,
            )
            each.start(args.deadline, detach=True)
        app_id = server.create_app(args.app, password) if args.app and password else None
    except BaseException:
        for each in servers:
            each.close()
        if database is not None:
            database.close()
        raise
    state: dict[str, Any] = _server_state(server) | {
        "app_name": args.app,
        "app_id": app_id,
        "database": args.db,
        "servers": [_server_state(each) for each in servers],
    }
    if database is not None:
        state |= {
            "postgres_root": str(database.root),
            "postgres_port": database.port,
            "postgres_owns_root": database.owns_root,
        }
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    pids = ", ".join(str(each.pid) for each in servers)
    print(f"[powerjob-local] ready (pid {pids}), state in {state_file}", file=sys.stderr)
    print(",".join(each.address for each in servers))
    return 0


def _server_state(server: LocalServer) -> dict[str, Any]:
    return {
        "pid": server.pid,
        "address": server.address,
        "version": server.version,
        "http_port": server.http_port,
        "oms_port": server.oms_port,
        "work_dir": str(server.work_dir),
        "owns_work_dir": server.owns_work_dir,
        "log_path": str(server.log_path),
    }


def _start_database(args: argparse.Namespace) -> LocalPostgres | None:
    """The PostgreSQL cluster for ``--db postgres``, started (None for H2)."""
    if args.db != "postgres":
        return None
    root = args.data_dir / "postgres" if args.data_dir is not None else None
    database = LocalPostgres(root)
    print(f"[powerjob-local] starting PostgreSQL in {database.root}", file=sys.stderr)
    try:
        database.start()
    except BaseException:
        database.close()
        raise
    return database


def _stop(args: argparse.Namespace) -> int:
    state_file: Path = args.state_file
    if not state_file.exists():
        raise LocalServerError(f"no state file {state_file}")
    state = _read_state(state_file)
    for server in state.get("servers") or [state]:
        _stop_server(server)
    if state.get("postgres_root"):
        database = LocalPostgres(Path(state["postgres_root"]), state.get("postgres_port"))
        print(f"[powerjob-local] stopping PostgreSQL in {database.root}", file=sys.stderr)
        database.stop()
        if state.get("postgres_owns_root"):
            shutil.rmtree(database.root, ignore_errors=True)
    state_file.unlink()
    return 0


def _state_db(args: argparse.Namespace) -> int:
    """Start the cluster in DATA_DIR unless it runs, create the ``pulumi`` database, write the
    password file beside it and print the URL naming that file."""
    root: Path = args.data_dir.resolve()
    cluster = LocalPostgres(root, running_port(root))
    if args.stop:
        print(f"[powerjob-local] stopping PostgreSQL in {root}", file=sys.stderr)
        cluster.stop()
        return 0
    if cluster.port is None:
        print(f"[powerjob-local] starting PostgreSQL in {root}", file=sys.stderr)
        cluster.start()
    create_state_database(cluster)
    print(backend_url(cluster, write_passfile(cluster, root / "pgpass")))
    return 0


def running_port(root: Path) -> int | None:
    """The port of the cluster under ``root`` while its postmaster runs (``postmaster.pid``)."""
    try:
        lines = (root / "data" / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    if len(lines) > 3 and lines[0].isdigit() and lines[3].isdigit():
        return int(lines[3]) if process_alive(int(lines[0])) else None
    return None


def _stop_server(server: dict[str, Any]) -> None:
    pid = int(server["pid"])
    cmdline = process_cmdline(pid)
    ours = cmdline is None or f"--server.port={server['http_port']}" in cmdline
    if process_alive(pid) and ours:
        print(f"[powerjob-local] stopping pid {pid}", file=sys.stderr)
        terminate_pid(pid)
    else:
        print(f"[powerjob-local] server pid {pid} is already gone", file=sys.stderr)
    if server.get("owns_work_dir"):
        shutil.rmtree(server["work_dir"], ignore_errors=True)


def _read_state(path: Path) -> dict[str, Any]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LocalServerError(f"unreadable state file {path}: {exc}") from exc
    if not isinstance(state, dict) or not isinstance(state.get("pid"), int):
        raise LocalServerError(f"state file {path} has no pid")
    return state


def terminate_pid(pid: int, timeout_s: float = 30.0) -> bool:
    """SIGTERM a process that is not our child, poll until it is gone, then SIGKILL.

    Returns False when no such process existed.
    """
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return sig == signal.SIGKILL
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not process_alive(pid):
                return True
            time.sleep(_POLL_S)
    raise LocalServerError(f"process {pid} survived SIGKILL for {timeout_s:g} s")


def process_alive(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie (zombies count as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"


def process_cmdline(pid: int) -> list[str] | None:
    """The command line of ``pid`` from /proc, or None where that is unavailable."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]
