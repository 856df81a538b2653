"""The plugin's provider config: the same keys, profiles and environment fallbacks as the
dynamic providers' stack config (``settings.py``, ``providers/connection.py``).

The engine hands a provider its config as properties (``address``, ``appName``, ...); the
dynamic providers read ``powerjob:<key>`` from stack config. ``raw_config`` turns the first
into the second, so both faces resolve settings with the same code, environment included.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from pulumi_powerjob.settings import ConnectionSettings

_DEFAULTS = ConnectionSettings.model_fields


class ConnectionProfile(BaseModel):
    """A named connection: where one app is, as the default one is given."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    address: str | None = None
    """Server base URL(s), comma-separated (``http://host:port``); env POWERJOB_<NAME>_ADDRESS."""
    app_name: str | None = None
    """The app's name; env POWERJOB_<NAME>_APP_NAME."""
    password: SecretStr | None = None
    """The app's password (a secret); env POWERJOB_<NAME>_PASSWORD."""
    connect_timeout: float | None = None
    """Seconds to open a connection."""
    read_timeout: float | None = None
    """Seconds to wait for an answer once a request was sent."""
    ca_bundle: str | None = None
    """A PEM file of CA certificates to trust for HTTPS."""
    reconcile_timeout: float | None = None
    """Seconds to keep asking for the outcome of a mutation whose answer was lost."""
    trust_env: bool | None = None
    """Honour HTTP(S)_PROXY, NO_PROXY and SSL_CERT_* (default true)."""


class ProviderConfig(BaseModel):
    """Where the PowerJob server is and which app to act as; each key falls back to its
    environment variable."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    address: str | None = None
    """Server base URL(s), comma-separated (``http://host:port``); env POWERJOB_ADDRESS."""
    app_name: str | None = None
    """The app's name; env POWERJOB_APP_NAME."""
    password: SecretStr | None = None
    """The app's password (a secret); env POWERJOB_PASSWORD."""
    connect_timeout: float | None = Field(None, gt=0)
    """Seconds to open a connection (default 3); env POWERJOB_CONNECT_TIMEOUT."""
    read_timeout: float | None = Field(None, gt=0)
    """Seconds to wait for an answer (default 15); env POWERJOB_READ_TIMEOUT."""
    ca_bundle: str | None = None
    """A PEM file of CA certificates to trust for HTTPS; env POWERJOB_CA_BUNDLE."""
    reconcile_timeout: float | None = Field(None, gt=0)
    """Seconds to settle a lost answer (default 120); env POWERJOB_RECONCILE_TIMEOUT."""
    trust_env: bool | None = None
    """Honour HTTP(S)_PROXY, NO_PROXY and SSL_CERT_* (default true); env POWERJOB_TRUST_ENV."""
    connections: dict[str, ConnectionProfile] | None = None
    """Named connection profiles, chosen by a resource's ``connection`` input."""
    admin_username: str | None = None
    """Console account for App resources on 5.1 servers; env POWERJOB_ADMIN_USERNAME."""
    admin_password: SecretStr | None = None
    """Its password (a secret); env POWERJOB_ADMIN_PASSWORD."""


SECRET_KEYS = frozenset({"password", "adminPassword"})
"""Config keys the schema marks secret."""


def raw_config(args: Mapping[str, Any], variables: Mapping[str, str]) -> dict[str, Any]:
    """``powerjob:<key>`` -> value, as the dynamic providers read stack config.

    ``args`` are the provider's config properties (plain data); ``variables`` the engine's
    older ``powerjob:config:<key>`` form, used for keys that ``args`` lacks.
    """
    config: dict[str, Any] = {}
    for full, value in variables.items():
        package, _, key = full.partition(":config:")
        if package == "powerjob" and key:
            config[f"powerjob:{key}"] = value
    for key, value in args.items():
        if value is None or key.startswith("__"):
            continue
        if isinstance(value, Mapping | list):
            value = json.dumps(value)
        elif isinstance(value, float) and value.is_integer():
            value = str(int(value))
        config[f"powerjob:{key}"] = value if isinstance(value, str) else str(value).lower()
    return config
