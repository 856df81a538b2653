"""Judging the known part of an input that holds a preview-time unknown.

``lifecycle={"start": t.job_id, "end": 5}`` or ``notify_user_ids=[1, user.id]``: the unknown
leaves are left out and never judged; every known leaf is checked by its own field's rules,
and a failure names the leaf (``lifecycle.end``, ``notify_user_ids.0``). A rule across
leaves of the same value is skipped, since it would judge the unknown one too.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from pulumi_powerjob.reconcile.failures import Failure
from pulumi_powerjob.reconcile.unknowns import is_marker, is_unknown


def judge_known_part(model: type[BaseModel], key: str, value: Any) -> list[Failure]:
    """The failures of the known leaves of ``value``, the input ``key`` of ``model``."""
    if key not in model.model_fields:
        return []  # an unknown property: the whole-spec pass names it
    if isinstance(value, list):
        item = _adapter(model, key, item=True)
        if item is None:
            return []
        return [
            failure
            for index, entry in enumerate(value)
            if not is_marker(entry)
            for failure in _judge(item, f"{key}.{index}", entry)
        ]
    whole = _adapter(model, key, item=False)
    if isinstance(value, dict) and whole is not None:
        return _judge(whole, key, value)
    return []


def _judge(adapter: TypeAdapter[Any], prefix: str, value: Any) -> list[Failure]:
    known, dropped = _without_unknowns(value)
    try:
        adapter.validate_python(known, context={"unknown": frozenset(dropped)})
    except ValidationError as exc:
        failures = []
        for err in exc.errors(include_input=False, include_url=False):
            loc = [str(p) for p in err["loc"] if not _is_tag(p)]
            if not loc and isinstance(value, dict):
                continue  # a rule across the object's leaves: it would judge the unknown one
            if loc and err["type"] == "missing" and loc[0] in dropped:
                continue  # a leaf left out because it is unknown
            message = str(err["msg"]).removeprefix("Value error, ")
            failures.append(Failure(".".join([prefix, *loc]), message))
        return failures
    return []


def _without_unknowns(value: Any) -> tuple[Any, set[str]]:
    """An object's leaves that are known (nested objects too), and the names left out."""
    if not isinstance(value, dict):
        return value, set()
    known, dropped = {}, set()
    for k, v in value.items():
        if is_marker(v):
            dropped.add(k)
        elif is_unknown(v):
            dropped.add(k)  # partly unknown inside: judged no deeper than this
        else:
            known[k] = v
    return known, dropped


def _list_item(annotation: Any) -> Any:
    """The item type of ``list[T]`` (or ``list[T] | None``)."""
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    for arg in get_args(annotation):
        if get_origin(arg) is list:
            return get_args(arg)[0]
    return None


def _is_tag(part: Any) -> bool:
    """A union member's name that pydantic puts in an error's location."""
    return isinstance(part, str) and part[:1].isupper()


@cache
def _adapter(model: type[BaseModel], key: str, *, item: bool) -> TypeAdapter[Any] | None:
    """The validator of a field (``item``: of one item of a list field)."""
    field = model.model_fields[key]
    if item:
        inner = _list_item(field.annotation)
        return None if inner is None else TypeAdapter(inner)
    annotation: Any = field.annotation
    if field.metadata:
        annotation = Annotated[(annotation, *field.metadata)]
    return TypeAdapter(annotation)
