"""``AppProvider``: the ``App`` resource's dynamic provider, over the core.

What each operation sends: ``reconcile/app.py``. Delete sends nothing by default (the app is
*retained*): deleting an app hard-deletes its row while its jobs, workflows, instances and
workers stay behind, and the name becomes free for anyone. ``delete_on_destroy=True`` sends
one ``/appInfo/delete``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import ConfigureRequest, CreateResult, ReadResult, UpdateResult
from typing_extensions import override

from pulumi_powerjob.client.console import ConsoleClient
from pulumi_powerjob.providers.base import CONNECTION, PowerJobProvider
from pulumi_powerjob.reconcile import app, connection
from pulumi_powerjob.reconcile.app import ADMIN_KEYS, AppSpec, admin_from, server_settings

__all__ = ["ADMIN_KEYS", "OUTPUT_KEYS", "AppProvider", "AppSpec", "admin_from", "server_settings"]

OUTPUT_KEYS = ("app_id",)


class AppProvider(PowerJobProvider):
    """Dynamic provider of ``pulumi_powerjob.App``."""

    spec_model = AppSpec
    replace_on: ClassVar[frozenset[str]] = frozenset({CONNECTION, "app_name"})
    not_diffed: ClassVar[frozenset[str]] = frozenset(OUTPUT_KEYS)

    @override
    def configure(self, req: ConfigureRequest) -> None:
        super().configure(req)
        for key in ADMIN_KEYS:
            value = req.config.get(key)
            if value is not None:
                self._config[key] = value

    def console(self, props: Mapping[str, Any]) -> ConsoleClient:
        """The process-wide console client for the resource's profile."""
        profile = props.get(CONNECTION) or connection.DEFAULT
        return app.console_for(profile, str(props["app_name"]), getattr(self, "_config", {}))

    @override
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = AppSpec.model_validate(_spec_part(props))
        app_id = app.create(self.console(props), spec)
        return CreateResult(str(app_id), self._outputs(props, spec, app_id))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        spec = AppSpec.model_validate(_spec_part(props))
        app_id = app.read(self.console(props), spec)
        if app_id is None:
            return ReadResult(None, {})
        outs = self._outputs(props, spec, app_id)
        inputs = {k: v for k, v in outs.items() if k not in OUTPUT_KEYS}
        return ReadResult(str(app_id), outs, inputs)

    @override
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        old = AppSpec.model_validate(_spec_part(olds))
        spec = AppSpec.model_validate(_spec_part(news))
        if old.password != spec.password:
            app.update(self.console(news), int(id_), old, spec)
        return UpdateResult(self._outputs(news, spec, int(id_)))

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if not props.get("delete_on_destroy"):
            kept = f"app {props.get('app_name')!r} (id {id_}) is kept on the server"
            # The host has no engine to log to; its standard error is the provider's output.
            print(f"info: {kept}: delete_on_destroy is not set", file=sys.stderr, flush=True)
            return
        app.delete(self.console(props), int(id_), AppSpec.model_validate(_spec_part(props)))

    @staticmethod
    def _outputs(props: Mapping[str, Any], spec: AppSpec, app_id: int) -> dict[str, Any]:
        return {
            **spec.model_dump(mode="json"),
            CONNECTION: props.get(CONNECTION) or connection.DEFAULT,
            "app_id": app_id,
        }


def _spec_part(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in AppSpec.model_fields}
