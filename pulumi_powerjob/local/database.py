"""The database a local PowerJob server keeps its tables in: H2 (embedded) or PostgreSQL.

``Datasource`` is what the server is told: Spring's ``spring.datasource.core.*`` settings and,
for PostgreSQL, the dialect PowerJob ships for it (``PowerJobPGDialect``: its ``@Lob`` columns
become ``text``/``bytea`` instead of large objects). The jar (4.3.x) carries the H2, MySQL,
PostgreSQL and SQL Server drivers. The password goes to the JVM through its environment, never
on the command line.

``LocalPostgres`` is a throwaway PostgreSQL cluster from Debian's ``postgresql`` package
(``pulumi_powerjob/local/postgres.py``); this module only holds the settings.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Literal

DatabaseKind = Literal["h2", "postgres"]
DATABASES: tuple[DatabaseKind, ...] = ("h2", "postgres")

PG_DIALECT = "tech.powerjob.server.persistence.config.dialect.PowerJobPGDialect"


@dataclasses.dataclass(frozen=True)
class Datasource:
    """Where the server's tables live, as Spring settings."""

    kind: DatabaseKind
    jdbc_url: str
    driver: str
    username: str
    password: str = dataclasses.field(default="", repr=False)
    dialect: str | None = None

    def args(self) -> list[str]:
        """Command-line settings for the server (no secret among them)."""
        args = [
            f"--spring.datasource.core.driver-class-name={self.driver}",
            f"--spring.datasource.core.jdbc-url={self.jdbc_url}",
            f"--spring.datasource.core.username={self.username}",
        ]
        if self.dialect is not None:
            args.append(
                f"--spring.datasource.remote.hibernate.properties.hibernate.dialect={self.dialect}"
            )
        return args

    def environment(self) -> dict[str, str]:
        """The password, as the environment variable Spring binds to the datasource."""
        return {"SPRING_DATASOURCE_CORE_PASSWORD": self.password}


def h2(work_dir: Path | None = None) -> Datasource:
    """H2 in memory, or in a file under ``work_dir`` that survives restarts."""
    url = "jdbc:h2:mem:powerjob;DB_CLOSE_DELAY=-1"
    if work_dir is not None:
        # WRITE_DELAY=0: a commit is on disk before the answer, so a SIGKILL loses nothing
        url = f"jdbc:h2:file:{work_dir.resolve() / 'db'};DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
    return Datasource("h2", url, "org.h2.Driver", "sa")


def postgres(port: int, database: str, username: str, password: str) -> Datasource:
    """A PostgreSQL database on loopback, with PowerJob's dialect for it."""
    return Datasource(
        "postgres",
        f"jdbc:postgresql://127.0.0.1:{port}/{database}",
        "org.postgresql.Driver",
        username,
        password,
        PG_DIALECT,
    )
