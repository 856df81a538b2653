"""Field-level diffs for the engine: which property paths changed, and how.

The dynamic provider decides *whether* a resource changed and which changes replace it;
this module names the paths, in schema names, by comparing the old state with the checked
new inputs (both canonical, so equal values mean no change). A preview-time unknown counts
as a change of its path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.provider.experimental.provider import PropertyDiff, PropertyDiffKind

from pulumi_powerjob.providers.unknowns import is_marker

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KIND = {
    (False, "add"): PropertyDiffKind.ADD,
    (False, "delete"): PropertyDiffKind.DELETE,
    (False, "update"): PropertyDiffKind.UPDATE,
    (True, "add"): PropertyDiffKind.ADD_REPLACE,
    (True, "delete"): PropertyDiffKind.DELETE_REPLACE,
    (True, "update"): PropertyDiffKind.UPDATE_REPLACE,
}


def changed_paths(old: Any, new: Any, path: str) -> list[tuple[str, str]]:
    """``(path, add|delete|update)`` for every leaf that differs, down maps and lists."""
    if is_marker(new):
        return [(path, "update")]
    if old == new:
        return []
    if old is None or old == [] or old == {}:
        return [(path, "add")]
    if new is None or new == [] or new == {}:
        return [(path, "delete")]
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        return [
            found
            for key in sorted({*old, *new})
            for found in changed_paths(old.get(key), new.get(key), _child(path, str(key)))
        ]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [
            found
            for i, (a, b) in enumerate(zip(old, new, strict=True))
            for found in changed_paths(a, b, f"{path}[{i}]")
        ]
    return [(path, "update")]


def _child(path: str, key: str) -> str:
    """``path.key``, or ``path["key"]`` for a map key that is not a plain name."""
    return f"{path}.{key}" if _IDENT.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def top_key(path: str) -> str:
    """The top-level property of a path: ``jobs`` of ``jobs["a-b"].timeExpression``."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


def detailed_diff(
    old: Mapping[str, Any], new: Mapping[str, Any], keys: Iterable[str], replaces: Iterable[str]
) -> dict[str, PropertyDiff]:
    """The engine's detailed diff over ``keys`` (top-level state keys, schema names)."""
    replacing = frozenset(replaces)
    return {
        path: PropertyDiff(_KIND[(key in replacing, kind)], input_diff=True)
        for key in keys
        for path, kind in changed_paths(old.get(key), new.get(key), key)
    }
