"""Ctrl-C for the run commands: SIGINT ends ``--wait`` at once, whatever the process is doing.

CPython alone loses or delays an interrupt in three ways, each closed here (#21):

- A shell starts a background job with SIGINT ignored, and Python then installs no handler:
  ours is installed whatever disposition the process inherited.
- A signal that lands just before a blocking call (a sleep, a socket read) is handled only when
  that call returns, and a ``KeyboardInterrupt`` raised inside a finalizer is only printed. The
  handler's flag is checked after every read, and a watchdog thread, woken at once through
  the signal wakeup fd (written by the C-level handler), sets it and wakes the wait's sleep.
- Should the main thread still not have ended ``GRACE_S`` after the signal (blocked in a read,
  or starved of CPU), the watchdog says which instance keeps running and exits with 130.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

INTERRUPTED = 130
GRACE_S = 1.0
"""How long the main thread has to end by itself after SIGINT before the watchdog ends it."""


class Interrupt:
    """SIGINT handling for the span of a ``with`` block in the main thread (elsewhere: none).

    ``message`` is what the watchdog says if it has to end the process; keep it naming the
    instance. ``say()`` prints a message once, whichever of the two threads comes first.
    """

    def __init__(
        self, *, grace_s: float = GRACE_S, exit: Callable[[int], object] = os._exit
    ) -> None:
        self.event = threading.Event()
        """Set once SIGINT came; never cleared."""
        self.message = "interrupted"
        self._grace_s, self._exit = grace_s, exit
        self._raised = False
        self._said = False
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._installed = False
        self._previous_handler: Any = None
        self._previous_fd = -1
        self._read_fd = self._write_fd = -1
        self._watchdog: threading.Thread | None = None

    def __enter__(self) -> Interrupt:
        try:
            self._previous_handler = signal.signal(signal.SIGINT, self._on_signal)
        except ValueError:  # not the main thread: signals are not ours to handle
            return self
        self._installed = True
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._write_fd, False)
        self._previous_fd = signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        self._watchdog = threading.Thread(
            target=self._watch, name="interrupt-watchdog", daemon=True
        )
        self._watchdog.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._done.set()
        if not self._installed:
            return
        signal.set_wakeup_fd(self._previous_fd)
        previous = signal.SIG_DFL if self._previous_handler is None else self._previous_handler
        signal.signal(signal.SIGINT, previous)
        with contextlib.suppress(BlockingIOError):
            os.write(self._write_fd, b"\0")  # wakes the watchdog, which sees _done and ends
        assert self._watchdog is not None
        self._watchdog.join()
        os.close(self._read_fd)
        os.close(self._write_fd)

    def _on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        self.event.set()
        if not self._raised:  # a second Ctrl-C must not cut the message naming the instance
            self._raised = True
            raise KeyboardInterrupt

    def _watch(self) -> None:
        while True:
            select.select([self._read_fd], [], [])
            received = os.read(self._read_fd, 512)
            if self._done.is_set():
                return
            if signal.SIGINT not in received:
                continue
            self.event.set()  # wakes sleep() even if the main thread has not run the handler
            if not self._done.wait(self._grace_s):
                self.say(self.message)
                self._exit(INTERRUPTED)
            return

    def say(self, message: str) -> None:
        """Print ``message`` on standard error, unless a message was already said."""
        with self._lock:
            if self._said:
                return
            self._said = True
        print(message, file=sys.stderr, flush=True)

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if SIGINT came, even if its exception was lost."""
        if self.event.is_set():
            raise KeyboardInterrupt

    def sleep(self, seconds: float) -> None:
        """Sleep, ended at once by SIGINT."""
        if self.event.wait(seconds):
            raise KeyboardInterrupt
