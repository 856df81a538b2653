"""cProfile of the provider path (check, create, diff) called directly, as the engine would."""

from __future__ import annotations

import cProfile
import pstats
import time
from typing import Any

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_powerjob.providers.job import JobProvider

# Where provider time goes, by the file a function lives in (tottime summed).
BUCKETS = (
    ("socket send/recv (waiting for the server)", ("method 'recv", "method 'send", "select")),
    ("ssl context (client construction)", ("_ssl.", "ssl.py")),
    ("pydantic (validation, serialisation)", ("pydantic",)),
    ("httpx/httpcore/h11 (client machinery)", ("httpx", "httpcore", "h11")),
    ("pulumi_powerjob", ("pulumi_powerjob",)),
    ("pulumi sdk", ("/pulumi/",)),
)
# Functions whose cumulative time names a cost: (label, file fragment, function name).
NAMED = (
    ("provider.check", "providers/job.py", "check"),
    ("provider.create", "providers/job.py", "create"),
    ("provider.diff", "providers/base.py", "diff"),
    ("provider.client() (settings resolve + pool lookup)", "providers/base.py", "client"),
    ("connection.resolve (ConnectionSettings per call)", "reconcile/connection.py", "resolve"),
    ("PowerJobClient.save_job", "client/client.py", "save_job"),
    ("PowerJobClient._call (HTTP round trip)", "client/client.py", "_call"),
    ("JobProvider._outputs", "providers/job.py", "_outputs"),
    ("PowerJobClient.fetch_job", "client/client.py", "fetch_job"),
    ("spec_to_request", "reconcile/job_mapping.py", "spec_to_request"),
    ("BaseModel.model_validate", "pydantic/main.py", "model_validate"),
    ("BaseModel.model_dump", "pydantic/main.py", "model_dump"),
)


def profile_provider(address: str, app: str, password: str, n: int) -> dict[str, Any]:
    """Check, create and diff ``n`` jobs straight against the server; the top costs."""
    provider = JobProvider()
    config = {"powerjob:address": address, "powerjob:appName": app, "powerjob:password": password}
    provider.configure(ConfigureRequest(Config(config, "bench")))
    props = [
        {
            "job_name": f"profile-{i}",
            "processor_info": f"demo.Processor{i}",
            "time_expression_type": "CRON",
            "time_expression": "0 0 3 * * ?",
        }
        for i in range(n)
    ]
    profiler = cProfile.Profile()
    wall = time.perf_counter()
    profiler.enable()
    for declared in props:
        inputs = provider.check({}, declared).inputs
        created = provider.create(inputs)
        provider.diff(created.id or "", dict(created.outs or {}), inputs)
    profiler.disable()
    wall = time.perf_counter() - wall
    return summarise(pstats.Stats(profiler), n, wall)


def summarise(stats: pstats.Stats, n: int, wall: float) -> dict[str, Any]:
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    buckets = {label: 0.0 for label, _ in BUCKETS}
    for (filename, _line, name), entry in raw.items():
        where = f"{filename} {name}"
        for label, fragments in BUCKETS:
            if any(f in where for f in fragments):
                buckets[label] += entry[2]
                break
    named = {}
    buckets["other (stdlib, builtins)"] = total - sum(buckets.values())
    for label, fragment, func in NAMED:
        cum = sum(e[3] for (f, _l, nm), e in raw.items() if fragment in f and nm == func)
        named[label] = {"cum_s": round(cum, 4), "per_job_ms": round(cum / n * 1000, 3)}
    return {
        "jobs": n,
        "wall_s": round(wall, 3),
        "profiled_total_s": round(total, 3),
        "buckets_tottime_s": {k: round(v, 4) for k, v in buckets.items()},
        "named_cumulative": named,
        "top_tottime": _top(raw, "tottime"),
        "top_cumulative": _top(raw, "cumulative"),
    }


def _top(raw: dict[Any, Any], key: str, limit: int = 15) -> list[dict[str, Any]]:
    index = 2 if key == "tottime" else 3
    rows = sorted(raw.items(), key=lambda item: item[1][index], reverse=True)[:limit]
    return [
        {
            "function": f"{_short(filename)}:{line}({name})",
            "calls": entry[1],
            "tottime_s": round(entry[2], 4),
            "cumtime_s": round(entry[3], 4),
        }
        for (filename, line, name), entry in rows
    ]


def _short(filename: str) -> str:
    for anchor in ("site-packages/", "pulumi_powerjob/"):
        if anchor in filename:
            head = "pulumi_powerjob/" if anchor == "pulumi_powerjob/" else ""
            return head + filename.split(anchor, 1)[1]
    return filename.rsplit("/", 1)[-1]
