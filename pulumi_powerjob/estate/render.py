"""Python source for ``Job`` / ``Workflow`` declarations: literal values, one per line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from typing import Any


class Ref(str):
    """Python source that is emitted verbatim, not quoted."""

    __slots__ = ()


def literal(value: Any, indent: int = 0) -> str:
    """``value`` as Python source; dicts and lists are spread one item per line."""
    pad = "    " * (indent + 1)
    end = "    " * indent
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{pad}{k!r}: {literal(v, indent + 1)},\n" for k, v in value.items()]
        return "{\n" + "".join(items) + end + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        if all(isinstance(v, int | float | bool) for v in value):
            return "[" + ", ".join(repr(v) for v in value) + "]"
        return "[\n" + "".join(f"{pad}{literal(v, indent + 1)},\n" for v in value) + end + "]"
    return repr(value)


def call(target: str, name: str, args_class: str, args: Sequence[tuple[str, Any]]) -> str:
    """``target = Class("name", ClassArgs(k=v, ...))`` spread over lines."""
    kind = args_class.removesuffix("Args")
    lines = [f"{target} = {kind}(\n", f"    {name!r},\n", f"    {args_class}(\n"]
    lines += [f"        {key}={literal(value, 2)},\n" for key, value in args]
    lines += ["    ),\n", ")\n"]
    return "".join(lines)


def formatted(source: str) -> str:
    """``source`` through ``ruff format`` when ruff is installed; else as it is."""
    commands = [[sys.executable, "-m", "ruff"]]
    found = shutil.which("ruff")
    if found:
        commands.append([found])
    for command in commands:
        try:
            done = subprocess.run(
                [*command, "format", "--line-length", "100", "-"],
                input=source,
                capture_output=True,
                text=True,
                encoding="utf-8",
                check=False,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return done.stdout
    return source
