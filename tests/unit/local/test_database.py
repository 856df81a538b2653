"""What a local server is told about its database, and a missing PostgreSQL named."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import pulumi_powerjob.local.postgres as postgres
from pulumi_powerjob.local import LocalServerError
from pulumi_powerjob.local.database import PG_DIALECT, h2
from pulumi_powerjob.local.database import postgres as pg_datasource


def test_postgres_settings_are_powerjobs_and_keep_the_password_off_the_command_line() -> None:
    source = pg_datasource(5433, "powerjob", "powerjob", "s3cret-pw")

    args = source.args()

    assert "--spring.datasource.core.driver-class-name=org.postgresql.Driver" in args
    assert "--spring.datasource.core.jdbc-url=jdbc:postgresql://127.0.0.1:5433/powerjob" in args
    assert f"--spring.datasource.remote.hibernate.properties.hibernate.dialect={PG_DIALECT}" in args
    assert not any("s3cret-pw" in arg for arg in args)
    assert "s3cret-pw" not in repr(source)
    assert source.environment() == {"SPRING_DATASOURCE_CORE_PASSWORD": "s3cret-pw"}


def test_h2_in_memory_or_in_a_file_that_survives_a_sigkill(tmp_path: Path) -> None:
    assert "jdbc:h2:mem:" in " ".join(h2().args())
    file_url = next(a for a in h2(tmp_path).args() if "jdbc-url" in a)
    assert f"jdbc:h2:file:{tmp_path.resolve() / 'db'}" in file_url
    assert "WRITE_DELAY=0" in file_url


def test_missing_postgresql_names_the_package_when_it_cannot_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(postgres, "_find_bin_dir", lambda: None)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)

    with pytest.raises(LocalServerError, match=r"install Debian's postgresql package"):
        postgres.postgres_bin_dir()
