"""What a provider keeps of the stack config: every connection key reaches the client's settings."""

from __future__ import annotations

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.providers.app import AppProvider
from pulumi_powerjob.providers.base import PowerJobProvider
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.job_set import JobSetProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile import connection

GIVEN = {
    "powerjob:address": "http://127.0.0.1:7700",
    "powerjob:appName": "configured",
    "powerjob:password": "pw-configured",
    "powerjob:connectTimeout": "4",
    "powerjob:readTimeout": "7",
    "powerjob:caBundle": "/etc/ssl/certs/ca-certificates.crt",
    "powerjob:reconcileTimeout": "660",
    "powerjob:trustEnv": "false",
}


@pytest.mark.parametrize(
    "provider",
    [JobProvider, JobSetProvider, WorkflowProvider, AppProvider],
    ids=lambda p: p.__name__,
)
def test_every_connection_key_of_the_stack_config_reaches_the_settings(
    provider: type[PowerJobProvider], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reconcileTimeout`` was once dropped here: a stack that set it settled lost answers
    for the default 120 s, and a server restart on a busy machine outlasted that."""
    for key in ("RECONCILE_TIMEOUT", "READ_TIMEOUT", "CONNECT_TIMEOUT", "TRUST_ENV"):
        monkeypatch.delenv(f"POWERJOB_{key}", raising=False)
    assert {f"powerjob:{key}" for key in connection.KEYS} == set(GIVEN)
    configured = provider()
    configured.configure(ConfigureRequest(Config(dict(GIVEN), "powerjob")))

    settings = connection.resolve(connection.DEFAULT, configured._config)

    assert settings.reconcile_timeout == 660.0
    assert (settings.connect_timeout, settings.read_timeout) == (4.0, 7.0)
    assert settings.ca_bundle == GIVEN["powerjob:caBundle"]
    assert settings.trust_env is False
    assert settings.addresses == ("http://127.0.0.1:7700",)
    assert settings.app_name == "configured"
