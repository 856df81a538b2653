"""The environment's proxies are honoured by default, per address, and ``trustEnv false``
turns that off (issue 25). Through a real forward proxy: tests/integration/test_egress_proxy.py."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.client.transport import FailoverTransport, proxy_for
from pulumi_powerjob.errors import ConfigurationError, OutcomeUnknownError, TransportError
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.settings import ConnectionSettings
from tests.unit.client.test_client_errors import JOB, Server43, ok
from tests.unit.providers.test_short_errors import configured


@pytest.mark.parametrize(
    ("address", "environ", "proxy"),
    [
        ("http://pj:7700", {"HTTP_PROXY": "http://p:3128"}, "http://p:3128"),
        ("http://pj:7700", {"HTTPS_PROXY": "http://p:3128"}, None),
        ("https://pj/powerjob", {"HTTPS_PROXY": "p:3128"}, "http://p:3128"),
        ("https://pj", {"ALL_PROXY": "http://all:1", "HTTP_PROXY": "http://p:1"}, "http://all:1"),
        ("http://pj", {"http_proxy": "http://low:1", "HTTP_PROXY": "http://up:1"}, "http://low:1"),
        ("http://pj.corp.example", {"HTTP_PROXY": "http://p:1", "NO_PROXY": ".example"}, None),
        ("http://pj.corp.example", {"HTTP_PROXY": "http://p:1", "no_proxy": "corp.example"}, None),
        ("http://corp.example.org", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "example"}, "http://p:1"),
        ("http://10.1.2.3:7700", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8"}, None),
        ("http://10.1.2.3:7700", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "10.1.2.3:7701"}, "http://p:1"),
        ("http://10.1.2.3:7700", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "x,10.1.2.3:7700"}, None),
        ("http://anything", {"HTTP_PROXY": "http://p:1", "NO_PROXY": "*"}, None),
        ("http://anything", {}, None),
    ],
)  # fmt: skip
def test_the_proxy_for_an_address_follows_the_usual_variables(
    address: str, environ: dict[str, str], proxy: str | None
) -> None:
    assert proxy_for(address, environ) == proxy


def test_trust_env_is_on_by_default_and_off_by_config_environment_or_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = {"powerjob:address": "pj:7700", "powerjob:appName": "a"}
    assert ConnectionSettings.resolve(None, base, {}).trust_env is True
    off = {**base, "powerjob:trustEnv": "false"}
    assert ConnectionSettings.resolve(None, off, {}).trust_env is False
    assert (
        ConnectionSettings.resolve(None, base, {"POWERJOB_TRUST_ENV": "false"}).trust_env is False
    )
    with pytest.raises(ConfigurationError, match=r"powerjob:trustEnv / POWERJOB_TRUST_ENV"):
        ConnectionSettings.resolve(None, {**base, "powerjob:trustEnv": "maybe"}, {})
    # a named connection profile: its config object, else its environment
    profile = {"prod": {"address": "p:1", "appName": "a", "trustEnv": False}}
    provider = configured(JobProvider(), {"powerjob:connections": profile})
    assert provider.client("prod").settings.trust_env is False
    for name, value in {"ADDRESS": "s:1", "APP_NAME": "a", "TRUST_ENV": "0"}.items():
        monkeypatch.setenv(f"POWERJOB_STAGE_{name}", value)
    assert configured(JobProvider(), {}).client("stage").settings.trust_env is False


class _ForwardProxy(BaseHTTPRequestHandler):
    """Answers every request itself as a 4.3 server would, recording its request line."""

    seen: list[str]

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append(self.path)  # absolute-form: http://host:port/path
        if self.path.endswith("/authApp"):
            self.send_response(404)
            body = b"{}"
        else:
            self.send_response(200)
            data: object = 7 if self.path.endswith("/assert") else []
            body = json.dumps({"success": True, "data": data, "message": None}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def forward_proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_ForwardProxy,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _settings(**extra: object) -> ConnectionSettings:
    return ConnectionSettings.model_validate(
        {
            "addresses": ("http://down.invalid:7700/pj", "http://powerjob.invalid/powerjob"),
            "app_name": "egress",
            "password": SecretStr("p"),
            "connect_retries": 0,
            **extra,
        }
    )


def test_each_address_goes_through_the_proxy_the_environment_names(
    forward_proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, seen = forward_proxy
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "down.invalid")  # direct, and no such host: fails over
    with PowerJobClient(_settings()) as client:
        assert client.fetch_all_job() == []
    assert seen == [
        "http://powerjob.invalid/powerjob/openApi/authApp",
        "http://powerjob.invalid/powerjob/openApi/assert",
        "http://powerjob.invalid/powerjob/openApi/fetchAllJob",
    ]


def test_trust_env_false_ignores_the_proxy(
    forward_proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, seen = forward_proxy
    monkeypatch.setenv("HTTP_PROXY", proxy)
    with (
        PowerJobClient(_settings(trust_env=False)) as client,
        pytest.raises(TransportError, match="could not connect"),
    ):
        client.fetch_all_job()
    assert seen == []


def test_a_refused_tunnel_is_nothing_sent_and_fails_over() -> None:
    server = Server43(lambda r: ok(5))

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "blocked.test":
            raise httpx.ProxyError("403 Forbidden", request=request)
        return server(request)

    one = _settings(addresses=("https://blocked.test",))
    with (
        PowerJobClient(one, transport=httpx.MockTransport(handler)) as client,
        pytest.raises(TransportError) as caught,
    ):
        client.save_job(JOB)
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert "the egress proxy refused a tunnel to https://blocked.test (403 Forbidden)" in str(
        caught.value
    )
    two = _settings(addresses=("https://blocked.test", "https://open.test"))
    transport = FailoverTransport(two.addresses, httpx.MockTransport(handler))
    with PowerJobClient(two, transport=transport) as client:
        assert client.save_job(JOB) == 5
    assert server.hits["/openApi/saveJob"] == 1


def test_the_dynamic_providers_receive_trust_env_from_stack_config(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("POWERJOB_ADDRESS", "POWERJOB_APP_NAME", "POWERJOB_TRUST_ENV"):
        monkeypatch.delenv(name, raising=False)
    config = {"powerjob:address": "pj:7700", "powerjob:appName": "a", "powerjob:trustEnv": "false"}
    provider = configured(JobProvider(), config)
    assert provider.client(None).settings.trust_env is False
