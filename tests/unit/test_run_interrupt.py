"""Ctrl-C ends ``run --wait`` and ``run-workflow --wait`` with exit 130, naming the instance that
keeps running, whatever the command is doing when SIGINT arrives: sending the run, connecting
for a read, waiting for its answer, sleeping between reads, or printing progress. Each case
also runs with SIGINT ignored on entry, as a shell starts a background job (#21).

A real SIGINT reaches the main thread (``pthread_kill``) at a point the test observes; no
case depends on how fast anything runs. A lost interrupt fails by exit status (the waits are
bounded by ``--timeout`` and the read timeout), not by a clock.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob import (
    ConnectionSettings,
    InstanceStatus,
    PowerJobClient,
    WorkflowInstanceStatus,
    run_command,
)
from pulumi_powerjob.__main__ import _parser
from pulumi_powerjob.interrupt import INTERRUPTED, Interrupt
from pulumi_powerjob.local.proxy import is_mutation
from tests.support.deadline import wait_until

INSTANCE = 2**60 + 5
PHASES = ("sending the run", "connecting", "waiting for an answer", "sleeping", "printing")
COMMANDS = {"run": "/openApi/runJob", "run-workflow": "/openApi/runWorkflow"}
GUARD_S = 60  # --timeout and the read timeout: an interrupt that is lost fails, it cannot hang


def interrupt_main_thread() -> None:
    """SIGINT to the main thread, as the terminal sends it on Ctrl-C."""
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)


@pytest.fixture(params=["default", "ignored"])
def inherited(request: pytest.FixtureRequest) -> Iterator[str]:
    """The SIGINT disposition the command starts with: Python's own, or ignored."""
    before = signal.getsignal(signal.SIGINT)
    if request.param == "ignored":
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield request.param
    finally:
        signal.signal(signal.SIGINT, before)


def ok(data: object) -> httpx.Response:
    return httpx.Response(200, json={"success": True, "data": data, "message": None})


