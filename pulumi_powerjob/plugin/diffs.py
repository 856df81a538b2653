"""Field-level diffs for the engine: which property paths changed, and how.

The dynamic provider decides *whether* a resource changed and which changes replace it;
this module names the paths, in schema names, by comparing the old state with the checked
new inputs (both canonical, so equal values mean no change). A preview-time unknown counts
as a change of its path. Maps are diffed by key (a JobSet's ``jobs["report-eu"]``), a
workflow's nodes and edges by name and ends (a node added or deleted is that element alone),
other lists by index; the engine prints each path, and only those.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.provider.experimental.provider import PropertyDiff, PropertyDiffKind

from pulumi_powerjob.providers.unknowns import is_marker
from pulumi_powerjob.reconcile.connection import DEFAULT
from pulumi_powerjob.reconcile.keys import CONNECTION

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
    if isinstance(old, list) and isinstance(new, list):
        return _by_key(old, new, path) or _by_index(old, new, path)
    return [(path, "update")]


def _by_index(old: list[Any], new: list[Any], path: str) -> list[tuple[str, str]]:
    """Element by element; the longer list's tail is added or deleted."""
    found = [(p, k) for i in range(min(len(old), len(new))) for p, k in _at(old, new, i, i, path)]
    found += [(f"{path}[{i}]", "delete") for i in range(len(new), len(old))]
    return found + [(f"{path}[{i}]", "add") for i in range(len(old), len(new))]


def _by_key(old: list[Any], new: list[Any], path: str) -> list[tuple[str, str]] | None:
    """Workflow nodes (by ``name``) and edges (by their two ends) matched by key: each one
    added or deleted at its own index, a kept one diffed in place. ``None`` when that cannot
    be told apart by index (no keys, kept ones reordered or moved with changes)."""
    old_keys, new_keys = [_key(v) for v in old], [_key(v) for v in new]
    if None in old_keys or None in new_keys:
        return None
    if len(set(old_keys)) < len(old_keys) or len(set(new_keys)) < len(new_keys):
        return None
    kept = [(old_keys.index(k), j) for j, k in enumerate(new_keys) if k in old_keys]
    if [i for i, _ in kept] != sorted(i for i, _ in kept):
        return None
    deleted = [i for i, k in enumerate(old_keys) if k not in new_keys]
    added = [j for j, k in enumerate(new_keys) if k not in old_keys]
    if set(deleted) & set(added) or any(i != j and old[i] != new[j] for i, j in kept):
        return None
    found = [(f"{path}[{i}]", "delete") for i in deleted]
    found += [(f"{path}[{j}]", "add") for j in added]
    return found + [(p, k) for i, j in kept for p, k in _at(old, new, i, j, path)]


def _key(item: Any) -> Any:
    if isinstance(item, Mapping) and isinstance(item.get("name"), str):
        return item["name"]
    if isinstance(item, Mapping) and {"fromNode", "toNode"} <= item.keys():
        return (item["fromNode"], item["toNode"])
    return None


def _at(old: list[Any], new: list[Any], i: int, j: int, path: str) -> list[tuple[str, str]]:
    return changed_paths(old[i], new[j], f"{path}[{j}]")


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
        for path, kind in changed_paths(_get(old, key), _get(new, key), key)
    }


def _get(values: Mapping[str, Any], key: str) -> Any:
    """The value of ``key``; an unset ``connection`` is the default one, as the providers
    read it (a state that lacks it shows no change of it)."""
    value = values.get(key)
    return DEFAULT if key == CONNECTION and value in (None, "") else value
