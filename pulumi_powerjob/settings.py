"""Connection settings: where the server is, which app, and its password.

Resolution order for every field: explicit argument, then Pulumi stack config (``powerjob:*``),
then the environment (``POWERJOB_*``), then the default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from pulumi_powerjob.errors import ConfigurationError

# Pulumi config key (without the "powerjob:" namespace) -> (field name, environment variable)
_SOURCES: dict[str, tuple[str, str]] = {
    "address": ("addresses", "POWERJOB_ADDRESS"),
    "appName": ("app_name", "POWERJOB_APP_NAME"),
    "password": ("password", "POWERJOB_PASSWORD"),
    "connectTimeout": ("connect_timeout", "POWERJOB_CONNECT_TIMEOUT"),
    "readTimeout": ("read_timeout", "POWERJOB_READ_TIMEOUT"),
    "caBundle": ("ca_bundle", "POWERJOB_CA_BUNDLE"),
    "reconcileTimeout": ("reconcile_timeout", "POWERJOB_RECONCILE_TIMEOUT"),
    "trustEnv": ("trust_env", "POWERJOB_TRUST_ENV"),
}


DEFAULT_PROFILE = "default"


def env_prefix(profile: str) -> str:
    """``POWERJOB_PROD_`` for the connection profile ``prod``."""
    return "POWERJOB_" + re.sub(r"[^A-Z0-9]+", "_", profile.upper()).strip("_") + "_"


def setting_name(profile: str | None, key: str) -> str:
    """Where ``key`` (``appName``) of a connection profile is set: config / environment."""
    env = re.sub(r"(?<!^)(?=[A-Z])", "_", key).upper()  # appName -> APP_NAME
    if profile is None or profile == DEFAULT_PROFILE:
        return f"powerjob:{key} / POWERJOB_{env}"
    return f"powerjob:connections.{profile}.{key} / {env_prefix(profile)}{env}"


class ConnectionSettings(BaseModel):
    """How to reach one PowerJob app. The password never appears in repr, str or dumps."""

    # frozen: settings are a cache key for clients and tokens
    model_config = ConfigDict(frozen=True, extra="forbid")

    addresses: tuple[str, ...] = Field(min_length=1)
    """Server base URLs (``http://host:port``, or with a path prefix ``https://lb/powerjob``);
    a bare ``host:port`` gets ``http://``."""
    app_name: str = Field(min_length=1)
    password: SecretStr | None = None
    connect_timeout: float = Field(default=3.0, gt=0, le=300)
    """Seconds to open a connection; connect failures are the only ones retried."""
    read_timeout: float = Field(default=15.0, gt=0, le=600)
    """Seconds to wait for an answer once a request was sent."""
    connect_retries: int = Field(default=2, ge=0, le=10)
    verify: bool = True
    """Verify HTTPS certificates (on by default)."""
    ca_bundle: str | None = None
    """A PEM file of CA certificates to trust for HTTPS."""
    trust_env: bool = True
    """Honour ``HTTP_PROXY`` / ``HTTPS_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` and, without
    ``ca_bundle``, ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` (``false``: ignore them, go direct)."""
    reconcile_timeout: float = Field(default=120.0, gt=0, le=3600)
    """Seconds to keep asking for the outcome of a mutation whose answer was lost, while the
    server cannot answer (a restart takes about 20 s)."""
    token_refresh_skew: float = Field(default=60.0, ge=0)
    """Refresh a 5.1 token this many seconds before its ``exp``."""
    profile: str | None = None
    """The named connection profile these settings came from (``None``: the default one);
    errors name that profile's settings."""

    def setting(self, key: str) -> str:
        """Where this profile's ``key`` (``password``) is set, for messages."""
        return setting_name(self.profile, key)

    @field_validator("addresses", mode="before")
    @classmethod
    def _split_addresses(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in value.replace(";", ",").split(",")]
        if isinstance(value, list | tuple):
            out = []
            for raw in value:
                item = str(raw).strip().rstrip("/")
                if not item:
                    continue
                if "://" not in item:
                    item = "http://" + item
                if not item.startswith(("http://", "https://")):
                    raise ValueError(f"address {item!r} must use http:// or https://")
                out.append(item)
            return tuple(out)
        return value

    @property
    def key(self) -> tuple[str, ...]:
        """Identity of the app on the server(s), for caches (no secret in it)."""
        return (*self.addresses, self.app_name)

    @classmethod
    def resolve(
        cls,
        explicit: Mapping[str, Any] | None = None,
        config: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> ConnectionSettings:
        """Build settings from explicit values, else Pulumi config, else the environment."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for config_key, (field, env_key) in _SOURCES.items():
            for source, key in ((config or {}, f"powerjob:{config_key}"), (env, env_key)):
                if source.get(key):
                    values[field] = source[key]
                    break
        values.update({k: v for k, v in (explicit or {}).items() if v is not None})
        keys = {field: key for key, (field, _) in _SOURCES.items()}
        profile = (explicit or {}).get("profile")

        def shown(field: str) -> str:
            return setting_name(profile, keys[field]) if field in keys else field

        missing = [f for f in ("addresses", "app_name") if f not in values]
        if missing:
            raise ConfigurationError(
                "missing connection settings: " + ", ".join(shown(m) for m in missing)
            )
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            rules = "; ".join(
                f"{_field(err['loc'])} ({shown(str(err['loc'][0]))}): {err['msg']}"
                if err["loc"]
                else str(err["msg"])
                for err in exc.errors()
            )
            raise ConfigurationError(f"invalid connection settings: {rules}") from None


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)
