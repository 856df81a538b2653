"""Value types of spec fields, judged as the user wrote them, after the engine carried them.

The engine carries every number as a 64-bit float (``5000`` arrives as ``5000.0``,
``2**63 - 1`` as ``9.223372036854776e18``), so a whole number is an ``int`` or an integral
``float``. Nothing else is taken for one: a bool is never a number, a string never a number
or a bool, and a value out of range names the range.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

INT32 = 2_147_483_647
INT64 = 9_223_372_036_854_775_807
EXACT = 2**53  # the largest whole number a 64-bit float holds exactly

_JAVA = {INT32: "a Java int", INT64: "a Java long"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    return type(value).__name__


def whole_number(value: Any, low: int, high: int) -> int:
    """``value`` as an ``int`` in ``low..high``, or ``ValueError`` naming the rule."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a whole number, not {_kind(value)}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"must be a finite whole number; got {value}")
        if not value.is_integer():
            raise ValueError(f"must be a whole number; got {value}")
    number = int(value)
    if not low <= number <= high:
        java = f" ({_JAVA[high]})" if high in _JAVA else ""
        shown, note = str(number), ""
        if isinstance(value, float) and abs(number) > EXACT:
            shown = repr(value)
            note = "; numbers cross the Pulumi engine as 64-bit floats, exact up to 2**53"
        raise ValueError(f"must be between {low} and {high}{java}; got {shown}{note}")
    return number


def whole(low: int, high: int) -> BeforeValidator:
    """The rule of a whole-number field in ``low..high``: ``Annotated[int, whole(0, 9)]``."""
    return BeforeValidator(lambda v: whole_number(v, low, high))


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {_kind(value)}")
    return value


def number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {_kind(value)}")
    if not math.isfinite(value):
        raise ValueError(f"must be a finite number; got {value}")
    return float(value)


def text_or_whole(value: Any) -> Any:
    """Text as it is; a whole number (``5000`` or ``5000.0``) as its digits."""
    if isinstance(value, bool):
        raise ValueError("must be text or a whole number, not a boolean")
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        value = int(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"must be text or a whole number; got {value}")
    return value


Flag = Annotated[bool, BeforeValidator(flag)]
Number = Annotated[float, BeforeValidator(number)]
Int32 = Annotated[int, whole(0, INT32)]
# int64 in the JSON schema: the plugin's schema gives 64-bit values the type "number", since
# "integer" is 32 bits in some SDKs (pulumi_powerjob/plugin/schema.py).
Long = Annotated[int, whole(0, INT64), WithJsonSchema({"type": "integer", "format": "int64"})]
Id = Annotated[int, whole(1, INT64), WithJsonSchema({"type": "integer", "format": "int64"})]
