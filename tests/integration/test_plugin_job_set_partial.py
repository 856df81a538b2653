"""A JobSet cut off half-way on the plugin path, and what the state holds right after the cut.

A YAML program through the CLI and ``pulumi-resource-powerjob``, on the real 4.3.9 server (H2
file, so that a killed server comes back with its data): a set of N jobs created, or updated,
with its K-th ``saveJob`` cut (the answer dropped after the server ran it, a 502 before
forwarding, the server SIGKILLed right after running it and started again). Right after the
cut, the stack's state is compared with the server: the plugin answers a cut-off create or
update with an init-failed error carrying what landed, so the state holds exactly the jobs the
server holds, with their ids and as the server has them. Then `up` runs until the stack
converges; counted at the proxy, it sends only the rest. Written to
tests/results/job-set-partial-plugin.md.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_powerjob import PowerJobClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import PulumiCli
from tests.support import PowerJobApp, RecordingProxy
from tests.support.cuts import SETTLE_GUARD_S, Cut, persistent_server
from tests.support.engine import yaml_program
from tests.support.results import write_results

pytestmark = [pytest.mark.integration, pytest.mark.engine]

N, K, MAX_UPS = 8, 3, 4
SAVE = "/openApi/saveJob"
OPERATIONS = ("create", "update")
CUTS = ("answer dropped", "502", "server killed")
BEFORE, AFTER = 2, 9  # concurrency before and after the update (5 is the default, not kept)
HEAD = """\
name: set-partial
runtime: yaml
resources:
  estate:
    type: powerjob:index:JobSet
    properties:
      jobs:
"""
ENTRY = """\
        {name}:
          processorInfo: demo.P
          timeExpressionType: CRON
          timeExpression: "0 0 4 * * ?"
          concurrency: {concurrency}
"""
_rows: list[list[str]] = []


def _program(names: list[str], concurrency: int) -> str:
    return HEAD + "".join(ENTRY.format(name=n, concurrency=concurrency) for n in names)


@pytest.fixture(scope="module")
def file_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    with persistent_server(tmp_path_factory.mktemp("h2")) as server:
        yield server


@pytest.fixture(scope="module", autouse=True)
def write_table() -> Iterator[None]:
    yield
    header = ["operation", "cut", "jobs", "first up",
              "right after the cut: in state / on the server (as declared)",
              "init errors recorded", "saves after the cut", "ups after the cut",
              "duplicates"]  # fmt: skip
    title = f"JobSet cut off at saveJob #{K} of {N}, plugin path (YAML, 4.3.9)"
    write_results("job-set-partial-plugin.md", title, header, _rows)


def _state(cli: PulumiCli) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """The set's jobs in the stack's state (name: id, concurrency) and its init errors."""
    deployment = json.loads(cli.run("stack", "export"))["deployment"]
    for resource in deployment.get("resources") or []:
        if resource["type"] == "powerjob:index:JobSet":
            outputs = resource.get("outputs") or {}
            ids, jobs = outputs.get("jobIds") or {}, outputs.get("jobs") or {}
            held = {k: (int(v), int(jobs[k].get("concurrency", 5))) for k, v in ids.items()}
            return held, list(resource.get("initErrors") or [])
    return {}, []


def _live(app: PowerJobApp, names: list[str]) -> list[tuple[str, int, int]]:
    """The set's live jobs on the server: name, id, concurrency."""
    with PowerJobClient(app.settings()) as client:
        return [
            (str(j.job_name), j.id, j.concurrency)
            for j in client.fetch_all_job()
            if not j.deleted and j.job_name in names
        ]


def _converge(cli: PulumiCli) -> int:
    """``up`` until the stack has nothing left to do; the ``up``s it took."""
    for ups in range(1, MAX_UPS + 1):
        if cli.attempt("up", "--yes") and cli.attempt("preview", "--expect-no-changes"):
            return ups
    return MAX_UPS + 1


@pytest.mark.parametrize("cut", CUTS)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_cut_off_job_set_records_what_landed_and_the_next_up_sends_only_the_rest(
    tmp_path: Path, pulumi_bin: Path, file_server: LocalServer, operation: str, cut: str
) -> None:
    name, password = f"p-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app = PowerJobApp(file_server.address, name, password, file_server.create_app(name, password))
    names = [f"part-{uuid.uuid4().hex[:6]}-{i}" for i in range(N)]
    wanted = AFTER if operation == "update" else BEFORE
    with RecordingProxy(file_server.address) as proxy:
        cli = yaml_program(_program(names, BEFORE), tmp_path, pulumi_bin)
        cli.init(
            {
                "powerjob:address": proxy.address,
                "powerjob:appName": app.app_name,
                "powerjob:readTimeout": "3",
                "powerjob:reconcileTimeout": f"{SETTLE_GUARD_S:g}",
            },
            {"powerjob:password": app.password},
        )
        if operation == "update":
            cli.up()
            (cli.project / "Pulumi.yaml").write_text(_program(names, AFTER))
        proxy.reset()
        faulted = Cut(cut, SAVE, proxy, file_server, K)
        faulted.arm()
        first_ok = cli.attempt("up", "--yes")
        if not first_ok:
            faulted.after_failure(cli.log[-1], lambda: cli.run("cancel", "--yes"))
        held, init_errors = _state(cli)
        live = _live(app, names)
        saves_at_cut = sum(1 for r in proxy.records if r.path == SAVE)
        ups = _converge(cli)
        saves_after = sum(1 for r in proxy.records if r.path == SAVE) - saves_at_cut
        final = _live(app, names)
        cli.destroy()
        cli.remove()

    on_server = {n: (i, c) for n, i, c in live}
    held_as_declared = sum(1 for _, c in held.values() if c == wanted)
    live_as_declared = sum(1 for _, _, c in live if c == wanted)
    duplicates = sum(n - 1 for n in Counter(n for n, _, _ in final).values() if n > 1)
    _rows.append([
        operation, cut, str(N), "ok" if first_ok else "failed",
        f"{len(held)} / {len(live)} ({held_as_declared} / {live_as_declared})",
        "yes" if init_errors else "no", str(saves_after), str(ups), str(duplicates),
    ])  # fmt: skip

    assert faulted.fired.is_set(), "the cut happened"
    # A dropped answer is settled by a listing in the same run (it had landed); the others
    # stop the first up.
    assert first_ok == (cut == "answer dropped")
    assert len(live) == len(on_server), "one live job per name right after the cut"
    # The state holds exactly what the server holds: every job, with its id, as the server
    # has it (never a job it forgot, never a change that did not land).
    assert held == on_server
    if not first_ok and held_as_declared:
        assert init_errors, "the cut-off step is recorded with its init error"
    if not first_ok:
        assert 0 < held_as_declared < N or cut == "server killed", "a cut in the middle"
    assert ups <= MAX_UPS, "the stack converges"
    # The next up sends only the rest: one saveJob per job not yet as declared.
    assert saves_after == N - held_as_declared
    assert duplicates == 0
    assert sorted(n for n, _, c in final if c == wanted) == sorted(names)
