"""``python -m pulumi_powerjob import|doctor``: adopt an existing estate, find copied jobs.

Connection: ``--address``/``--app-name``/``--password``, else ``POWERJOB_ADDRESS``,
``POWERJOB_APP_NAME`` and ``POWERJOB_PASSWORD`` (prefer the variable for the password).
"""

from __future__ import annotations

import argparse
import sys
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
from pulumi_powerjob.settings import ConnectionSettings


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = ConnectionSettings.resolve(
            {
                "addresses": args.address,
                "app_name": args.app_name,
                "password": SecretStr(args.password) if args.password else None,
            }
        )
        with PowerJobClient(settings) as client:
            code: int = args.run(client, args)
            return code
    except (PowerJobError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _import(client: PowerJobClient, args: argparse.Namespace) -> int:
    program = render_program(read_estate(client, args.workflow_id))
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pulumi_powerjob", description=__doc__)
    connection = argparse.ArgumentParser(add_help=False)
    connection.add_argument("--address", help="server URL(s), comma separated")
    connection.add_argument("--app-name")
    connection.add_argument("--password", help="better: POWERJOB_PASSWORD")
    commands = parser.add_subparsers(required=True, metavar="import|doctor")
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
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
