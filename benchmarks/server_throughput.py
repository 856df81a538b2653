"""The PowerJob server's own throughput, at 1, 2, 4 and 8 requests in flight.

    .venv/bin/python benchmarks/server_throughput.py --jobs 200 --rounds 3

Before choosing how many requests a bulk path should keep in flight, measure what the server
itself sustains on this machine: raw httpx, one client per worker thread, straight to the
server (no proxy). For each concurrency, each round creates ``--jobs`` jobs (``saveJob``), reads
them (``fetchJob``), changes each once (``saveJob`` with its id) and deletes them
(``deleteJob``), in a fresh app. Reported per operation: requests per second (median of the
rounds) and the latency percentiles of all rounds. Writes ``server-throughput.json`` and
``server-throughput.md`` under ``--out`` and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.table import render_table

HERE = Path(__file__).resolve().parent
OPERATIONS = ("create", "read", "change", "delete")
CRON = "0 0 3 * * ?"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Clients:
    """One httpx client per worker thread (as one client per bulk worker would be)."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.local = threading.local()
        self.all: list[httpx.Client] = []
        self.lock = threading.Lock()

    def get(self) -> httpx.Client:
        client: httpx.Client | None = getattr(self.local, "client", None)
        if client is None:
            client = httpx.Client(base_url=self.address, trust_env=False, timeout=60.0)
            self.local.client = client
            with self.lock:
                self.all.append(client)
        return client

    def close(self) -> None:
        for client in self.all:
            client.close()


def _ok(answer: httpx.Response) -> Any:
    answer.raise_for_status()
    body = answer.json()
    if not body.get("success"):
        raise RuntimeError(f"{answer.request.url.path}: {answer.text[:300]}")
    return body.get("data")


def _job(app_id: int, i: int, job_id: int | None = None, info: str = "demo.P") -> dict[str, Any]:
    body: dict[str, Any] = {
        "appId": app_id,
        "jobName": f"tp-{i}",
        "timeExpressionType": "CRON",
        "timeExpression": CRON,
        "executeType": "STANDALONE",
        "processorType": "BUILT_IN",
        "processorInfo": f"{info}{i}",
    }
    return body if job_id is None else {**body, "id": job_id}


def _timed(
    pool: ThreadPoolExecutor, calls: list[Callable[[], Any]]
) -> tuple[float, list[float], list[Any]]:
    """Wall seconds, per-call latencies, results."""

    def run(call: Callable[[], Any]) -> tuple[float, Any]:
        started = time.perf_counter()
        result = call()
        return time.perf_counter() - started, result

    started = time.perf_counter()
    done = list(pool.map(run, calls))
    return time.perf_counter() - started, [d[0] for d in done], [d[1] for d in done]


def one_round(server: LocalServer, concurrency: int, jobs: int) -> dict[str, Any]:
    name, password = f"tp-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    app_id = server.create_app(name, password)
    clients = Clients(server.address)
    out: dict[str, Any] = {}
    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:

            def save(body: dict[str, Any]) -> Callable[[], Any]:
                return lambda: int(_ok(clients.get().post("/openApi/saveJob", json=body)))

            def form(path: str, job_id: int) -> Callable[[], Any]:
                data = {"appId": app_id, "jobId": job_id}
                return lambda: _ok(clients.get().post(path, data=data))

            wall, lat, ids = _timed(pool, [save(_job(app_id, i)) for i in range(jobs)])
            out["create"] = {"wall": wall, "latencies": lat}
            wall, lat, _ = _timed(pool, [form("/openApi/fetchJob", j) for j in ids])
            out["read"] = {"wall": wall, "latencies": lat}
            changes = [save(_job(app_id, i, j, "demo.Q")) for i, j in enumerate(ids)]
            wall, lat, _ = _timed(pool, changes)
            out["change"] = {"wall": wall, "latencies": lat}
            wall, lat, _ = _timed(pool, [form("/openApi/deleteJob", j) for j in ids])
            out["delete"] = {"wall": wall, "latencies": lat}
    finally:
        clients.close()
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summarise(rounds: dict[int, list[dict[str, Any]]], jobs: int) -> list[dict[str, Any]]:
    rows = []
    for concurrency, runs in sorted(rounds.items()):
        for op in OPERATIONS:
            latencies = [x for run in runs for x in run[op]["latencies"]]
            rate = statistics.median(jobs / run[op]["wall"] for run in runs)
            rows.append(
                {
                    "concurrency": concurrency,
                    "operation": op,
                    "per_second": rate,
                    "p50_ms": 1000 * _percentile(latencies, 0.50),
                    "p95_ms": 1000 * _percentile(latencies, 0.95),
                }
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    base = {r["operation"]: r["per_second"] for r in rows if r["concurrency"] == 1}
    return render_table(
        ("in flight", "operation", "requests/s", "vs 1 in flight", "p50 ms", "p95 ms"),
        [
            (
                str(r["concurrency"]),
                r["operation"],
                f"{r['per_second']:.0f}",
                f"{r['per_second'] / base[r['operation']]:.2f}",
                f"{r['p50_ms']:.1f}",
                f"{r['p95_ms']:.1f}",
            )
            for r in rows
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=200, help="jobs per round (default 200)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per concurrency")
    parser.add_argument("--levels", default="1,2,4,8", help="requests in flight to measure")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    rounds: dict[int, list[dict[str, Any]]] = {c: [] for c in levels}
    say("starting PowerJob 4.3.9 (H2 in memory)")
    with LocalServer("4.3.9") as server:
        say("warm-up: one round at 2 in flight (JIT, H2, connection pools)")
        one_round(server, 2, args.jobs)
        for n in range(args.rounds):
            for concurrency in levels:  # interleaved, so drift in the machine's load is shared
                say(f"round {n + 1}/{args.rounds}: {concurrency} in flight, {args.jobs} jobs")
                rounds[concurrency].append(one_round(server, concurrency, args.jobs))
    rows = summarise(rounds, args.jobs)
    load = os.getloadavg()
    meta = {
        "jobs": args.jobs,
        "rounds": args.rounds,
        "cpus": os.cpu_count(),
        "load_after": [round(x, 2) for x in load],
        "server": "PowerJob 4.3.9, H2 in memory, loopback, raw httpx",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "server-throughput.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n"
    )
    text = table(rows)
    (args.out / "server-throughput.md").write_text(
        "# PowerJob server throughput by requests in flight\n\n"
        f"{meta['server']}; {args.jobs} jobs per round, median of {args.rounds} rounds; "
        f"{meta['cpus']} CPUs, load average after the run {meta['load_after']}.\n\n"
        f"{text}\n"
    )
    print(text)
    say(f"wrote {args.out}/server-throughput.json, server-throughput.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
