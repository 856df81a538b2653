"""A helper program from Debian's packages (nginx, tinyproxy), installed when missing, run in
the foreground on a loopback port, and stopped."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pulumi_powerjob.local.jar import LocalServerError
from pulumi_powerjob.local.lifetime import Lifetime
from pulumi_powerjob.local.server import free_ports
from pulumi_powerjob.local.server_log import log_tail

READY_DEADLINE_S = 60.0
"""A guard against a helper that never listens (one that exits is seen at once)."""
_POLL_S = 0.05
_APT_LOCK_WAIT_S = "300"
_SBIN = ("/usr/sbin", "/sbin", "/usr/local/sbin")


def ensure_program(name: str, package: str) -> str:
    """The path of ``name``; installs Debian's ``package`` with apt-get when it is missing
    (as root), else says which package to install."""
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(_SBIN))
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise LocalServerError(
            f"{name} is not installed; install Debian's {package} package "
            f"(apt-get install {package})"
        )
    print(f"[powerjob-local] installing {package} (apt-get)", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [apt, "-o", f"DPkg::Lock::Timeout={_APT_LOCK_WAIT_S}", "install", "-y", "-q"]
    install += ["--no-install-recommends", package]
    for attempt in ("install", "update"):
        done = subprocess.run(install, env=env, stdin=subprocess.DEVNULL, stdout=sys.stderr)
        if done.returncode == 0:
            break
        if attempt == "install":  # the package lists may be missing (a fresh container)
            subprocess.run([apt, "update", "-q"], env=env, stdout=sys.stderr, check=False)
    found = shutil.which(name) or shutil.which(name, path=os.pathsep.join(_SBIN))
    if found is None:
        raise LocalServerError(f"apt-get install {package} did not provide {name}")
    return found


class Daemon(Lifetime):
    """One helper process listening on ``127.0.0.1:<port>``, with a work directory of its own
    (removed by ``close()``). Subclasses write their config and give the command line."""

    name = "daemon"

    def __init__(self, port: int | None = None) -> None:
        self.port = port
        self.work_dir = Path(tempfile.mkdtemp(prefix=f"powerjob-{self.name}-"))
        self.log_path = self.work_dir / f"{self.name}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def command(self) -> Sequence[str]:
        raise NotImplementedError

    def start(self, deadline_s: float = READY_DEADLINE_S) -> None:
        """Start the program and return once its port accepts connections."""
        if self.port is None:
            self.port = free_ports(1)[0]
        command = list(self.command())
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=self.work_dir, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        deadline = time.monotonic() + deadline_s
        while not _accepts(self.port):
            code = self._process.poll()
            if code is not None or time.monotonic() > deadline:
                self.stop()
                why = f"exited with code {code}" if code is not None else "never listened"
                raise LocalServerError(
                    f"{self.name} {why} on 127.0.0.1:{self.port}; last lines of "
                    f"{self.log_path}:\n{log_tail(self.log_path)}"
                )
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=_POLL_S)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.work_dir, ignore_errors=True)


def _accepts(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        return sock.connect_ex(("127.0.0.1", port)) == 0
