"""The ``adopt_id`` input shared by the providers that can take over an existing object."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult

from pulumi_powerjob.providers.unknowns import is_unknown

ADOPT_ID = "adopt_id"


def check_adopt_id(result: CheckResult, what: str) -> CheckResult:
    """Canonicalise ``adopt_id`` to an int, or add a failure.

    The engine carries every number as a float, so ``adopt_id=12`` arrives as ``12.0``.
    """
    adopt = result.inputs.get(ADOPT_ID)
    if adopt in (None, "") or is_unknown(adopt):
        result.inputs[ADOPT_ID] = None if adopt == "" else adopt
        return result
    value = _positive_int(adopt)
    if value is None:
        result.failures.append(CheckFailure(ADOPT_ID, f"must be a positive {what} id"))
    else:
        result.inputs[ADOPT_ID] = value
    return result


def _positive_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return int(value)
    return None
