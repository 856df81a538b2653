"""Stopping the engine as a crash or a CI runner would: the ``pulumi`` CLI this process
started, with every process under it (language host, dynamic provider host), by SIGKILL; or
the CLI alone by SIGINT, then SIGTERM, as runners do before they kill."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def engines() -> list[int]:
    """The ``pulumi`` processes this process started."""
    return [pid for pid in _children().get(os.getpid(), []) if _comm(pid) == "pulumi"]


def kill_engine() -> list[int]:
    """SIGKILL every ``pulumi`` child of this process and all below it; the pids killed."""
    tree = _children()
    doomed: list[int] = []
    todo = [pid for pid in tree.get(os.getpid(), []) if _comm(pid) == "pulumi"]
    while todo:
        pid = todo.pop()
        doomed.append(pid)
        todo.extend(tree.get(pid, []))
    for pid in doomed:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return doomed


def signal_engine(*signals: signal.Signals) -> list[int]:
    """Send ``signals``, in order, to each ``pulumi`` child of this process (not to the
    processes under it: the CLI handles them); the pids signalled."""
    pids = engines()
    for sig in signals:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, sig)
    return pids
