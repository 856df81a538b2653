"""The job path (N ``Job`` resources) and the set path (one ``JobSet``), with Pulumi's state in a
file and in PostgreSQL (the CLI's ``postgres://`` backend), side by side.

    .venv/bin/python benchmarks/state_backends.py --n 500

The steps are those of ``run.py`` (up, preview, no-op up, refresh, one field on every job,
destroy; the set adds ``adopt``), against one PowerJob 4.3.9 (H2 in memory) behind a recording
proxy; the state database is a ``LocalPostgres`` of its own, on the same machine. Writes
``results/state-backends.json`` and ``results/state-backends.md``, with the load average after
each step (the machine may be shared: wall times are noisy, request counts are exact).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.report import _paths
from benchmarks.run import (
    SET_STEPS,
    engine_steps,
    new_app,
    raw_httpx_saves,
    say,
    set_steps,
)
from pulumi_powerjob.local import LocalPostgres, LocalServer
from pulumi_powerjob.local.engine import engine_bin
from pulumi_powerjob.local.proxy import RecordingProxy
from pulumi_powerjob.local.state_backend import (
    backend_url,
    create_state_database,
    write_passfile,
)
from pulumi_powerjob.local.table import render_table

HERE = Path(__file__).resolve().parent
# (label, path, state), in the order they run: the short set runs first, then the two job
# runs back to back, so that they see about the same load.
RUNS = (
    ("JobSet, file state", "set", "file"),
    ("JobSet, PostgreSQL state", "set", "postgres"),
    ("job, file state", "job", "file"),
    ("job, PostgreSQL state", "job", "postgres"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="jobs declared")
    parser.add_argument("--only", default="", help="comma-separated labels to run (default all)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    n: int = args.n
    bin_dir = engine_bin()
    results: dict[str, Any] = {
        "n": n,
        "cpus": os.cpu_count(),
        "load_before": [round(x, 2) for x in os.getloadavg()],
        "runs": {},
    }
    with (
        LocalServer("4.3.9") as server,
        RecordingProxy(server.address, max_requests=10**7) as proxy,
        LocalPostgres() as cluster,
        tempfile.TemporaryDirectory(prefix="pj-state-bench-") as tmp,
    ):
        create_state_database(cluster)
        url = backend_url(cluster, write_passfile(cluster, Path(tmp) / "pgpass"))
        say("warm-up: 50 raw saves in a throwaway app")
        app, password, _ = new_app(server)
        raw_httpx_saves(proxy.address, app, password, 50)
        app, password, _ = new_app(server)
        started = time.perf_counter()
        raw_httpx_saves(proxy.address, app, password, n)
        results["raw_httpx_s"] = time.perf_counter() - started
        for label, path, state in RUNS:
            if only and label not in only:
                continue
            say(f"{label}, N={n}, load average {os.getloadavg()[0]:.2f}")
            backend = url if state == "postgres" else None
            work = Path(tmp) / label.replace(" ", "").replace(",", "-")
            if path == "job":
                steps = engine_steps(
                    server, proxy, bin_dir, n, work, backend_url=backend, diagnose=False
                )
            else:
                steps = set_steps(server, proxy, bin_dir, n, work, backend_url=backend)
            results["runs"][label] = steps
            write(results, args.out)
    results["load_after"] = [round(x, 2) for x in os.getloadavg()]
    write(results, args.out)
    say(f"wrote {args.out}/state-backends.json and state-backends.md")
    return 0


def write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "state-backends.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "state-backends.md").write_text(markdown(results))


def markdown(results: dict[str, Any]) -> str:
    runs: dict[str, dict[str, Any]] = results["runs"]
    shown = ("job, file state", "job, PostgreSQL state", "JobSet, file state")
    labels = [label for label in (*shown, *runs) if label in runs]
    labels = list(dict.fromkeys(labels))
    rows = []
    for step in SET_STEPS:
        if not any(step in runs[label] for label in labels):
            continue
        cells = [step]
        for label in labels:
            got = runs[label].get(step)
            cells.append(f"{got['wall_s']:.1f}" if got else "-")
        rows.append(cells)
    walls = render_table(["step", *(f"{label}: wall s" for label in labels)], rows)
    detail = [
        [label, step, f"{got['wall_s']:.1f}", _paths(got["requests"]), str(got["load_after"])]
        for label in labels
        for step, got in runs[label].items()
    ]
    table = render_table(
        ["run", "step", "wall s", "HTTP requests at the server", "load average after"], detail
    )
    return (
        f"# Pulumi state in a file and in PostgreSQL, N = {results['n']}\n\n"
        f"PowerJob 4.3.9 (H2 in memory) behind a recording proxy; the `pulumi` CLI v3.274.1 "
        f"through the Automation API; PostgreSQL 15 (Debian) on loopback for the "
        f"`postgres://` state. {results['cpus']} CPUs shared with a background test-suite run "
        f"under stress-ng and other sessions' tests: load average {results['load_before']} "
        f"at the start, "
        f"{results.get('load_after', '-')} at the end (1, 5, 15 min). One run each: the "
        f"JobSet runs first, then the two job runs back to back; N sequential raw-httpx "
        f"saveJob calls took "
        f"{results.get('raw_httpx_s', 0):.1f} s in the same run.\n\n"
        f"{walls}\n\n## Requests and load per step\n\n{table}\n"
    )


if __name__ == "__main__":
    sys.exit(main())
