"""A refused input as the core reports it: the property's path and the rule it breaks.

Each face turns these into its engine's form (the dynamic providers: ``CheckFailure``).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True)
class Failure:
    """One refused input: ``property`` is a dotted path (``lifecycle.end``, ``nodes.0.name``)."""

    property: str
    reason: str


def failures_of(exc: ValidationError, unknown: frozenset[str]) -> list[Failure]:
    """One ``Failure(field, rule)`` per pydantic error, skipping unknown fields."""
    failures = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = [str(p) for p in err["loc"]]
        message = str(err["msg"]).removeprefix("Value error, ")
        if not loc and ": " in message:  # cross-field rules name their field first
            field, message = message.split(": ", 1)
            loc = field.split(".")
        if loc and loc[0] in unknown:
            continue
        if err["type"] == "extra_forbidden":
            message = "is not a known property"
        elif err["type"] == "missing":
            message = "is required"
        failures.append(Failure(".".join(loc) or "inputs", message))
    return failures
