"""The app password and every app token stay out of the four places a user shares or keeps:
the stack state (as ``pulumi stack export`` prints it, and the files on disk), the engine's
verbose logs, the error text of an ``up`` refused on auth, and the pickled provider stored in
the state. Real CLI, PowerJob 5.1 *emulation* on loopback, tokens captured from its answers.

Engine 3.259 logged, at ``-v=9``, the inner value of each secret it marshalled for the provider's
``Configure`` call, so a ``powerjob:password`` kept in stack config showed there. The CLI this
suite builds (3.274.1) no longer does: the verbose logs below must hold no secret at all, from
the environment or from stack config. The engine's gRPC dump
(``PULUMI_DEBUG_GRPC``) carries stack config in the clear by design: in ``Run`` and ``Configure``,
and in later runs' ``CheckConfig``/``DiffConfig`` olds (the engine keeps the config, encrypted, as
the default provider's inputs). Giving the password through ``POWERJOB_PASSWORD`` instead keeps
it out of every log and of the dump (checked below).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dill
import pytest

from pulumi_powerjob.local.engine import EngineError
from pulumi_powerjob.providers.job import JobProvider
from tests.support.emulation51 import PowerJob51Emulation, serve
from tests.support.job_project import jobs_project
from tests.support.wsgi_tap import WsgiTap

pytestmark = [
    pytest.mark.integration,
    pytest.mark.engine,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
AUTH_APP, SAVE_JOB = "/openApi/authApp", "/openApi/saveJob"
JOB_TYPE, PROVIDERS = "pulumi-python:dynamic/powerjob:Job", "pulumi:providers:"
SECRET_SIG = "4dabf18193072939515e22adb298388d"
VERBOSE = ("--logtostderr", "-v=9", "--logflow", "--debug")


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _found(secrets: Mapping[str, str], text: str) -> list[str]:
    """Names of the secrets that occur in ``text``."""
    return sorted(name for name, value in secrets.items() if value in text)


def _lines_with(secrets: Mapping[str, str], text: str) -> list[str]:
    return [line for line in text.splitlines() if _found(secrets, line)]


def _files_under(*roots: Path) -> Iterator[tuple[Path, bytes]]:
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not any(p.is_symlink() for p in (path, *path.parents)):
                yield path, path.read_bytes()


def test_no_secret_in_state_logs_errors_or_the_pickled_provider(
    tmp_path: Path, pulumi_bin: Path
) -> None:
    server = PowerJob51Emulation("5.1.1", auth_enabled=True)
    app_name, password = f"scan-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex}"
    wrong = f"wrong-{uuid.uuid4().hex}"
    server.add_app(app_name, password)
    tap = WsgiTap(server)
    tag = uuid.uuid4().hex[:6]
    names = [f"scan-{tag}-{c}" for c in "abcd"]

    with serve(tap) as url:
        cli = jobs_project(tmp_path, pulumi_bin)
        cli.init(
            {
                "powerjob:address": url,
                "powerjob:appName": app_name,
                "jobs:names": ",".join(names[:2]),
            }
        )

        # 1. The password from the environment, never in stack config: verbose logs with every
        # property shown in the clear, and the engine's gRPC dump.
        grpc_log = tmp_path / "grpc.log"
        base_env = dict(cli.env)
        cli.env = {**base_env, "POWERJOB_PASSWORD": password, "PULUMI_DEBUG_GRPC": str(grpc_log)}
        from_env = cli.up(*VERBOSE, "--show-secrets", "--diff")
        cli.env = base_env

        # 2. The password in stack config, as the README shows: the same verbose logs.
        cli.run("config", "set", "--secret", "powerjob:password", password, secret=True)
        assert cli.run("config", "get", "powerjob:password", secret=True).strip() == password
        cli.run("config", "set", "jobs:names", ",".join(names[:3]))
        verbose = cli.up(*VERBOSE, "--show-secrets", "--diff")

        # 3. A wrong password: the up fails on auth.
        cli.run("config", "set", "--secret", "powerjob:password", wrong, secret=True)
        cli.run("config", "set", "jobs:names", ",".join(names))
        with pytest.raises(EngineError) as refused:
            cli.up()
        refused_output = cli.log[-1]
        with pytest.raises(EngineError):
            cli.up(*VERBOSE)
        refused_verbose = cli.log[-1]

        state = cli.run("stack", "export")

    tokens = []
    for exchange in tap.exchanges:
        data = json.loads(exchange.response_body).get("data") if exchange.path == AUTH_APP else None
        tokens += [data["token"]] if isinstance(data, dict) and data.get("token") else []
    secrets = {
        "password": password,
        "password md5": _md5(password),
        "wrong password": wrong,
        "wrong password md5": _md5(wrong),
        **{f"token {i}": token for i, token in enumerate(tokens)},
    }

    # The capture works: two provider processes got one token each, the tokens were really
    # used, the md5 forms were really sent, and the scanner finds what is there.
    assert len(tokens) == 2
    sent_tokens = {e.access_token_header for e in server.executions if e.path == SAVE_JOB}
    assert set(tokens) <= sent_tokens
    auth_bodies = b"".join(e.request_body for e in tap.exchanges if e.path == AUTH_APP).decode()
    assert _found(secrets, auth_bodies) == ["password md5", "wrong password md5"]
    assert server.executed(SAVE_JOB) == 3, "a and b (environment), c (stack config)"

    # (b) Verbose logs. Relevant: they show the creates and the job names.
    for log in (verbose, from_env):
        assert "Create" in log and "Provider[" in log
    assert names[0] in from_env and names[2] in verbose
    assert _lines_with(secrets, verbose) == [], "password in stack config: a clean log"
    grpc = grpc_log.read_text()
    assert "/pulumirpc.ResourceProvider/Create" in grpc and names[0] in grpc
    assert _found(secrets, from_env) == [], "password from the environment: a clean log"
    assert _found(secrets, grpc) == [], "... and a clean gRPC dump"

    # (c) The refused up: a clear auth error that names no secret; and its verbose logs.
    text = str(refused.value)
    assert "authApp: INCORRECT_PASSWORD" in text and names[3] in refused_output
    assert _found(secrets, text) == [] and _found(secrets, refused_output) == []
    assert "INCORRECT_PASSWORD" in refused_verbose and names[3] in refused_verbose
    assert _lines_with(secrets, refused_verbose) == []

    # (a) The state as exported, and every file the CLI keeps on disk.
    exported: dict[str, Any] = json.loads(state)
    jobs = [r for r in exported["deployment"]["resources"] if r["type"] == JOB_TYPE]
    assert sorted(r["outputs"]["job_name"] for r in jobs) == names[:3]
    assert _found(secrets, state) == []
    providers = [r for r in exported["deployment"]["resources"] if r["type"].startswith(PROVIDERS)]
    assert [set(p["inputs"]["powerjob:password"]) for p in providers] == [
        {SECRET_SIG, "ciphertext"}
    ], "the engine keeps the stack config as the provider's inputs: encrypted"
    files = list(_files_under(tmp_path / "home", tmp_path / "project"))
    assert any(names[0].encode() in content for _, content in files), "the state files"
    for path, content in files:
        found = _found(secrets, content.decode("utf-8", "replace"))
        assert found == [], f"{path.relative_to(tmp_path)} holds {found}"

    # (d) The pickled provider, as stored: plain, small, and nothing on the instance.
    pickles = {r["outputs"]["__provider"] for r in jobs} | {r["inputs"]["__provider"] for r in jobs}
    assert len(pickles) == 1 and isinstance(next(iter(pickles)), str)
    raw = base64.b64decode(next(iter(pickles)))
    assert b"JobProvider" in raw
    assert _found(secrets, raw.decode("latin-1")) == []
    provider = dill.loads(raw)
    assert isinstance(provider, JobProvider)
    assert vars(provider) == {}, "nothing set on the instance: no config, no client, no token"
    assert _found(secrets, repr(provider) + repr(vars(provider))) == []
