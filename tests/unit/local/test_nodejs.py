"""The Node.js SDK cache: keyed by the schema and the npm versions, linked into a program."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_powerjob.local import nodejs


def test_the_cache_key_changes_with_the_schema_and_the_npm_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_POWERJOB_CACHE", str(tmp_path))
    first = nodejs.cache_root()
    assert first.parent == tmp_path / "nodejs"
    monkeypatch.setitem(nodejs.NPM_PACKAGES, "typescript", "0.0.0")
    assert nodejs.cache_root() != first
    schema = tmp_path / "schema.json"
    schema.write_text('{"version": "9.9.9"}')
    monkeypatch.setattr(nodejs, "SCHEMA", schema)
    assert nodejs.cache_root() != first


def test_a_program_directory_gets_the_cached_node_modules_linked_in_place_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached = tmp_path / "cache" / "node_modules"
    cached.mkdir(parents=True)
    monkeypatch.setattr(nodejs, "node_modules", lambda _bin: cached)
    program = tmp_path / "program"
    (program / "node_modules" / "stale").mkdir(parents=True)
    nodejs.link_into(program, tmp_path / "bin")
    assert (program / "node_modules").is_symlink()
    assert (program / "node_modules").resolve() == cached.resolve()
    nodejs.link_into(program, tmp_path / "bin")  # again: the link is replaced, not nested
    assert (program / "node_modules").resolve() == cached.resolve()


def test_the_build_is_skipped_once_the_cache_is_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PULUMI_POWERJOB_CACHE", str(tmp_path))
    builds: list[Path] = []
    monkeypatch.setattr(nodejs, "_build", lambda root, _bin: builds.append(root))
    first = nodejs.node_modules(tmp_path / "bin")
    again = nodejs.node_modules(tmp_path / "bin")
    assert first == again == nodejs.cache_root() / "node_modules"
    assert len(builds) == 1
