"""Benchmarks of pulumi-powerjob against the real PowerJob server and the real Pulumi engine.

    .venv/bin/python benchmarks/run.py --sizes 10,100,500,2000 --paths job,set --skip-job-above 500

For each N: wall time and HTTP requests by path (counted at a recording proxy in front of the
server) of up, preview, no-op up, refresh, a one-field change on every job and destroy, plus
CPU time and peak RSS of the dynamic provider process. Two paths: ``job`` declares N ``Job``
resources, ``set`` one ``JobSet`` of N jobs (and adds ``adopt``: a fresh stack declaring the N
existing jobs by name). Baselines in the same run: N sequential saveJob calls with raw httpx
and with ``PowerJobClient``. Then a cProfile of the provider path. Writes ``results.json``,
``results.md``, ``results.png``, ``scaling.md`` and ``scaling.png`` under ``--out``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
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
from pulumi_powerjob import Job, JobArgs, JobSet, JobSetArgs
from pulumi_powerjob.client import PowerJobClient
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import engine_bin
from pulumi_powerjob.local.proxy import RecordingProxy
from pulumi_powerjob.models import SaveJobInfoRequest
from pulumi_powerjob.settings import ConnectionSettings

HERE = Path(__file__).resolve().parent
AUTH_PATHS = ("/openApi/authApp", "/openApi/assert")
STEPS = ("up", "preview", "noop_up", "refresh", "change", "destroy")
# The set path: `adopt` is a fresh stack declaring the N jobs that `up`/`change` made.
SET_STEPS = ("up", "preview", "noop_up", "refresh", "change", "adopt", "destroy")
NO_CHECKPOINTS = "up_no_checkpoints"
# After the set's destroy, the adopting stack is destroyed too: its jobs are already gone.
ADOPTER_DESTROY = "destroy_adopter"
PATHS = ("job", "set")
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
    load = [round(x, 2) for x in os.getloadavg()]
    return {"wall_s": wall, "bench_process_cpu_s": cpu, "requests": paths, "load_after": load}


def watched(proxy: RecordingProxy, run: Callable[[], Any], label: str) -> dict[str, Any]:
    """``measure`` with the provider processes watched; prints the step's line."""
    with ProviderWatch() as watch:
        result = measure(proxy, run)
    result["provider"] = watch.summary()
    say(f"  {label}: {result['wall_s']:.2f}s {result['requests']} load {result['load_after']}")
    return result


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
    server: LocalServer,
    proxy: RecordingProxy,
    bin_dir: Path,
    n: int,
    tmp: Path,
    *,
    backend_url: str | None = None,
    diagnose: bool = True,
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
    secrets = {"powerjob:password": password}
    stack = bench_stack(tmp, bin_dir, program, config, secrets, backend_url)

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
        results[step] = watched(proxy, runs[step], f"N={n} job {step}")
    if not diagnose:
        stack.workspace.remove_stack(stack.name)
        return results
    # Diagnosis, not advice: the same create with the engine writing state only at the end.
    # Without a checkpoint per step a crash forgets what was created (duplicates next time).
    stack.workspace.env_vars = {**stack.workspace.env_vars, "PULUMI_SKIP_CHECKPOINTS": "true"}
    results[NO_CHECKPOINTS] = watched(proxy, up, f"N={n} job {NO_CHECKPOINTS}")
    stack.destroy()
    stack.workspace.remove_stack(stack.name)
    return results


