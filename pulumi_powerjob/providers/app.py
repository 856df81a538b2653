"""``AppProvider``: a PowerJob app (name and password) through the web-console API.

- create: one ``/appInfo/save``; on 4.3 the id then comes from ``/openApi/assert``. A name
  the server refuses as taken is adopted when the app opens with the declared password: that
  is the app an earlier create made before the engine died (only its owner knows it).
- update (password): one ``/appInfo/save`` with the id and ``oldPassword`` from the old state.
- read: ``/openApi/assert`` with the declared password (gone app: drift).
- delete: nothing by default (the app is *retained*): deleting an app hard-deletes its row
  while its jobs, workflows, instances and workers stay behind, and the name becomes free for
  anyone. ``delete_on_destroy=True`` sends one ``/appInfo/delete``.

The server is the connection profile's address; 5.1 servers need a console account from
``powerjob:adminUsername`` / ``powerjob:adminPassword`` (else ``POWERJOB_ADMIN_USERNAME`` /
``POWERJOB_ADMIN_PASSWORD``); without one the 4.3 (no login) path is used.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import ConfigureRequest, CreateResult, ReadResult, UpdateResult
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from typing_extensions import override

from pulumi_powerjob.client.console import AdminCredentials, ConsoleClient
from pulumi_powerjob.errors import ApiError, AuthenticationError, OutcomeUnknownError
from pulumi_powerjob.providers import connection
from pulumi_powerjob.providers.base import CONNECTION, PowerJobProvider
from pulumi_powerjob.providers.values import Flag
from pulumi_powerjob.settings import ConnectionSettings, env_prefix

log = logging.getLogger(__name__)

OUTPUT_KEYS = ("app_id",)
ADMIN_KEYS = {"powerjob:adminUsername": "username", "powerjob:adminPassword": "password"}
_ADMIN_ENV = {"username": "POWERJOB_ADMIN_USERNAME", "password": "POWERJOB_ADMIN_PASSWORD"}
_CONSOLES: dict[tuple[Any, ...], ConsoleClient] = {}
_LOCK = threading.Lock()


class AppSpec(BaseModel):
    """What a user declares about an app."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    app_name: str = Field(min_length=1, max_length=255)
    """The app's name (no whitespace); defaults to the resource name. A change replaces."""
    password: str = Field(min_length=1)
    """The app's password, always kept secret; changing it is one save."""
    delete_on_destroy: Flag = False
    """Delete the app on destroy. Default false: the app is retained with its jobs."""

    @field_validator("app_name")
    @classmethod
    def _no_blank(cls, value: str) -> str:
        if any(c.isspace() for c in value):
            raise ValueError("must not contain whitespace")
        return value


def admin_from(config: Mapping[str, Any], environ: Mapping[str, str]) -> AdminCredentials | None:
    """Console credentials from stack config, else the environment; ``None`` = 4.3 path."""
    values: dict[str, str] = {}
    for key, field in ADMIN_KEYS.items():
        value = config.get(key) or environ.get(_ADMIN_ENV[field])
        if value:
            values[field] = str(value)
    if not values:
        return None
    return AdminCredentials(
        username=values.get("username", "ADMIN"), password=SecretStr(values.get("password", ""))
    )


def server_settings(profile: str, app_name: str, config: Mapping[str, Any]) -> ConnectionSettings:
    """The profile's server (address, timeouts), for an app that may not exist yet."""
    flat = connection.profile_config(profile, config)
    flat["powerjob:appName"] = app_name  # the profile's own app is not this one
    flat.pop("powerjob:password", None)
    resolved = connection.resolve(connection.DEFAULT, flat, _profile_env(profile))
    return resolved.model_copy(update={"password": None})


