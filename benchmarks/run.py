"""Benchmarks of pulumi-powerjob against the real PowerJob server and the real Pulumi engine.

    .venv/bin/python benchmarks/run.py --sizes 10,100,500

For each N: wall time and HTTP requests by path (counted at a recording proxy in front of the
server) of up, preview, no-op up, refresh, a one-field change on every job and destroy, plus
CPU time and peak RSS of the dynamic provider process. Baselines in the same run: N sequential
saveJob calls with raw httpx and with ``PowerJobClient``. Then a cProfile of the provider path.
Writes ``results.json``, ``results.md`` and ``results.png`` under ``--out``.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.procstat import ProviderWatch
from benchmarks.profile_provider import profile_provider
from benchmarks.report import write_outputs
from pulumi_powerjob import Job, JobArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import engine_bin
from pulumi_powerjob.local.proxy import RecordingProxy
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings

HERE = Path(__file__).resolve().parent
AUTH_PATHS = ("/openApi/authApp", "/openApi/assert")
STEPS = ("up", "preview", "noop_up", "refresh", "change", "destroy")
NO_CHECKPOINTS = "up_no_checkpoints"
CRON = "0 0 3 * * ?"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def by_path(proxy: RecordingProxy) -> dict[str, int]:
    return dict(sorted(Counter(r.path for r in proxy.records).items()))


def auth_count(paths: dict[str, int]) -> int:
    return sum(paths.get(p, 0) for p in AUTH_PATHS)


def new_app(server: LocalServer) -> tuple[str, str, int]:
    name, password = f"bench-{uuid.uuid4().hex[:8]}", f"pw-{uuid.uuid4().hex[:12]}"
    return name, password, server.create_app(name, password)


# -- baselines: N sequential saves ---------------------------------------------------------


def raw_httpx_saves(address: str, app: str, password: str, n: int) -> None:
    """What a person writes by hand: one assert for the app id, then N saveJob posts."""
    with httpx.Client(base_url=address, trust_env=False, timeout=30.0) as http:
        app_id = http.post("/openApi/assert", data={"appName": app, "password": password})
        app_id.raise_for_status()
        for i in range(n):
            body = {
                "appId": app_id.json()["data"],
                "jobName": f"raw-{i}",
                "timeExpressionType": "CRON",
                "timeExpression": CRON,
                "executeType": "STANDALONE",
                "processorType": "BUILT_IN",
                "processorInfo": f"demo.Processor{i}",
            }
            answer = http.post("/openApi/saveJob", json=body)
            answer.raise_for_status()
            if not answer.json()["success"]:
                raise RuntimeError(answer.text)


def client_saves(address: str, app: str, password: str, n: int) -> None:
    settings = ConnectionSettings.model_validate(
        {"addresses": address, "app_name": app, "password": password}
    )
    with PowerJobClient(settings) as client:
        for i in range(n):
            client.save_job(
                SaveJobInfoRequest.model_validate(
                    {
                        "app_id": client.app_id,
                        "job_name": f"client-{i}",
                        "execute_type": "STANDALONE",
                        "processor_type": "BUILT_IN",
                        "time_expression_type": "CRON",
                        "time_expression": CRON,
                        "processor_info": f"demo.Processor{i}",
                    }
                )
            )


def measure(proxy: RecordingProxy, run: Callable[[], Any]) -> dict[str, Any]:
    proxy.reset()
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    paths = by_path(proxy)
    return {"wall_s": wall, "bench_process_cpu_s": cpu, "requests": paths}


def baselines(server: LocalServer, proxy: RecordingProxy, n: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    savers: dict[str, Callable[[str, str, str, int], None]] = {
        "raw_httpx": raw_httpx_saves,
        "client": client_saves,
    }
    for label, saves in savers.items():
        app, password, _ = new_app(server)
        out[label] = measure(proxy, functools.partial(saves, proxy.address, app, password, n))
        say(f"  N={n} baseline {label}: {out[label]['wall_s']:.2f}s {out[label]['requests']}")
    return out


# -- the engine ---------------------------------------------------------------------------


def engine_steps(
    server: LocalServer, proxy: RecordingProxy, bin_dir: Path, n: int, tmp: Path
) -> dict[str, Any]:
    from benchmarks.engine_stack import bench_stack  # the Automation API, imported late

    app, password, _ = new_app(server)
    state = {"concurrency": 5}

    def program() -> None:
        for i in range(n):
            Job(
                f"job-{i}",
                JobArgs(
                    processor_info=f"demo.Processor{i}",
                    time_expression_type="CRON",
                    time_expression=CRON,
                    concurrency=state["concurrency"],
                ),
            )

    config = {"powerjob:address": proxy.address, "powerjob:appName": app}
    stack = bench_stack(tmp, bin_dir, program, config, {"powerjob:password": password})

    # Each step is timed alone: `preview` has its own row, so `up` here is the update only
    # (what `pulumi up` does after the preview it shows).
    def up() -> Any:
        return stack.up(preview_first=False)

    def change() -> Any:
        state["concurrency"] = 6
        return up()

    runs: dict[str, Callable[[], Any]] = {
        "up": up,
        "preview": stack.preview,
        "noop_up": up,
        "refresh": stack.refresh,
        "change": change,
        "destroy": stack.destroy,
    }
    results: dict[str, Any] = {}
    for step in STEPS:
        with ProviderWatch() as watch:
            results[step] = measure(proxy, runs[step])
        results[step]["provider"] = watch.summary()
        say(f"  N={n} {step}: {results[step]['wall_s']:.2f}s {results[step]['requests']}")
    # Diagnosis, not advice: the same create with the engine writing state only at the end.
    # Without a checkpoint per step a crash forgets what was created (duplicates next time).
    stack.workspace.env_vars["PULUMI_SKIP_CHECKPOINTS"] = "true"
    with ProviderWatch() as watch:
        results[NO_CHECKPOINTS] = measure(proxy, up)
    results[NO_CHECKPOINTS]["provider"] = watch.summary()
    say(f"  N={n} {NO_CHECKPOINTS}: {results[NO_CHECKPOINTS]['wall_s']:.2f}s")
    stack.destroy()
    stack.workspace.remove_stack(stack.name)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10", help="comma-separated job counts (10,100,500)")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--profile-jobs", type=int, default=200, help="0 skips the profile")
    parser.add_argument(
        "--render", type=Path, help="re-render md/png from this results.json and exit"
    )
    args = parser.parse_args(argv)
    if args.render:
        write_outputs(json.loads(args.render.read_text()), args.out)
        say(f"rendered {args.out}/results.md, results.png from {args.render}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    say(f"sizes {sizes}; engine binaries (scripts/engine)")
    bin_dir = engine_bin()
    results: dict[str, Any] = {"sizes": {}, "machine": _machine()}
    say("starting PowerJob 4.3.9 (H2 in memory)")
    with (
        LocalServer("4.3.9") as server,
        RecordingProxy(server.address, max_requests=10**7) as proxy,
        tempfile.TemporaryDirectory(prefix="pj-bench-") as tmp,
    ):
        say("warm-up: 50 raw saves in a throwaway app (JVM JIT, H2, connection pools)")
        app, password, _ = new_app(server)
        raw_httpx_saves(proxy.address, app, password, 50)
        for n in sizes:
            say(f"N={n}")
            entry = {"baselines": baselines(server, proxy, n)}
            entry["engine"] = engine_steps(server, proxy, bin_dir, n, Path(tmp) / f"n{n}")
            results["sizes"][str(n)] = entry
        if args.profile_jobs:
            say(f"profiling the provider path for {args.profile_jobs} jobs")
            app, password, _ = new_app(server)
            results["profile"] = profile_provider(server.address, app, password, args.profile_jobs)
    write_outputs(results, args.out)
    say(f"wrote {args.out}/results.json, results.md, results.png")
    return 0


def _machine() -> dict[str, Any]:
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "server": "PowerJob 4.3.9, H2 in memory, loopback",
        "proxy": "recording proxy in the benchmark process",
    }


if __name__ == "__main__":
    sys.exit(main())
