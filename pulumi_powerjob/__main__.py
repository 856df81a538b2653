"""``powerjob import|doctor|schedule|run|run-workflow|recover`` (or ``python -m pulumi_powerjob``):
adopt an existing estate, find copied jobs, read a schedule (offline: the next runs as the
server computes them), run a job or a workflow once and wait for its outcome, repair the file
state backend after a killed engine.

Connection (all but schedule): ``--address``/``--app-name``/``--password``, else
``POWERJOB_ADDRESS``, ``POWERJOB_APP_NAME`` and ``POWERJOB_PASSWORD`` (prefer the variable for
the password).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from pydantic import SecretStr

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import PowerJobError
from pulumi_powerjob.estate import (
    find_copies,
    fix,
    ids_in_state,
    read_estate,
    render_program,
    report,
)
from pulumi_powerjob.estate.doctor import NEWEST
from pulumi_powerjob.estate.import_file import render_import_file
from pulumi_powerjob.estate.importer import missing_workflows
from pulumi_powerjob.interrupt import INTERRUPTED
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.recovery import add_parser as add_recover_parser
from pulumi_powerjob.run_command import add_parsers as add_run_parsers
from pulumi_powerjob.settings import ConnectionSettings
from pulumi_powerjob.validation.describe import describe, format_instant
from pulumi_powerjob.validation.firetimes import fire_times
from pulumi_powerjob.validation.schedule import normalize_time_expression
from pulumi_powerjob.validation.zones import zone_of


def run(argv: Sequence[str] | None = None, prog: str = "powerjob") -> int:
    """The console script ``powerjob`` (and ``python -m pulumi_powerjob``): ``main`` that ends
    quietly when standard output is closed early (``powerjob schedule ... | head``)."""
    try:
        code = main(argv, prog)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would report the pipe again when it flushes at exit: point stdout elsewhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command ended by SIGPIPE (128 + 13)
    return code


def main(argv: Sequence[str] | None = None, prog: str = "python -m pulumi_powerjob") -> int:
    args = _parser(prog).parse_args(argv)
    if getattr(args, "offline", False):
        code: int = args.run(args)
        return code
    if args.run is _schedule:
        try:
            return _schedule(None, args)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    try:
        settings = ConnectionSettings.resolve(
            {
                "addresses": args.address,
                "app_name": args.app_name,
                "password": SecretStr(args.password) if args.password else None,
            }
        )
        with PowerJobClient(settings) as client:
            done: int = args.run(client, args)
            return done
    except (PowerJobError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # e.g. while connecting or closing, outside a run's own handling
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


def _import(client: PowerJobClient, args: argparse.Namespace) -> int:
    estate = read_estate(client, args.workflow_id)
    note = missing_workflows(estate)
    if note is not None:
        print(f"note: {note}", file=sys.stderr)
    if args.pulumi_import_file:
        Path(args.pulumi_import_file).write_text(render_import_file(estate), encoding="utf-8")
        return 0
    program = render_program(estate)
    if args.output in (None, "-"):
        sys.stdout.write(program)
    else:
        Path(args.output).write_text(program, encoding="utf-8")
    return 0


def _doctor(client: PowerJobClient, args: argparse.Namespace) -> int:
    protected = frozenset(args.keep_id)
    if args.state:
        protected |= ids_in_state(Path(args.state))
    copies = find_copies(client.fetch_all_job(), protected, timedelta(seconds=args.window))
    print(report(copies))
    if any(NEWEST in c.reason for c in copies):
        print("\nno --keep-id/--state names some sets: the newest copy of those is kept.")
    if args.fix and copies:
        done = fix(client, copies, args.fix)
        print(f"\n{args.fix}d orphan jobs: {', '.join(map(str, done)) or 'none'}")
    elif copies:
        print("\nnothing changed; --fix disable|delete acts on the orphans (one call each).")
    return 0


def _schedule(_client: PowerJobClient | None, args: argparse.Namespace) -> int:
    kind = args.type.upper()
    try:
        canonical = normalize_time_expression(kind, args.expression)
    except ValueError as exc:
        raise ValueError(f"time_expression: {exc}") from None
    zone = zone_of(args.tz)
    now = int(time.time() * 1000)
    runs = fire_times(kind, canonical, args.count, now, zone=zone)
    print(f"schedule  {canonical or '-'} ({kind})")
    print(f"means     {describe(kind, canonical)}")
    print(f"zone      {args.tz} (the server's JVM zone decides; /server/hello reports it)")
    if kind == "FIXED_DELAY":
        print("note      the earliest times: each run waits for the previous one to end")
    print()
    if not runs:
        print("no run to come" if kind not in ("API", "WORKFLOW") else "no run on a clock")
        return 0
    rows = [[str(i), format_instant(t, zone), _after(t - now)] for i, t in enumerate(runs, 1)]
    print(render_table(["#", "next run", "from now"], rows))
    return 0


def plain(docstring: str) -> str:
    """A docstring as help text: reStructuredText's ``literal`` becomes `literal`."""
    return docstring.replace("``", "`").strip()


