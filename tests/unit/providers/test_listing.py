"""The job listing of a refresh: one request for many reads, never a stale answer to a plan."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob import ConnectionSettings, NotFoundError, PowerJobClient
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.reconcile import listing
from tests.support.answers import AppServer, form, ok


def _job(job_id: int, status: int = 1) -> dict[str, object]:
    return {
        "id": job_id,
        "appId": 7,
        "jobName": f"job-{job_id}",
        "timeExpressionType": 2,
        "timeExpression": "0 0 3 * * ?",
        "executeType": 1,
        "processorType": 1,
        "processorInfo": "demo.P",
        "status": status,
    }


class Server(AppServer):
    """An app with jobs 1..3; counts what reaches it."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs = {i: _job(i) for i in (1, 2, 3)}

    def answer(self, path: str, request: httpx.Request) -> httpx.Response:
        if path == "fetchAllJob":
            return ok(list(self.jobs.values()))
        if path == "fetchJob":
            found = self.jobs.get(int(form(request)["jobId"]))
            if found is None:
                return httpx.Response(
                    200, json={"success": False, "message": "can't find job by jobId"}
                )
            return ok(found)
        return super().answer(path, request)


@pytest.fixture
def server() -> Server:
    return Server()


@pytest.fixture
def client(server: Server) -> Iterator[PowerJobClient]:
    settings = ConnectionSettings.resolve(
        {"addresses": "http://pj.test:7700", "app_name": f"listing-{uuid.uuid4().hex}"},
        environ={"POWERJOB_PASSWORD": "pw"},
    )
    with PowerJobClient(settings, transport=httpx.MockTransport(server)) as c:
        yield c


def test_the_reads_of_one_operation_share_one_listing(
    server: Server, client: PowerJobClient
) -> None:
    listings = listing.Listings()
    assert [listings.job(client, i).id for i in (1, 2, 3)] == [1, 2, 3]
    assert server.hits["fetchAllJob"] == 1
    assert server.hits["fetchJob"] == 0


def test_a_second_read_of_a_job_lists_again_and_sees_it_deleted(
    server: Server, client: PowerJobClient
) -> None:
    listings = listing.Listings()
    assert not listings.job(client, 2).deleted
    server.jobs[2] = _job(2, status=99)  # deleted in the console after the listing
    assert listings.job(client, 2).deleted
    del server.jobs[2]  # and purged
    with pytest.raises(NotFoundError):
        listings.job(client, 2)
    assert server.hits["fetchAllJob"] == 3


def test_a_listing_older_than_its_bound_is_not_used(
    server: Server, client: PowerJobClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1000.0]
    monkeypatch.setattr(listing, "monotonic", lambda: now[0])
    listings = listing.Listings()
    listings.job(client, 1)
    now[0] += listing.MAX_AGE_S + 0.001
    server.jobs[2] = _job(2, status=2)
    assert listings.job(client, 2).status.name == "DISABLE"
    assert server.hits["fetchAllJob"] == 2


def test_a_mutation_drops_the_listing(server: Server, client: PowerJobClient) -> None:
    listings = listing.Listings()
    listings.job(client, 1)
    listings.forget(client)
    listings.job(client, 2)
    assert server.hits["fetchAllJob"] == 2


def test_each_engine_operation_configures_a_provider_with_listings_of_its_own(
    server: Server, client: PowerJobClient
) -> None:
    first, second = JobProvider(), JobProvider()
    for provider in (first, second):
        provider.configure(ConfigureRequest(Config({}, "listing")))
    first.listings.job(client, 1)
    server.jobs[3] = _job(3, status=2)
    assert second.listings.job(client, 3).status.name == "DISABLE"
    assert first.listings is not second.listings
    assert server.hits["fetchAllJob"] == 2


def test_a_provider_keeps_no_listing_when_pickled() -> None:
    provider = JobProvider()
    assert "_listings" not in vars(provider)
