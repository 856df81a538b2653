"""Imports run downward only: faces -> reconcile -> client (STYLE, Layout).

The core (``pulumi_powerjob/reconcile/``) never imports ``pulumi``, so every face can stand on
it; the client never imports the core or a face, so nothing closes a cycle through it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pulumi_powerjob"


def _modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def _imports(path: Path) -> Iterator[str]:
    """Every module ``path`` imports, at any depth of its code (also inside functions and
    ``TYPE_CHECKING`` blocks)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the module's own package
                base = path.relative_to(PACKAGE.parent).with_suffix("").parts[: -node.level]
                yield ".".join([*base, node.module or ""]).rstrip(".")
            else:
                yield node.module or ""


def _is_pulumi(name: str) -> bool:
    return name == "pulumi" or name.startswith("pulumi.")


def _is_above_client(name: str) -> bool:
    above = ("pulumi_powerjob.providers", "pulumi_powerjob.reconcile", "pulumi_powerjob.plugin")
    return any(name == a or name.startswith(a + ".") for a in above)


def test_the_walk_sees_imports_inside_functions(tmp_path: Path) -> None:
    probe = PACKAGE / "reconcile" / "keys.py"
    names = list(_imports(probe))
    assert names == ["__future__"]
    code = "def f():\n    from pulumi.dynamic import CheckResult\n    import pulumi\n"
    fake = tmp_path / "fake.py"
    fake.write_text(code)
    assert [n for n in _imports(fake) if _is_pulumi(n)] == ["pulumi.dynamic", "pulumi"]


@pytest.mark.parametrize("path", _modules("reconcile"), ids=lambda p: p.name)
def test_no_module_of_the_core_imports_pulumi(path: Path) -> None:
    assert [n for n in _imports(path) if _is_pulumi(n)] == []


@pytest.mark.parametrize("path", _modules("client"), ids=lambda p: p.name)
def test_no_module_of_the_client_imports_the_core_or_a_face(path: Path) -> None:
    assert [n for n in _imports(path) if _is_above_client(n)] == []


def _module_path(name: str) -> Path | None:
    """The file of a ``pulumi_powerjob`` module (a package: its ``__init__.py``)."""
    if not name.startswith("pulumi_powerjob"):
        return None
    base = PACKAGE.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _submodules(path: Path) -> Iterator[str]:
    """What ``path`` imports, with ``from a import b`` also as ``a.b`` (``b`` may be a module)."""
    yield from _imports(path)
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_nothing_the_core_imports_at_any_depth_imports_pulumi() -> None:
    """The closure of the core's imports within the package (what ``from a.b import c`` names,
    not the ``pulumi_powerjob`` package's own ``__init__``, which is the Python face's surface)
    holds no import of ``pulumi``."""
    seen: set[Path] = set()
    todo = list(_modules("reconcile"))
    offenders: list[str] = []
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            if _is_pulumi(name):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}: {name}")
        for name in _submodules(path):
            found = _module_path(name)
            if found is not None and found != PACKAGE / "__init__.py":
                todo.append(found)
    assert offenders == []
    assert {PACKAGE / "client" / "client.py", PACKAGE / "validation" / "dag.py"} <= seen
