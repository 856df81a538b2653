"""The ``adopt_id`` input shared by the resources that can take over an existing object."""

from __future__ import annotations

from typing import Any

from pulumi_powerjob.reconcile.failures import Failure
from pulumi_powerjob.reconcile.keys import ADOPT_ID
from pulumi_powerjob.reconcile.unknowns import is_unknown


def canonical_adopt_id(inputs: dict[str, Any], what: str) -> Failure | None:
    """Canonicalise ``inputs[ADOPT_ID]`` to an int in place, or the failure.

    The engine carries every number as a float, so ``adopt_id=12`` arrives as ``12.0``.
    """
    adopt = inputs.get(ADOPT_ID)
    if adopt in (None, "") or is_unknown(adopt):
        inputs[ADOPT_ID] = None if adopt == "" else adopt
        return None
    value = positive_int(adopt)
    if value is None:
        return Failure(ADOPT_ID, f"must be a positive {what} id")
    inputs[ADOPT_ID] = value
    return None


def positive_int(value: Any) -> int | None:
    """``value`` as a positive int (``12``, ``12.0``, ``"12"``), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    return None
