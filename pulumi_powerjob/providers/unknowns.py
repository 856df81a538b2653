"""Preview-time unknowns, as the dynamic provider host hands them to ``check`` and ``diff``.

The host deserialises both calls' inputs with ``keep_unknowns``, so an input bound to an
output that does not exist yet is a ``pulumi.output.Unknown`` instance, at the top level or
anywhere inside a list or an object. The providers' rules work on one marker instead, the
wire sentinel ``pulumi.runtime.rpc.UNKNOWN``: ``to_marker`` maps the host's form to it on
the way in and ``to_engine`` maps it back on the way out (both forms serialise to the same
wire value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown

from pulumi_powerjob.reconcile import unknowns as core

MARKER = core.MARKER  # the wire sentinel, pulumi.runtime.rpc.UNKNOWN (tested)


def is_marker(value: Any) -> bool:
    """True when ``value`` itself (not something inside it) is unknown."""
    return isinstance(value, Unknown) or core.is_marker(value)


def is_unknown(value: Any) -> bool:
    """True when ``value`` is, or contains at any depth, a preview-time unknown."""
    return core.holds(value, is_marker)


def to_marker(value: Any) -> Any:
    """``value`` with every ``Unknown`` instance, at any depth, replaced by ``MARKER``."""
    if isinstance(value, Unknown):
        return MARKER
    if isinstance(value, Mapping):
        return {k: to_marker(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_marker(v) for v in value]
    return value


def to_engine(value: Any) -> Any:
    """``value`` with every ``MARKER``, at any depth, as the ``Unknown`` the host gave."""
    if isinstance(value, str) and value == MARKER:
        return Unknown()  # type: ignore[no-untyped-call]
    if isinstance(value, Mapping):
        return {k: to_engine(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_engine(v) for v in value]
    return value
