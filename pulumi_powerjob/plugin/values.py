"""Values between the engine's ``PropertyValue`` and the plain data the providers take.

Unknowns travel as the wire sentinel, which is also the providers' own marker
(``providers/unknowns.py``), so a preview-time unknown reaches ``check`` and ``diff`` as the
dynamic host gives it. Secretness is kept per top-level property: a property that came in
secret (or that the resource always keeps secret) goes out secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import Computed, PropertyValue

from pulumi_powerjob.providers.unknowns import MARKER


def plain(value: PropertyValue) -> Any:
    """A ``PropertyValue`` as plain data (secrets opened, unknowns as the marker)."""
    inner = value.value
    if isinstance(inner, Computed):
        return MARKER
    if isinstance(inner, Mapping):
        return {k: plain(v) for k, v in inner.items()}
    if isinstance(inner, tuple | list):
        return [plain(v) for v in inner]
    return inner


def plain_map(values: Mapping[str, PropertyValue]) -> dict[str, Any]:
    return {k: plain(v) for k, v in values.items()}


def secret_keys(values: Mapping[str, PropertyValue]) -> frozenset[str]:
    """The top-level properties that hold a secret anywhere inside."""
    return frozenset(k for k, v in values.items() if v.contains_secret())


def wrap(value: Any) -> PropertyValue:
    """Plain data as a ``PropertyValue`` (numbers as floats, as the engine carries them)."""
    if isinstance(value, Unknown):
        return PropertyValue(MARKER)
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return PropertyValue(value)
    if isinstance(value, int):
        return PropertyValue(float(value))
    if isinstance(value, Mapping):
        return PropertyValue({str(k): wrap(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return PropertyValue([wrap(v) for v in value])
    raise TypeError(f"cannot send a {type(value).__name__} to the engine")


def wrap_map(values: Mapping[str, Any], secret: Iterable[str] = ()) -> dict[str, PropertyValue]:
    """A property map for the engine; the keys in ``secret`` go out as secrets."""
    hidden = frozenset(secret)
    return {k: wrap(v).with_secret(k in hidden) for k, v in values.items()}