def set_steps(
    server: LocalServer,
    proxy: RecordingProxy,
    bin_dir: Path,
    n: int,
    tmp: Path,
    *,
    backend_url: str | None = None,
) -> dict[str, Any]:
    """The same steps with one ``JobSet`` of N jobs, plus ``adopt`` before the destroy."""
    from benchmarks.engine_stack import bench_stack  # the Automation API, imported late

    app, password, _ = new_app(server)
    state = {"concurrency": 5}

    def program() -> None:
        jobs = {
            f"job-{i}": JobArgs(
                processor_info=f"demo.Processor{i}",
                time_expression_type="CRON",
                time_expression=CRON,
                concurrency=state["concurrency"],
            )
            for i in range(n)
        }
        JobSet("jobs", JobSetArgs(jobs=jobs))

    config = {"powerjob:address": proxy.address, "powerjob:appName": app}
    secrets = {"powerjob:password": password}
    stack = bench_stack(tmp / "set", bin_dir, program, config, secrets, backend_url)
    # A second stack, own backend, same program: it finds the N jobs by name (0 saveJob).
    adopter = bench_stack(tmp / "adopter", bin_dir, program, config, secrets)

    def up() -> Any:
        return stack.up(preview_first=False)  # preview has its own row, as for the job path

    def change() -> Any:
        state["concurrency"] = 6  # one field of every job
        return up()

    runs: dict[str, Callable[[], Any]] = {
        "up": up,
        "preview": stack.preview,
        "noop_up": up,
        "refresh": stack.refresh,
        "change": change,
        "adopt": lambda: adopter.up(preview_first=False),
        "destroy": stack.destroy,
    }
    results: dict[str, Any] = {}
    for step in SET_STEPS:
        results[step] = watched(proxy, runs[step], f"N={n} set {step}")
    # Its jobs were deleted by the other stack's destroy: a listing, and no deleteJob.
    results[ADOPTER_DESTROY] = watched(proxy, adopter.destroy, f"N={n} set {ADOPTER_DESTROY}")
    for done in (stack, adopter):
        done.workspace.remove_stack(done.name)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10", help="comma-separated job counts (10,100,500)")
    parser.add_argument(
        "--paths", default="job", help="comma-separated: job (N Job resources), set (one JobSet)"
    )
    parser.add_argument(
        "--skip-job-above", type=int, default=None, metavar="N",
        help="run the job path only for sizes up to N (the set path and baselines still run)",
    )  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--profile-jobs", type=int, default=200, help="0 skips the profile")
    parser.add_argument(
        "--render", type=Path, help="re-render md/png from this results.json and exit"
    )
    args = parser.parse_args(argv)
    if args.render:
        write_outputs(json.loads(args.render.read_text()), args.out)
        say(f"rendered {args.out}/results.md, results.png, scaling.* from {args.render}")
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    unknown = [p for p in paths if p not in PATHS]
    if unknown or not paths:
        parser.error(f"--paths: unknown {unknown}; choose from {', '.join(PATHS)}")
    skip = args.skip_job_above
    say(f"sizes {sizes}; paths {paths}; job path up to N={skip}; engine binaries (scripts/engine)")
    bin_dir = engine_bin()
    machine = {**_machine(), "paths": paths, "skip_job_above": skip}
    results: dict[str, Any] = {"sizes": {}, "machine": machine}
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
            say(f"N={n}, load average {os.getloadavg()[0]:.2f}")
            entry: dict[str, Any] = {"load_before": [round(x, 2) for x in os.getloadavg()]}
            entry["baselines"] = baselines(server, proxy, n)
            if "job" in paths and (skip is None or n <= skip):
                entry["engine"] = engine_steps(server, proxy, bin_dir, n, Path(tmp) / f"n{n}")
            elif "job" in paths:
                say(f"  N={n}: job path skipped (--skip-job-above {skip})")
            if "set" in paths:
                entry["set"] = set_steps(server, proxy, bin_dir, n, Path(tmp) / f"set{n}")
            results["sizes"][str(n)] = entry
            write_outputs(results, args.out)  # what is done so far survives a later failure
        if args.profile_jobs:
            say(f"profiling the provider path for {args.profile_jobs} jobs")
            app, password, _ = new_app(server)
            results["profile"] = profile_provider(server.address, app, password, args.profile_jobs)
    results["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    write_outputs(results, args.out)
    say(f"wrote {args.out}/results.json, results.md, results.png, scaling.md, scaling.png")
    return 0


def _machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "server": "PowerJob 4.3.9, H2 in memory, loopback",
        "proxy": "recording proxy in the benchmark process",
    }


if __name__ == "__main__":
    sys.exit(main())