def _profile_env(profile: str) -> dict[str, str]:
    if profile == connection.DEFAULT:
        return dict(os.environ)
    prefix = env_prefix(profile)
    return {
        "POWERJOB_" + k[len(prefix) :]: v for k, v in os.environ.items() if k.startswith(prefix)
    }


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
        config = getattr(self, "_config", {})
        profile = props.get(CONNECTION) or connection.DEFAULT
        settings = server_settings(profile, str(props["app_name"]), config)
        admin = admin_from(config, os.environ)
        key = (settings.addresses, settings.connect_timeout, settings.read_timeout, admin)
        with _LOCK:
            client = _CONSOLES.get(key)
            if client is None:
                client = _CONSOLES[key] = ConsoleClient(settings, admin)
            return client

    @override
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = AppSpec.model_validate(_spec_part(props))
        console = self.console(props)
        password = SecretStr(spec.password)
        try:
            app_id = console.save_app(spec.app_name, password)
        except OutcomeUnknownError:
            app_id = self._landed(console, spec.app_name, password)
        except AuthenticationError:
            raise
        except ApiError as refused:
            # App names are unique on the server, so a create sent again after the engine
            # died with the first in flight is refused. An app of that name that opens with
            # the declared password is that first create's: only its owner knows it.
            app_id = self._landed(console, spec.app_name, password)
            if app_id is None:
                raise
            log.info(
                "app %r exists and opens with its password: adopted (%s)", spec.app_name, refused
            )
        if app_id is None:
            app_id = console.assert_app(spec.app_name, password)
        return CreateResult(str(app_id), self._outputs(props, spec, app_id))

    @override
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        spec = AppSpec.model_validate(_spec_part(props))
        try:
            app_id = self.console(props).assert_app(spec.app_name, SecretStr(spec.password))
        except AuthenticationError as exc:
            if _is_missing(exc):
                return ReadResult(None, {})
            raise ApiError(
                exc.endpoint,
                f"app {spec.app_name!r} refuses the password in state; it was changed "
                "outside Pulumi (set it back, or re-import the app)",
            ) from None
        outs = self._outputs(props, spec, app_id)
        inputs = {k: v for k, v in outs.items() if k not in OUTPUT_KEYS}
        return ReadResult(str(app_id), outs, inputs)

    @override
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        old = AppSpec.model_validate(_spec_part(olds))
        spec = AppSpec.model_validate(_spec_part(news))
        if old.password != spec.password:
            console = self.console(news)
            password = SecretStr(spec.password)
            try:
                console.save_app(
                    spec.app_name,
                    password,
                    app_id=int(id_),
                    old_password=SecretStr(old.password),
                )
            except (ApiError, OutcomeUnknownError):
                # a lost answer; or the same change sent again after the engine died with the
                # first in flight, which the server refuses: the old password is gone
                if self._landed(console, spec.app_name, password) is None:
                    raise
        return UpdateResult(self._outputs(news, spec, int(id_)))

    @override
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if not props.get("delete_on_destroy"):
            kept = f"app {props.get('app_name')!r} (id {id_}) is kept on the server"
            # The host has no engine to log to; its standard error is the provider's output.
            print(f"info: {kept}: delete_on_destroy is not set", file=sys.stderr, flush=True)
            return
        console = self.console(props)
        spec = AppSpec.model_validate(_spec_part(props))
        try:
            console.delete_app(int(id_))
        except OutcomeUnknownError:
            if self._landed(console, spec.app_name, SecretStr(spec.password)) is not None:
                raise
        except ApiError:
            # sent again after the engine died with the first in flight: already gone
            if not _gone(console, spec.app_name, SecretStr(spec.password)):
                raise

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _landed(console: ConsoleClient, app_name: str, password: SecretStr) -> int | None:
        """After a lost answer: the app's id if it now has ``password``, else ``None``."""
        try:
            return console.assert_app(app_name, password)
        except AuthenticationError:
            return None

    @staticmethod
    def _outputs(props: Mapping[str, Any], spec: AppSpec, app_id: int) -> dict[str, Any]:
        return {
            **spec.model_dump(mode="json"),
            CONNECTION: props.get(CONNECTION) or connection.DEFAULT,
            "app_id": app_id,
        }


def _spec_part(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in AppSpec.model_fields}


def _gone(console: ConsoleClient, app_name: str, password: SecretStr) -> bool:
    """Whether the server no longer has an app of that name."""
    try:
        console.assert_app(app_name, password)
    except AuthenticationError as exc:
        return _is_missing(exc)
    return False


def _is_missing(exc: ApiError) -> bool:
    text = exc.server_message or ""
    return "can't find appInfo" in text or "INVALID_APP" in text
