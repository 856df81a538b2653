"""The plugin's check and diff, called as the engine calls them (no server, no engine)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckRequest,
    ConfigureRequest,
    DiffRequest,
    PropertyDiffKind,
)

from pulumi_powerjob.plugin.config import raw_config
from pulumi_powerjob.plugin.provider import PowerJobPlugin
from pulumi_powerjob.plugin.resources import BY_TOKEN
from pulumi_powerjob.plugin.values import plain_map, wrap_map
from pulumi_powerjob.providers.unknowns import MARKER
from pulumi_powerjob.reconcile import connection

T = TypeVar("T")
URN = "urn:pulumi:dev::proj::powerjob:index:Job::nightly"
SET_URN = "urn:pulumi:dev::proj::powerjob:index:JobSet::batch"
DECLARED = {
    "processorInfo": "demo.Processor",
    "timeExpressionType": "cron",
    "timeExpression": "0 0 5 * * ?",
}


def run(call: Coroutine[Any, Any, T]) -> T:
    """Run ``call`` on a loop of its own, leaving the thread's current loop alone (the
    Pulumi SDK's mocks, used by other unit tests, expect one)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(call)
    finally:
        loop.close()


def check(news: dict[str, Any], olds: dict[str, Any] | None = None) -> Any:
    plugin = PowerJobPlugin()
    request = CheckRequest(URN, wrap_map(olds or {}), wrap_map(news), b"")
    return run(plugin.check(request))


def diff(old_state: dict[str, Any], news: dict[str, Any]) -> Any:
    request = DiffRequest(URN, "7", wrap_map(old_state), wrap_map(news), [])
    return run(PowerJobPlugin().diff(request))


def test_check_gives_canonical_camel_case_inputs_named_after_the_resource() -> None:
    response = check(DECLARED)
    assert response.failures is None
    inputs = plain_map(response.inputs)
    assert inputs["jobName"] == "nightly"  # the resource's name, as the Python face does
    assert inputs["timeExpressionType"] == "CRON"
    assert inputs["executeType"] == "STANDALONE"
    assert inputs["owner"] == URN  # the ownership mark's source
    assert inputs["connection"] == "default"
    assert all("_" not in key for key in inputs)


def test_check_failures_name_the_property_as_the_schema_does() -> None:
    response = check({**DECLARED, "logConfig": {"level": "LOUD"}, "jobNmae": "x"})
    properties = {f.property for f in response.failures}
    assert "logConfig.level" in properties
    assert "jobNmae" in properties


def test_an_unknown_input_passes_check_and_shows_as_a_changed_path() -> None:
    response = check({**DECLARED, "jobParams": MARKER})
    assert response.failures is None
    assert plain_map(response.inputs)["jobParams"] == MARKER


def test_a_secret_input_stays_secret() -> None:
    plugin = PowerJobPlugin()
    news = wrap_map(DECLARED) | {"jobParams": PropertyValue("token=abc", is_secret=True)}
    response = run(plugin.check(CheckRequest(URN, {}, news, b"")))
    assert response.inputs is not None
    assert response.inputs["jobParams"].is_secret
    assert not response.inputs["processorInfo"].is_secret


def test_diff_names_each_changed_path_and_its_kind() -> None:
    state = plain_map(check(DECLARED).inputs) | {"jobId": 7.0, "status": "ENABLE"}
    assert diff(state, state).changes is False

    news = {**state, "timeExpression": "0 30 5 * * ?", "logConfig": {"level": "INFO"}}
    news = plain_map(check(news).inputs)
    response = diff(state, news)
    assert response.changes is True
    assert response.replaces == []
    kinds = {path: d.kind for path, d in response.detailed_diff.items()}
    assert kinds == {"timeExpression": PropertyDiffKind.UPDATE, "logConfig": PropertyDiffKind.ADD}


def test_a_connection_change_replaces() -> None:
    state = plain_map(check(DECLARED).inputs)
    response = diff(state, {**state, "connection": "prod"})
    assert response.replaces == ["connection"]
    assert response.detailed_diff["connection"].kind is PropertyDiffKind.UPDATE_REPLACE


def test_an_unknown_value_is_a_change_at_preview() -> None:
    state = plain_map(check(DECLARED).inputs)
    response = diff(state, {**state, "jobParams": MARKER})
    assert response.changes is True
    assert response.detailed_diff["jobParams"].kind is PropertyDiffKind.UPDATE


def test_provider_config_becomes_the_dynamic_providers_stack_config() -> None:
    args = {
        "address": "http://h:7700",
        "appName": "a",
        "password": "pw",
        "readTimeout": 1.5,
        "connectTimeout": 3.0,
        "connections": {"prod": {"address": "http://p:7700", "appName": "b"}},
    }
    config = raw_config(args, {"powerjob:config:caBundle": "/ca.pem", "other:config:x": "y"})
    assert config["powerjob:address"] == "http://h:7700"
    assert config["powerjob:readTimeout"] == "1.5"
    assert config["powerjob:connectTimeout"] == "3"
    assert config["powerjob:caBundle"] == "/ca.pem"
    assert "other:x" not in config and "powerjob:x" not in config
    assert '"appName": "b"' in config["powerjob:connections"]


def test_configure_takes_a_secret_password_and_sends_nothing_at_preview() -> None:
    plugin = PowerJobPlugin()
    args = wrap_map({"address": "http://h:7700", "appName": "a"}) | {
        "password": PropertyValue("pw", is_secret=True)
    }
    response = run(plugin.configure(ConfigureRequest({}, args, True, False)))
    assert response.supports_preview is False
    assert response.accept_secrets is True


def test_settings_missing_from_config_fall_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POWERJOB_ADDRESS", "powerjob.internal:7700")
    monkeypatch.setenv("POWERJOB_PASSWORD", "from-env")
    monkeypatch.setenv("POWERJOB_PROD_ADDRESS", "http://prod:7700")
    monkeypatch.setenv("POWERJOB_PROD_APP_NAME", "prod-app")
    plugin = PowerJobPlugin()
    run(plugin.configure(ConfigureRequest({}, wrap_map({"appName": "a"}), True, False)))
    job = plugin._provider(BY_TOKEN["powerjob:index:Job"])
    settings = connection.resolve("default", job._config)
    assert settings.addresses == ("http://powerjob.internal:7700",)
    assert settings.app_name == "a"  # config first
    assert settings.password is not None
    assert settings.password.get_secret_value() == "from-env"
    prod = connection.resolve("prod", job._config)
    assert (prod.addresses, prod.app_name) == (("http://prod:7700",), "prod-app")


def test_a_job_set_diff_names_the_field_inside_the_changed_entry() -> None:
    def set_check(jobs: dict[str, Any]) -> dict[str, Any]:
        request = CheckRequest(SET_URN, {}, wrap_map({"jobs": jobs}), b"")
        response = run(PowerJobPlugin().check(request))
        assert response.failures is None and response.inputs is not None
        return plain_map(response.inputs)

    a = {"processorInfo": "p", "timeExpressionType": "CRON", "timeExpression": "0 0 3 * * ?"}
    b = {"processorInfo": "q", "timeExpressionType": "API"}
    old = set_check({"set-a": a, "b": b})
    new = set_check({"set-a": {**a, "timeExpression": "0 15 3 * * ?"}, "b": b})
    request = DiffRequest(SET_URN, "s", wrap_map(old), wrap_map(new), [])
    response = run(PowerJobPlugin().diff(request))
    assert response.changes is True
    assert list(response.detailed_diff) == ['jobs["set-a"].timeExpression']
    assert response.diffs == ["jobs"]
