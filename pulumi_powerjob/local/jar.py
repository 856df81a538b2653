"""The PowerJob server's exec jar in the Maven local repository, fetched with mvn if absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pulumi_powerjob.errors import PowerJobError

SUPPORTED_VERSIONS = ("4.3.9", "4.3.6")
DEFAULT_VERSION = "4.3.9"
_GROUP = "tech/powerjob/powerjob-server-starter"


class LocalServerError(PowerJobError):
    """A local server could not be fetched, started or driven."""


def maven_repo_local() -> Path:
    """The Maven local repository: ``$MAVEN_REPO_LOCAL`` or ``~/.m2/repository``."""
    configured = os.environ.get("MAVEN_REPO_LOCAL")
    return Path(configured) if configured else Path.home() / ".m2" / "repository"


def jar_path(version: str = DEFAULT_VERSION) -> Path:
    """Where the exec jar of ``version`` lives in the Maven local repository."""
    check_version(version)
    name = f"powerjob-server-starter-{version}-exec.jar"
    return maven_repo_local() / _GROUP / version / name


def fetch_jar(version: str = DEFAULT_VERSION) -> Path:
    """Return the exec jar of ``version``, downloading it from Maven Central with mvn if absent."""
    jar = jar_path(version)
    if jar.is_file():
        return jar
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalServerError(f"{jar.name} is not in {maven_repo_local()} and mvn is not on PATH")
    print(f"[powerjob-local] fetching {jar.name} (~135 MB) from Maven Central", file=sys.stderr)
    cmd = [
        mvn,
        "-q",
        "-B",
        "-Dstyle.color=never",
        "dependency:get",
        f"-Dartifact=tech.powerjob:powerjob-server-starter:{version}:jar:exec",
        "-Dtransitive=false",
    ]
    if "MAVEN_REPO_LOCAL" in os.environ:
        cmd.append(f"-Dmaven.repo.local={maven_repo_local()}")
    done = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=sys.stderr, check=False)
    if done.returncode != 0 or not jar.is_file():
        raise LocalServerError(f"mvn dependency:get failed for {version} (exit {done.returncode})")
    print(f"[powerjob-local] fetched {jar}", file=sys.stderr)
    return jar


def check_version(version: str) -> None:
    if version not in SUPPORTED_VERSIONS:
        raise LocalServerError(
            f"unsupported PowerJob version {version!r}; use {SUPPORTED_VERSIONS}"
        )
