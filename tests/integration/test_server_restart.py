"""The server killed (SIGKILL) and restarted in the middle of an `up`, through the real engine.

A 4.3.9 server on an H2 file database (data survives the restart) behind the recording proxy;
the scenario and its counts are in tests/support/restart.py, shared with the PostgreSQL run
(test_database_postgres.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_powerjob.local import LocalServer
from tests.support.restart import kill_mid_up

pytestmark = [
    pytest.mark.integration,
    pytest.mark.engine,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture(scope="module")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    server = LocalServer("4.3.9", data_dir=tmp_path_factory.mktemp("h2"), persistent=True)
    try:
        server.start()
        yield server
    finally:
        server.close()


def test_a_server_killed_mid_up_loses_and_duplicates_nothing(
    tmp_path: Path, pulumi_bin: Path, file_server: LocalServer
) -> None:
    kill_mid_up(file_server, tmp_path, pulumi_bin, "H2 file")
