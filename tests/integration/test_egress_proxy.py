"""Egress through a real forward proxy (Debian's tinyproxy, started by
``pulumi_powerjob.local.forward_proxy``): ``HTTP_PROXY`` is honoured by default, each change
reaches the server once, the server's headers come back through the proxy, and
``trustEnv false`` goes direct (issue 25). Counted at the recording proxy behind it."""

from __future__ import annotations

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local.forward_proxy import VIA_NAME, ForwardProxy
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy
from tests.support.emulated import emulated_app

pytestmark = pytest.mark.integration


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


def resolved(app: PowerJobApp, address: str, **config: str) -> ConnectionSettings:
    """Settings as a user's stack gives them (config, then the environment)."""
    return ConnectionSettings.resolve(
        None,
        {"powerjob:address": address, "powerjob:appName": app.app_name, **config},
        {"POWERJOB_PASSWORD": app.password},
    )


def test_through_the_forward_proxy_each_change_is_one_mutation(
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    forward_proxy: ForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.address)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with PowerJobClient(resolved(powerjob_app, recording_proxy.address)) as client:
        job_id = client.save_job(job("egress"))
        client.save_job(job("egress", id=job_id, job_params="changed"))
        assert client.fetch_job(job_id).job_params == "changed"
        client.delete_job(job_id)
    assert recording_proxy.mutations() == {"/openApi/saveJob": 2, "/openApi/deleteJob": 1}
    assert len(recording_proxy.vias) == len(recording_proxy.records) == 6
    assert all(VIA_NAME in via for via in recording_proxy.vias), recording_proxy.vias


@pytest.mark.parametrize(
    "off",
    [{"powerjob:trustEnv": "false"}, {}],
    ids=["trustEnv-false", "NO_PROXY"],
)
def test_trust_env_false_or_no_proxy_goes_direct(
    off: dict[str, str],
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    forward_proxy: ForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.address)
    if not off:
        monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    with PowerJobClient(resolved(powerjob_app, recording_proxy.address, **off)) as client:
        job_id = client.save_job(job("direct"))
        client.delete_job(job_id)
    assert recording_proxy.mutations() == {"/openApi/saveJob": 1, "/openApi/deleteJob": 1}
    assert recording_proxy.vias == [""] * len(recording_proxy.records)


def test_the_servers_auth_header_comes_back_through_the_forward_proxy(
    forward_proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reason once given for ``trust_env=False`` ("proxies would hide the server's
    headers") does not hold: a 5.1 server's ``X-POWERJOB-AUTH-PASSED: false`` crosses the
    proxy, so a certified rejection is still told apart and sent again exactly once."""
    monkeypatch.setenv("HTTP_PROXY", forward_proxy.address)
    with emulated_app("egress51") as (server, app, proxy):
        with PowerJobClient(resolved(app, proxy.address)) as client:
            client.save_job(job("first"))
            server.rotate_signing_key()  # every issued token stops verifying
            server.reset_log()
            client.save_job(job("second"))
        log = [
            (e.path.rsplit("/", 1)[-1], e.executed, e.auth_passed_header) for e in server.executions
        ]
        assert log == [
            ("saveJob", False, "false"),
            ("authApp", True, None),
            ("saveJob", True, "true"),
        ]
        assert proxy.mutations() == {"/openApi/saveJob": 3}  # 2 ran, 1 refused before running
        assert all(VIA_NAME in via for via in proxy.vias)
