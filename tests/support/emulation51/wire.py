"""Wire helpers of the PowerJob 5.1 *emulation*: Java-style JSON, envelopes and exceptions.

Everything here imitates what Spring Boot 2.7 + Jackson 2.13 put on the wire for a real
5.1.0/5.1.1 server; it is test support, not a server.
"""

from __future__ import annotations

import datetime as dt
import decimal
import email.utils
import json
import math
from dataclasses import dataclass
from typing import Any

# ErrorCodes of powerjob-common 5.1 (name -> wire code).
ERROR_CODES: dict[str, str] = {
    "USER_NOT_LOGIN": "-100",
    "USER_NOT_EXIST": "-101",
    "USER_AUTH_FAILED": "-102",
    "NO_PERMISSION": "-200",
    "INVALID_REQUEST": "-300",
    "INCORRECT_PASSWORD": "-400",
    "INVALID_TOKEN": "-401",
    "INVALID_APP": "-402",
    "TOKEN_EXPIRED": "-403",
    "SYSTEM_UNKNOWN_ERROR": "-500",
    "ILLEGAL_ARGS_ERROR": "-501",
    "OPEN_API_AUTH_FAILED": "-1002",
}

JSON_TYPE = "application/json"
REJECTION_TYPE = "application/json;charset=utf-8"  # what OpenApiInterceptor writes
VARY = (
    ("Vary", "Origin"),
    ("Vary", "Access-Control-Request-Method"),
    ("Vary", "Access-Control-Request-Headers"),
)


class JavaError(Exception):
    """A Java exception as the server's global exception handler reports it.

    Handlers raise these after `Ctx.begin()`; raised before it (body binding, parameter
    conversion), they mean the controller method never started, as in Spring.
    """

    def __init__(self, java_class: str, text: str, code: str | None = None) -> None:
        super().__init__(f"{java_class}: {text}")
        self.java_class = java_class
        self.text = text
        self.code = code

    @property
    def message(self) -> str:
        """`ExceptionUtils.getMessage(e)`: short class name, colon, text."""
        return f"{self.java_class}: {self.text}"


def coded(name: str, detail: str | None = None) -> JavaError:
    """`new PowerJobException(ErrorCodes.NAME, detail)`."""
    text = name if detail is None else f"{name}:{detail}"
    return JavaError("PowerJobException", text, ERROR_CODES[name])


def powerjob(text: str) -> JavaError:
    """`new PowerJobException(text)` (no error code)."""
    return JavaError("PowerJobException", text)


def illegal_argument(text: str) -> JavaError:
    return JavaError("IllegalArgumentException", text)


def npe(text: str) -> JavaError:
    return JavaError("NullPointerException", text)


def null_id() -> JavaError:
    """Spring Data `findById(null)`."""
    return JavaError(
        "InvalidDataAccessApiUsageException",
        "The given id must not be null!; nested exception is java.lang.IllegalArgumentException: "
        "The given id must not be null!",
    )


def jstr(value: object) -> str:
    """`String.valueOf` of a boxed value."""
    return "null" if value is None else str(value)


def not_readable(text: str) -> JavaError:
    """Jackson could not bind the request body; the handler did not run."""
    return JavaError("HttpMessageNotReadableException", text)


@dataclass(frozen=True)
class Envelope:
    """A handler result that is already a full response body (no ResultDTO wrapping)."""

    body: dict[str, Any]


def result_dto(data: Any) -> dict[str, Any]:
    """`ResultDTO.success(data)`."""
    return {"success": True, "data": data, "message": None}


def power_ok(data: Any) -> dict[str, Any]:
    """`PowerResultDTO.s(data)`."""
    return {"success": True, "data": data, "message": None, "code": None}


def power_fail(message: str, code: str | None) -> dict[str, Any]:
    """A failed `PowerResultDTO` serialised by Spring (nulls included)."""
    return {"success": False, "data": None, "message": message, "code": code}


def rejection(message: str, code: str | None) -> dict[str, Any]:
    """A failed `PowerResultDTO` written by the interceptor with non-null inclusion."""
    return {"success": False, "message": message, "code": code}


def java_double(value: float) -> str:
    """`Double.toString`: `0.0`, `1.5`, `1.0E7`, `1.2E-5`."""
    if math.isnan(value) or math.isinf(value):
        return json.dumps(
            "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        )
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text else text + ".0"
    sign, digits, exponent = decimal.Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(str(d) for d in digits)
    power = len(text) + exponent - 1
    return f"{'-' if sign else ''}{text[0]}.{text[1:] or '0'}E{power}"


def java_json(value: Any) -> str:
    """Serialise like Jackson with default settings (key order kept, nulls written)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return java_double(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = (
            f"{json.dumps(str(k), ensure_ascii=False)}:{java_json(v)}" for k, v in value.items()
        )
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(java_json(v) for v in value) + "]"
    raise TypeError(f"cannot serialise {type(value).__name__}")


def fastjson(value: dict[str, Any]) -> str:
    """fastjson `toJSONString` of a bean: keys sorted, null values dropped."""
    return java_json({k: value[k] for k in sorted(value) if value[k] is not None})


def iso_ms(epoch_ms: int) -> str:
    """`java.util.Date` as Spring Boot's Jackson writes it (UTC server)."""
    moment = dt.datetime.fromtimestamp(epoch_ms // 1000, tz=dt.UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{epoch_ms % 1000:03d}+00:00"


def http_date(epoch_ms: int) -> str:
    return email.utils.formatdate(epoch_ms // 1000, usegmt=True)
