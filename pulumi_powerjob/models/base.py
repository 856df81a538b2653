"""Base classes of every wire model, and the ResultDTO envelope."""

from __future__ import annotations

from enum import IntEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer
from pydantic.alias_generators import to_camel

T = TypeVar("T")
E = TypeVar("E", bound=IntEnum)


class WireModel(BaseModel):
    """A PowerJob JSON shape; Python names are snake_case, wire names camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel,  # job_params <-> jobParams
        validate_by_name=True,  # build models from Python names in our own code
        validate_by_alias=True,  # and parse server answers by their wire names
        frozen=True,  # answers are values; hashable and safe to share across threads
        extra="ignore",  # newer servers add fields; they must not break parsing
    )


class RequestModel(WireModel):
    """A request body: unknown fields are an error here, not a silent no-op on the server."""

    model_config = ConfigDict(extra="forbid")


class Envelope(WireModel, Generic[T]):
    """``ResultDTO`` / ``PowerResultDTO``: every OpenAPI answer is wrapped in one."""

    success: bool
    data: T | None = None
    message: str | None = None
    code: str | None = None


def _enum_from_wire(enum: type[E]) -> BeforeValidator:
    def parse(value: Any) -> Any:
        if isinstance(value, str) and not value.lstrip("-").isdigit():
            try:
                return enum[value]
            except KeyError:
                names = ", ".join(enum.__members__)
                raise ValueError(f"must be one of {names}") from None
        if isinstance(value, str):
            value = int(value)
        if isinstance(value, int) and value not in enum._value2member_map_:
            return None  # a code this client does not know (newer server, console): not fatal
        return value

    return BeforeValidator(parse)


def by_name(enum: type[E]) -> tuple[BeforeValidator, PlainSerializer]:
    """Metadata for an enum that requests carry by *name* (Jackson reads numbers as ordinals).

    Parsing accepts the name or the code, because answers carry codes.
    """
    return _enum_from_wire(enum), PlainSerializer(lambda e: None if e is None else e.name)


def by_code(enum: type[E]) -> tuple[BeforeValidator, PlainSerializer]:
    """Metadata for an enum carried as its integer code both ways (Java ``Integer`` fields)."""
    return _enum_from_wire(enum), PlainSerializer(lambda e: None if e is None else int(e))


__all__ = ["Annotated", "Envelope", "RequestModel", "WireModel", "by_code", "by_name"]
