"""The ``adopt_id`` input of a check result (the rule: ``reconcile/adopt.py``)."""

from __future__ import annotations

from pulumi.dynamic import CheckFailure, CheckResult

from pulumi_powerjob.providers.unknowns import is_unknown
from pulumi_powerjob.reconcile.adopt import canonical_adopt_id
from pulumi_powerjob.reconcile.keys import ADOPT_ID

__all__ = ["ADOPT_ID", "check_adopt_id"]


def check_adopt_id(result: CheckResult, what: str) -> CheckResult:
    """Canonicalise ``adopt_id`` to an int, or add a failure."""
    if is_unknown(result.inputs.get(ADOPT_ID)):  # the engine's unknown, kept as it came
        return result
    failure = canonical_adopt_id(result.inputs, what)
    if failure is not None:
        result.failures.append(CheckFailure(failure.property, failure.reason))
    return result
