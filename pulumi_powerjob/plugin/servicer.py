"""The SDK's provider server plus the one answer it lacks: "created (or updated) in part".

``pulumi.provider.experimental.server`` turns every error of a provider's ``create`` or
``update`` into a plain gRPC error, so the engine records nothing of a ``JobSet`` create that
saved some of its jobs before it was cut off. The engine's mechanism for that case is an error
whose status details hold an ``ErrorResourceInitFailed`` (the resource's id, its properties as
they landed, the reasons): the engine records the resource with those properties and its init
errors, and the next ``up`` calls Update (not Create) with them.

This is the smallest extension that adds it, kept in our package (the SDK is not patched): a
subclass of the SDK's servicer whose ``Create`` and ``Update`` answer an ``InitFailed`` raised
by the plugin with that status, and ``serve``, which starts the subclass as the SDK's ``main``
starts its own servicer (a gRPC server on 127.0.0.1, the port printed on stdout).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from typing import Any

import grpc
import grpc.aio
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import Provider
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import ErrorResourceInitFailed, provider_pb2_grpc, status_pb2

DETAILS_KEY = "grpc-status-details-bin"
CODE = grpc.StatusCode.UNKNOWN  # what a plain failure gets; the detail is what counts


class InitFailed(Exception):
    """Raised by the plugin's ``create``/``update``: it failed with ``reason`` after what
    ``properties`` describe landed, under ``resource_id``. Never leaves the plugin: the
    servicer answers it as ``ErrorResourceInitFailed``, and the engine shows ``reason``."""

    def __init__(self, reason: str, resource_id: str, properties: dict[str, PropertyValue]):
        super().__init__(reason)
        self.reason = reason
        self.resource_id = resource_id
        self.properties = properties


def init_failed_details(failed: InitFailed) -> bytes:
    """The ``google.rpc.Status`` that carries ``failed`` as an ``ErrorResourceInitFailed``
    detail, serialized for the ``grpc-status-details-bin`` trailer."""
    detail = ErrorResourceInitFailed(id=failed.resource_id, reasons=[failed.reason])
    detail.properties.CopyFrom(PropertyValue.marshal_map(failed.properties))
    status = status_pb2.Status(code=CODE.value[0], message=failed.reason)
    status.details.add().Pack(detail)
    return bytes(status.SerializeToString())


def _init_failed(error: BaseException) -> InitFailed | None:
    """The ``InitFailed`` behind ``error``: the SDK's servicer raises a new exception while
    handling the provider's, so the provider's is in the chain."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, InitFailed):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class PartialStateServicer(ProviderServicer):
    """The SDK's servicer; ``Create`` and ``Update`` may also answer "landed in part"."""

    async def Create(self, request: Any, context: Any) -> Any:
        try:
            return await super().Create(request, context)
        except Exception as exc:
            await self._answer_partial(exc, context)
            raise

    async def Update(self, request: Any, context: Any) -> Any:
        try:
            return await super().Update(request, context)
        except Exception as exc:
            await self._answer_partial(exc, context)
            raise

    @staticmethod
    async def _answer_partial(error: Exception, context: Any) -> None:
        failed = _init_failed(error)
        if failed is not None:
            metadata = ((DETAILS_KEY, init_failed_details(failed)),)
            await context.abort(CODE, failed.reason, metadata)  # raises


def serve(args: list[str], version: str, provider: Provider) -> None:
    """Serve ``provider`` to the engine (the engine's address is the first argument)."""
    parser = argparse.ArgumentParser(description="Pulumi provider plugin (gRPC server)")
    parser.add_argument("engine", help="Pulumi engine address")
    parser.add_argument("--logflow", action="store_true", help="ignored")
    parser.add_argument("--logtostderr", action="store_true", help="ignored")
    engine: str = parser.parse_known_args(args)[0].engine

    async def run() -> None:
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
        servicer = PartialStateServicer(args, version, provider, engine_address=engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port(address="127.0.0.1:0")
        await server.start()
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


__all__ = ["InitFailed", "PartialStateServicer", "init_failed_details", "serve"]
