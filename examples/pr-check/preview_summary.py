"""Turn ``pulumi preview --json`` into a short markdown summary for a pull-request comment.

    pulumi preview --json --stack prod > preview.json
    python preview_summary.py preview.json --fail-on delete,replace > summary.md

Exit status 1 when a step's operation is in ``--fail-on`` (default: delete and replace, the
changes a reviewer must not miss), 2 when the preview itself reported errors, else 0.
Only operations, resource names and the *names* of changed properties are printed: never a
value, so no secret can reach the comment.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Pulumi's step operations, folded into what a reviewer cares about.
KIND = {
    "create": "create",
    "update": "update",
    "delete": "delete",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "discard": "delete",
    "import": "import",
    "import-replacement": "replace",
    "read": "read",
    "refresh": "read",
    "same": "same",
}
ICON = {"create": "+", "update": "~", "delete": "-", "replace": "+-", "import": "=", "read": ">"}
MAX_ROWS = 50


def steps_of(preview: dict[str, Any]) -> list[tuple[str, str, str, list[str]]]:
    """(kind, type, name, changed property names) per step, one row per resource."""
    rows: dict[str, tuple[str, str, str, list[str]]] = {}
    for step in preview.get("steps") or []:
        kind = KIND.get(str(step.get("op")), str(step.get("op")))
        urn = str(step.get("urn", ""))
        state = step.get("newState") or step.get("oldState") or {}
        rtype = str(state.get("type") or (urn.split("::")[-2] if "::" in urn else ""))
        name = urn.rsplit("::", 1)[-1]
        keys = sorted({*(step.get("diffReasons") or []), *(step.get("replaceReasons") or [])})
        if not keys and kind == "update":
            keys = changed_inputs(step)
        if urn in rows and rows[urn][0] == "replace":
            continue  # the create-replacement and delete-replaced halves of one replace
        rows[urn] = (kind, rtype.rsplit(":", 1)[-1], name, keys)
    return list(rows.values())


def changed_inputs(step: dict[str, Any]) -> list[str]:
    """Names of inputs that differ between old and new state (dynamic providers give no
    ``diffReasons``). Values are compared, never kept; secrets show as ``[secret]`` on both
    sides, so a changed secret is not listed."""
    old = (step.get("oldState") or {}).get("inputs") or {}
    new = (step.get("newState") or {}).get("inputs") or {}
    return sorted(
        k for k in old.keys() | new.keys() if k != "__provider" and old.get(k) != new.get(k)
    )


def errors_of(preview: dict[str, Any]) -> list[str]:
    return [
        str(d.get("message", "")).strip().splitlines()[0] if d.get("message") else "error"
        for d in preview.get("diagnostics") or []
        if d.get("severity") == "error"
    ]


def render(preview: dict[str, Any], fail_on: frozenset[str]) -> tuple[str, int]:
    """The markdown and the exit status."""
    rows = steps_of(preview)
    changed = [r for r in rows if r[0] not in ("same", "read")]
    counts = Counter(r[0] for r in rows)
    errors = errors_of(preview)
    blocked = [r for r in changed if r[0] in fail_on]
    lines = ["### Pulumi preview", ""]
    if errors:
        lines += ["**The preview failed:**", "", *(f"- `{e}`" for e in errors), ""]
    if not changed:
        lines.append(f"No changes ({counts.get('same', 0)} resources unchanged).")
    else:
        summary = ", ".join(f"{n} to {k}" for k, n in sorted(counts.items()) if k != "same")
        lines += [f"{summary}; {counts.get('same', 0)} unchanged.", ""]
        lines += ["| | resource | type | changed |", "|---|---|---|---|"]
        for kind, rtype, name, keys in changed[:MAX_ROWS]:
            listed = ", ".join(f"`{k}`" for k in keys)
            lines.append(f"| {ICON.get(kind, kind)} {kind} | `{name}` | {rtype} | {listed} |")
        if len(changed) > MAX_ROWS:
            lines.append(f"| | … and {len(changed) - MAX_ROWS} more | | |")
    if blocked:
        lines += ["", f"**Not allowed without review:** {', '.join(sorted(fail_on))}."]
    status = 2 if errors else 1 if blocked else 0
    return "\n".join(lines) + "\n", status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preview", help="output of `pulumi preview --json` ('-' for stdin)")
    parser.add_argument(
        "--fail-on",
        default="delete,replace",
        help="comma-separated kinds that fail the check (create, update, delete, replace)",
    )
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.preview == "-" else Path(args.preview).read_text()
    fail_on = frozenset(k.strip() for k in args.fail_on.split(",") if k.strip())
    markdown, status = render(json.loads(text), fail_on)
    sys.stdout.write(markdown)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
