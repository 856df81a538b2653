"""Judging declared inputs offline: canonical inputs, or the failures that name field and rule.

Unknown values (``unknowns.MARKER``, at any depth) are kept and not judged; a value with an
unknown inside it is judged as far as it is known (``partial``); rules across fields treat
it as unknown as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from pulumi_powerjob.reconcile import connection
from pulumi_powerjob.reconcile.failures import Failure, failures_of
from pulumi_powerjob.reconcile.keys import CONNECTION
from pulumi_powerjob.reconcile.partial import judge_known_part
from pulumi_powerjob.reconcile.unknowns import is_marker, is_unknown


def validate(
    model: type[BaseModel],
    values: Mapping[str, Any],
    extra_inputs: tuple[str, ...],
    placeholders: Mapping[str, Any],
) -> tuple[dict[str, Any], list[Failure]]:
    """Canonical inputs and the failures of ``values`` (spec fields plus ``extra_inputs``).

    ``placeholders`` stand in for unknown required fields, so the known ones can be checked.
    """
    values = dict(values)
    extras = {k: values.pop(k) for k in extra_inputs if k in values}
    if extras.get(CONNECTION) in (None, ""):
        extras[CONNECTION] = connection.DEFAULT
    unknown = frozenset(k for k, v in values.items() if is_unknown(v))
    failures = [
        failure
        for k in sorted(unknown)
        if not is_marker(values[k])
        for failure in judge_known_part(model, k, values[k])
    ]
    known = {k: v for k, v in values.items() if k not in unknown}
    known.update({k: v for k, v in placeholders.items() if k in unknown})
    try:
        spec = model.model_validate(known, context={"unknown": unknown})
    except ValidationError as exc:
        return {**values, **extras}, failures + failures_of(exc, unknown)
    if failures:
        return {**values, **extras}, failures
    canonical = spec.model_dump(mode="json")
    canonical.update({k: values[k] for k in unknown if k in values})
    return {**canonical, **extras}, []


def changed_keys(
    keys: tuple[str, ...], olds: Mapping[str, Any], news: Mapping[str, Any]
) -> list[str]:
    """The keys whose declared value changed, or is not known yet (``connection`` unset
    equals ``default``)."""
    return [
        k
        for k in keys
        if is_unknown(news.get(k)) or _canon(olds.get(k), k) != _canon(news.get(k), k)
    ]


def _canon(value: Any, key: str) -> Any:
    if key == CONNECTION and value in (None, ""):
        return connection.DEFAULT
    return value
