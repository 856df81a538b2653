"""CPU time and peak RSS of the provider and engine processes under this one, from /proc.

No psutil: a thread polls /proc every ``interval`` seconds, finds descendants of this process
running ``python -m pulumi.dynamic`` (the provider) or named ``pulumi`` (the engine), and keeps
each one's last utime+stime and VmHWM. CPU spent after the last poll before a process exits
is missed (at most ``interval`` of it).
"""

from __future__ import annotations

import contextlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")
MARKER = b"-m\0pulumi.dynamic"


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user+system CPU seconds) of ``pid``; None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def _peak_rss_mb(pid: int) -> float | None:
    with contextlib.suppress(OSError):
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                parents[int(entry.name)] = stat[0]
    found: list[int] = []
    frontier = {root}
    while frontier:
        children = {pid for pid, ppid in parents.items() if ppid in frontier}
        found.extend(children)
        frontier = children
    return found


@dataclass
class ProviderWatch:
    """Context manager: watches provider processes while a step runs."""

    interval: float = 0.1
    cpu_s: dict[int, float] = field(default_factory=dict)
    peak_mb: dict[int, float] = field(default_factory=dict)
    engine_cpu_s: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> ProviderWatch:
        self._thread = threading.Thread(target=self._run, name="provider-watch", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        providers: set[int] = set()
        engines: set[int] = set()
        while True:
            for pid in _descendants(me):
                if pid not in providers and pid not in engines:
                    with contextlib.suppress(OSError):
                        if MARKER in (PROC / str(pid) / "cmdline").read_bytes():
                            providers.add(pid)
                        elif (PROC / str(pid) / "comm").read_text().strip() == "pulumi":
                            engines.add(pid)
            for pid in providers:
                self._sample(pid)
            for pid in engines:
                stat = _stat(pid)
                if stat is not None:
                    self.engine_cpu_s[pid] = stat[1]
            if self._stop.wait(self.interval):
                return

    def _sample(self, pid: int) -> None:
        stat, peak = _stat(pid), _peak_rss_mb(pid)
        if stat is not None:
            self.cpu_s[pid] = stat[1]
        if peak is not None:
            self.peak_mb[pid] = max(peak, self.peak_mb.get(pid, 0.0))

    def summary(self) -> dict[str, Any]:
        """Provider processes seen, their CPU seconds summed and the largest peak RSS."""
        return {
            "engine_cpu_s": round(sum(self.engine_cpu_s.values()), 3),
            "processes": len(self.cpu_s),
            "cpu_s": round(sum(self.cpu_s.values()), 3),
            "peak_rss_mb": round(max(self.peak_mb.values(), default=0.0), 1),
        }
