"""Values as the dynamic provider host hands them to ``check`` and ``diff``.

The engine puts ``WIRE_UNKNOWN`` on the wire for a value that is not known yet, and every
number as a double; the host deserialises both calls' inputs with ``keep_unknowns``. So a
unit test builds its inputs the same way, and sees what a provider sees under the engine:
``pulumi.output.Unknown`` instances at any depth, floats for numbers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime import rpc

WIRE_UNKNOWN = rpc.UNKNOWN


def delivered(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` through a protobuf ``Struct`` and the host's own deserialisation."""
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return _from_wire(struct)


def returned(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """What a provider returned, serialised by the host and delivered to the next call."""
    loop = asyncio.new_event_loop()  # as the host does; asyncio.run would unset the loop
    try:
        struct = loop.run_until_complete(rpc.serialize_properties(dict(inputs), {}))
    finally:
        loop.close()
    return _from_wire(struct)


def _from_wire(struct: struct_pb2.Struct) -> dict[str, Any]:
    value: dict[str, Any] = rpc.deserialize_properties(struct, keep_unknowns=True)
    return value
