"""Two PowerJob 4.3.9 servers on one PostgreSQL, started once for the module as a user starts
them (``powerjob-local start --db postgres --servers 2``), each behind its own recording proxy,
so every request shows which server took it (issue 25).

- nginx (Debian's) in front of both, TLS with a private CA at ``https://localhost:<port>/powerjob``,
  ``powerjob:caBundle`` the only setting added: a lifecycle counts one mutation per change
  across both servers; then the server that ran a saveJob is killed holding its answer, nginx
  answers 502 and does not send the POST to the other server (``proxy_next_upstream`` without
  ``non_idempotent``), and the client settles by reading through nginx from the survivor.
- ``powerjob:address`` listing both servers: the server that ran a saveJob is killed with its
  answer lost in the middle of an `up`; its port refuses, so the settlement's read fails over
  to the other server, which finds the job in the shared database.

Both through the plain ``pulumi`` CLI on a project directory, preview before every up.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local.certificates import PrivateCA
from pulumi_powerjob.local.engine import PulumiCli
from pulumi_powerjob.local.reverse_proxy import ReverseProxy
from pulumi_powerjob.local.table import render_table
from pulumi_powerjob.models import JobInfoQuery
from tests.support import PowerJobApp, RecordingProxy, is_mutation
from tests.support.cluster import (
    KillOnSave,
    Member,
    StartedCluster,
    cli_cluster,
    mutations,
    requests,
    reset,
    saved_names,
    saves_per_name,
)
from tests.support.job_project import jobs_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]
RESULTS = Path(__file__).parents[1] / "results"
JOBS = 6
KILL_AT_SAVE = 3


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartedCluster]:
    name, password = f"c-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    state_file = tmp_path_factory.mktemp("cluster") / "powerjob-local.json"
    with cli_cluster(state_file, name, password) as started:
        yield started


@pytest.fixture(scope="module")
def cluster_app(cluster: StartedCluster) -> PowerJobApp:
    """The app ``--app`` created on the first server: a row in the shared database."""
    return cluster.app


@pytest.fixture
def members(cluster: StartedCluster) -> Iterator[list[Member]]:
    """Both servers running (one killed by an earlier test is started again on its ports and
    the same database), each behind a fresh recording proxy."""
    for server in cluster.servers:
        if not server.running:
            server.start()
    a, b = cluster.servers
    with RecordingProxy(a.address) as first, RecordingProxy(b.address) as second:
        yield [Member("A", a, first), Member("B", b, second)]


def test_powerjob_local_starts_two_servers_on_one_postgresql(cluster: StartedCluster) -> None:
    a, b = cluster.servers
    assert cluster.printed == f"{a.address},{b.address}", "one powerjob:address value"
    assert cluster.state["database"] == "postgres"
    ports = [(s.entry["http_port"], s.entry["oms_port"]) for s in cluster.servers]
    assert len({port for pair in ports for port in pair}) == 4, ports
    form = {"appName": cluster.app.app_name, "password": cluster.app.password}
    for server in cluster.servers:
        hello = httpx.get(f"{server.address}/server/hello", timeout=30).json()
        assert hello["data"]["serverInfo"]["version"] == "4.3.9"
        assert hello["data"]["defaultAddress"]["address"].endswith(f":{server.entry['oms_port']}")
        found = httpx.post(f"{server.address}/openApi/assert", data=form, timeout=30).json()
        assert found["data"] == cluster.app.app_id, "both servers see the app in the database"


def _live_jobs(app: PowerJobApp, address: str, prefix: str) -> list[str]:
    """Names of the live jobs named ``prefix...``, read from the server at ``address``."""
    settings = app.settings().model_copy(update={"addresses": (address,)})
    with PowerJobClient(settings) as client:
        jobs = client.query_job(JobInfoQuery(job_name_like=f"{prefix}%", status_in=[1, 2]))
    return sorted(str(job.job_name) for job in jobs)


def _cli(tmp_path: Path, pulumi_bin: Path, app: PowerJobApp, config: dict[str, str]) -> PulumiCli:
    cli = jobs_project(tmp_path, pulumi_bin)
    cli.init(config | {"powerjob:appName": app.app_name}, {"powerjob:password": app.password})
    return cli


def _report(name: str, title: str, rows: list[list[str]]) -> None:
    table = render_table(["", "count"], rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(f"# {title}\n\n{table}\n")
    print("\n" + table)


def test_nginx_in_front_of_both_servers_one_mutation_per_change_even_when_one_dies(
    tmp_path: Path,
    pulumi_bin: Path,
    cluster_app: PowerJobApp,
    members: list[Member],
    private_ca: PrivateCA,
) -> None:
    prefix = f"lb-{uuid.uuid4().hex[:6]}"
    names = [f"{prefix}-{i}" for i in range(JOBS)]
    first, rest = names[: JOBS // 2], names[JOBS // 2 :]
    upstreams = [m.proxy.address for m in members]
    with ReverseProxy(upstreams, ("/powerjob",), ca=private_ca) as nginx:
        cli = _cli(
            tmp_path,
            pulumi_bin,
            cluster_app,
            {
                "powerjob:address": nginx.address(host="localhost"),
                "powerjob:caBundle": str(private_ca.certificate),
                "jobs:names": ",".join(first),
            },
        )
        try:
            cli.preview()
            assert requests(members) == 0
            cli.up()
            assert mutations(members) == {"/openApi/saveJob": len(first)}
            assert saves_per_name(members) == dict.fromkeys(first, 1)
            took = {m.name: len(m.proxy.records) for m in members}
            assert all(took.values()), f"nginx gave requests to both servers: {took}"
            reset(members)
            cli.preview("--expect-no-changes")
            assert requests(members) == 0

            # More jobs; the server that runs the 2nd new save dies holding its answer.
            killer = KillOnSave(members, at=2)
            killer.arm()
            cli.run("config", "set", "jobs:names", ",".join(names))
            cli.preview()
            assert requests(members) == 0
            # One save in flight, the one the server dies holding (users run the default): a
            # save sent to the dying server an instant before may never run, so the count at
            # its proxy and the `up`s to converge would depend on timing, not the product.
            cli.up("--parallel", "1")
            victim = killer.victim
            survivor = next(m for m in members if m is not victim)
            per_name = saves_per_name(members)
            assert per_name == dict.fromkeys(rest, 1), "nginx sent no POST to a second server"
            at_a, at_b = (saved_names(m.proxy) for m in members)
            twice = set(at_a) & set(at_b)
            assert mutations(members) == {"/openApi/saveJob": len(rest)}
            settlement = killer.first_after(survivor)
            assert not is_mutation(settlement.path), "the survivor's first request is a read"
            reset(members)
            cli.preview("--expect-no-changes")
            assert requests(members) == 0
            assert _live_jobs(cluster_app, survivor.server.address, prefix) == sorted(names)
            _report(
                "cluster-nginx-kill",
                "nginx (TLS, private CA, /powerjob) in front of two 4.3.9 servers on one "
                "PostgreSQL: the server that ran saveJob #2 of the up is SIGKILLed",
                [
                    ["jobs declared after the change", str(len(names))],
                    ["saveJob per new job, both servers together", str(max(per_name.values()))],
                    [f"saveJob at A / B (killed: {victim.name})", f"{len(at_a)} / {len(at_b)}"],
                    ["saveJob of one job at both servers", str(len(twice))],
                    [
                        "settlement's read",
                        f"{settlement.method} {settlement.path} at {survivor.name}",
                    ],
                    ["live jobs on the server", str(len(names))],
                    ["ups to converge", "1"],
                ],
            )
            cli.destroy()
            assert mutations(members) == {"/openApi/deleteJob": len(names)}
        finally:
            cli.remove()


def test_the_server_that_ran_a_save_dies_mid_up_and_the_settlement_reads_the_other(
    tmp_path: Path, pulumi_bin: Path, cluster_app: PowerJobApp, members: list[Member]
) -> None:
    prefix = f"cl-{uuid.uuid4().hex[:6]}"
    names = [f"{prefix}-{i}" for i in range(JOBS)]
    a, b = members
    cli = _cli(
        tmp_path,
        pulumi_bin,
        cluster_app,
        {
            "powerjob:address": f"{a.proxy.address},{b.proxy.address}",
            "jobs:names": ",".join(names),
        },
    )
    killer = KillOnSave(members, at=KILL_AT_SAVE)
    killer.arm()
    try:
        cli.preview()
        assert requests(members) == 0
        cli.up("--parallel", "1")  # one save in flight: see the nginx test above
        assert killer.victim is a, "the first address takes every request while it answers"
        at_a, at_b = saved_names(a.proxy), saved_names(b.proxy)
        assert len(at_a) == KILL_AT_SAVE and len(at_b) == JOBS - KILL_AT_SAVE
        per_name = saves_per_name(members)
        assert per_name == dict.fromkeys(names, 1)
        settlement = killer.first_after(b)
        assert b.proxy.records[0] is settlement, "B took nothing before the kill"
        assert not is_mutation(settlement.path), "B's first request is the settlement's read"
        reset(members)
        cli.preview("--expect-no-changes")
        assert requests(members) == 0
        live = _live_jobs(cluster_app, b.server.address, prefix)
        assert live == sorted(names)
        _report(
            "cluster-kill-mid-up",
            "Two 4.3.9 servers on one PostgreSQL, `powerjob:address` listing both: the server "
            f"that ran saveJob #{KILL_AT_SAVE} is SIGKILLed, its answer lost",
            [
                ["jobs declared", str(JOBS)],
                ["saveJob at A (killed after the last)", str(len(at_a))],
                ["saveJob at B (after failover)", str(len(at_b))],
                ["saveJob per declared job, A and B together", str(max(per_name.values()))],
                ["duplicates", str(len(live) - len(set(live)))],
                ["lost", str(len(set(names) - set(live)))],
                ["settlement's read", f"{settlement.method} {settlement.path} at B"],
                ["ups to converge", "1; then preview --expect-no-changes passes"],
            ],
        )
        cli.destroy()
        assert mutations(members) == {"/openApi/deleteJob": JOBS}
        assert b.proxy.mutations() == {"/openApi/deleteJob": JOBS}
    finally:
        cli.remove()
