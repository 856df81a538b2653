"""A real PowerJob worker for the integration tests: built once, started per test session.

The Maven project in ``worker/`` (``tech.powerjob:powerjob-worker:4.3.9`` and three processors:
``testworker.Echo``, ``testworker.Fail``, ``testworker.Hold``) is compiled outside the clone,
under ``$PULUMI_POWERJOB_CACHE/worker/<digest of its sources>`` (default
``~/.cache/pulumi-powerjob``), with ``mvn -o`` first and online (Maven Central) if that fails.
The build is kept with its runtime classpath (jars in the Maven local repository) and guarded by
a file lock, so parallel sessions build it once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import httpx

from pulumi_powerjob.local import free_ports, log_tail, maven_repo_local
from tests.support.deadline import wait_until

SOURCES = Path(__file__).resolve().parent / "worker"
MAIN_CLASS = "testworker.Main"
ECHO, FAIL, HOLD = "testworker.Echo", "testworker.Fail", "testworker.Hold"


class WorkerBuildError(RuntimeError):
    """The test worker could not be built or started."""


def cache_root() -> Path:
    """``$PULUMI_POWERJOB_CACHE``, else ``$XDG_CACHE_HOME/pulumi-powerjob`` or ``~/.cache/...``."""
    configured = os.environ.get("PULUMI_POWERJOB_CACHE")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "pulumi-powerjob"


def source_files() -> list[Path]:
    """The files the build depends on: the POM and the Java sources."""
    return [SOURCES / "pom.xml", *sorted((SOURCES / "src").rglob("*.java"))]


def source_digest() -> str:
    """A digest of the sources' relative paths and contents: the cache key."""
    digest = hashlib.sha256()
    for path in source_files():
        digest.update(path.relative_to(SOURCES).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class WorkerBuild:
    """Compiled classes and the runtime classpath of the test worker."""

    directory: Path
    classes: Path
    classpath: tuple[Path, ...]

    def java_classpath(self) -> str:
        return os.pathsep.join(str(p) for p in (self.classes, *self.classpath))

    @classmethod
    def load(cls, directory: Path) -> WorkerBuild | None:
        """A complete build in ``directory``, or None (missing, partial, or jars gone)."""
        listing = directory / "classpath.txt"
        classes = directory / "classes"
        if not (listing.is_file() and (classes / "testworker" / "Main.class").is_file()):
            return None
        jars = tuple(Path(p) for p in listing.read_text().strip().split(os.pathsep) if p)
        if not jars or not all(p.is_file() for p in jars):
            return None
        return cls(directory, classes, jars)


def build_worker() -> WorkerBuild:
    """The cached build for the current sources, building it first if needed."""
    root = cache_root() / "worker"
    root.mkdir(parents=True, exist_ok=True)
    target = root / source_digest()
    with (root / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second build waits here, then finds it done
        found = WorkerBuild.load(target)
        if found is not None:
            return found
        shutil.rmtree(target, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix="build-", dir=root))
        try:
            _compile(work)
            target.mkdir()
            shutil.move(work / "target" / "classes", target / "classes")
            shutil.move(work / "target" / "classpath.txt", target / "classpath.txt")
        finally:
            shutil.rmtree(work, ignore_errors=True)
        built = WorkerBuild.load(target)
        if built is None:
            raise WorkerBuildError(f"the worker build in {target} is incomplete")
        return built


def _compile(work: Path) -> None:
    shutil.copy2(SOURCES / "pom.xml", work / "pom.xml")
    shutil.copytree(SOURCES / "src", work / "src")
    mvn = shutil.which("mvn")
    if mvn is None:
        raise WorkerBuildError("mvn is not on PATH (the test worker is a Maven project)")
    cmd = [mvn, "-q", "-B", "-Dstyle.color=never", "compile", "dependency:build-classpath"]
    if "MAVEN_REPO_LOCAL" in os.environ:
        cmd.append(f"-Dmaven.repo.local={maven_repo_local()}")
    output = ""
    for mode in (["-o"], []):  # offline first: no network when everything is at hand
        done = subprocess.run(
            [*cmd, *mode],
            cwd=work,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            return
        output = done.stdout
    tail = "\n".join(output.splitlines()[-30:])
    raise WorkerBuildError(f"mvn could not build the test worker:\n{tail}")


class WorkerProcess:
    """One test worker JVM for ``app_name``, connected to the server at ``server_address``.

    ``start()`` returns once the server lists the worker among the app's workers, so an
    instance run after that is dispatched to it.
    """

    def __init__(self, build: WorkerBuild, server_address: str, app_name: str) -> None:
        self.build = build
        self.server_address = server_address.rstrip("/")
        self.app_name = app_name
        self.work_dir = Path(tempfile.mkdtemp(prefix="powerjob-test-worker-"))
        self.log_path = self.work_dir / "worker.log"
        self.port = free_ports(1)[0]
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        """``127.0.0.1:<port>``, as the server lists the worker."""
        return f"127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        java = shutil.which("java")
        if java is None:
            raise WorkerBuildError("java is not on PATH")
        server = self.server_address.split("://", 1)[-1]
        return [
            java,
            "-Xmx256m",
            f"-Duser.home={self.work_dir}",
            "-Dpowerjob.network.local.address=127.0.0.1",
            "-cp",
            self.build.java_classpath(),
            MAIN_CLASS,
            self.app_name,
            server,
            str(self.port),
        ]

    def start(self, app_id: int, timeout_s: float = 120.0) -> None:
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                self.command(),
                cwd=self.work_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(
                lambda: self._registered(app_id),
                timeout_s=timeout_s,
                interval_s=0.5,
                what=f"the test worker to be listed by the server for app {self.app_name}",
            )
        except AssertionError as exc:
            self.stop()
            raise WorkerBuildError(f"{exc}; last lines of {self.log_path}:\n{self.log()}") from None

    def _registered(self, app_id: int) -> bool:
        process = self._process
        if process is not None and process.poll() is not None:
            raise WorkerBuildError(
                f"the test worker exited with {process.returncode}:\n{self.log()}"
            )
        with contextlib.suppress(httpx.HTTPError, ValueError):
            answer = httpx.get(
                f"{self.server_address}/system/listWorker",
                params={"appId": app_id},
                timeout=5.0,
                trust_env=False,
            )
            workers = answer.json().get("data") or []
            return any(w.get("address") == self.address for w in workers)
        return False

    def log(self) -> str:
        return log_tail(self.log_path)

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM (the worker shuts down), then SIGKILL if it lingers."""
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def __enter__(self) -> WorkerProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
