"""The tables the fault tests write under tests/results/ (gitignored) and print at the end."""

from __future__ import annotations

from pathlib import Path

from pulumi_powerjob.local.table import render_table

RESULTS_DIR = Path(__file__).parents[1] / "results"


def write_results(name: str, title: str, header: list[str], rows: list[list[str]]) -> None:
    """``rows`` as a markdown table in tests/results/``name`` under ``# title``, and printed;
    nothing when no test added a row."""
    if not rows:
        return
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    table = render_table(header, rows)
    (RESULTS_DIR / name).write_text(f"# {title}\n\n{table}\n")
    print("\n" + table)
