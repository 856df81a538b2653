"""Values not known yet (at preview), as the core sees them: one string marker.

A face maps its engine's form of an unknown to ``MARKER`` on the way in (the dynamic
providers: ``providers/unknowns.py``). The marker is the engine's wire sentinel for an
unknown value, so both forms serialise to the same wire value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

MARKER = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def is_marker(value: Any) -> bool:
    """True when ``value`` itself (not something inside it) is the marker."""
    return isinstance(value, str) and value == MARKER


def is_unknown(value: Any) -> bool:
    """True when ``value`` is, or contains at any depth, the marker."""
    return holds(value, is_marker)


def holds(value: Any, leaf: Callable[[Any], bool]) -> bool:
    """True when ``value`` is, or contains at any depth (maps, lists, tuples), a ``leaf``."""
    if leaf(value):
        return True
    if isinstance(value, Mapping):
        return any(holds(v, leaf) for v in value.values())
    if isinstance(value, list | tuple):
        return any(holds(v, leaf) for v in value)
    return False
