"""Local PowerJob servers for tests, fixture recording and the ``powerjob-local`` CLI."""

from __future__ import annotations

from pulumi_powerjob.local.database import Datasource
from pulumi_powerjob.local.jar import (
    DEFAULT_VERSION,
    SUPPORTED_VERSIONS,
    LocalServerError,
    fetch_jar,
    jar_path,
    maven_repo_local,
)
from pulumi_powerjob.local.postgres import LocalPostgres
from pulumi_powerjob.local.server import LocalServer, free_ports
from pulumi_powerjob.local.server_log import log_tail

__all__ = [
    "DEFAULT_VERSION",
    "SUPPORTED_VERSIONS",
    "Datasource",
    "LocalPostgres",
    "LocalServer",
    "LocalServerError",
    "fetch_jar",
    "free_ports",
    "jar_path",
    "log_tail",
    "maven_repo_local",
]