class SilentServer:
    """A loopback socket that takes one request, then SIGINTs the client and never answers."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            conn, _ = self.listener.accept()
            with conn:
                conn.settimeout(GUARD_S)
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(65536)
                interrupt_main_thread()  # the client is now in, or about to be in, recv
                while conn.recv(65536):  # until the client closes
                    pass

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes an accept() still waiting
        self.listener.close()
        self.thread.join(GUARD_S)


class Phased(httpx.BaseTransport):
    """A 4.3 server whose first instance read is interrupted in ``phase``."""

    def __init__(self, phase: str, silent: SilentServer) -> None:
        self.phase, self.silent = phase, silent
        self.hits: Counter[str] = Counter()
        self.reads = threading.Event()
        self.mock = httpx.MockTransport(self._answer)
        self.real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        read = path.endswith(("/fetchInstanceInfo", "/fetchWfInstanceInfo"))
        if read and self.phase in ("connecting", "waiting for an answer") and not self.hits[path]:
            self.hits[path] += 1
            request.url = request.url.copy_with(host="127.0.0.1", port=self.silent.port)
            request.extensions = {**request.extensions, "trace": self._trace}
            return self.real.handle_request(request)
        return self.mock.handle_request(request)

    def _trace(self, event: str, _info: dict[str, Any]) -> None:
        if self.phase == "connecting" and event == "connection.connect_tcp.started":
            interrupt_main_thread()

    def _answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.hits[path] += 1
        if path.endswith("/authApp"):
            return httpx.Response(404, json={"status": 404})
        if path.endswith("/assert"):
            return ok(7)
        if path.endswith(("/runJob", "/runWorkflow")):
            if self.phase == "sending the run":
                interrupt_main_thread()
            return ok(INSTANCE)
        self.reads.set()
        key = "wfInstanceId" if "Wf" in path else "instanceId"
        running = WorkflowInstanceStatus.RUNNING if "Wf" in path else InstanceStatus.RUNNING
        return ok({key: INSTANCE, "status": running})

    def mutations(self) -> Counter[str]:
        return Counter({p: n for p, n in self.hits.items() if is_mutation(p)})

    def close(self) -> None:
        self.real.close()


class InterruptingStream:
    """Standard error that is interrupted in the middle of writing the first progress line."""

    def __init__(self) -> None:
        self.text = ""
        self.interrupted = False

    def write(self, text: str) -> int:
        if "RUNNING" in text and not self.interrupted:
            self.interrupted = True
            self.text += text[: len(text) // 2]
            interrupt_main_thread()
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def in_the_sleep() -> bool:
    frame = sys._current_frames().get(threading.main_thread().ident or 0)
    while frame is not None:
        if frame.f_code is Interrupt.sleep.__code__:
            return True
        frame = frame.f_back
    return False


def interrupt_once_asleep(server: Phased) -> threading.Thread:
    def watch() -> None:
        server.reads.wait(GUARD_S)
        wait_until(in_the_sleep, timeout_s=GUARD_S, interval_s=0.01, what="the wait sleeps")
        interrupt_main_thread()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def run_interrupted(
    phase: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, Phased]:
    silent = SilentServer()
    server = Phased(phase, silent)
    stream = InterruptingStream() if phase == "printing" else None
    err = stream or _Capture()
    monkeypatch.setattr(sys, "stderr", err)
    # the watchdog's os._exit would end pytest: it only notes the exit status here
    monkeypatch.setattr(run_command, "Interrupt", lambda: Interrupt(exit=lambda code: None))
    watcher = interrupt_once_asleep(server) if phase == "sleeping" else None
    guard = str(GUARD_S)
    args = _parser().parse_args([command, "12", "--wait", "--timeout", guard, "--interval", guard])
    settings = ConnectionSettings(
        addresses=("http://pj.test:7700",),
        app_name="a",
        password=SecretStr("pw"),
        read_timeout=GUARD_S,
    )
    try:
        with PowerJobClient(settings, transport=server) as client:
            code: int = args.run(client, args)
    finally:
        server.close()
        silent.close()
        if watcher is not None:
            watcher.join(GUARD_S)
    return code, err.text, server


class _Capture:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("phase", PHASES)
def test_regress_21_ctrl_c_ends_the_wait_in_every_phase_naming_the_instance(
    phase: str, command: str, inherited: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, err, server = run_interrupted(phase, command, monkeypatch)
    assert code == INTERRUPTED, err
    what = "instance" if command == "run" else "workflow instance"
    if phase == "sending the run":
        endpoint = COMMANDS[command].rsplit("/", 1)[1]
        assert f"interrupted before {endpoint} answered: a {what} may have started" in err
    else:
        assert f"interrupted: {what} {INSTANCE} keeps running on the server" in err
    assert server.mutations() == {COMMANDS[command]: 1}, "one run, never resent"
    assert signal.getsignal(signal.SIGINT) == (
        signal.SIG_IGN if inherited == "ignored" else signal.default_int_handler
    ), "the disposition the command found is put back"


class Exits:
    """``exit`` for an ``Interrupt`` under test: notes the status instead of ending pytest."""

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.called = threading.Event()

    def __call__(self, code: int) -> None:
        self.codes.append(code)
        self.called.set()


def test_an_interrupt_swallowed_by_a_library_still_ends_the_wait() -> None:
    with Interrupt(exit=Exits()) as interrupt:
        with contextlib.suppress(KeyboardInterrupt):  # what a finalizer does to an exception
            interrupt_main_thread()
        with pytest.raises(KeyboardInterrupt):
            interrupt.check()
        with pytest.raises(KeyboardInterrupt):
            interrupt.sleep(GUARD_S)


def test_a_signal_whose_handler_has_not_run_still_wakes_the_sleep() -> None:
    # CPython runs a handler only between bytecodes: a signal landing just before a blocking
    # call is handled when the call returns. The C-level wakeup fd wakes the watchdog at once,
    # and it wakes the sleep.
    with Interrupt(grace_s=GUARD_S, exit=Exits()) as interrupt:
        signal.signal(signal.SIGINT, lambda *_: None)  # a handler that never gets to raise
        interrupt_main_thread()
        with pytest.raises(KeyboardInterrupt):
            interrupt.sleep(GUARD_S)


def test_the_watchdog_ends_a_main_thread_that_does_not_end_by_itself(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exits = Exits()
    with Interrupt(grace_s=0.1, exit=exits) as interrupt:
        interrupt.message = f"interrupted: instance {INSTANCE} keeps running on the server"
        with contextlib.suppress(KeyboardInterrupt):
            interrupt_main_thread()
        # stuck, like a read that never returns and ignores the flag
        assert exits.called.wait(GUARD_S), "the watchdog ended the process"
    assert exits.codes == [INTERRUPTED]
    assert capsys.readouterr().err == (
        f"interrupted: instance {INSTANCE} keeps running on the server\n"
    )


def test_a_second_ctrl_c_does_not_cut_the_message_naming_the_instance() -> None:
    with Interrupt(grace_s=GUARD_S, exit=Exits()) as interrupt:
        with pytest.raises(KeyboardInterrupt):
            interrupt_main_thread()
        interrupt_main_thread()  # pressed again while the first one's message is printed
        interrupt.say("named")
        interrupt.say("said twice")
        assert interrupt.event.is_set()


def test_outside_the_main_thread_signals_are_left_alone() -> None:
    found: list[object] = []

    def elsewhere() -> None:
        with Interrupt(exit=Exits()):
            found.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join(GUARD_S)
    assert found == [signal.getsignal(signal.SIGINT)]
