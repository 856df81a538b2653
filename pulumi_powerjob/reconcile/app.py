"""A PowerJob app (name and password) through the web-console API.

- create: one ``/appInfo/save``; on 4.3 the id then comes from ``/openApi/assert``. A name
  the server refuses as taken is adopted when the app opens with the declared password: that
  is the app an earlier create made before the engine died (only its owner knows it).
- update (password): one ``/appInfo/save`` with the id and ``oldPassword`` from the old state.
- read: ``/openApi/assert`` with the declared password (gone app: drift).
- delete: one ``/appInfo/delete``, when the declaration asks for it (a face decides).

The server is the connection profile's address; 5.1 servers need a console account from
``powerjob:adminUsername`` / ``powerjob:adminPassword`` (else ``POWERJOB_ADMIN_USERNAME`` /
``POWERJOB_ADMIN_PASSWORD``); without one the 4.3 (no login) path is used.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from pulumi_powerjob.client.console import AdminCredentials, ConsoleClient
from pulumi_powerjob.errors import ApiError, AuthenticationError, OutcomeUnknownError
from pulumi_powerjob.reconcile import connection
from pulumi_powerjob.reconcile.job_spec import Required
from pulumi_powerjob.reconcile.values import Flag
from pulumi_powerjob.settings import ConnectionSettings, env_prefix

log = logging.getLogger(__name__)

ADMIN_KEYS = {"powerjob:adminUsername": "username", "powerjob:adminPassword": "password"}
_ADMIN_ENV = {"username": "POWERJOB_ADMIN_USERNAME", "password": "POWERJOB_ADMIN_PASSWORD"}
_CONSOLES: dict[tuple[Any, ...], ConsoleClient] = {}
_LOCK = threading.Lock()


class AppSpec(BaseModel):
    """What a user declares about an app."""

    # use_attribute_docstrings: the docstring under each field is its description in the
    # plugin's schema (pulumi_powerjob/plugin/schema.py).
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    app_name: Required  # at most 255 UTF-16 code units, no NUL: the rules of a job's name
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


def console_for(profile: str, app_name: str, config: Mapping[str, Any]) -> ConsoleClient:
    """The process-wide console client for a profile's server (built on first use)."""
    settings = server_settings(profile, app_name, config)
    admin = admin_from(config, os.environ)
    key = (settings.addresses, settings.connect_timeout, settings.read_timeout, admin)
    with _LOCK:
        client = _CONSOLES.get(key)
        if client is None:
            client = _CONSOLES[key] = ConsoleClient(settings, admin)
        return client


def create(console: ConsoleClient, spec: AppSpec) -> int:
    """The app's id: one save, or the app an earlier create made (it opens with the password)."""
    password = SecretStr(spec.password)
    try:
        app_id = console.save_app(spec.app_name, password)
    except OutcomeUnknownError:
        app_id = landed(console, spec.app_name, password)
    except AuthenticationError:
        raise
    except ApiError as refused:
        # App names are unique on the server, so a create sent again after the engine
        # died with the first in flight is refused. An app of that name that opens with
        # the declared password is that first create's: only its owner knows it.
        app_id = landed(console, spec.app_name, password)
        if app_id is None:
            raise
        log.info("app %r exists and opens with its password: adopted (%s)", spec.app_name, refused)
    if app_id is None:
        app_id = console.assert_app(spec.app_name, password)
    return app_id


def read(console: ConsoleClient, spec: AppSpec) -> int | None:
    """The app's id, ``None`` when it is gone; a changed password raises ``ApiError``."""
    try:
        return console.assert_app(spec.app_name, SecretStr(spec.password))
    except AuthenticationError as exc:
        if is_missing(exc):
            return None
        raise ApiError(
            exc.endpoint,
            f"app {spec.app_name!r} refuses the password in state; it was changed "
            "outside Pulumi (set it back, or re-import the app)",
        ) from None


def update(console: ConsoleClient, app_id: int, old: AppSpec, new: AppSpec) -> None:
    """One save when the password changed, else nothing."""
    if old.password == new.password:
        return
    password = SecretStr(new.password)
    try:
        console.save_app(
            new.app_name, password, app_id=app_id, old_password=SecretStr(old.password)
        )
    except (ApiError, OutcomeUnknownError):
        # a lost answer; or the same change sent again after the engine died with the
        # first in flight, which the server refuses: the old password is gone
        if landed(console, new.app_name, password) is None:
            raise


def delete(console: ConsoleClient, app_id: int, spec: AppSpec) -> None:
    """One ``/appInfo/delete``; a lost answer or a refusal is settled by a read."""
    password = SecretStr(spec.password)
    try:
        console.delete_app(app_id)
    except OutcomeUnknownError:
        if landed(console, spec.app_name, password) is not None:
            raise
    except ApiError:
        # sent again after the engine died with the first in flight: already gone
        if not gone(console, spec.app_name, password):
            raise


def landed(console: ConsoleClient, app_name: str, password: SecretStr) -> int | None:
    """After a lost answer: the app's id if it now has ``password``, else ``None``."""
    try:
        return console.assert_app(app_name, password)
    except AuthenticationError:
        return None


def gone(console: ConsoleClient, app_name: str, password: SecretStr) -> bool:
    """Whether the server no longer has an app of that name."""
    try:
        console.assert_app(app_name, password)
    except AuthenticationError as exc:
        return is_missing(exc)
    return False


def is_missing(exc: ApiError) -> bool:
    """Whether the server's refusal says that no app has that name."""
    text = exc.server_message or ""
    return "can't find appInfo" in text or "INVALID_APP" in text
