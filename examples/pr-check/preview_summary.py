"""Turn ``pulumi preview --json`` into a short markdown summary for a pull-request comment.

    pulumi preview --json --stack prod > preview.json
    python preview_summary.py preview.json --fail-on delete,replace --tz UTC > summary.md

Exit status: 0 when no change is of a kind in ``--fail-on`` (default: delete and replace, the
changes a reviewer must not miss); 1 when one is; 2 for a usage error (an unknown kind, say);
3 when the preview failed (it reported errors, or the file holds no preview); 4 when no
summary could be made (the server or the file could not be read, an unknown zone), with a
one-line message on standard error.
Printed: operations, resource names, the *names* of changed properties and, for each job or
workflow whose schedule is created or changed, the old and new time expression, what it means
and its next three runs in the server's time zone (``--tz``, or what ``--server``'s
``/server/hello`` reports). No other value is printed, and a schedule that is a secret or not
known until apply is not shown either.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any

import httpx

from pulumi_powerjob.validation.describe import describe, format_instant
from pulumi_powerjob.validation.firetimes import fire_times
from pulumi_powerjob.validation.schedule import normalize_time_expression
from pulumi_powerjob.validation.zones import zone_from_display_name, zone_of

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
# ``changeSummary`` counts a replace once, as "replace"; its halves are not counted again.
SUMMARY_KINDS = ("create", "update", "delete", "replace", "import", "read", "same", "discard")
SCHEDULE_KEYS = ("time_expression_type", "time_expression", "lifecycle")
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown (computed) value
RUNS = 3
ICON = {"create": "+", "update": "~", "delete": "-", "replace": "+-", "import": "=", "read": ">"}
MAX_ROWS = 50
FAIL_KINDS = ("create", "update", "delete", "replace", "import")
BLOCKED, USAGE, PREVIEW_FAILED, NO_SUMMARY = 1, 2, 3, 4


class SummaryError(Exception):
    """No summary can be made; the message says why, in one line."""


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


def counts_of(preview: dict[str, Any], rows: list[tuple[str, str, str, list[str]]]) -> Counter[str]:
    """Resources per kind: the preview's ``changeSummary`` (the steps list leaves most
    unchanged resources out), else the steps themselves."""
    summary = preview.get("changeSummary")
    if not isinstance(summary, dict) or not summary:
        return Counter(r[0] for r in rows)
    counts: Counter[str] = Counter()
    for op, n in summary.items():
        if op in SUMMARY_KINDS and isinstance(n, int):
            counts[KIND[op]] += n
    return counts


def _hidden(value: Any) -> str | None:
    """Why a value must not be printed or computed from: a secret, or not known yet."""
    if isinstance(value, dict) or value == "[secret]":
        return "secret: not shown"
    if value == UNKNOWN or (isinstance(value, str) and value.startswith("output<")):
        return "computed at apply"
    return None


def _schedule_cell(inputs: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """(shown text, type, canonical expression or None when it cannot be used)."""
    kind, expression = inputs.get("time_expression_type"), inputs.get("time_expression")
    for value in (kind, expression):
        if (why := _hidden(value)) is not None:
            return why, None, None
    kind_text = str(kind or "API").upper()
    try:
        canonical = normalize_time_expression(
            kind_text, None if expression is None else str(expression)
        )
    except ValueError:
        return "invalid", None, None
    shown = f"`{canonical}`" if canonical else ""
    if kind_text != "CRON":
        shown = f"{kind_text} {shown}".strip()
    return shown.replace("|", "\\|"), kind_text, canonical


def _window(inputs: dict[str, Any]) -> tuple[int | None, int | None]:
    lifecycle = inputs.get("lifecycle")
    if not isinstance(lifecycle, dict):
        return None, None
    start, end = lifecycle.get("start"), lifecycle.get("end")
    return (start if type(start) is int else None, end if type(end) is int else None)


def schedules_of(
    preview: dict[str, Any], zone: tzinfo, now_ms: int
) -> list[tuple[str, str, str, str, str]]:
    """(name, old, new, meaning, next runs) per created or changed schedule."""
    rows: dict[str, tuple[str, str, str, str, str]] = {}
    for step in preview.get("steps") or []:
        kind = KIND.get(str(step.get("op")), "")
        if kind not in ("create", "update", "replace"):
            continue
        old = (step.get("oldState") or {}).get("inputs") or {}
        new = (step.get("newState") or {}).get("inputs") or {}
        if "time_expression_type" not in new:
            continue  # not a job or a workflow
        if kind != "create" and old and all(old.get(k) == new.get(k) for k in SCHEDULE_KEYS):
            continue
        shown, expr_kind, canonical = _schedule_cell(new)
        old_shown = _schedule_cell(old)[0] if old and kind != "create" else ""
        if expr_kind is None:
            meaning, runs = "", shown if shown != "invalid" else ""
        else:
            meaning = describe(expr_kind, canonical)
            start, end = _window(new)
            times = fire_times(expr_kind, canonical, RUNS, now_ms, start=start, end=end, zone=zone)
            runs = "<br>".join(format_instant(t, zone) for t in times) or "none"
        name = str(step.get("urn", "")).rsplit("::", 1)[-1]
        rows[name] = (name, old_shown, shown, meaning, runs)
    return list(rows.values())


def errors_of(preview: dict[str, Any]) -> list[str]:
    return [
        str(d.get("message", "")).strip().splitlines()[0] if d.get("message") else "error"
        for d in preview.get("diagnostics") or []
        if d.get("severity") == "error"
    ]


def render(
    preview: dict[str, Any],
    fail_on: frozenset[str],
    zone: tzinfo | None = None,
    now_ms: int | None = None,
) -> tuple[str, int]:
    """The markdown and the exit status; next runs are computed from ``now_ms`` in ``zone``."""
    zone = zone or zone_of("UTC")
    now = int(time.time() * 1000) if now_ms is None else now_ms
    rows = steps_of(preview)
    changed = [r for r in rows if r[0] not in ("same", "read")]
    counts = counts_of(preview, rows)
    errors = errors_of(preview)
    blocked = [r for r in changed if r[0] in fail_on]
    lines = ["### Pulumi preview", ""]
    if errors:
        lines += ["**The preview failed:**", "", *(f"- `{e}`" for e in errors), ""]
        lines.append("Its changes are not known: fix the errors and run the preview again.")
        return "\n".join(lines) + "\n", PREVIEW_FAILED
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
    schedules = schedules_of(preview, zone, now)
    if schedules:
        lines += ["", f"#### Schedules (next {RUNS} runs in {zone})", ""]
        lines += ["| resource | old | new | means | next runs |", "|---|---|---|---|---|"]
        lines += [
            f"| `{n}` | {old} | {new} | {means} | {runs} |"
            for n, old, new, means, runs in schedules[:MAX_ROWS]
        ]
    if blocked:
        lines += ["", f"**Not allowed without review:** {', '.join(sorted(fail_on))}."]
    return "\n".join(lines) + "\n", BLOCKED if blocked else 0


def server_zone(address: str) -> str:
    """The zone ``/server/hello`` reports (a read; it needs no credentials)."""
    url = f"{address.rstrip('/')}/server/hello"
    try:
        with httpx.Client(timeout=10.0) as http:
            hello = http.get(url).raise_for_status().json()
    except (httpx.HTTPError, ValueError) as exc:
        raise SummaryError(f"could not read the server's zone from {url}: {exc}") from None
    data = hello.get("data") if isinstance(hello, dict) else None
    name = str((data or {}).get("serverTimeZone", "")) if isinstance(data, dict) else ""
    zone = zone_from_display_name(name)
    if zone is None:
        raise SummaryError(f"the server's zone {name!r} has no IANA name here: pass --tz")
    return zone


def fail_kinds(text: str) -> frozenset[str]:
    """The kinds of ``--fail-on``; an unknown one is a usage error, never ignored."""
    kinds = frozenset(k.strip().lower() for k in text.split(",") if k.strip())
    unknown = sorted(kinds - set(FAIL_KINDS))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown kind(s) {', '.join(map(repr, unknown))}; known: {', '.join(FAIL_KINDS)}"
        )
    return kinds


def read_preview(path: str) -> dict[str, Any]:
    """The preview's JSON; ``SummaryError`` when unreadable, ``ValueError`` when no preview."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SummaryError(f"could not read {path}: {exc.strerror or exc}") from None
    try:
        preview = json.loads(text)
    except ValueError:
        preview = None
    if not isinstance(preview, dict):
        raise ValueError(
            f"{path} holds no preview (is the output of `pulumi preview --json` empty?)"
        )
    return preview


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preview", help="output of `pulumi preview --json` ('-' for stdin)")
    parser.add_argument(
        "--fail-on",
        default=fail_kinds("delete,replace"),
        type=fail_kinds,
        help=f"comma-separated kinds that fail the check ({', '.join(FAIL_KINDS)})",
    )
    parser.add_argument("--tz", default="UTC", help="the server's time zone (IANA name)")
    parser.add_argument("--server", help="a PowerJob address: its /server/hello names the zone")
    args = parser.parse_args(argv)
    try:
        preview = read_preview(args.preview)
    except ValueError as exc:
        print(f"error: the preview failed: {exc}", file=sys.stderr)
        sys.stdout.write(f"### Pulumi preview\n\n**The preview failed:** {exc}.\n")
        return PREVIEW_FAILED
    except SummaryError as exc:
        print(f"error: no summary: {exc}", file=sys.stderr)
        return NO_SUMMARY
    try:
        zone = zone_of(server_zone(args.server) if args.server else args.tz)
        markdown, status = render(preview, args.fail_on, zone)
    except Exception as exc:  # a crash must not look like a blocked change (status 1)
        print(f"error: no summary: {exc}", file=sys.stderr)
        return NO_SUMMARY
    if status == PREVIEW_FAILED:
        print("error: the preview failed; the summary lists its errors", file=sys.stderr)
    sys.stdout.write(markdown)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
