"""PowerJob behind a real TLS reverse proxy (Debian's nginx, started by
``pulumi_powerjob.local.reverse_proxy``) at ``https://127.0.0.1:<port>/powerjob``, with a
private CA, through the real engine: ``powerjob:caBundle`` is the only setting added; a wrong
CA is a clear error and nothing reaches the server; and the same stack goes on through a real
egress proxy (tinyproxy, ``HTTPS_PROXY``) with one mutation per change (issue 25)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import OutcomeUnknownError, TransportError
from pulumi_powerjob.local.certificates import PrivateCA
from pulumi_powerjob.local.forward_proxy import ForwardProxy
from pulumi_powerjob.local.reverse_proxy import ReverseProxy
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings
from tests.support import PowerJobApp, RecordingProxy
from tests.support.job_project import jobs_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]
JOB = {
    "job_name": "refused",
    "time_expression_type": "API",
    "execute_type": "STANDALONE",
    "processor_type": "BUILT_IN",
    "processor_info": "demo.Processor",
}


def test_job_lifecycle_over_https_with_a_prefix_a_private_ca_and_an_egress_proxy(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    private_ca: PrivateCA,
) -> None:
    wrong_ca = PrivateCA(tmp_path / "wrong-ca", name="some other CA")
    first, second = (f"tls-{uuid.uuid4().hex[:8]}" for _ in range(2))
    with ReverseProxy(recording_proxy.address, ("/powerjob",), ca=private_ca) as nginx:
        cli = jobs_project(tmp_path, pulumi_bin)
        cli.init(
            {
                "powerjob:address": nginx.address(host="localhost"),
                "powerjob:appName": powerjob_app.app_name,
                "powerjob:caBundle": str(wrong_ca.certificate),
                "jobs:names": first,
            },
            {"powerjob:password": powerjob_app.password},
        )

        # A CA that did not sign the proxy's certificate: a clear error, no request at all.
        assert not cli.attempt("up", "--yes")
        output = cli.log[-1]
        origin = f"https://localhost:{nginx.port}"
        assert f"the TLS certificate of {origin} is not trusted" in output, output[-3000:]
        assert "check powerjob:caBundle / POWERJOB_CA_BUNDLE" in output
        assert recording_proxy.records == []

        # The right CA: the only change.
        cli.run("config", "set", "powerjob:caBundle", str(private_ca.certificate))
        recording_proxy.reset()
        cli.preview()
        assert recording_proxy.records == []
        cli.up()
        assert recording_proxy.mutations() == {"/openApi/saveJob": 1}
        recording_proxy.reset()
        cli.preview("--expect-no-changes")
        assert recording_proxy.records == []

        # The same stack through an egress proxy that tunnels (CONNECT) to the server's port
        # only, as such proxies do. The engine's own gRPC on 127.0.0.1 reads the lower-case
        # variables too: NO_PROXY keeps it off the proxy, as a CI runner's usually does.
        assert nginx.port is not None
        with ForwardProxy(connect_ports=(nginx.port,)) as egress:
            cli.env = {
                **cli.env,
                **{name: egress.address for name in ("HTTPS_PROXY", "https_proxy")},
                **{name: "127.0.0.1" for name in ("NO_PROXY", "no_proxy")},
            }
            cli.run("config", "set", "jobs:names", f"{first},{second}")
            recording_proxy.reset()
            cli.preview()
            assert recording_proxy.records == []
            cli.up()
            assert recording_proxy.mutations() == {"/openApi/saveJob": 1}
            tunnels = egress.requests()
            assert tunnels, "the up went through the egress proxy"
            assert all(line.startswith(f"CONNECT localhost:{nginx.port} ") for line in tunnels)
            recording_proxy.reset()
            cli.preview("--expect-no-changes")
            assert recording_proxy.records == []
            cli.destroy()
            assert recording_proxy.mutations() == {"/openApi/deleteJob": 2}


def test_an_egress_proxy_that_refuses_the_tunnel_sends_nothing(
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    private_ca: PrivateCA,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with (
        ReverseProxy(recording_proxy.address, ("/powerjob",), ca=private_ca) as nginx,
        ForwardProxy(connect_ports=(443,)) as egress,
    ):
        monkeypatch.setenv("HTTPS_PROXY", egress.address)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        settings = ConnectionSettings.resolve(
            None,
            {
                "powerjob:address": nginx.address(),
                "powerjob:appName": powerjob_app.app_name,
                "powerjob:caBundle": str(private_ca.certificate),
            },
            {"POWERJOB_PASSWORD": powerjob_app.password},
        )
        with PowerJobClient(settings) as client, pytest.raises(TransportError) as caught:
            client.save_job(SaveJobInfoRequest.model_validate(JOB))
        assert not isinstance(caught.value, OutcomeUnknownError)
        assert f"the egress proxy refused a tunnel to https://127.0.0.1:{nginx.port}" in str(
            caught.value
        )
        assert [line.split()[0] for line in egress.requests()] == ["CONNECT"]
    assert recording_proxy.records == []