def _after(ms: int) -> str:
    """``in 2m 4s``, ``in 3h 05m``, ``in 12d 3h``: as precise as a reviewer needs."""
    seconds = max(ms, 0) // 1000
    days, hours, minutes = seconds // 86_400, seconds // 3600 % 24, seconds // 60 % 60
    if days:
        return f"in {days}d {hours}h"
    if hours:
        return f"in {hours}h {minutes:02d}m"
    return f"in {minutes}m {seconds % 60}s" if minutes else f"in {seconds}s"


def _parser(prog: str = "python -m pulumi_powerjob") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description=plain(__doc__ or ""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument("--address", help="server URL(s), comma separated")
    connection.add_argument("--app-name")
    connection.add_argument("--password", help="better: POWERJOB_PASSWORD")
    commands = parser.add_subparsers(
        required=True, metavar="import|doctor|schedule|run|run-workflow|recover"
    )
    imp = commands.add_parser(
        "import",
        parents=[connection],
        help="write a Pulumi program that adopts the app's jobs and the given workflows",
        description="Write a Pulumi program adopting every live job of the app and the "
        "workflows named by --workflow-id. PowerJob has no endpoint that lists "
        "workflows, so each one must be named; jobs are all found.",
    )
    imp.add_argument(
        "--workflow-id", type=int, action="append", default=[], help="repeat for each workflow"
    )
    imp.add_argument("-o", "--output", help="file to write (default: standard output)")
    imp.add_argument(
        "--pulumi-import-file",
        metavar="PATH",
        help="write instead the file `pulumi import --file PATH` takes (plugin path, any "
        "language): the jobs and the --workflow-id workflows, by id",
    )
    imp.set_defaults(run=_import)
    doc = commands.add_parser(
        "doctor",
        parents=[connection],
        help="find copied jobs (a saveJob sent twice) and optionally disable/delete the copies",
    )
    doc.add_argument("--keep-id", type=int, action="append", default=[], help="a job to keep")
    doc.add_argument("--state", help="a `pulumi stack export` file: its job ids are kept")
    doc.add_argument("--window", type=float, default=5.0, help="seconds between copies (default 5)")
    doc.add_argument("--fix", choices=["disable", "delete"], help="act on the orphan copies")
    doc.set_defaults(run=_doctor)
    sched = commands.add_parser(
        "schedule",
        help="describe a time expression and list its next runs (offline, no server)",
        description="Print a time expression in words and its next runs, computed the way "
        "the PowerJob server computes them, in the given time zone.",
    )
    sched.add_argument("expression", help="e.g. '0 0/15 8-18 ? * MON-FRI' or '60000'")
    sched.add_argument(
        "--type",
        default="CRON",
        type=str.upper,
        choices=["CRON", "FIXED_RATE", "FIXED_DELAY", "DAILY_TIME_INTERVAL", "API", "WORKFLOW"],
        help="time expression type (default CRON)",
    )
    sched.add_argument("--count", type=int, default=5, help="how many runs (default 5)")
    sched.add_argument("--tz", default="UTC", help="IANA time zone of the server (default UTC)")
    sched.set_defaults(run=_schedule)
    add_run_parsers(commands, connection)
    add_recover_parser(commands)
    return parser


if __name__ == "__main__":
    raise SystemExit(run(prog="python -m pulumi_powerjob"))
