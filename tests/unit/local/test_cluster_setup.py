"""Issue 25: what ``powerjob-local start --servers N`` refuses before starting anything, and the
nginx group in front of several servers (the runs are in test_cluster_postgres.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pulumi_powerjob.local import reverse_proxy
from pulumi_powerjob.local.cli import main
from pulumi_powerjob.local.reverse_proxy import ReverseProxy


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
