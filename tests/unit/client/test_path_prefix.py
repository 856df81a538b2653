"""Addresses with a path prefix (``https://lb/powerjob``): every call, the login's included,
goes under the prefix, and failover swaps the prefix along with the origin (issue 25)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.console import AdminCredentials, ConsoleClient
from pulumi_powerjob.client.transport import FailoverTransport
from pulumi_powerjob.errors import ResponseValidationError
from pulumi_powerjob.settings import ConnectionSettings
from tests.support.emulation51 import PowerJob51Emulation
from tests.unit.client.test_client_errors import JOB, Server43, ok

PASSWORD = "prefix-pw"


def settings(*addresses: str, name: str | None = None) -> ConnectionSettings:
    return ConnectionSettings(
        addresses=addresses,
        app_name=name or f"app-{uuid.uuid4().hex}",
        password=SecretStr(PASSWORD),
        connect_retries=0,
    )


class Behind:
    """A reverse proxy in a function: ``<prefix>/x`` reaches the server as ``/x``; any other
    path is a 404, and ``down`` hosts refuse the connection."""

    def __init__(self, prefixes: dict[str, str], server: httpx.BaseTransport) -> None:
        self.prefixes = prefixes  # host -> prefix
        self.server = server
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(f"{request.url.host}{request.url.path}")
        if request.url.host.startswith("down"):
            raise httpx.ConnectError("refused", request=request)
        prefix = self.prefixes[request.url.host]
        if not request.url.path.startswith(prefix + "/"):
            return httpx.Response(404, text="no such location")
        inner = httpx.Request(
            request.method,
            request.url.copy_with(path=request.url.path[len(prefix) :]),
            headers=request.headers,
            content=request.read(),
        )
        response = self.server.handle_request(inner)
        response.read()
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )


def test_a_4_3_server_under_a_prefix_gets_the_login_and_the_call_under_it() -> None:
    server = Server43(lambda r: ok(11))
    behind = Behind({"lb.test": "/powerjob"}, httpx.MockTransport(server))
    with PowerJobClient(
        settings("http://lb.test/powerjob"), transport=httpx.MockTransport(behind)
    ) as client:
        assert client.save_job(JOB) == 11
    assert behind.seen == [
        "lb.test/powerjob/openApi/authApp",
        "lb.test/powerjob/openApi/assert",
        "lb.test/powerjob/openApi/saveJob",
    ]
    assert server.hits["/openApi/saveJob"] == 1


def test_login_goes_under_the_prefix_too() -> None:
    behind = Behind({"lb.test": "/a/b"}, httpx.MockTransport(Server43(lambda r: ok(1))))
    with PowerJobClient(
        settings("http://lb.test/a/b/"), transport=httpx.MockTransport(behind)
    ) as c:
        assert c.login() == 7
    assert behind.seen == ["lb.test/a/b/openApi/authApp", "lb.test/a/b/openApi/assert"]


def emulation() -> tuple[PowerJob51Emulation, str]:
    server = PowerJob51Emulation("5.1.1", True)
    name = f"prefix-{uuid.uuid4().hex[:8]}"
    server.add_app(name, PASSWORD)
    return server, name


def test_failover_swaps_the_prefix_with_the_origin_and_a_certified_resend_keeps_it() -> None:
    server, name = emulation()
    behind = Behind({"up.test": "/b/c"}, httpx.WSGITransport(app=server))
    s = settings("http://down.test/a", "http://up.test/b/c", name=name)
    transport = FailoverTransport(s.addresses, httpx.MockTransport(behind))
    with PowerJobClient(s, transport=transport) as client:
        client.save_job(JOB)
        server.rotate_signing_key()  # the next call is refused, certified: sent again once
        client.save_job(JOB)
    assert behind.seen == [
        "down.test/a/openApi/authApp",
        "up.test/b/c/openApi/authApp",
        "up.test/b/c/openApi/saveJob",
        "up.test/b/c/openApi/saveJob",
        "up.test/b/c/openApi/authApp",
        "up.test/b/c/openApi/saveJob",
    ]
    assert server.executed("/openApi/saveJob") == 2


def test_failover_from_an_address_without_a_prefix_to_one_with_a_prefix() -> None:
    server = Server43(lambda r: ok(5))
    behind = Behind({"up.test": "/pj"}, httpx.MockTransport(server))
    s = settings("http://down.test:7700", "http://up.test/pj")
    with PowerJobClient(
        s, transport=FailoverTransport(s.addresses, httpx.MockTransport(behind))
    ) as c:
        assert c.save_job(JOB) == 5
    assert [p for p in behind.seen if p.startswith("up")] == [
        "up.test/pj/openApi/authApp",
        "up.test/pj/openApi/assert",
        "up.test/pj/openApi/saveJob",
    ]


def test_console_calls_go_under_the_prefix() -> None:
    server, _ = emulation()
    behind = Behind({"lb.test": "/powerjob"}, httpx.WSGITransport(app=server))
    admin = AdminCredentials(username="ADMIN", password=SecretStr("powerjob_admin"))
    with ConsoleClient(
        settings("http://lb.test/powerjob"), admin, transport=httpx.MockTransport(behind)
    ) as console:
        app_id = console.save_app(f"c-{uuid.uuid4().hex[:8]}", SecretStr("app-pw-1"))
        assert app_id is not None
    assert behind.seen == [
        "lb.test/powerjob/auth/thirdPartyLoginDirect",
        "lb.test/powerjob/namespace/listAll",
        "lb.test/powerjob/appInfo/save",
    ]


def test_console_calls_of_a_4_3_server_go_under_the_prefix_with_their_query() -> None:
    queries: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        queries.append(request.url.query.decode())
        return ok({"data": [], "totalPages": 1, "index": 0, "pageSize": 100, "totalItems": 0})

    behind = Behind({"lb.test": "/powerjob"}, httpx.MockTransport(server))
    with ConsoleClient(
        settings("http://lb.test/powerjob"), transport=httpx.MockTransport(behind)
    ) as console:
        console.delete_app(3)
        assert console.list_workflows(3) == []
    assert behind.seen == ["lb.test/powerjob/appInfo/delete", "lb.test/powerjob/workflow/list"]
    assert queries == ["appId=3", ""]


def test_a_prefix_the_proxy_does_not_serve_is_a_404_naming_the_call() -> None:
    behind = Behind({"lb.test": "/powerjob"}, httpx.MockTransport(Server43(lambda r: ok(1))))
    with (
        PowerJobClient(
            settings("http://lb.test/other"), transport=httpx.MockTransport(behind)
        ) as c,
        pytest.raises(ResponseValidationError) as caught,
    ):
        c.save_job(JOB)
    assert "HTTP 404 with a body that is not JSON" in str(caught.value)
    assert "from http://lb.test/other/openApi/assert;" in str(caught.value)
    assert "path prefix" in str(caught.value)
