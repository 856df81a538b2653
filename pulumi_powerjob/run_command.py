"""``python -m pulumi_powerjob run JOB_ID`` and ``run-workflow WORKFLOW_ID``: one run, optionally
waited for, with the outcome as the exit status.

Each invocation sends exactly one mutation (``runJob`` or ``runWorkflow``); waiting only reads.
A ``runJob`` whose answer is lost is not sent again (``OutcomeUnknownError``, exit 1).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.client.waiting import (
    DEFAULT_INTERVAL_S,
    DEFAULT_TIMEOUT_S,
    AnyInfo,
    describe,
    terminal_progress,
    wait_for_instance,
    wait_for_workflow_instance,
)
from pulumi_powerjob.errors import OutcomeUnknownError, PowerJobError, WaitTimeoutError
from pulumi_powerjob.interrupt import INTERRUPTED, Interrupt
from pulumi_powerjob.models import (
    InstanceInfoDTO,
    InstanceStatus,
    WorkflowInstanceInfoDTO,
    WorkflowInstanceStatus,
)

NO_WORKER = "no worker available"  # the server's result for an instance no worker took
SUCCEEDED, ERROR, USAGE, FAILED, STOPPED, TIMED_OUT = 0, 1, 2, 3, 4, 5
# Two tables: the two enums share codes (4 is FAILED for an instance, SUCCEED for a workflow),
# and IntEnum members are equal to their codes, so one dict would mix them up.
INSTANCE_EXIT: dict[InstanceStatus, int] = {
    InstanceStatus.SUCCEED: SUCCEEDED,
    InstanceStatus.FAILED: FAILED,
    InstanceStatus.STOPPED: STOPPED,
    InstanceStatus.CANCELED: STOPPED,
}
WORKFLOW_EXIT: dict[WorkflowInstanceStatus, int] = {
    WorkflowInstanceStatus.SUCCEED: SUCCEEDED,
    WorkflowInstanceStatus.FAILED: FAILED,
    WorkflowInstanceStatus.STOPPED: STOPPED,
}


def exit_status(info: InstanceInfoDTO | WorkflowInstanceInfoDTO) -> int:
    """The exit status for a finished instance or workflow instance."""
    if isinstance(info, InstanceInfoDTO):
        return INSTANCE_EXIT[info.status]
    return WORKFLOW_EXIT[info.status]


EPILOG = """exit status (with --wait): 0 succeeded, 1 error (connection, server refusal, lost
answer, a failed read while waiting), 2 usage, 3 the instance failed, 4 it was stopped or
cancelled, 5 --timeout ran out (the instance keeps running), 130 interrupted (the instance
keeps running). Without --wait: 0 once the server has accepted the run. The result text goes
to standard output, progress and messages to standard error."""


def run_job(client: PowerJobClient, args: argparse.Namespace) -> int:
    """``run``: one ``runJob``; with ``--wait`` the instance's outcome."""
    return _run(client, args, "instance", "runJob")


def run_workflow(client: PowerJobClient, args: argparse.Namespace) -> int:
    """``run-workflow``: one ``runWorkflow``; with ``--wait`` the workflow instance's outcome."""
    return _run(client, args, "workflow instance", "runWorkflow")


def _run(client: PowerJobClient, args: argparse.Namespace, what: str, endpoint: str) -> int:
    instance_id: int | None = None
    with Interrupt() as interrupt:
        interrupt.message = f"interrupted before {endpoint} answered: a {what} may have started"
        try:
            instance_id = _start(client, args, endpoint)
            interrupt.message = f"\ninterrupted: {what} {instance_id} keeps running on the server"
            if not args.wait:
                print(instance_id)
                return SUCCEEDED
            return _wait(client, args, (what, endpoint, instance_id), interrupt)
        except OutcomeUnknownError as exc:
            _say(f"error: {exc}; not sent again: look for a new {what} before running it again")
            return ERROR
        except KeyboardInterrupt:
            interrupt.say(interrupt.message)
            return INTERRUPTED


def _start(client: PowerJobClient, args: argparse.Namespace, endpoint: str) -> int:
    delay_ms = round(args.delay * 1000)
    if endpoint == "runJob":
        return client.run_job(args.id, args.params, delay_ms)
    return client.run_workflow(args.id, args.params, delay_ms)


