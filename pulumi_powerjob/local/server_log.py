"""Reading a started process's log: its tail for an error, Spring Boot's failure description,
and a watch for a line that means the start has failed although the process still runs."""

from __future__ import annotations

from collections import deque
from pathlib import Path

LOG_TAIL_LINES = 40


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of a log file ('' when it does not exist)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return "".join(deque(handle, maxlen=lines))
    except FileNotFoundError:
        return ""


def spring_failure(path: Path) -> str:
    """Spring Boot's "APPLICATION FAILED TO START" description, which the tail often misses."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    _, marker, rest = text.partition("APPLICATION FAILED TO START")
    if not marker:
        return ""
    description = rest.partition("Description:")[2].partition("Action:")[0]
    return ": " + " ".join(description.split())


class LogScan:
    """Looks for any of ``markers`` in what a log gained since ``offset``, reading each byte
    once."""

    def __init__(self, path: Path, markers: tuple[str, ...], offset: int) -> None:
        self.path, self._offset = path, offset
        self._markers = tuple(m.encode() for m in markers)
        self._keep = max(len(m) for m in self._markers)
        self._carry = b""  # the end of the last read, so a marker split across reads is seen

    def found(self) -> bool:
        try:
            with self.path.open("rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
        except FileNotFoundError:
            return False
        self._offset += len(chunk)
        seen = self._carry + chunk
        self._carry = seen[-self._keep :]
        return any(marker in seen for marker in self._markers)
