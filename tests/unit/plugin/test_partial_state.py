"""A create or update cut off half-way, as the plugin answers it: an ``ErrorResourceInitFailed``
detail carrying the id and the properties that landed (no server, no engine)."""

from __future__ import annotations

from typing import Any, NoReturn

import grpc
import pytest
from google.protobuf import struct_pb2  # type: ignore[import-untyped]
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import CreateRequest, CreateResponse, Provider
from pulumi.runtime.proto import CreateRequest as CreateMessage
from pulumi.runtime.proto import ErrorResourceInitFailed, status_pb2

from pulumi_powerjob.errors import Landed, PartlyAppliedError
from pulumi_powerjob.plugin.provider import PowerJobPlugin
from pulumi_powerjob.plugin.servicer import DETAILS_KEY, InitFailed, PartialStateServicer
from pulumi_powerjob.plugin.values import plain_map
from pulumi_powerjob.providers.job_set import JobSetProvider
from tests.unit.plugin.test_provider import SET_URN, run

PROPS = {"jobIds": PropertyValue({"a": PropertyValue(100.0)})}


class Aborted(Exception):
    pass


class Context:
    """The part of a gRPC servicer context the servicer uses: ``abort`` (which raises)."""

    aborted: tuple[Any, ...] | None = None

    async def abort(self, code: grpc.StatusCode, details: str, metadata: Any) -> NoReturn:
        self.aborted = (code, details, metadata)
        raise Aborted


class Failing(Provider):
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def create(self, request: CreateRequest) -> CreateResponse:
        raise self.error


def _create(error: Exception, raised: type[Exception]) -> Context:
    servicer = PartialStateServicer([], "0.0.0", Failing(error), engine_address="")
    context = Context()
    message = CreateMessage(urn=SET_URN, properties=struct_pb2.Struct())
    with pytest.raises(raised) as failed:
        run(servicer.Create(message, context))
    assert type(failed.value) is raised
    return context


def test_an_init_failed_create_reaches_the_engine_with_its_id_and_properties() -> None:
    failed = InitFailed("JobSet create: 1 step(s) landed", "jobset-1", PROPS)
    context = _create(failed, Aborted)
    assert context.aborted is not None
    _, details, metadata = context.aborted
    assert details == "JobSet create: 1 step(s) landed"
    [(key, blob)] = metadata
    assert key == DETAILS_KEY
    status = status_pb2.Status.FromString(blob)
    detail = ErrorResourceInitFailed()
    assert status.details[0].Unpack(detail)
    assert detail.id == "jobset-1"
    assert list(detail.reasons) == ["JobSet create: 1 step(s) landed"]
    assert dict(detail.properties.fields["jobIds"].struct_value) == {"a": 100.0}


def test_any_other_error_is_left_to_the_sdk() -> None:
    # the SDK's servicer raises a plain Exception with the message and the frames
    assert _create(ValueError("no"), Exception).aborted is None


def test_a_job_set_cut_off_becomes_init_failed_with_its_outputs_in_state_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outputs = {"jobs": {"a": {"concurrency": 9}}, "job_ids": {"a": 100}, "connection": "default",
               "app_id": 7, "app_name": "orders"}  # fmt: skip

    def create(self: JobSetProvider, props: dict[str, Any]) -> Any:
        error = PartlyAppliedError("JobSet create", 1, {"b": "HTTP 502"}, 0)
        error.landed = Landed(outputs, "jobset-1")
        raise error

    monkeypatch.setattr(JobSetProvider, "create", create)
    request = CreateRequest(SET_URN, {"jobs": PropertyValue({})}, 0, False)
    with pytest.raises(InitFailed) as failed:
        run(PowerJobPlugin().create(request))
    assert failed.value.resource_id == "jobset-1"
    assert failed.value.reason.startswith("JobSet create: 1 step(s) landed, 1 failed")
    assert plain_map(failed.value.properties) == {
        "jobs": {"a": {"concurrency": 9.0}}, "jobIds": {"a": 100.0}, "connection": "default",
        "appId": 7.0, "appName": "orders",
    }  # fmt: skip


def test_an_error_with_nothing_landed_stays_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    def create(self: JobSetProvider, props: dict[str, Any]) -> Any:
        raise PartlyAppliedError("JobSet create", 0, {"a": "HTTP 502"}, 0)

    monkeypatch.setattr(JobSetProvider, "create", create)
    request = CreateRequest(SET_URN, {"jobs": PropertyValue({})}, 0, False)
    with pytest.raises(PartlyAppliedError):
        run(PowerJobPlugin().create(request))
