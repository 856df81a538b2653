"""Request binding of the PowerJob 5.1 *emulation*: Spring parameters and Jackson bodies.

Reproduces the binding rules the real server applies before a controller method runs:
simple parameters come from the query string or an exactly `application/x-www-form-urlencoded`
body (5.x `CachingRequestBodyFilter` pitfall), JSON bodies are bound leniently (unknown keys
ignored, scalars coerced, enums by *name* or by *ordinal*).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from .wire import JavaError, not_readable

FORM_TYPE = "application/x-www-form-urlencoded"
_LONG = re.compile(r"[+-]?\d+")
_NULL_HEADER_VALUES = frozenset({"null", "undefined"})
_BOXED = {"long": "java.lang.Long", "int": "java.lang.Integer"}


@dataclass(frozen=True)
class Request:
    """An HTTP request as the emulation sees it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    def header(self, name: str) -> str | None:
        """`HttpServletUtils.fetchFromHeader`: the literals null/undefined count as missing."""
        value = self.headers.get(name.lower())
        return None if value in _NULL_HEADER_VALUES else value

    def param(self, name: str) -> str | None:
        """`request.getParameter`: query string first, then an exact form body."""
        pairs = parse_qsl(self.query, keep_blank_values=True)
        if self.content_type == FORM_TYPE:
            pairs += parse_qsl(self.body.decode("utf-8"), keep_blank_values=True)
        return next((v for k, v in pairs if k == name), None)

    def long_param(self, name: str) -> int | None:
        """A `Long` handler argument (empty string binds as null)."""
        raw = self.param(name)
        if raw is None or raw.strip() == "":
            return None
        if not _LONG.fullmatch(raw.strip()):
            raise JavaError(
                "MethodArgumentTypeMismatchException",
                "Failed to convert value of type 'java.lang.String' to required type "
                "'java.lang.Long'; nested exception is java.lang.NumberFormatException: "
                f'For input string: "{raw}"',
            )
        return int(raw)

    def json_body(self, java_type: str) -> Any:
        """Read a `@RequestBody`; media-type and parse failures happen before the handler."""
        media = (self.content_type or "application/octet-stream").replace(" ", "")
        base = media.split(";", 1)[0].lower()
        if base != "application/json" and not base.endswith("+json"):
            raise JavaError(
                "HttpMediaTypeNotSupportedException",
                f"Content type '{media}' not supported",
            )
        if not self.body.strip():
            raise not_readable(f"Required request body is missing: {java_type}")
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError as exc:
            raise not_readable(f"JSON parse error: {exc}") from exc


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "Object value (token `JsonToken.START_OBJECT`)"
    if isinstance(value, list):
        return "Array value (token `JsonToken.START_ARRAY`)"
    if isinstance(value, bool):
        return f"Boolean value ({str(value).lower()})"
    return f"value {value!r}"


def _cannot(java_type: str, value: Any) -> JavaError:
    if isinstance(value, str):
        source = f'String "{value}": not a valid `{java_type}` value'
    else:
        source = _kind(value)
    return not_readable(
        f"JSON parse error: Cannot deserialize value of type `{java_type}` from {source}"
    )


@dataclass(frozen=True)
class JavaEnum:
    """A Java enum: names in declaration order (ordinals) and PowerJob codes."""

    java_class: str
    members: tuple[tuple[str, int], ...]

    def bind(self, value: Any) -> int | None:
        """Jackson's EnumDeserializer, returning the PowerJob code."""
        names = [name for name, _ in self.members]
        if value is None:
            return None
        if isinstance(value, str):
            if value in names:
                return self.members[names.index(value)][1]
            if value[:1].isdigit() and value.isdigit() and int(value) < len(names):
                return self.members[int(value)][1]
            raise not_readable(
                f"JSON parse error: Cannot deserialize value of type `{self.java_class}` from "
                f'String "{value}": not one of the values accepted for Enum class: '
                f"[{', '.join(names)}]"
            )
        if isinstance(value, int) and not isinstance(value, bool):
            if 0 <= value < len(names):
                return self.members[value][1]
            raise not_readable(
                f"JSON parse error: Cannot deserialize value of type `{self.java_class}` from "
                f"number {value}: index value outside legal index range [0..{len(names) - 1}]"
            )
        raise _cannot(self.java_class, value)

    def name_of(self, code: int | None) -> str | None:
        return next((name for name, c in self.members if c == code), None)


class Body:
    """Lenient Jackson binding of one JSON object (Spring Boot defaults)."""

    def __init__(self, raw: Any, java_type: str) -> None:
        if not isinstance(raw, dict):
            raise _cannot(java_type, raw)
        self.raw: dict[str, Any] = raw
        self.java_type = java_type

    def long(
        self, key: str, default: int | None = None, java_type: str = "java.lang.Long"
    ) -> int | None:
        if key not in self.raw:
            return default
        value = self.raw[key]
        if value is None:
            return None
        if isinstance(value, bool):
            raise _cannot(java_type, value)
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return int(value)
        if isinstance(value, str) and _LONG.fullmatch(value.strip()):
            return int(value)
        if isinstance(value, str) and value.strip() == "":
            return None
        raise _cannot(java_type, value)

    def integer(self, key: str, default: int | None = None) -> int | None:
        return self.long(key, default, _BOXED["int"])

    def double(self, key: str) -> float:
        """A primitive double: absent or null is 0.0."""
        value = self.raw.get(key)
        if value is None:
            return 0.0
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _cannot("double", value) from None

    def boolean(self, key: str, initial: bool | None, *, primitive: bool = True) -> bool | None:
        """A `boolean` (null binds as false) or `Boolean` (null stays null) field."""
        if key not in self.raw:
            return initial
        value = self.raw[key]
        if value is None:
            return False if primitive else None
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value != 0
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise _cannot("boolean", value)

    def string(self, key: str) -> str | None:
        value = self.raw.get(key)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, int | float):
            return json.dumps(value)
        raise _cannot("java.lang.String", value)

    def enum(self, key: str, spec: JavaEnum) -> int | None:
        return spec.bind(self.raw.get(key))

    def long_list(self, key: str) -> list[int | None] | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if not isinstance(value, list):
            raise _cannot("java.util.List<java.lang.Long>", value)
        holder = Body({str(i): v for i, v in enumerate(value)}, self.java_type)
        return [holder.long(str(i)) for i in range(len(value))]

    def object(self, key: str, java_type: str) -> Body | None:
        value = self.raw.get(key)
        return None if value is None else Body(value, java_type)

    def bean(self, key: str, java_type: str, **kinds: str) -> dict[str, Any] | None:
        """A nested bean of scalars; each kind is "long", "int" or "str"."""
        sub = self.object(key, java_type)
        if sub is None:
            return None
        return {
            name: sub.string(name) if kind == "str" else sub.long(name, java_type=_BOXED[kind])
            for name, kind in kinds.items()
        }
