"""HTTPS: certificates are verified by default; a CA bundle makes a private CA trusted."""

from __future__ import annotations

import json
import ssl
import subprocess
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import SecretStr

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.errors import ConfigurationError, TransportError
from pulumi_powerjob.settings import ConnectionSettings


class _PowerJob43(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
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
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PowerJob43)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def _client(address: str, **extra: object) -> PowerJobClient:
    settings = ConnectionSettings.model_validate(
        {
            "addresses": address,
            "app_name": f"tls-{uuid.uuid4().hex}",
            "password": SecretStr("p"),
            **extra,
        }
    )
    return PowerJobClient(settings)


def test_an_untrusted_certificate_is_refused_by_default(https_server: tuple[str, Path]) -> None:
    address, _ = https_server
    with (
        _client(address, connect_retries=0) as client,
        pytest.raises(TransportError, match="certificate of .* is not trusted"),
    ):
        client.fetch_all_job()


def test_a_ca_bundle_makes_the_server_trusted(https_server: tuple[str, Path]) -> None:
    address, cert = https_server
    with _client(address, ca_bundle=str(cert)) as client:
        assert client.fetch_all_job() == []


def test_an_untrusted_certificate_names_the_address_and_ca_bundle(
    https_server: tuple[str, Path],
) -> None:
    address, _ = https_server
    with _client(address, connect_retries=0) as client, pytest.raises(TransportError) as caught:
        client.fetch_all_job()
    message = str(caught.value)
    assert f"the TLS certificate of {address} is not trusted" in message
    assert "check powerjob:caBundle / POWERJOB_CA_BUNDLE" in message


def test_ssl_cert_file_is_trusted_unless_trust_env_is_off(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    address, cert = https_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with _client(address) as client:
        assert client.fetch_all_job() == []
    with (
        _client(address, connect_retries=0, trust_env=False) as client,
        pytest.raises(TransportError, match="certificate of .* is not trusted"),
    ):
        client.fetch_all_job()


def test_an_unreadable_ca_bundle_names_its_setting(
    https_server: tuple[str, Path], tmp_path: Path
) -> None:
    address, _ = https_server
    bogus = tmp_path / "not-a-ca.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ConfigurationError, match="powerjob:caBundle / POWERJOB_CA_BUNDLE: cannot"):
        _client(address, ca_bundle=str(bogus))


def test_ssl_cert_dir_is_trusted_when_no_ssl_cert_file_is_set(
    https_server: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    address, cert = https_server
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    (trusted / "server.pem").write_bytes(cert.read_bytes())
    subprocess.run(["openssl", "rehash", str(trusted)], check=True, capture_output=True)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", str(trusted))
    with _client(address) as client:
        assert client.fetch_all_job() == []
