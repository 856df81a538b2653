"""An address with a path prefix behind a real reverse proxy (Debian's nginx, started by
``pulumi_powerjob.local.reverse_proxy``): every call reaches the server, each change once,
and failover works across addresses with different prefixes (issue 25)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.local import free_ports
from pulumi_powerjob.local.reverse_proxy import ReverseProxy
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy

pytestmark = pytest.mark.integration


@pytest.fixture
def nginx(recording_proxy: RecordingProxy) -> Iterator[ReverseProxy]:
    with ReverseProxy(recording_proxy.address, ("/powerjob", "/pj2/deeper")) as proxy:
        yield proxy


def job(name: str, **extra: object) -> SaveJobInfoRequest:
    return SaveJobInfoRequest.model_validate(
        {
            "job_name": name,
            "time_expression_type": "API",
            "execute_type": "STANDALONE",
            "processor_type": "BUILT_IN",
            "processor_info": "demo.Processor",
            **extra,
        }
    )


def settings(app: PowerJobApp, *addresses: str) -> ConnectionSettings:
    return ConnectionSettings(
        addresses=addresses,
        app_name=app.app_name,
        password=SecretStr(app.password),
        connect_retries=0,
    )


def test_every_call_goes_under_the_prefix_and_each_change_is_one_mutation(
    powerjob_app: PowerJobApp, recording_proxy: RecordingProxy, nginx: ReverseProxy
) -> None:
    with PowerJobClient(settings(powerjob_app, nginx.address())) as client:
        job_id = client.save_job(job("prefixed"))
        client.save_job(job("prefixed", id=job_id, job_params="changed"))
        assert client.fetch_job(job_id).job_params == "changed"
        client.delete_job(job_id)
    assert recording_proxy.mutations() == {"/openApi/saveJob": 2, "/openApi/deleteJob": 1}
    # nginx took off the prefix: every call reached a real endpoint, the login's included
    assert [r.path for r in recording_proxy.records][:2] == ["/openApi/authApp", "/openApi/assert"]
    assert [r.status for r in recording_proxy.records] == [404] + [200] * 5  # 4.3: no authApp


def test_failover_across_addresses_with_different_prefixes(
    powerjob_app: PowerJobApp, recording_proxy: RecordingProxy, nginx: ReverseProxy
) -> None:
    dead = f"http://127.0.0.1:{free_ports(1)[0]}/powerjob"  # nothing listens there
    with PowerJobClient(settings(powerjob_app, dead, nginx.address("/pj2/deeper"))) as client:
        job_id = client.save_job(job("failover"))
        assert client.fetch_job(job_id).job_name == "failover"
        client.delete_job(job_id)
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1, "/openApi/deleteJob": 1}
    assert all(r.status in (200, 404) for r in recording_proxy.records)


def test_console_calls_go_under_the_prefix(
    powerjob_app: PowerJobApp, recording_proxy: RecordingProxy, nginx: ReverseProxy
) -> None:
    name, password = f"pfx-{uuid.uuid4().hex[:8]}", SecretStr(f"pw-{uuid.uuid4().hex[:8]}")
    with ConsoleClient(settings(powerjob_app, nginx.address())) as console:
        assert console.save_app(name, password) is None  # 4.3 answers null
        app_id = console.assert_app(name, password)
        assert console.list_workflows(app_id) == []
    assert recording_proxy.mutations() == {"/appInfo/save": 1}
    assert [r.path for r in recording_proxy.records] == [
        "/appInfo/save",
        "/openApi/assert",
        "/workflow/list",
    ]
