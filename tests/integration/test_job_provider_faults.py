"""JobProvider against the real server with answers lost on purpose: never a duplicate.

The provider methods are called directly (as the engine would), through the recording and
fault-injecting proxy; what reached the server is counted there and checked on the server.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import InputValidationError, OutcomeUnknownError
from pulumi_powerjob.models import JobInfoQuery
from pulumi_powerjob.providers.job import JobProvider
from tests.support import Fault, PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration
SAVE, DELETE = "/openApi/saveJob", "/openApi/deleteJob"


@pytest.fixture
def provider(powerjob_app: PowerJobApp, recording_proxy: RecordingProxy) -> JobProvider:
    provider = JobProvider()
    config = powerjob_app.provider_config(recording_proxy.address)
    provider.configure(ConfigureRequest(Config(config, "faults")))
    return provider


def declare(provider: JobProvider, **fields: Any) -> dict[str, Any]:
    result = provider.check(
        {},
        {
            "job_name": f"fault-{uuid.uuid4().hex[:8]}",
            "time_expression_type": "CRON",
            "time_expression": "0 0 3 * * ?",
            "processor_info": "demo.Processor",
            **fields,
        },
    )
    assert result.failures == []
    return result.inputs


def outs(result: Any) -> dict[str, Any]:
    assert result.outs is not None
    return dict(result.outs)


def live_named(client: PowerJobClient, name: str) -> list[int]:
    return [j.id for j in client.query_job(JobInfoQuery(job_name_eq=name, status_in=[1, 2]))]


def test_create_is_one_save_and_reads_back_as_declared(
    provider: JobProvider, recording_proxy: RecordingProxy
) -> None:
    inputs = declare(provider, job_params='{"a": 1}', notify_user_ids=[2, 1])
    recording_proxy.reset()
    created = provider.create(inputs)
    assert recording_proxy.mutations() == {SAVE: 1}
    read = provider.read(created.id, outs(created))
    assert read.inputs == inputs
    assert provider.diff(created.id, outs(read), inputs).changes is False


@pytest.mark.parametrize(
    "fault", [Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.RESET, Fault.DELAY], ids=lambda f: f.name
)
def test_a_create_whose_answer_is_lost_is_reconciled_without_a_second_job(
    provider: JobProvider, recording_proxy: RecordingProxy, direct: PowerJobClient, fault: Fault
) -> None:
    inputs = declare(provider)
    recording_proxy.reset()
    recording_proxy.inject(SAVE, fault)
    created = provider.create(inputs)
    assert recording_proxy.mutations() == {SAVE: 1}
    assert live_named(direct, inputs["job_name"]) == [int(created.id)]


def test_a_create_refused_by_a_gateway_is_reported_and_leaves_nothing(
    provider: JobProvider, recording_proxy: RecordingProxy, direct: PowerJobClient
) -> None:
    inputs = declare(provider)
    recording_proxy.reset()
    recording_proxy.inject(SAVE, Fault.BAD_GATEWAY_BEFORE_FORWARD)
    with pytest.raises(OutcomeUnknownError) as failed:
        provider.create(inputs)
    assert str(failed.value).startswith("saveJob: HTTP 502, and a lookup shows that no job")
    assert recording_proxy.mutations() == {}
    assert live_named(direct, inputs["job_name"]) == []


@pytest.mark.parametrize("operation", ["update", "disable", "delete"])
def test_regress_17_a_change_refused_by_a_gateway_says_the_read_found_it_not_landed(
    provider: JobProvider, recording_proxy: RecordingProxy, direct: PowerJobClient, operation: str
) -> None:
    inputs = declare(provider)
    created = provider.create(inputs)
    recording_proxy.reset()
    recording_proxy.inject(
        DELETE if operation == "delete" else SAVE, Fault.BAD_GATEWAY_BEFORE_FORWARD
    )
    with pytest.raises(OutcomeUnknownError) as failed:
        if operation == "delete":
            provider.delete(created.id, outs(created))
        else:
            change = {"concurrency": 7} if operation == "update" else {"enabled": False}
            provider.update(created.id, outs(created), {**inputs, **change})
    message = str(failed.value)
    endpoint = "deleteJob" if operation == "delete" else "saveJob"
    found = "still there" if operation == "delete" else "still as it was"
    assert message.startswith(f"{endpoint}: HTTP 502, and a read shows job {created.id} {found}")
    assert "may have run" not in message
    assert recording_proxy.mutations() == {}
    assert direct.fetch_job(int(created.id)).concurrency == inputs.get("concurrency", 5)


@pytest.mark.parametrize(
    "fault", [Fault.DROP_RESPONSE_AFTER_EXECUTE, Fault.RESET], ids=lambda f: f.name
)
def test_an_update_whose_answer_is_lost_is_confirmed_by_a_read(
    provider: JobProvider, recording_proxy: RecordingProxy, direct: PowerJobClient, fault: Fault
) -> None:
    inputs = declare(provider)
    created = provider.create(inputs)
    changed = {**inputs, "concurrency": 7}
    recording_proxy.reset()
    recording_proxy.inject(SAVE, fault)
    provider.update(created.id, outs(created), changed)
    assert recording_proxy.mutations() == {SAVE: 1}
    assert direct.fetch_job(int(created.id)).concurrency == 7


def test_a_delete_whose_answer_is_lost_is_confirmed_by_a_read(
    provider: JobProvider, recording_proxy: RecordingProxy, direct: PowerJobClient
) -> None:
    created = provider.create(declare(provider))
    recording_proxy.reset()
    recording_proxy.inject(DELETE, Fault.DROP_RESPONSE_AFTER_EXECUTE)
    provider.delete(created.id, outs(created))
    assert recording_proxy.mutations() == {DELETE: 1}
    assert direct.fetch_job(int(created.id)).deleted
    provider.delete(created.id, outs(created))  # already deleted: still a success


def test_adopting_a_matching_job_makes_no_mutation_and_a_differing_one_makes_one(
    provider: JobProvider, recording_proxy: RecordingProxy, direct: PowerJobClient
) -> None:
    inputs = declare(provider, job_description="made in the console")
    existing = provider.create(inputs)
    recording_proxy.reset()
    adopted = provider.create({**inputs, "adopt_id": int(existing.id)})
    assert adopted.id == existing.id
    assert recording_proxy.mutations() == {}
    adopted = provider.create({**inputs, "adopt_id": int(existing.id), "concurrency": 3})
    assert recording_proxy.mutations() == {SAVE: 1}
    assert direct.fetch_job(int(existing.id)).concurrency == 3


def test_adopting_a_missing_job_names_the_field(provider: JobProvider) -> None:
    with pytest.raises(InputValidationError, match="adopt_id"):
        provider.create({**declare(provider), "adopt_id": 987654321})


def test_a_job_deleted_out_of_band_reads_as_gone(
    provider: JobProvider, direct: PowerJobClient
) -> None:
    created = provider.create(declare(provider))
    direct.delete_job(int(created.id))
    assert provider.read(created.id, outs(created)).id is None