def _wait(
    client: PowerJobClient,
    args: argparse.Namespace,
    started: tuple[str, str, int],
    interrupt: Interrupt,
) -> int:
    what, endpoint, instance_id = started
    printer = terminal_progress(sys.stderr)

    def progress(info: AnyInfo) -> None:
        interrupt.check()  # an interrupt a library swallowed during the read ends the wait here
        printer(info)

    options: Any = {
        "timeout": args.timeout,
        "interval": args.interval,
        "progress": progress,
        "sleep": interrupt.sleep,
    }
    info: InstanceInfoDTO | WorkflowInstanceInfoDTO
    try:
        _say(f"{what} {instance_id} started; waiting up to {args.timeout:g} s")
        if endpoint == "runJob":
            info = wait_for_instance(client, instance_id, **options)
        else:
            info = wait_for_workflow_instance(client, instance_id, **options)
    except WaitTimeoutError as exc:
        _say(f"timed out: {exc}")
        return TIMED_OUT
    except PowerJobError as exc:
        _say(f"error while waiting: {exc}; {what} {instance_id} may still be running")
        return ERROR
    if info.result is not None:
        print(info.result)
    code = exit_status(info)
    if code != SUCCEEDED:
        _say(f"{describe(info)} ended {info.status.name}")
    if code == FAILED:
        for line in _no_worker(client, info):
            _say(line)
    return code


def _no_worker(
    client: PowerJobClient, info: InstanceInfoDTO | WorkflowInstanceInfoDTO
) -> list[str]:
    """Why a run failed, when it is that no worker of the app was online (reads only)."""
    app = client.settings.app_name
    advice = f"no worker of app {app!r} was online: start one (its app name must be {app!r})"
    if isinstance(info, InstanceInfoDTO):
        return [advice] if NO_WORKER in (info.result or "") else []
    failed = []
    for node in _dag_nodes(info.dag):
        result = str(node.get("result") or "")
        instance_id = node.get("instanceId")
        if (
            NO_WORKER not in result
            and isinstance(instance_id, int)
            and node.get("status") == InstanceStatus.FAILED
        ):
            try:
                result = client.fetch_instance_info(instance_id).result or ""
            except PowerJobError:
                continue
        if NO_WORKER in result:
            failed.append(f"node {node.get('nodeName') or node.get('nodeId')!r}")
    return [f"{', '.join(failed)}: {advice}"] if failed else []


def _dag_nodes(dag: str | None) -> list[dict[str, Any]]:
    try:
        nodes = json.loads(dag or "{}").get("nodes") or []
    except (ValueError, AttributeError):
        return []
    return [n for n in nodes if isinstance(n, dict)]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds >= 0")
    return value


def _positive_seconds(text: str) -> float:
    value = _seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def add_parsers(commands: Any, connection: argparse.ArgumentParser) -> None:
    """Add ``run`` and ``run-workflow`` to the subcommands of ``python -m pulumi_powerjob``."""
    for name, target, run, params in (
        ("run", "JOB_ID", run_job, "instance params (the processor's instanceParams)"),
        ("run-workflow", "WORKFLOW_ID", run_workflow, "the workflow's init params"),
    ):
        kind = "job" if name == "run" else "workflow"
        sub = commands.add_parser(
            name,
            parents=[connection],
            help=f"run a {kind} once (one call); --wait for its outcome as the exit status",
            description=f"Run a {kind} once. With --wait, print the result text of its "
            "instance and exit with its outcome.",
            epilog=EPILOG,
        )
        sub.add_argument("id", metavar=target, type=int)
        sub.add_argument("--params", help=params)
        sub.add_argument(
            "--delay", type=_seconds, default=0.0, help="seconds before the run (default 0)"
        )
        sub.add_argument("--wait", action="store_true", help="wait until the instance finishes")
        sub.add_argument(
            "--timeout",
            type=_seconds,
            default=DEFAULT_TIMEOUT_S,
            help=f"seconds to wait, delay included (default {DEFAULT_TIMEOUT_S:g}); then exit 5",
        )
        sub.add_argument(
            "--interval",
            type=_positive_seconds,
            default=DEFAULT_INTERVAL_S,
            help=f"seconds between reads while waiting (default {DEFAULT_INTERVAL_S:g})",
        )
        sub.set_defaults(run=run)
