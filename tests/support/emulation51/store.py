"""In-memory tables of the PowerJob 5.1 *emulation* (one H2 database of a real server)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .jwt import JwtCodec

Row = dict[str, Any]  # a table row, keyed by the Java property names
_SNOWFLAKE_EPOCH_MS = 1577808000000  # custom epoch of the id generator (2020)


@dataclass
class App:
    """A row of `app_info` (the password is kept in plain text here; the server uses AES)."""

    id: int
    name: str
    password: str
    namespace_id: int | None
    gmt_create: int
    gmt_modified: int
    title: str | None = None
    tags: str | None = None
    extra: str | None = None


@dataclass
class Store:
    """All tables; ids count from 1 per table like H2 identity columns (never reused)."""

    apps: dict[int, App] = field(default_factory=dict)
    jobs: dict[int, Row] = field(default_factory=dict)
    workflows: dict[int, Row] = field(default_factory=dict)
    nodes: dict[int, Row] = field(default_factory=dict)
    instances: dict[int, Row] = field(default_factory=dict)
    wf_instances: dict[int, Row] = field(default_factory=dict)
    born_ms: int = 0
    _sequences: dict[str, Iterator[int]] = field(default_factory=dict)
    _snowflake: Iterator[int] = field(default_factory=itertools.count)

    def next_id(self, table: str) -> int:
        return next(self._sequences.setdefault(table, itertools.count(1)))

    def snowflake(self, now_ms: int) -> int:
        """Instance ids are 64-bit snowflake numbers, beyond 2^53."""
        return ((now_ms - _SNOWFLAKE_EPOCH_MS) << 22) | (1 << 12) | (next(self._snowflake) % 4096)

    def app_by_name(self, name: str | None) -> App | None:
        return next((a for a in self.apps.values() if a.name == name), None)


@dataclass
class Ctx:
    """What one request's handler sees; `begin()` marks the controller method as started."""

    store: Store
    version: str
    now_ms: int
    jwt: JwtCodec
    jwt_expire_seconds: int
    executed: bool = False
    response_headers: list[tuple[str, str]] = field(default_factory=list)

    def begin(self) -> None:
        self.executed = True
