"""Whose job is this: the mark a ``Job`` leaves on the server, so that a create the engine
made again after it died finds the job it made before instead of making a second one.

The engine keeps a create that was in flight when it was killed only as a *pending operation*
in the state, drops it on the next ``up`` and creates the resource again; the provider is never
told. So every job a ``Job`` creates carries, in PowerJob's ``extra`` column (free text that
the scheduler never reads), a mark derived from the resource's URN. A create
first looks for live jobs of the app that carry its mark: one is the job an earlier, cut-off
create made, and is adopted; none means nothing was made. A URN names one resource of one
stack of one project, so no other stack or resource can carry the same mark.

The mark is ``pulumi:<stack>:<resource>``: 8 hex digits of the SHA-256 of the URN's stack
and project, and 16 of the whole URN's. It says who owns the job without spelling out names,
and the first part lets a ``Workflow`` tell the jobs of its own stack (``stack_of``). Reads
map it back to "no ``extra``", so it never shows in a diff, an import or a ``JobSet``. A
``Job`` that declares ``extra`` itself keeps its own value and has no mark.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

OWNER = "owner"
"""The input that carries the resource's URN (set by the resource class, never by users)."""
_MARK = re.compile(r"pulumi:([0-9a-f]{8}):[0-9a-f]{16}")


def _digest(text: str, digits: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:digits]


def _stack_prefix(urn: Any) -> str | None:
    """``urn:pulumi:<stack>::<project>`` of a URN, or ``None`` when it is none."""
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:") or urn.count("::") < 3:
        return None
    return "::".join(urn.split("::", 2)[:2])


def owned_by(props: Mapping[str, Any]) -> dict[str, Any]:
    """The ``owner`` entry of ``props`` for the state, if it has one (older states have none,
    and a read must not add one)."""
    return {OWNER: props[OWNER]} if props.get(OWNER) is not None else {}


def as_created(olds: Mapping[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """``news`` without ``owner`` for a resource created before the mark existed (its state
    has inputs but no ``owner``): its job was made already, so a mark would change nothing
    but show ``+ owner`` in the diff of its next change."""
    if olds and OWNER not in olds and OWNER in news:
        return {k: v for k, v in news.items() if k != OWNER}
    return news


def mark_of(urn: Any) -> str | None:
    """The mark of the resource with ``urn``; ``None`` when there is no URN (older state)."""
    prefix = _stack_prefix(urn)
    if prefix is None:
        return None
    return f"pulumi:{_digest(prefix, 8)}:{_digest(str(urn), 16)}"


def stack_of(urn: Any) -> str | None:
    """The stack part of the marks of every resource of ``urn``'s stack."""
    prefix = _stack_prefix(urn)
    return None if prefix is None else _digest(prefix, 8)


def stack_in(extra: str | None) -> str | None:
    """The stack part of a mark, ``None`` for anything else."""
    found = _MARK.fullmatch(extra) if extra is not None else None
    return found.group(1) if found else None


def is_mark(extra: str | None) -> bool:
    """Whether ``extra`` is a mark, not a user's value."""
    return extra is not None and _MARK.fullmatch(extra) is not None


def on_server(declared: str | None, mark: str | None) -> str | None:
    """What ``extra`` holds on the server: the declared value, else the mark."""
    return declared if declared is not None else mark


def declared(extra: str | None) -> str | None:
    """The declared ``extra`` behind what the server holds (a mark means none)."""
    return None if is_mark(extra) else extra
