"""AppProvider without a server: check, diff, and the console calls through MockTransport."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob.client.console import AdminCredentials, ConsoleClient
from pulumi_powerjob.errors import ApiError, AuthenticationError, OutcomeUnknownError
from pulumi_powerjob.providers.app import AppProvider, admin_from
from pulumi_powerjob.settings import ConnectionSettings

SECRET = "s3cr3t-app-password"
OLDS = {
    "app_name": "orders",
    "password": SECRET,
    "delete_on_destroy": False,
    "connection": "default",
    "app_id": 4,
}


@pytest.mark.parametrize(
    ("news", "field"),
    [
        ({"app_name": "has space", "password": SECRET}, "app_name"),
        ({"app_name": "orders", "password": ""}, "password"),
        ({"password": SECRET}, "app_name"),
        ({"app_name": "orders", "password": SECRET, "colour": "red"}, "colour"),
    ],
)
def test_check_names_the_field_and_never_the_password(news: dict[str, Any], field: str) -> None:
    failures = AppProvider().check({}, news).failures
    assert [f.property for f in failures] == [field]
    assert all(SECRET not in f.reason for f in failures)


@pytest.mark.parametrize(
    ("change", "changes", "replaces"),
    [
        ({}, False, []),
        ({"password": "another"}, True, []),
        ({"delete_on_destroy": True}, True, []),
        ({"app_name": "billing"}, True, ["app_name"]),
        ({"connection": "eu"}, True, ["connection"]),
    ],
)
def test_diff_replaces_on_name_and_connection_only(
    change: dict[str, Any], changes: bool, replaces: list[str]
) -> None:
    news = {k: v for k, v in {**OLDS, **change}.items() if k != "app_id"}
    result = AppProvider().diff("4", OLDS, news)
    assert (result.changes, result.replaces) == (changes, replaces)


class Console43:
    """A 4.3 console: save answers null, assert answers the id; counts requests per path."""

    def __init__(self, *, drop_save: bool = False) -> None:
        self.seen: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.drop_save = drop_save
        self.password: str | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen[request.url.path] += 1
        if request.url.path == "/appInfo/save":
            body = json.loads(request.content)
            self.bodies.append(body)
            if body.get("oldPassword") not in (None, self.password):
                return httpx.Response(200, json={"success": False, "message": "密码错误"})
            self.password = body["password"]
            if self.drop_save:
                raise httpx.ReadTimeout("lost", request=request)
            return httpx.Response(200, json={"success": True, "data": None})
        if request.url.path == "/openApi/assert":
            form = dict(httpx.QueryParams(request.content.decode()))
            if form.get("password") != self.password:
                message = "PowerJobException: password error!"
                return httpx.Response(200, json={"success": False, "message": message})
            return httpx.Response(200, json={"success": True, "data": 4})
        return httpx.Response(404, json={})


def console(handler: Console43, admin: AdminCredentials | None = None) -> ConsoleClient:
    settings = ConnectionSettings(addresses=("http://pj:7700",), app_name="orders")
    return ConsoleClient(settings, admin, transport=httpx.MockTransport(handler))


def test_a_43_create_is_one_save_and_the_id_comes_from_assert() -> None:
    server = Console43()
    with console(server) as client:
        assert client.save_app("orders", SecretStr(SECRET)) is None
        assert client.assert_app("orders", SecretStr(SECRET)) == 4
    assert server.seen == {"/appInfo/save": 1, "/openApi/assert": 1}
    assert server.bodies == [{"appName": "orders", "password": SECRET}]


def test_a_password_change_sends_the_old_password_and_a_refusal_hides_both() -> None:
    server = Console43()
    server.password = SECRET
    with console(server) as client:
        client.save_app("orders", SecretStr("new-pw"), app_id=4, old_password=SecretStr(SECRET))
        assert server.bodies[-1] == {
            "appName": "orders",
            "password": "new-pw",
            "id": 4,
            "oldPassword": SECRET,
        }
        with pytest.raises(ApiError) as refused:
            client.save_app(
                "orders", SecretStr("third-pw"), app_id=4, old_password=SecretStr(SECRET)
            )
    assert SECRET not in str(refused.value)
    assert "third-pw" not in str(refused.value)
    assert server.seen["/appInfo/save"] == 2


def test_a_lost_save_answer_is_never_resent() -> None:
    server = Console43(drop_save=True)
    with console(server) as client, pytest.raises(OutcomeUnknownError) as lost:
        client.save_app("orders", SecretStr(SECRET))
    assert server.seen == {"/appInfo/save": 1}
    assert SECRET not in str(lost.value)


def test_a_lost_create_answer_is_reconciled_by_assert_not_by_a_second_save(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = Console43(drop_save=True)
    client = console(server)
    provider = AppProvider()
    monkeypatch.setattr(provider, "console", lambda props: client)
    created = provider.create({"app_name": "orders", "password": SECRET, "connection": None})
    assert created.id == "4"
    assert server.seen == {"/appInfo/save": 1, "/openApi/assert": 1}


def test_admin_credentials_come_from_config_before_the_environment() -> None:
    env = {"POWERJOB_ADMIN_USERNAME": "env-user", "POWERJOB_ADMIN_PASSWORD": "env-pw"}
    config = {"powerjob:adminPassword": "config-pw"}
    admin = admin_from(config, env)
    assert admin is not None
    assert (admin.username, admin.password.get_secret_value()) == ("env-user", "config-pw")
    assert "config-pw" not in repr(admin)
    assert admin_from({}, {}) is None


def test_a_refused_login_is_an_authentication_error_without_the_admin_password() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"success": False, "code": -102, "message": "USER_AUTH_FAILED"}
        return httpx.Response(200, json=body)

    admin = AdminCredentials(username="ADMIN", password=SecretStr("admin-pw-123"))
    settings = ConnectionSettings(addresses=("http://pj:7700",), app_name="orders")
    client = ConsoleClient(settings, admin, transport=httpx.MockTransport(handler))
    with pytest.raises(AuthenticationError) as refused:
        client.save_app("orders", SecretStr(SECRET))
    assert "admin-pw-123" not in str(refused.value)
