"""``PowerJobPlugin``: the engine's provider protocol over the dynamic providers' methods.

Each call is translated, never re-decided: names from the schema's camelCase to the state keys
the providers use (``names``), values from ``PropertyValue`` to plain data (``values``), then
the provider of the resource's type runs its ``check``/``diff``/``create``/``read``/
``update``/``delete`` in a worker thread (they block on HTTP), and the answer goes back the
same way. A resource's ``owner`` (the ownership mark, ``providers/ownership.py``) is its URN.
A create or update whose error carries ``landed`` (a ``JobSet`` cut off half-way) is answered
as ``InitFailed`` with those outputs, which the engine records (``servicer.py``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from pulumi.dynamic import ConfigureRequest as DynamicConfigureRequest
from pulumi.dynamic.config import Config as DynamicConfig
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from typing_extensions import override

from pulumi_powerjob.client import deadline
from pulumi_powerjob.errors import PowerJobError
from pulumi_powerjob.plugin.config import raw_config
from pulumi_powerjob.plugin.diffs import detailed_diff, top_key
from pulumi_powerjob.plugin.imports import app_state, job_set_ids, same_app
from pulumi_powerjob.plugin.names import camel, path_to_state, to_spec, to_state
from pulumi_powerjob.plugin.resources import BY_TOKEN, PACKAGE, Resource
from pulumi_powerjob.plugin.schema import SCHEMA_FILE
from pulumi_powerjob.plugin.servicer import InitFailed
from pulumi_powerjob.plugin.values import plain_map, secret_keys, wrap_map
from pulumi_powerjob.providers.app import AppProvider
from pulumi_powerjob.providers.base import CONNECTION, PowerJobProvider
from pulumi_powerjob.providers.job_set import JobSetProvider
from pulumi_powerjob.providers.unknowns import to_marker
from pulumi_powerjob.reconcile.connection import DEFAULT, resolve
from pulumi_powerjob.reconcile.ownership import OWNER

log = logging.getLogger(__name__)
R = TypeVar("R")


class PowerJobPlugin(Provider):
    """The provider plugin ``pulumi-resource-powerjob``."""

    def __init__(self) -> None:
        self._providers: dict[str, PowerJobProvider] = {}

    def _provider(self, res: Resource) -> PowerJobProvider:
        if res.token not in self._providers:
            self._providers[res.token] = res.provider()
        return self._providers[res.token]

    @override
    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=SCHEMA_FILE.read_text(encoding="utf-8"))

    @override
    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        config = raw_config(plain_map(request.args), request.variables)
        dynamic = DynamicConfigureRequest(DynamicConfig(config, PACKAGE))
        for res in BY_TOKEN.values():
            self._provider(res).configure(dynamic)
        # No create or update at preview: a preview sends nothing to the server.
        return ConfigureResponse(accept_secrets=True, supports_preview=False)

    @override
    async def check(self, request: CheckRequest) -> CheckResponse:
        res = _resource(request.type)
        provider = self._provider(res)
        olds = to_spec(plain_map(request.old_inputs), res.shape)
        news = to_spec(plain_map(request.new_inputs), res.shape)
        if res.name_field is not None and news.get(res.name_field) in (None, ""):
            news[res.name_field] = request.name
        if OWNER in getattr(provider, "extra_inputs", ()):
            news[OWNER] = request.urn
        result = await _run(provider.check, olds, news)
        inputs = to_state(to_marker(result.inputs), res.shape)
        failures = [CheckFailure(path_to_state(f.property), f.reason) for f in result.failures]
        return CheckResponse(wrap_map(inputs, _secret(res, request.new_inputs)), failures or None)

    @override
    async def diff(self, request: DiffRequest) -> DiffResponse:
        res = _resource(request.type)
        provider = self._provider(res)
        old_state, new_inputs = plain_map(request.old_state), plain_map(request.new_inputs)
        result = await _run(
            provider.diff,
            request.resource_id,
            to_spec(old_state, res.shape),
            to_spec(new_inputs, res.shape),
        )
        if not result.changes:
            return DiffResponse(changes=False)
        keys = [camel(k) for k in (*provider.spec_keys(), CONNECTION)]
        replaces = [camel(k) for k in result.replaces or ()]
        details = detailed_diff(old_state, new_inputs, keys, replaces)
        return DiffResponse(
            changes=True,
            replaces=replaces,
            delete_before_replace=bool(result.delete_before_replace),
            diffs=sorted({top_key(path) for path in details}),
            detailed_diff=details,
        )

    @override
    async def create(self, request: CreateRequest) -> CreateResponse:
        res = _resource(request.type)
        props = to_spec(plain_map(request.properties), res.shape)
        try:
            result = await _run(self._provider(res).create, props, timeout=request.timeout)
        except PowerJobError as exc:
            partial = _partly(res, exc, None, request.properties)
            if partial is None:
                raise  # as it came: no frame added
            raise partial from None
        outs = to_state(result.outs or {}, res.shape)
        return CreateResponse(
            resource_id=str(result.id), properties=wrap_map(outs, _secret(res, request.properties))
        )

    @override
    async def read(self, request: ReadRequest) -> ReadResponse:
        res = _resource(request.type)
        state = to_spec(plain_map(request.properties or request.inputs), res.shape)
        provider = self._provider(res)
        importing = not (request.properties or request.inputs)  # `pulumi import`: the id alone
        if importing and isinstance(provider, JobSetProvider):
            ids = await _run(lambda: job_set_ids(request.resource_id, provider.client(None)))
            state["job_ids"] = ids
        settings = None
        if importing and isinstance(provider, AppProvider):
            settings = await _run(resolve, DEFAULT, getattr(provider, "_config", {}))
            state = await _run(app_state, settings)
        result = await _run(provider.read, request.resource_id, state)
        if settings is not None:
            await _run(same_app, request.resource_id, result.id, settings)
        if result.id is None:
            return ReadResponse(resource_id=None)
        secret = _secret(res, request.properties)
        outs = to_state(result.outs or {}, res.shape)
        inputs = to_state(result.inputs or {}, res.shape)
        return ReadResponse(
            resource_id=str(result.id),
            properties=wrap_map(outs, secret),
            inputs=wrap_map(inputs, secret),
        )

    @override
    async def update(self, request: UpdateRequest) -> UpdateResponse:
        res = _resource(request.type)
        try:
            result = await _run(
                self._provider(res).update,
                request.resource_id,
                to_spec(plain_map(request.olds), res.shape),
                to_spec(plain_map(request.news), res.shape),
                timeout=request.timeout,
            )
        except PowerJobError as exc:
            partial = _partly(res, exc, request.resource_id, request.news)
            if partial is None:
                raise  # as it came: no frame added
            raise partial from None
        outs = to_state(result.outs or {}, res.shape)
        return UpdateResponse(properties=wrap_map(outs, _secret(res, request.news)))

    @override
    async def delete(self, request: DeleteRequest) -> None:
        res = _resource(request.type)
        props = to_spec(plain_map(request.properties), res.shape)
        await _run(self._provider(res).delete, request.resource_id, props, timeout=request.timeout)


async def _run(method: Callable[..., R], *args: Any, timeout: float | None = None) -> R:
    """``method(*args)`` in a worker thread (the providers block on HTTP), within the
    operation's ``customTimeouts`` when the engine gives one (``client.deadline``). A
    ``PowerJobError`` leaves with its message first and no frames of the thread pool: the
    engine shows the message, then the few frames the SDK's server adds."""

    def bounded() -> R:
        with deadline.bounded(timeout):
            return method(*args)

    try:
        return await asyncio.to_thread(bounded)
    except PowerJobError as exc:
        error = exc
    error.__context__ = None
    raise error.with_traceback(None) from None


def _partly(
    res: Resource, exc: PowerJobError, resource_id: str | None, given: dict[str, PropertyValue]
) -> InitFailed | None:
    """The ``InitFailed`` that tells the engine what landed, when ``exc`` carries it (and an
    id is known); else None."""
    landed = exc.landed
    resource_id = (landed.resource_id if landed is not None else None) or resource_id
    if landed is None or resource_id is None:
        return None
    outs = to_state(dict(landed.outputs), res.shape)
    return InitFailed(str(exc), resource_id, wrap_map(outs, _secret(res, given)))


def _resource(token: str) -> Resource:
    try:
        return BY_TOKEN[token]
    except KeyError:
        raise ValueError(f"unknown resource type {token!r}") from None


def _secret(res: Resource, given: dict[str, PropertyValue]) -> frozenset[str]:
    """State keys to send as secrets: those that came in secret, and the resource's own."""
    return secret_keys(given) | {camel(k) for k in res.secrets}


__all__ = ["PowerJobPlugin"]
