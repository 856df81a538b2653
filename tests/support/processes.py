"""Killing the engine as a crash would: the ``pulumi`` CLI this process started, with every
process under it (language host, dynamic provider host), by SIGKILL."""

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


def kill_engine() -> list[int]:
    """SIGKILL every ``pulumi`` child of this process and all below it; the pids killed."""
    tree = _children()
    engines = [pid for pid in tree.get(os.getpid(), []) if _comm(pid) == "pulumi"]
    doomed: list[int] = []
    todo = list(engines)
    while todo:
        pid = todo.pop()
        doomed.append(pid)
        todo.extend(tree.get(pid, []))
    for pid in doomed:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return doomed
