"""results.json, results.md (tables by render_table), results.png and the scaling table and
plot (scaling.md, scaling.png) from one run.

A size's entry holds ``baselines``, and the steps of each path that ran: ``engine`` (N ``Job``
resources) and ``set`` (one ``JobSet`` of N jobs).
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

from pulumi_powerjob.local.table import render_table

STEPS = ("up", "preview", "noop_up", "refresh", "change", "destroy")
SET_STEPS = ("up", "preview", "noop_up", "refresh", "change", "adopt", "destroy")
# An up with PULUMI_SKIP_CHECKPOINTS=true: how much of an up is the engine saving state; and
# the destroy of the set path's adopting stack, whose jobs the other stack already deleted.
DIAGNOSIS = ("up_no_checkpoints", "destroy_adopter")
AUTH_PATHS = ("/openApi/authApp", "/openApi/assert")
MUTATIONS = ("/openApi/saveJob", "/openApi/deleteJob")
LISTING = "/openApi/fetchAllJob"
# Result key, label and steps of each path.
PATHS = (("engine", "job", STEPS), ("set", "set", SET_STEPS))
SCALING_STEPS = ("up", "preview", "noop_up", "change", "destroy")


def _total(paths: dict[str, int]) -> int:
    return sum(paths.values())


def _auth(paths: dict[str, int]) -> int:
    return sum(paths.get(p, 0) for p in AUTH_PATHS)


def _paths(paths: dict[str, int]) -> str:
    return ", ".join(f"{p.rsplit('/', 1)[-1]} {c}" for p, c in paths.items()) or "-"


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}x" if base > 0 else "-"


def step_table(n: str, entry: dict[str, Any], key: str = "engine") -> str:
    steps = dict((k, s) for k, _, s in PATHS)[key]
    raw = entry["baselines"]["raw_httpx"]["wall_s"]
    client = entry["baselines"]["client"]["wall_s"]
    rows = [
        ["raw httpx, N saves", f"{raw:.2f}", "1.0x", _ratio(raw, client), "-", "-", "-", "-", "-"],
        ["PowerJobClient, N saves", f"{client:.2f}", _ratio(client, raw), "1.0x"] + ["-"] * 5,
    ]
    for label in ("raw_httpx", "client"):
        paths = entry["baselines"][label]["requests"]
        rows[0 if label == "raw_httpx" else 1][4] = f"{_total(paths)}: {_paths(paths)}"
    for step in (*steps, *(d for d in DIAGNOSIS if d in entry[key])):
        result = entry[key][step]
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
        f"N={n}, {dict((k, label) for k, label, _ in PATHS)[key]} path",
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


def _req(result: dict[str, Any], path: str) -> int:
    return int(result["requests"].get(path, 0))


def _muts(result: dict[str, Any]) -> int:
    return sum(_req(result, p) for p in MUTATIONS)


Check = tuple[str, str, bool | None]


def _job_checks(count: int, eng: dict[str, Any]) -> list[Check]:
    save, delete = MUTATIONS
    return [
        ("up: one saveJob per job", f"{_req(eng['up'], save)} / {count}",
         _muts(eng["up"]) == _req(eng["up"], save) == count),
        ("change: one saveJob per changed job", f"{_muts(eng['change'])} / {count}",
         _muts(eng["change"]) == _req(eng["change"], save) == count),
        ("destroy: one deleteJob per job", f"{_muts(eng['destroy'])} / {count}",
         _muts(eng["destroy"]) == _req(eng["destroy"], delete) == count),
        ("preview: zero requests", str(_total(eng["preview"]["requests"])),
         _total(eng["preview"]["requests"]) == 0),
        ("no-op up: zero requests", str(_total(eng["noop_up"]["requests"])),
         _total(eng["noop_up"]["requests"]) == 0),
        ("refresh: far fewer than N requests",
         f"{_total(eng['refresh']['requests'])} / {count}",
         _total(eng["refresh"]["requests"]) < max(count // 10, 5)),
    ]  # fmt: skip


def _set_checks(count: int, eng: dict[str, Any]) -> list[Check]:
    """A set's operation: one listing, then exactly one mutation per job that must change."""
    save, delete = MUTATIONS

    def listing_and(step: str, path: str, expected: int) -> Check:
        result = eng[step]
        ok = _req(result, LISTING) == 1 and _req(result, path) == _muts(result) == expected
        measured = f"{_req(result, LISTING)} + {_req(result, path)} / {expected}"
        what = path.rsplit("/", 1)[-1]
        return (f"set {step}: 1 fetchAllJob + {expected} {what}", measured, ok)

    checks = [
        listing_and("up", save, count),
        listing_and("change", save, count),
        listing_and("adopt", save, 0),
        listing_and("destroy", delete, count),
    ]
    if "destroy_adopter" in eng:
        checks.append(listing_and("destroy_adopter", delete, 0))
    checks += [
        ("set preview: zero requests", str(_total(eng["preview"]["requests"])),
         _total(eng["preview"]["requests"]) == 0),
        ("set no-op up: zero requests", str(_total(eng["noop_up"]["requests"])),
         _total(eng["noop_up"]["requests"]) == 0),
        ("set refresh: one fetchAllJob (+ login)",
         f"{_total(eng['refresh']['requests'])}: {_paths(eng['refresh']['requests'])}",
         _req(eng["refresh"], LISTING) == 1
         and _total(eng["refresh"]["requests"]) == 1 + _auth(eng["refresh"]["requests"])),
    ]  # fmt: skip
    return checks


