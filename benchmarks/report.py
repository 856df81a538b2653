"""results.json, results.md (tables by render_table) and results.png from one run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pulumi_powerjob.local.table import render_table

STEPS = ("up", "preview", "noop_up", "refresh", "change", "destroy")
# An up with PULUMI_SKIP_CHECKPOINTS=true: how much of an up is the engine saving state.
DIAGNOSIS = ("up_no_checkpoints",)
AUTH_PATHS = ("/openApi/authApp", "/openApi/assert")
MUTATIONS = ("/openApi/saveJob", "/openApi/deleteJob")


def _total(paths: dict[str, int]) -> int:
    return sum(paths.values())


def _auth(paths: dict[str, int]) -> int:
    return sum(paths.get(p, 0) for p in AUTH_PATHS)


def _paths(paths: dict[str, int]) -> str:
    return ", ".join(f"{p.rsplit('/', 1)[-1]} {c}" for p, c in paths.items()) or "-"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}x" if base > 0 else "-"


def step_table(n: str, entry: dict[str, Any]) -> str:
    raw = entry["baselines"]["raw_httpx"]["wall_s"]
    client = entry["baselines"]["client"]["wall_s"]
    rows = [
        ["raw httpx, N saves", f"{raw:.2f}", "1.0x", _ratio(raw, client), "-", "-", "-", "-", "-"],
        ["PowerJobClient, N saves", f"{client:.2f}", _ratio(client, raw), "1.0x"] + ["-"] * 5,
    ]
    for label in ("raw_httpx", "client"):
        paths = entry["baselines"][label]["requests"]
        rows[0 if label == "raw_httpx" else 1][4] = f"{_total(paths)}: {_paths(paths)}"
    for step in (*STEPS, *(d for d in DIAGNOSIS if d in entry["engine"])):
        result = entry["engine"][step]
        provider = result["provider"]
        rows.append(
            [
                step,
                f"{result['wall_s']:.2f}",
                _ratio(result["wall_s"], raw),
                _ratio(result["wall_s"], client),
                f"{_total(result['requests'])}: {_paths(result['requests'])}",
                f"{provider['cpu_s']:.2f}",
                f"{provider['peak_rss_mb']:.0f}",
                f"{provider['engine_cpu_s']:.2f}" if "engine_cpu_s" in provider else "-",
                f"{result['bench_process_cpu_s']:.2f}",
            ]
        )
    header = [
        f"N={n}",
        "wall s",
        "vs raw httpx",
        "vs client",
        "HTTP requests at the server",
        "provider CPU s",
        "provider peak RSS MB",
        "engine CPU s",
        "program+proxy CPU s",
    ]
    return render_table(header, rows)


def baseline_table(results: dict[str, Any]) -> str:
    rows = []
    for n, entry in results["sizes"].items():
        raw, client = entry["baselines"]["raw_httpx"], entry["baselines"]["client"]
        count = int(n)
        auth = _auth(client["requests"])
        rows.append(
            [
                n,
                f"{raw['wall_s'] / count * 1000:.2f}",
                f"{client['wall_s'] / count * 1000:.2f}",
                _ratio(client["wall_s"], raw["wall_s"]),
                f"{raw['bench_process_cpu_s'] / count * 1000:.2f}",
                f"{client['bench_process_cpu_s'] / count * 1000:.2f}",
                str(auth),
                f"{auth / count * 1000:.0f}",
            ]
        )
    header = [
        "N",
        "raw ms/call",
        "client ms/call",
        "client/raw",
        "raw CPU ms/call*",
        "client CPU ms/call*",
        "client auth requests",
        "auth per 1,000 mutations",
    ]
    return render_table(header, rows)


def limits_table(results: dict[str, Any]) -> str:
    rows = []
    for n, entry in results["sizes"].items():
        count, eng = int(n), entry["engine"]

        def req(step: str, path: str, e: dict[str, Any] = eng) -> int:
            return int(e[step]["requests"].get(path, 0))

        def muts(step: str, e: dict[str, Any] = eng) -> int:
            return sum(int(e[step]["requests"].get(p, 0)) for p in MUTATIONS)

        checks: list[tuple[str, str, bool | None]] = [
            ("up: one saveJob per job", f"{req('up', MUTATIONS[0])} / {count}",
             muts("up") == req("up", MUTATIONS[0]) == count),
            ("change: one saveJob per changed job", f"{muts('change')} / {count}",
             muts("change") == req("change", MUTATIONS[0]) == count),
            ("destroy: one deleteJob per job", f"{muts('destroy')} / {count}",
             muts("destroy") == req("destroy", MUTATIONS[1]) == count),
            ("preview: zero requests", str(_total(eng["preview"]["requests"])),
             _total(eng["preview"]["requests"]) == 0),
            ("no-op up: zero requests", str(_total(eng["noop_up"]["requests"])),
             _total(eng["noop_up"]["requests"]) == 0),
            ("refresh: far fewer than N requests",
             f"{_total(eng['refresh']['requests'])} / {count}",
             _total(eng["refresh"]["requests"]) < max(count // 10, 5)),
        ]  # fmt: skip
        for step in STEPS:
            auth, procs = _auth(eng[step]["requests"]), eng[step]["provider"]["processes"]
            checks.append(
                (f"{step}: auth requests per provider process", f"{auth} / {procs} process(es)",
                 auth <= 2 * max(procs, 1))  # 4.3.x: authApp probe (404) + assert = one login
            )  # fmt: skip
        checks.append(
            ("up vs sequential raw httpx", _ratio(eng["up"]["wall_s"],
             entry["baselines"]["raw_httpx"]["wall_s"]), None)
        )  # fmt: skip
        for label, measured, ok in checks:
            verdict = "-" if ok is None else ("yes" if ok else "NO")
            rows.append([n, label, measured, verdict])
    return render_table(["N", "limit", "measured", "met"], rows)


def profile_section(profile: dict[str, Any]) -> str:
    n = profile["jobs"]
    lines = [
        f"## Provider path profile: check + create + diff of {n} jobs, called directly",
        "",
        f"Wall {profile['wall_s']:.2f} s ({profile['wall_s'] / n * 1000:.1f} ms per job), "
        f"profiled {profile['profiled_total_s']:.2f} s.",
        "",
        render_table(
            ["where (tottime)", "s", "ms per job"],
            [
                [k, f"{v:.3f}", f"{v / n * 1000:.2f}"]
                for k, v in profile["buckets_tottime_s"].items()
            ],
        ),
        "",
        render_table(
            ["function (cumulative)", "s", "ms per job"],
            [
                [k, f"{v['cum_s']:.3f}", f"{v['per_job_ms']:.2f}"]
                for k, v in profile["named_cumulative"].items()
            ],
        ),
        "",
        render_table(
            ["top by own time", "calls", "tottime s", "cumtime s"],
            [
                [r["function"], str(r["calls"]), f"{r['tottime_s']:.3f}", f"{r['cumtime_s']:.3f}"]
                for r in profile["top_tottime"]
            ],
        ),
    ]
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    machine = results["machine"]
    parts = [
        "# pulumi-powerjob benchmarks",
        "",
        f"Python {machine['python']}, {machine['cpus']} CPUs, {machine['server']}; "
        f"{machine['proxy']}. Requests are counted at the recording proxy. Ratios compare each "
        "step's wall time with N sequential saveJob calls (raw httpx, PowerJobClient). "
        "CPU columns: the dynamic provider process, the `pulumi` engine process, and the "
        "benchmark process (inline program through the Automation API, plus the proxy).",
        "",
    ]
    for n, entry in results["sizes"].items():
        parts += [f"## N = {n}", "", step_table(n, entry), ""]
    parts += [
        "## Baselines: client overhead and auth",
        "",
        baseline_table(results),
        "",
        "*CPU of the benchmark process, which also runs the recording proxy's threads.",
        "",
        "## Limits",
        "",
        limits_table(results),
        "",
    ]
    if "profile" in results:
        parts += [profile_section(results["profile"]), ""]
    return "\n".join(parts)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(results["sizes"])
    series = [("raw httpx (N saves)", "raw_httpx"), ("PowerJobClient (N saves)", "client")]
    fig, ax = plt.subplots(figsize=(8, 5))
    for step in STEPS:
        walls = [results["sizes"][n]["engine"][step]["wall_s"] for n in sizes]
        ax.plot([int(n) for n in sizes], walls, marker="o", label=step)
    for label, key in series:
        walls = [results["sizes"][n]["baselines"][key]["wall_s"] for n in sizes]
        ax.plot([int(n) for n in sizes], walls, linestyle="--", marker="x", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("jobs (N)")
    ax.set_ylabel("wall time, s")
    ax.set_title("pulumi-powerjob: wall time per step")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    (out / "results.md").write_text(markdown(results))
    plot(results, out / "results.png")
