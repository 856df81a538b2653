"""Property names between the schema (camelCase, Pulumi's convention) and the providers'
state keys (snake_case, the spec models' field names).

Renaming follows the models, never the values: the keys of a map (job names in a ``JobSet``,
node names in ``nodeIds``) are data and are kept as written.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.alias_generators import to_camel, to_snake


@dataclass(frozen=True)
class Shape:
    """How to rename a value: ``fields`` for an object (snake name -> (camel name, shape)),
    ``items`` for each element of a list or each value of a map, nothing for a leaf."""

    fields: Mapping[str, tuple[str, Shape]] = field(default_factory=dict)
    items: Shape | None = None


LEAF = Shape()


def camel(name: str) -> str:
    """``time_expression`` -> ``timeExpression``; a name without ``_`` is kept."""
    return to_camel(name) if "_" in name else name


def shape_of(annotation: Any) -> Shape:
    """The renaming shape of a type annotation (models, lists, maps, optionals)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return shape_of(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        shapes = [shape_of(a) for a in get_args(annotation) if a is not type(None)]
        return next((s for s in shapes if s is not LEAF), LEAF)
    if origin in (list, tuple, dict) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        args = get_args(annotation)
        inner = shape_of(args[-1]) if args else LEAF
        return LEAF if inner is LEAF else Shape(items=inner)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return model_shape(annotation)
    return LEAF


def model_shape(model: type[BaseModel]) -> Shape:
    """The shape of a model's fields."""
    return Shape(
        {
            name: (camel(name), shape_of(info.annotation))
            for name, info in model.model_fields.items()
        }
    )


def to_state(value: Any, shape: Shape) -> Any:
    """Snake-case keys (as the providers use) to camelCase (as the schema names them)."""
    return _rename(value, shape, outward=True)


def to_spec(value: Any, shape: Shape) -> Any:
    """CamelCase keys (from the engine) to the providers' snake_case."""
    return _rename(value, shape, outward=False)


def _rename(value: Any, shape: Shape, *, outward: bool) -> Any:
    if shape.fields and isinstance(value, Mapping):
        table = shape.fields if outward else {c: (s, sub) for s, (c, sub) in shape.fields.items()}
        out = {}
        for key, item in value.items():
            name, sub = table.get(key, (_fallback(key, outward), LEAF))
            out[name] = _rename(item, sub, outward=outward)
        return out
    if shape.items is not None and isinstance(value, Mapping):
        return {k: _rename(v, shape.items, outward=outward) for k, v in value.items()}
    if shape.items is not None and isinstance(value, list | tuple):
        return [_rename(v, shape.items, outward=outward) for v in value]
    return value


def _fallback(key: str, outward: bool) -> str:
    """A key the model does not know (a typo, kept so check names it): renamed by rule."""
    return camel(key) if outward else to_snake(key)


def path_to_state(path: str) -> str:
    """A provider's property path (``log_config.logger_name``) in schema names."""
    return ".".join(camel(part) for part in path.split("."))
