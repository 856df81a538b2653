"""The `PULUMI_BACKEND_URL` of a state database: the password in a file or starred when shown."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pulumi_powerjob.local import LocalServerError
from pulumi_powerjob.local.cli import running_port
from pulumi_powerjob.local.postgres import LocalPostgres
from pulumi_powerjob.local.state_backend import (
    backend_url,
    backend_url_with_password,
    create_state_database,
    redact,
    write_passfile,
)

PASSWORD = "s3cret:pw\\x"


@pytest.fixture
def cluster(tmp_path: Path) -> LocalPostgres:
    """A cluster that was never started: what its URL and password file say needs no server."""
    (tmp_path / "password").write_text(PASSWORD + "\n")
    return LocalPostgres(tmp_path, port=5544)


def test_the_passfile_form_holds_no_secret_and_the_file_is_private(
    cluster: LocalPostgres, tmp_path: Path
) -> None:
    passfile = write_passfile(cluster, tmp_path / "auth" / "pgpass")

    url = backend_url(cluster, passfile)

    assert url == (f"postgres://powerjob@127.0.0.1:5544/pulumi?sslmode=disable&passfile={passfile}")
    assert PASSWORD not in url
    assert stat.S_IMODE(passfile.stat().st_mode) == 0o600, "libpq skips a readable file"
    assert passfile.read_text() == "127.0.0.1:5544:*:powerjob:s3cret\\:pw\\\\x\n"


def test_the_password_form_is_a_secret_and_redact_stars_it(cluster: LocalPostgres) -> None:
    url = backend_url_with_password(cluster)

    assert PASSWORD not in repr(url) and PASSWORD not in str(url)
    plain = url.get_secret_value()
    assert plain == "postgres://powerjob:s3cret%3Apw%5Cx@127.0.0.1:5544/pulumi?sslmode=disable"
    assert redact(plain) == "postgres://powerjob:****@127.0.0.1:5544/pulumi?sslmode=disable"
    assert redact("postgres://127.0.0.1/pulumi") == "postgres://127.0.0.1/pulumi"


def test_a_database_name_that_is_not_plain_is_refused(cluster: LocalPostgres) -> None:
    with pytest.raises(LocalServerError, match="not a plain PostgreSQL database name"):
        create_state_database(cluster, "pulumi; DROP DATABASE powerjob")


def test_state_db_finds_its_cluster_running_by_the_postmaster_pid_file(tmp_path: Path) -> None:
    """`powerjob-local state-db` run twice starts the cluster once: the second run reads the
    port of the running postmaster, and a stale pid file means "not running"."""
    pid_file = tmp_path / "data" / "postmaster.pid"
    pid_file.parent.mkdir()
    assert running_port(tmp_path) is None

    pid_file.write_text(f"{os.getpid()}\n{tmp_path / 'data'}\n1700000000\n5544\n\n")
    assert running_port(tmp_path) == 5544

    pid_file.write_text(f"{2**22 + 7}\n{tmp_path / 'data'}\n1700000000\n5544\n\n")
    assert running_port(tmp_path) is None  # above the kernel's pid_max: no such process
