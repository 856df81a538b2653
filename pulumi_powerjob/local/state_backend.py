"""Pulumi's state in PostgreSQL: the CLI's DIY backend (``postgres://``) on a ``LocalPostgres``.

The ``pulumi`` CLI (v3.274.1) keeps every stack's checkpoints, and each stack's lock, as rows of
one table (``pulumi_state`` unless the URL says ``table=``), which it creates on first use. Its
URL names the database; ``sslmode=disable`` is needed on a cluster without TLS (the driver's
default asks for TLS). The password is either in the URL (a secret: show it only through
``redact``) or in a libpq password file named by ``passfile=`` (mode 0600), and then the URL
itself holds no secret.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from pydantic import SecretStr

from pulumi_powerjob.local.jar import LocalServerError
from pulumi_powerjob.local.postgres import LocalPostgres

STATE_DATABASE = "pulumi"
STATE_TABLE = "pulumi_state"
"""The table the CLI creates and uses when the URL names none."""
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def create_state_database(cluster: LocalPostgres, name: str = STATE_DATABASE) -> None:
    """Create the database ``name`` for Pulumi's state in ``cluster`` (started), if missing."""
    if not _NAME.fullmatch(name):
        raise LocalServerError(f"not a plain PostgreSQL database name: {name!r}")
    exists = cluster.query(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", "postgres")
    if exists != "1":
        cluster.query(f"CREATE DATABASE {name}", database="postgres")


def write_passfile(cluster: LocalPostgres, path: Path) -> Path:
    """A libpq password file (mode 0600) holding the cluster's password, for ``passfile=``."""
    datasource = cluster.datasource
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)  # libpq ignores a password file others can read
    path.write_text(
        f"127.0.0.1:{cluster.port}:*:{datasource.username}:{_escape(datasource.password)}\n"
    )
    return path


def backend_url(cluster: LocalPostgres, passfile: Path, name: str = STATE_DATABASE) -> str:
    """``PULUMI_BACKEND_URL`` for the database ``name``; the password stays in ``passfile``."""
    user = quote(cluster.datasource.username, safe="")
    return (
        f"postgres://{user}@127.0.0.1:{cluster.port}/{name}"
        f"?sslmode=disable&passfile={quote(str(passfile), safe='/')}"
    )


def backend_url_with_password(cluster: LocalPostgres, name: str = STATE_DATABASE) -> SecretStr:
    """``PULUMI_BACKEND_URL`` for the database ``name`` with the password in it (a secret)."""
    datasource = cluster.datasource
    user, password = quote(datasource.username, safe=""), quote(datasource.password, safe="")
    return SecretStr(
        f"postgres://{user}:{password}@127.0.0.1:{cluster.port}/{name}?sslmode=disable"
    )


def redact(url: str) -> str:
    """``url`` with the password of its user part replaced by ``****``."""
    return re.sub(r"^([a-z][a-z0-9+.-]*://[^:/@]*):[^@/]*@", r"\1:****@", url)


def _escape(password: str) -> str:
    return password.replace("\\", "\\\\").replace(":", "\\:")
