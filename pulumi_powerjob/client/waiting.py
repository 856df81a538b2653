"""Waiting for an instance or a workflow instance to finish: reads only, never a mutation.

``wait_for_instance`` and ``wait_for_workflow_instance`` poll ``/fetchInstanceInfo`` or
``/fetchWfInstanceInfo`` until the status is final and return that last answer. When the wait
runs out they raise ``WaitTimeoutError``; the instance keeps running on the server.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from enum import IntEnum
from typing import IO, TYPE_CHECKING, TypeVar

from pulumi_powerjob.errors import WaitTimeoutError
from pulumi_powerjob.models import (
    InstanceInfoDTO,
    InstanceStatus,
    WorkflowInstanceInfoDTO,
    WorkflowInstanceStatus,
)

if TYPE_CHECKING:
    from pulumi_powerjob.client.client import PowerJobClient

InfoT = TypeVar("InfoT", InstanceInfoDTO, WorkflowInstanceInfoDTO)
AnyInfo = InstanceInfoDTO | WorkflowInstanceInfoDTO
Progress = Callable[[AnyInfo], object]
"""Called with every answer read while waiting, the final one included."""

INSTANCE_FINAL = frozenset(
    {
        InstanceStatus.SUCCEED,
        InstanceStatus.FAILED,
        InstanceStatus.STOPPED,
        InstanceStatus.CANCELED,
    }
)
"""Statuses an instance never leaves."""
WORKFLOW_FINAL = frozenset(
    {WorkflowInstanceStatus.SUCCEED, WorkflowInstanceStatus.FAILED, WorkflowInstanceStatus.STOPPED}
)
"""Statuses a workflow instance never leaves."""

DEFAULT_TIMEOUT_S = 600.0
DEFAULT_INTERVAL_S = 1.0


def is_final(info: AnyInfo) -> bool:
    """Whether the instance (or workflow instance) has finished, whichever way."""
    if isinstance(info, InstanceInfoDTO):
        return info.status in INSTANCE_FINAL
    return info.status in WORKFLOW_FINAL


def describe(info: AnyInfo) -> str:
    """``instance 123`` or ``workflow instance 123``."""
    if isinstance(info, InstanceInfoDTO):
        return f"instance {info.instance_id}"
    return f"workflow instance {info.wf_instance_id}"


def wait_for_instance(
    client: PowerJobClient,
    instance_id: int,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = DEFAULT_INTERVAL_S,
    progress: Progress | bool | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> InstanceInfoDTO:
    """Read the instance every ``interval`` seconds until it has finished; its last answer.

    Finished is SUCCEED, FAILED, STOPPED or CANCELED; check ``.status`` and ``.result``.
    ``progress`` is called with every answer; ``True`` means ``terminal_progress()``. After
    ``timeout`` seconds: ``WaitTimeoutError``. Errors of the reads propagate.
    """
    return _wait(
        lambda: client.fetch_instance_info(instance_id),
        "instance",
        instance_id,
        timeout=timeout,
        interval=interval,
        progress=progress,
        clock=clock,
        sleep=sleep,
    )


def wait_for_workflow_instance(
    client: PowerJobClient,
    wf_instance_id: int,
    *,
    timeout: float = DEFAULT_TIMEOUT_S,
    interval: float = DEFAULT_INTERVAL_S,
    progress: Progress | bool | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> WorkflowInstanceInfoDTO:
    """``wait_for_instance`` for a workflow instance: until SUCCEED, FAILED or STOPPED."""
    return _wait(
        lambda: client.fetch_wf_instance_info(wf_instance_id),
        "workflow instance",
        wf_instance_id,
        timeout=timeout,
        interval=interval,
        progress=progress,
        clock=clock,
        sleep=sleep,
    )


def _wait(
    read: Callable[[], InfoT],
    what: str,
    instance_id: int,
    *,
    timeout: float,
    interval: float,
    progress: Progress | bool | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> InfoT:
    if timeout < 0 or interval <= 0:
        raise ValueError("timeout must be >= 0 and interval > 0 (seconds)")
    report = terminal_progress() if progress is True else progress or None
    deadline = clock() + timeout
    while True:
        info = read()
        if report is not None:
            report(info)
        if is_final(info):
            return info
        remaining = deadline - clock()
        if remaining <= 0:
            status: IntEnum = info.status
            raise WaitTimeoutError(what, instance_id, status, timeout)
        sleep(min(interval, remaining))


def terminal_progress(
    stream: IO[str] | None = None, *, clock: Callable[[], float] = time.monotonic
) -> Progress:
    """A ``progress`` that shows the status and the time waited so far on ``stream``.

    On a terminal: one line, rewritten in place at every read and ended when the instance
    finishes. Elsewhere (a CI log, a file): a plain line at each change of status. The
    default stream is standard error, so standard output stays the script's own.
    """
    out = sys.stderr if stream is None else stream
    tty = out.isatty()
    start = clock()
    last: list[IntEnum] = []

    def report(info: AnyInfo) -> None:
        status: IntEnum = info.status
        line = f"{describe(info)}: {status.name} ({clock() - start:.0f} s)"
        if tty:
            out.write(f"\r{line}\x1b[K" + ("\n" if is_final(info) else ""))
        elif not last or last[-1] != status:
            out.write(line + "\n")
        last[:] = [status]
        out.flush()

    return report