def limits_table(results: dict[str, Any]) -> str:
    rows = []
    for n, entry in results["sizes"].items():
        count = int(n)
        checks: list[Check] = []
        for key, label, steps in PATHS:
            if key not in entry:
                continue
            eng = entry[key]
            checks += _job_checks(count, eng) if key == "engine" else _set_checks(count, eng)
            prefix = "" if key == "engine" else f"{label} "
            for step in (*steps, *(d for d in DIAGNOSIS if d in eng)):
                auth, procs = _auth(eng[step]["requests"]), eng[step]["provider"]["processes"]
                checks.append(
                    (f"{prefix}{step}: auth requests per provider process",
                     f"{auth} / {procs} process(es)",
                     auth <= 2 * max(procs, 1))  # 4.3.x: authApp probe (404) + assert = one login
                )  # fmt: skip
            checks.append(
                (f"{prefix}up vs sequential raw httpx", _ratio(eng["up"]["wall_s"],
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
        parts += [f"## N = {n}", ""]
        for key, _label, _ in PATHS:
            if key in entry:
                parts += [step_table(n, entry, key), ""]
        if "engine" not in entry and "skip_job_above" in machine:
            parts += [
                f"Job path not run at N={n} (--skip-job-above {machine['skip_job_above']}).",
                "",
            ]
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


def _walls(results: dict[str, Any], key: str, step: str) -> tuple[list[int], list[float]]:
    """The sizes that ran ``step`` of path ``key`` (a baseline when key is raw_httpx/client),
    and its wall times."""
    xs, ys = [], []
    for n, entry in results["sizes"].items():
        if key in ("raw_httpx", "client"):
            xs.append(int(n))
            ys.append(float(entry["baselines"][key]["wall_s"]))
        elif key in entry and step in entry[key]:
            xs.append(int(n))
            ys.append(float(entry[key][step]["wall_s"]))
    return xs, ys


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = [("raw httpx (N saves)", "raw_httpx"), ("PowerJobClient (N saves)", "client")]
    fig, ax = plt.subplots(figsize=(9, 6))
    for key, label, steps in PATHS:
        style = "-" if key == "engine" else ":"
        for step in steps:
            xs, ys = _walls(results, key, step)
            if xs:
                ax.plot(xs, ys, linestyle=style, marker="o", label=f"{label} {step}")
    for label, key in series:
        xs, ys = _walls(results, key, "")
        ax.plot(xs, ys, linestyle="--", marker="x", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("jobs (N)")
    ax.set_ylabel("wall time, s")
    ax.set_title("pulumi-powerjob: wall time per step (job: N Job resources, set: one JobSet)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _exponent(x0: int, t0: float, x1: int, t1: float) -> str:
    """The slope of log t against log N between two sizes."""
    if x0 == x1 or t0 <= 0 or t1 <= 0:
        return "-"
    return f"{math.log(t1 / t0) / math.log(x1 / x0):.2f}"


def _scaling_series(results: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(row label, result key, step) of every series in the scaling table and plot."""
    rows = [("raw httpx, N saveJob", "raw_httpx", "")]
    for step in SCALING_STEPS:
        for key, label, _ in PATHS:
            if any(key in entry for entry in results["sizes"].values()):
                rows.append((f"{label} {step}", key, step))
    return rows


def scaling_markdown(results: dict[str, Any]) -> str:
    sizes = list(results["sizes"])
    series = _scaling_series(results)
    times, slopes = [], []
    for label, key, step in series:
        xs, ys = _walls(results, key, step)
        by_n = dict(zip(xs, ys, strict=True))
        times.append([label, *(f"{by_n[int(n)]:.2f}" if int(n) in by_n else "-" for n in sizes)])
        cells = []
        for a, b in itertools.pairwise(sizes):
            na, nb = int(a), int(b)
            cells.append(
                _exponent(na, by_n[na], nb, by_n[nb]) if na in by_n and nb in by_n else "-"
            )
        slopes.append([label, *cells])
    ratios = []
    for n, entry in results["sizes"].items():
        raw = float(entry["baselines"]["raw_httpx"]["wall_s"])
        set_up = entry["set"]["up"]["wall_s"] if "set" in entry else None
        job_up = entry["engine"]["up"]["wall_s"] if "engine" in entry else None
        ratios.append(
            [
                n,
                f"{raw:.2f}",
                "-" if set_up is None else f"{set_up:.2f}",
                "-" if set_up is None else _ratio(set_up, raw),
                "-" if job_up is None else f"{job_up:.2f}",
                "-" if job_up is None else _ratio(job_up, raw),
                "-" if set_up is None or job_up is None else _ratio(job_up, set_up),
            ]
        )
    machine = results["machine"]
    return "\n".join(
        [
            "# Scaling: wall time against N",
            "",
            "job: N `Job` resources; set: one `JobSet` of N jobs; raw httpx: N sequential "
            "saveJob calls (one assert first). Wall seconds, one run per size, "
            f"{machine['cpus']} CPUs; the load average after each step is in results.json. "
            "`-`: not run at that size.",
            "",
            render_table(["series", *(f"N={n}" for n in sizes)], times),
            "",
            "## Growth exponent: slope of log t against log N between consecutive sizes",
            "",
            "1 is linear in N, 2 quadratic; below 1 a fixed cost still dominates.",
            "",
            render_table(
                ["series", *(f"{a}->{b}" for a, b in itertools.pairwise(sizes))],
                slopes,
            ),
            "",
            "## up against N sequential raw saves",
            "",
            render_table(
                [
                    "N",
                    "raw httpx s",
                    "set up s",
                    "set up / raw",
                    "job up s",
                    "job up / raw",
                    "job up / set up",
                ],
                ratios,
            ),  # fmt: skip
            "",
        ]
    )


def plot_scaling(results: dict[str, Any], path: Path) -> None:
    """Small multiples, one per step (a shared log y axis): each path and the raw-httpx
    baseline against N, log-log. The last panel: refresh of both paths and the set's adopt."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    panels: list[tuple[str, list[tuple[str, str]]]] = [
        (step, [(key, step) for key, _, _ in PATHS]) for step in SCALING_STEPS
    ]
    panels.append(("refresh, adopt", [("engine", "refresh"), ("set", "refresh"), ("set", "adopt")]))
    labels = {key: label for key, label, _ in PATHS}
    fig, grid = plt.subplots(2, 3, figsize=(13, 8), sharex=True, sharey=True)
    raw_x, raw_y = _walls(results, "raw_httpx", "")
    plain = FuncFormatter(lambda v, _pos: f"{v:g}")
    for ax, (title, series) in zip(grid.flat, panels, strict=True):
        for key, step in series:
            xs, ys = _walls(results, key, step)
            if xs:
                ax.plot(xs, ys, marker="o", label=f"{labels[key]} {step}")
        ax.plot(raw_x, raw_y, linestyle="--", marker="x", color="grey", label="raw httpx saves")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_major_formatter(plain)
        ax.yaxis.set_major_formatter(plain)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    for ax in grid[1]:
        ax.set_xlabel("jobs (N)")
    for ax in grid[:, 0]:
        ax.set_ylabel("wall time, s")
    fig.suptitle(
        "pulumi-powerjob: wall time against N, log-log (job: N Job resources; set: one JobSet)"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_outputs(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    (out / "results.md").write_text(markdown(results))
    (out / "scaling.md").write_text(scaling_markdown(results))
    plot(results, out / "results.png")
    plot_scaling(results, out / "scaling.png")
