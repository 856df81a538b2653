"""Issue 25: what ``powerjob-local start --servers N`` refuses before starting anything, how long
``start`` waits for readiness by default, and the nginx group in front of several servers (the
runs are in test_cluster_postgres.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pulumi_powerjob.local import LocalServer, LocalServerError, cli, reverse_proxy
from pulumi_powerjob.local.cli import main
from pulumi_powerjob.local.reverse_proxy import ReverseProxy
from pulumi_powerjob.local.server import START_DEADLINE_S


@pytest.mark.parametrize(
    "extra",
    [
        ("--servers", "2"),
        ("--servers", "2", "--db", "postgres", "--port", "7700"),
        ("--servers", "0"),
    ],
    ids=["on-h2", "with-one-port", "none"],
)
def test_several_servers_need_postgres_and_free_ports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...]
) -> None:
    state_file = tmp_path / "state.json"
    assert main(["start", *extra, "--state-file", str(state_file)]) == 1
    assert (
        "--servers is 1 or more; more than 1 needs --db postgres and no --port"
        in capsys.readouterr().err
    )
    assert not state_file.exists()


def test_start_waits_for_readiness_as_long_as_the_library_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen under load: a JVM took 123 s to start, past the CLI's old 120 s default, while the
    library already waited up to START_DEADLINE_S. The CLI's default is that guard."""
    waited: list[float] = []

    def start(self: LocalServer, deadline_s: float, *, detach: bool = False) -> None:
        waited.append(deadline_s)
        raise LocalServerError("stopped here by the test")

    monkeypatch.setattr(cli, "fetch_jar", lambda version: tmp_path / "server.jar")
    monkeypatch.setattr(LocalServer, "start", start)
    assert main(["start", "--state-file", str(tmp_path / "state.json")]) == 1
    assert main(["start", "--deadline", "30", "--state-file", str(tmp_path / "s.json")]) == 1
    assert waited == [START_DEADLINE_S, 30.0]


def test_nginx_balances_over_both_servers_and_never_resends_a_post(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(reverse_proxy, "ensure_program", lambda name, package: name)
    proxy = ReverseProxy(["http://127.0.0.1:7001", "http://127.0.0.1:7002/"], port=8443)
    try:
        proxy.command()
        config = (proxy.work_dir / "nginx.conf").read_text()
    finally:
        shutil.rmtree(proxy.work_dir)
    assert "upstream powerjob { server 127.0.0.1:7001; server 127.0.0.1:7002; }" in config
    assert "location /powerjob/ { proxy_pass http://powerjob/; }" in config
    assert "proxy_next_upstream error timeout;" in config
    assert "non_idempotent" not in config
