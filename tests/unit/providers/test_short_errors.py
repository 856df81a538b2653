"""Issue 24, items 3 and 4: what a provider's error looks like through the dynamic-provider
host, and a connection profile judged at preview.

The host turns an exception into ``traceback.format_exc()`` (pulumi/dynamic/__main__.py,
``_abort_with_traceback``, called from its ``Create`` and the other methods); ``host_text``
does the same from two frames of the same depth.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest

from pulumi_powerjob.errors import ConfigurationError
from pulumi_powerjob.providers.app import AppProvider
from pulumi_powerjob.providers.base import PowerJobProvider
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.job_set import JobSetProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider

JOB = {"processor_info": "demo.P", "time_expression_type": "API"}
PROFILES = {"powerjob:connections": {"prod": {"address": "http://127.0.0.1:1"}}}


def host_text(method: Callable[..., object], *args: Any) -> str:
    def servicer_method() -> object:  # the host's Create, Update, ...
        return method(*args)

    try:
        servicer_method()
    except Exception:
        return traceback.format_exc()
    raise AssertionError("no error")


def configured(provider: PowerJobProvider, config: dict[str, Any]) -> PowerJobProvider:
    class Config:
        def get(self, key: str) -> Any:
            return config.get(key)

    provider.configure(ConfigureRequest(Config()))  # type: ignore[arg-type]
    return provider


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("POWERJOB_"):
            monkeypatch.delenv(key)


def test_regress_24_an_error_at_up_is_its_message_first_and_a_short_traceback() -> None:
    provider = configured(JobProvider(), PROFILES)
    text = host_text(provider.create, {**JOB, "job_name": "a", "connection": "prod"})
    message = (
        "missing connection settings: powerjob:connections.prod.appName / POWERJOB_PROD_APP_NAME"
    )
    assert text.startswith(message + "\n"), text
    assert "During handling" not in text
    assert text.count('  File "') == 3, text  # the host's two frames and the raise
    assert text.rstrip().endswith(f"pulumi_powerjob.errors.ConfigurationError: {message}")
    assert len(text.splitlines()) <= 14  # 3.11 underlines the two host frames


@pytest.mark.parametrize("provider", [JobProvider, WorkflowProvider, AppProvider, JobSetProvider])
@pytest.mark.parametrize("method", ["create", "read", "update", "delete", "check", "diff"])
def test_every_lifecycle_method_of_every_provider_is_wrapped(
    provider: type[PowerJobProvider], method: str
) -> None:
    assert getattr(getattr(provider, method), "__short_errors__", False)


def test_a_bug_keeps_its_whole_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERJOB_ADDRESS", "http://127.0.0.1:1")
    monkeypatch.setenv("POWERJOB_APP_NAME", "a")
    provider = JobProvider()
    text = host_text(provider.delete, "not-a-number", {})
    assert text.startswith("Traceback") and "ValueError: invalid literal" in text


def test_the_error_is_still_a_powerjob_error_of_its_class() -> None:
    provider = configured(JobProvider(), PROFILES)
    with pytest.raises(ConfigurationError) as caught:
        provider.create({**JOB, "job_name": "a", "connection": "prod"})
    assert caught.value.__suppress_context__ and caught.value.__context__ is None


@pytest.mark.parametrize(
    ("provider", "news"),
    [
        (JobProvider, {**JOB, "job_name": "a"}),
        (WorkflowProvider, {"wf_name": "w", "time_expression_type": "API", "nodes": []}),
        (AppProvider, {"app_name": "orders", "password": "pw"}),
        (JobSetProvider, {"jobs": {"a": JOB}}),
    ],
)
def test_regress_24_a_misspelt_profile_key_is_refused_at_preview(
    provider: type[PowerJobProvider], news: dict[str, Any]
) -> None:
    config = {"powerjob:connections": {"prod": {"address": "prod:7700", "app_name": "p"}}}
    result = configured(provider(), config).check({}, {**news, "connection": "prod"})
    reasons = [f.reason for f in result.failures if f.property == "connection"]
    assert reasons == [
        "powerjob:connections.prod: unknown key(s) 'app_name'; the keys are address, appName, "
        "password, connectTimeout, readTimeout, caBundle, reconcileTimeout, trustEnv"
    ]
    fine = configured(provider(), PROFILES).check({}, {**news, "connection": "prod"})
    assert not [f for f in fine.failures if f.property == "connection"]
