"""The benchmark's stacks: the package's Automation API helper, under the project "bench"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pulumi_powerjob.local.engine import PreviewingStack, inline_stack


def bench_stack(
    tmp: Path,
    bin_dir: Path,
    program: Callable[[], None],
    config: Mapping[str, str],
    secrets: Mapping[str, str],
    backend_url: str | None = None,
) -> PreviewingStack:
    """A fresh stack whose program runs in this process; the provider runs in its own. The
    state is in a file under ``tmp`` unless ``backend_url`` names another backend."""
    return inline_stack(
        tmp, bin_dir, program, config, secrets, project="bench", backend_url=backend_url
    )
