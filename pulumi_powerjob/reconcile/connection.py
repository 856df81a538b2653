"""Which server and app a resource talks to: the default profile or a named one.

Default profile: ``powerjob:address``, ``powerjob:appName``, ``powerjob:password`` (stack
config), else ``POWERJOB_ADDRESS`` / ``POWERJOB_APP_NAME`` / ``POWERJOB_PASSWORD``.

Named profile ``prod``: the object ``powerjob:connections`` in stack config, key ``prod``, with
``address``, ``appName`` and ``password`` (set the password with ``--secret --path``), else
``POWERJOB_PROD_ADDRESS`` / ``POWERJOB_PROD_APP_NAME`` / ``POWERJOB_PROD_PASSWORD``.

Passwords therefore never travel as resource inputs, so they are never in state.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from pulumi_powerjob.errors import ConfigurationError
from pulumi_powerjob.settings import ConnectionSettings, env_prefix

DEFAULT = "default"
KEYS = (
    "address",
    "appName",
    "password",
    "connectTimeout",
    "readTimeout",
    "caBundle",
    "reconcileTimeout",
    "trustEnv",
)
"""The keys of one connection: ``powerjob:<key>`` for the default one, and each profile's
entry in ``powerjob:connections``."""


def profile_entry(profile: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """The object ``powerjob:connections.<profile>`` (empty when not set); unknown keys are
    refused with the keys that exist, so a misspelt one is never dropped without a word."""
    raw = config.get("powerjob:connections")
    try:
        table = json.loads(raw) if isinstance(raw, str) else (raw or {})
    except ValueError:
        table = None
    if not isinstance(table, dict):
        raise ConfigurationError("powerjob:connections must be an object of named connections")
    entry = table.get(profile) or {}
    where = f"powerjob:connections.{profile}"
    if not isinstance(entry, dict):
        raise ConfigurationError(f"{where} must be an object ({', '.join(KEYS)})")
    unknown = sorted(str(k) for k in entry if k not in KEYS)
    if unknown:
        raise ConfigurationError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"the keys are {', '.join(KEYS)}"
        )
    return entry


def profile_config(profile: str, config: Mapping[str, Any]) -> dict[str, str]:
    """The ``powerjob:*`` keys for ``profile``, flattened as the default profile names them."""
    if profile == DEFAULT:
        return {
            f"powerjob:{k}": str(config[f"powerjob:{k}"])
            for k in KEYS
            if config.get(f"powerjob:{k}")
        }
    entry = profile_entry(profile, config)
    return {f"powerjob:{k}": str(v) for k, v in entry.items() if v not in (None, "")}


def resolve(
    profile: str, config: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> ConnectionSettings:
    """Settings for ``profile`` from stack config, else the environment."""
    env = os.environ if environ is None else environ
    if profile != DEFAULT:
        prefix = env_prefix(profile)
        env = {
            "POWERJOB_" + key[len(prefix) :]: value
            for key, value in env.items()
            if key.startswith(prefix)
        }
    return ConnectionSettings.resolve(
        {"profile": None if profile == DEFAULT else profile}, profile_config(profile, config), env
    )
