"""The benchmark report renders one run's results and judges the limits from request counts.

No server, no engine, no timings: a hand-made results dict in the shape run.py writes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import report
from benchmarks.procstat import ProviderWatch

N = 10
SAVE, DELETE, ASSERT, PROBE = (
    "/openApi/saveJob",
    "/openApi/deleteJob",
    "/openApi/assert",
    "/openApi/authApp",
)
LIST = "/openApi/fetchAllJob"


def _step(requests: dict[str, int]) -> dict[str, Any]:
    provider = {"processes": 1, "cpu_s": 0.5, "peak_rss_mb": 64.0}
    return {"wall_s": 1.0, "bench_process_cpu_s": 0.1, "requests": requests, "provider": provider}


def results() -> dict[str, Any]:
    auth = {ASSERT: 1, PROBE: 1}
    engine = {
        "up": _step({**auth, SAVE: N}),
        "preview": _step({}),
        "noop_up": _step({}),
        "refresh": _step({**auth, "/openApi/fetchAllJob": 1}),
        "change": _step({**auth, SAVE: N}),
        "destroy": _step({**auth, DELETE: N}),
    }
    baselines = {"raw_httpx": _step({ASSERT: 1, SAVE: N}), "client": _step({**auth, SAVE: N})}
    machine = {"python": "3.11", "cpus": 2, "server": "PowerJob 4.3.9", "proxy": "in-process"}
    return {"machine": machine, "sizes": {str(N): {"baselines": baselines, "engine": engine}}}


def with_set(sizes: tuple[int, ...] = (N,)) -> dict[str, Any]:
    """Both paths at each size; at sizes above N only the set path (as --skip-job-above N)."""
    auth = {ASSERT: 1, PROBE: 1}
    out = results()
    out["sizes"] = {}
    for n in sizes:
        listing = {**auth, LIST: 1}
        entry = copy.deepcopy(results()["sizes"][str(N)])
        entry["set"] = {
            "up": _step({**listing, SAVE: n}),
            "preview": _step({}),
            "noop_up": _step({}),
            "refresh": _step(listing),
            "change": _step({**listing, SAVE: n}),
            "adopt": _step(listing),
            "destroy": _step({**listing, DELETE: n}),
            "destroy_adopter": _step(listing),
        }
        if n > N:
            del entry["engine"]
        out["sizes"][str(n)] = entry
    return out


def verdicts(markdown: str) -> dict[str, str]:
    limits = markdown.split("## Limits", 1)[1]
    rows = [line.split("|") for line in limits.splitlines() if line.startswith(f"| {N} ")]
    return {cells[2].strip(): cells[4].strip() for cells in rows}


def test_report_meets_every_limit_when_the_counts_do() -> None:
    judged = verdicts(report.markdown(results()))
    assert judged["preview: zero requests"] == "yes"
    assert judged["change: one saveJob per changed job"] == "yes"
    assert judged["refresh: far fewer than N requests"] == "yes"
    assert "NO" not in judged.values()


@pytest.mark.parametrize(
    ("step", "requests", "limit"),
    [
        ("preview", {"/openApi/fetchJob": 1}, "preview: zero requests"),
        ("noop_up", {SAVE: 1}, "no-op up: zero requests"),
        ("change", {SAVE: N + 1}, "change: one saveJob per changed job"),
        ("refresh", {"/openApi/fetchJob": N}, "refresh: far fewer than N requests"),
        ("up", {ASSERT: 3, PROBE: 3, SAVE: N}, "up: auth requests per provider process"),
    ],
)
def test_report_flags_a_broken_limit(step: str, requests: dict[str, int], limit: str) -> None:
    broken = copy.deepcopy(results())
    broken["sizes"][str(N)]["engine"][step]["requests"] = requests
    assert verdicts(report.markdown(broken))[limit] == "NO"


def test_outputs_are_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    report.write_outputs(results(), tmp_path)
    assert json.loads((tmp_path / "results.json").read_text()) == results()
    assert (tmp_path / "results.png").read_bytes().startswith(b"\x89PNG")
    assert "| N=10, job path " in (tmp_path / "results.md").read_text()


def test_report_meets_every_set_limit_when_the_counts_do() -> None:
    judged = verdicts(report.markdown(with_set()))
    assert judged["set adopt: 1 fetchAllJob + 0 saveJob"] == "yes"
    assert judged["set up: 1 fetchAllJob + 10 saveJob"] == "yes"
    assert "NO" not in judged.values()


@pytest.mark.parametrize(
    ("step", "requests", "limit"),
    [
        ("adopt", {LIST: 1, SAVE: 1}, "set adopt: 1 fetchAllJob + 0 saveJob"),
        ("up", {LIST: 2, SAVE: N}, "set up: 1 fetchAllJob + 10 saveJob"),
        ("change", {LIST: 1, SAVE: N - 1}, "set change: 1 fetchAllJob + 10 saveJob"),
        ("destroy", {LIST: 1, DELETE: N, SAVE: 1}, "set destroy: 1 fetchAllJob + 10 deleteJob"),
        ("refresh", {LIST: 1, "/openApi/fetchJob": 1}, "set refresh: one fetchAllJob (+ login)"),
        ("noop_up", {LIST: 1}, "set no-op up: zero requests"),
    ],
)
def test_report_flags_a_broken_set_limit(step: str, requests: dict[str, int], limit: str) -> None:
    broken = with_set()
    broken["sizes"][str(N)]["set"][step]["requests"] = requests
    assert verdicts(report.markdown(broken))[limit] == "NO"


def test_scaling_table_has_every_size_and_a_gap_where_the_job_path_was_skipped() -> None:
    text = report.scaling_markdown(with_set((N, 100)))
    times = text.split("## Growth exponent", 1)[0]
    rows = {line.split("|")[1].strip(): line for line in times.splitlines() if "|" in line}
    assert "N=100" in rows["series"]
    assert rows["set up"].count("1.00") == 2  # the hand-made steps all take 1 s
    assert rows["job up"].rstrip(" |").endswith("-")  # not run at N=100
    assert "10->100" in text


def test_scaling_outputs_are_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    report.write_outputs(with_set((N, 100)), tmp_path)
    assert (tmp_path / "scaling.png").read_bytes().startswith(b"\x89PNG")
    assert "Growth exponent" in (tmp_path / "scaling.md").read_text()


def test_provider_watch_without_providers_reports_nothing() -> None:
    with ProviderWatch(interval=0.01) as watch:
        pass
    assert watch.summary() == {
        "engine_cpu_s": 0.0,
        "processes": 0,
        "cpu_s": 0.0,
        "peak_rss_mb": 0.0,
    }
