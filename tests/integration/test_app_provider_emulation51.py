"""AppProvider called directly against the PowerJob 5.1 *emulation* (not a real server),
served on loopback: the admin-login path, the namespace lookup and one save per change.

5.1 server jars are not published, so the console path is checked against the emulation;
`test_app_lifecycle.py` runs the 4.3 path through the engine against the real server.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.errors import ApiError, AuthenticationError
from pulumi_powerjob.providers.app import AppProvider
from tests.support.emulation51 import PowerJob51Emulation, serve

pytestmark = pytest.mark.integration
ADMIN = {"powerjob:adminUsername": "ADMIN", "powerjob:adminPassword": "powerjob_admin"}


@pytest.fixture(params=["5.1.0", "5.1.1"])
def emulation(request: pytest.FixtureRequest) -> Iterator[tuple[PowerJob51Emulation, str]]:
    app = PowerJob51Emulation(request.param, auth_enabled=True)
    with serve(app) as url:
        yield app, url


def _provider(url: str, **extra: str) -> AppProvider:
    provider = AppProvider()
    config = {"powerjob:address": url, **extra}
    provider.configure(ConfigureRequest(Config(config, "apps")))
    return provider


def _inputs(name: str, password: str) -> dict[str, Any]:
    return {"app_name": name, "password": password, "delete_on_destroy": False}


def test_create_logs_in_once_and_saves_once_then_the_password_change_is_one_save(
    emulation: tuple[PowerJob51Emulation, str],
) -> None:
    server, url = emulation
    provider = _provider(url, **ADMIN)
    name = f"app-{uuid.uuid4().hex[:8]}"
    checked = provider.check({}, _inputs(name, "first-secret"))
    assert checked.failures == []

    created = provider.create(checked.inputs)
    assert server.executed("/auth/thirdPartyLoginDirect") == 1
    assert server.executed("/namespace/listAll") == 1
    assert server.executed("/appInfo/save") == 1
    assert server.executed("/openApi/assert") == 0, "5.1 answers the id itself"
    assert created.outs is not None
    assert created.outs["app_id"] == int(created.id)

    # The new password works with the OpenAPI, the old one no longer does.
    server.reset_log()
    news = _inputs(name, "second-secret")
    provider.update(created.id, created.outs, news)
    assert server.executed("/appInfo/save") == 1
    assert server.executed("/auth/thirdPartyLoginDirect") == 0, "the console token is reused"
    read = provider.read(created.id, {**news, "connection": "default"})
    assert read.id == created.id
    with pytest.raises(ApiError, match="changed outside Pulumi") as refused:
        provider.read(created.id, {**_inputs(name, "first-secret"), "connection": "default"})
    assert "first-secret" not in str(refused.value)

    server.reset_log()
    assert read.outs is not None
    provider.update(created.id, read.outs, {**news, "delete_on_destroy": True})
    assert server.attempts("/appInfo/save") == 0, "no password change: no call"
    provider.delete(created.id, {**news, "delete_on_destroy": False})
    assert server.executions == [], "retained by default: destroy sends nothing"


def test_a_refused_admin_login_names_no_password_and_saves_nothing(
    emulation: tuple[PowerJob51Emulation, str],
) -> None:
    server, url = emulation
    provider = _provider(
        url, **{"powerjob:adminUsername": "ADMIN", "powerjob:adminPassword": "wrong-admin-pw"}
    )
    with pytest.raises(AuthenticationError) as refused:
        provider.create(_inputs(f"app-{uuid.uuid4().hex[:8]}", "app-secret-xyz"))
    assert "wrong-admin-pw" not in str(refused.value)
    assert "app-secret-xyz" not in str(refused.value)
    assert server.attempts("/appInfo/save") == 0


def test_a_missing_app_reads_as_gone(emulation: tuple[PowerJob51Emulation, str]) -> None:
    _server, url = emulation
    provider = _provider(url, **ADMIN)
    read = provider.read("99", {**_inputs("never-made", "pw"), "connection": "default"})
    assert read.id is None


def test_regress_24_no_admin_login_names_the_admin_settings(
    emulation: tuple[PowerJob51Emulation, str],
) -> None:
    _server, url = emulation
    with pytest.raises(ApiError) as refused:
        _provider(url).create(_inputs(f"app-{uuid.uuid4().hex[:8]}", "app-secret-xyz"))
    message = str(refused.value)
    assert "(code -100)" in message and "wants a console login for apps" in message
    assert message.endswith(
        "check powerjob:adminUsername / powerjob:adminPassword "
        "(or POWERJOB_ADMIN_USERNAME / POWERJOB_ADMIN_PASSWORD)]"
    )


def test_regress_24_a_wrong_admin_password_names_the_admin_settings(
    emulation: tuple[PowerJob51Emulation, str],
) -> None:
    _server, url = emulation
    provider = _provider(url, **{**ADMIN, "powerjob:adminPassword": "wrong-admin-pw"})
    with pytest.raises(AuthenticationError) as refused:
        provider.create(_inputs(f"app-{uuid.uuid4().hex[:8]}", "app-secret-xyz"))
    message = str(refused.value)
    assert "password is incorrect" in message and "wrong-admin-pw" not in message
    assert "check powerjob:adminUsername / powerjob:adminPassword" in message
