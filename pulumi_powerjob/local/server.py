"""Run a PowerJob server on this machine: start it on loopback, wait for it, stop it.

Used by the test suite, the fixture recorder and the ``powerjob-local`` CLI. Only 4.3.x
servers are published as runnable jars, and 4.3.x needs no login, so apps are created
through the plain web API.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import NoReturn

import httpx

from pulumi_powerjob.local.database import Datasource, h2
from pulumi_powerjob.local.jar import DEFAULT_VERSION, LocalServerError, check_version, fetch_jar
from pulumi_powerjob.local.lifetime import Lifetime
from pulumi_powerjob.local.server_log import LogScan, log_tail, spring_failure

_POLL_INTERVAL_S = 0.5
_PORT_ATTEMPTS = 3
# A taken transport port logs a BindException and the JVM lives on; a taken web port makes
# Spring Boot say "Port N was already in use" (no BindException in the log) and exit.
_PORT_TAKEN = ("java.net.BindException", "was already in use")
_HTTP_TIMEOUT = httpx.Timeout(10.0, connect=2.0)
_JVM_FLAGS = (
    "-Dfile.encoding=UTF-8",
    "-Dpowerjob.network.local.address=127.0.0.1",
)
# The reference recipe: HTTP transport only, and a profile that no jar ships (4.3.6 has an
# application-local.properties whose DingTalk alarm needs the internet, and "daily" wants MySQL).
# The datasource comes from local/database.py (H2 unless told otherwise).
_SERVER_ARGS = (
    "--spring.profiles.active=powerjob-local",
    "--server.address=127.0.0.1",
    "--oms.instanceinfo.retention=1",
    "--oms.container.retention.local=1",
    "--oms.container.retention.remote=-1",
    "--oms.instance.metadata.cache.size=1024",
    "--oms.accurate.select.server.percentage=50",
    "--oms.transporter.active.protocols=HTTP",
    "--spring.autoconfigure.exclude="
    "org.springframework.boot.autoconfigure.mongo.MongoAutoConfiguration",
)


START_DEADLINE_S = 600.0
"""A guard against a JVM that hangs while starting (one that exits is seen at once): startup
takes about 20 s on a quiet machine and took over 120 s on a loaded 2-core one (#21)."""


def free_ports(count: int) -> list[int]:
    """Ports that are free on 127.0.0.1 right now (all distinct)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


class ServerPortTakenError(LocalServerError):
    """Another process bound one of the server's ports before its JVM did."""


class LocalServer(Lifetime):
    """One PowerJob server process on loopback, with H2 in memory or in ``data_dir``, or on the
    ``database`` given (``local/database.py``, e.g. ``LocalPostgres(...).datasource``).

    ``data_dir`` is the work directory (``user.home`` of the JVM, the log, and the H2 database
    when ``persistent``); without it a temporary directory is made and removed by ``close()``.
    ``timezone`` is the JVM's default zone, the one the server schedules crons in (UTC unless
    told otherwise, so that fixtures recorded on any machine agree).
    """

    def __init__(
        self,
        version: str = DEFAULT_VERSION,
        data_dir: Path | None = None,
        persistent: bool = False,
        port: int | None = None,
        *,
        jar: Path | None = None,
        heap: str = "768m",
        timezone: str = "UTC",
        database: Datasource | None = None,
    ) -> None:
        check_version(version)
        self.version = version
        self.persistent = persistent
        self.owns_work_dir = data_dir is None
        self.work_dir = (
            Path(tempfile.mkdtemp(prefix="powerjob-local-")) if data_dir is None else data_dir
        )
        self.log_path = self.work_dir / "server.log"
        self.http_port = port
        self.oms_port: int | None = None
        self._jar = jar
        self._heap = heap
        self.timezone = timezone
        self._process: subprocess.Popen[bytes] | None = None
        self.database = database or h2(self.work_dir if persistent else None)

    @property
    def address(self) -> str:
        """Base URL of the web and OpenAPI port, e.g. ``http://127.0.0.1:7700``."""
        if self.http_port is None:
            raise LocalServerError("the server has no port yet; call start() first")
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def pid(self) -> int | None:
        """The JVM's process id while it runs."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        """The java command line (ports must be chosen)."""
        if self.http_port is None or self.oms_port is None:
            raise LocalServerError("ports are not chosen yet")
        jar = self._jar if self._jar is not None else fetch_jar(self.version)
        java = shutil.which("java")
        if java is None:
            raise LocalServerError("java is not on PATH (PowerJob 4.3.x needs Java 8 or later)")
        home = self.work_dir.resolve()
        return [
            java,
            f"-Xmx{self._heap}",
            f"-Duser.home={home}",
            f"-Duser.timezone={self.timezone}",
            *_JVM_FLAGS,
            "-jar",
            str(jar),
            f"--server.port={self.http_port}",
            f"--oms.http.port={self.oms_port}",
            *self.database.args(),
            *_SERVER_ARGS,
        ]

    def start(self, deadline_s: float = START_DEADLINE_S, *, detach: bool = False) -> None:
        """Launch the JVM and return once ``GET /server/hello`` succeeds.

        ``detach`` puts the JVM in its own session so it outlives this process (used by the CLI).
        On failure the process is stopped and the error carries the tail of the log. When this
        call chose the ports and another process took one before the JVM bound it, the start is
        tried again on other free ports (at most ``_PORT_ATTEMPTS`` times).
        """
        if self.running:
            raise LocalServerError(f"server already running at {self.address}")
        chosen = self.http_port is None
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            if chosen:
                self.http_port, self.oms_port = free_ports(2)
            elif self.oms_port is None:
                self.oms_port = next(p for p in free_ports(2) if p != self.http_port)
            try:
                self._launch(deadline_s, detach)
                return
            except ServerPortTakenError:
                if not chosen or attempt == _PORT_ATTEMPTS:
                    raise

    def _launch(self, deadline_s: float, detach: bool) -> None:
        cmd = self.command()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"[powerjob-local] starting PowerJob {self.version}\n".encode())
            log.flush()
            scan = LogScan(self.log_path, _PORT_TAKEN, log.tell())
            self._process = subprocess.Popen(
                cmd,
                cwd=self.work_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=detach,
                env={**os.environ, **self.database.environment()},
            )
        self._wait_ready(deadline_s, scan)

    def _wait_ready(self, deadline_s: float, scan: LogScan) -> None:
        assert self._process is not None
        deadline = time.monotonic() + deadline_s
        url = f"{self.address}/server/hello"
        with httpx.Client(timeout=_HTTP_TIMEOUT, trust_env=False) as http:
            while not self._answers_hello(http, url):
                code = self._process.poll()
                if scan.found():
                    # another process took a port: a JVM whose transport port (oms.http.port)
                    # was taken lives on and would be waited on until the deadline; start()
                    # picks other ports when it chose these
                    self.kill()
                    taken = f"port {self.http_port} or {self.oms_port} is already in use"
                    raise ServerPortTakenError(self._failure(f"PowerJob {self.version}: {taken}"))
                if code is not None:
                    self._fail(f"PowerJob {self.version} exited with code {code} while starting")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill()
                    self._fail(f"PowerJob {self.version} was not ready within {deadline_s:g} s")
                # waits until the next poll, but wakes at once if the JVM dies
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=min(_POLL_INTERVAL_S, remaining))

    def _answers_hello(self, http: httpx.Client, url: str) -> bool:
        """Whether the hello succeeds *and* comes from our JVM, not another one on the port."""
        try:
            answer = http.get(url)
            body = answer.json()
        except (httpx.HTTPError, ValueError):
            return False
        if (
            answer.status_code != 200
            or not isinstance(body, dict)
            or body.get("success") is not True
        ):
            return False
        data = body.get("data")
        default = data.get("defaultAddress") if isinstance(data, dict) else None
        seen = default.get("address") if isinstance(default, dict) else None
        return seen is None or seen == f"127.0.0.1:{self.oms_port}"

    def _fail(self, reason: str) -> NoReturn:
        raise LocalServerError(self._failure(reason))

    def _failure(self, reason: str) -> str:
        summary = spring_failure(self.log_path)
        tail = log_tail(self.log_path)
        return f"{reason}{summary}; last lines of {self.log_path}:\n{tail}"

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM, wait up to ``timeout_s``, then SIGKILL. Ports and data are kept."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the JVM at once (for fault tests)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()

    def restart(self, deadline_s: float = START_DEADLINE_S) -> None:
        """Stop and start again on the same ports and data (data survives only if persistent)."""
        self.stop()
        self.start(deadline_s)

    def close(self) -> None:
        """Stop the server and remove the work directory if this object created it."""
        self.stop()
        if self.owns_work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def create_app(self, name: str, password: str) -> int:
        """Create an app through the web API and return its id (from ``/openApi/assert``)."""
        with httpx.Client(base_url=self.address, timeout=_HTTP_TIMEOUT, trust_env=False) as http:
            _envelope(http.post("/appInfo/save", json={"appName": name, "password": password}))
            data = _envelope(
                http.post("/openApi/assert", data={"appName": name, "password": password})
            )
        if not isinstance(data, int):
            raise LocalServerError(f"/openApi/assert returned {data!r} instead of an app id")
        return data


def _envelope(response: httpx.Response) -> object:
    """The ``data`` of a successful ResultDTO answer."""
    path = response.request.url.path
    try:
        body = response.json()
    except ValueError as exc:
        raise LocalServerError(f"{path}: HTTP {response.status_code}, not JSON") from exc
    if response.status_code != 200 or not isinstance(body, dict) or body.get("success") is not True:
        message = body.get("message") if isinstance(body, dict) else body
        raise LocalServerError(f"{path}: HTTP {response.status_code}: {message}")
    return body.get("data")
