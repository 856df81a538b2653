"""PowerJob servers on a real database, for the test modules that need one.

Each module starts its own (module-scoped fixture over ``powerjob_on_postgres``), so a run of
one module pays for one PostgreSQL cluster and one server start.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.postgres import LocalPostgres


@contextlib.contextmanager
def powerjob_on_postgres() -> Iterator[tuple[LocalServer, LocalPostgres]]:
    """A throwaway PostgreSQL cluster and a 4.3.9 server on it; both gone afterwards."""
    with LocalPostgres() as database:
        server = LocalServer("4.3.9", database=database.datasource)
        try:
            server.start()
            yield server, database
        finally:
            server.close()
