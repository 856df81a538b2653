"""A JobSet's import id: ``<appName>`` or ``<appName>:job-a,job-b``, read with one listing."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from pulumi_powerjob import ConnectionSettings, InputValidationError, PowerJobClient
from pulumi_powerjob.plugin.imports import job_set_ids
from tests.support.answers import AppServer, ok

APP = "imports-app"


def _job(job_id: int, name: str, status: int = 1) -> dict[str, object]:
    return {
        "id": job_id,
        "appId": 7,
        "jobName": name,
        "timeExpressionType": 1,
        "executeType": 1,
        "processorType": 1,
        "processorInfo": "demo.P",
        "status": status,
    }


class Server(AppServer):
    """Jobs a and b live, c deleted; ``twin`` adds a second live b."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs = [_job(1, "a"), _job(2, "b"), _job(3, "c", status=99)]

    def answer(self, path: str, request: httpx.Request) -> httpx.Response:
        if path == "fetchAllJob":
            return ok(self.jobs)
        return super().answer(path, request)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def client(server: Server) -> Iterator[PowerJobClient]:
    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": APP}, environ={"POWERJOB_PASSWORD": "pw"}
    )
    with PowerJobClient(settings, transport=httpx.MockTransport(server)) as c:
        yield c


def test_the_app_name_alone_takes_every_live_job(server: Server, client: PowerJobClient) -> None:
    assert job_set_ids(APP, client) == {"a": 1, "b": 2}
    assert server.hits["fetchAllJob"] == 1


def test_named_jobs_take_only_those(client: PowerJobClient) -> None:
    assert job_set_ids(f"{APP}:b", client) == {"b": 2}


@pytest.mark.parametrize(
    ("import_id", "reason"),
    [
        ("another-app:a", "is not the app 'imports-app'"),
        (f"{APP}:a,c", "no live job named 'c'"),
        (f"{APP}:b", "several jobs are named 'b'"),
    ],
)
def test_an_id_that_names_no_single_live_job_is_refused(
    server: Server, client: PowerJobClient, import_id: str, reason: str
) -> None:
    server.jobs.append(_job(4, "b"))
    with pytest.raises(InputValidationError, match=reason):
        job_set_ids(import_id, client)
