"""Connection settings: explicit, then Pulumi config, then environment; secrets hidden."""

from __future__ import annotations

import pytest

from pulumi_powerjob.errors import ConfigurationError
from pulumi_powerjob.providers import connection
from pulumi_powerjob.settings import ConnectionSettings

ENV = {
    "POWERJOB_ADDRESS": "env:7700",
    "POWERJOB_APP_NAME": "env-app",
    "POWERJOB_PASSWORD": "env-pw",
}
CONFIG = {"powerjob:address": "cfg:7700,cfg2:7700", "powerjob:appName": "cfg-app"}


def test_config_wins_over_environment_and_explicit_wins_over_both() -> None:
    s = ConnectionSettings.resolve(None, CONFIG, ENV)
    assert s.addresses == ("http://cfg:7700", "http://cfg2:7700")
    assert s.app_name == "cfg-app"
    assert s.password is not None and s.password.get_secret_value() == "env-pw"
    s = ConnectionSettings.resolve({"app_name": "explicit"}, CONFIG, ENV)
    assert s.app_name == "explicit"


def test_missing_settings_name_the_keys_to_set() -> None:
    with pytest.raises(ConfigurationError, match=r"powerjob:address / POWERJOB_ADDRESS"):
        ConnectionSettings.resolve(None, {}, {})


def test_invalid_settings_name_the_field_and_rule() -> None:
    with pytest.raises(ConfigurationError, match="read_timeout"):
        ConnectionSettings.resolve(None, {**CONFIG, "powerjob:readTimeout": "-1"}, {})
    with pytest.raises(ConfigurationError, match="http:// or https://"):
        ConnectionSettings.resolve(None, {**CONFIG, "powerjob:address": "ftp://x"}, {})


def test_password_is_hidden_and_tls_verified_by_default() -> None:
    s = ConnectionSettings.resolve(None, CONFIG, ENV)
    assert "env-pw" not in repr(s) and "env-pw" not in s.model_dump_json()
    assert s.verify is True


def test_a_named_profile_reads_its_config_object_then_its_environment() -> None:
    config = {"powerjob:connections": '{"prod": {"address": "prod:7700", "appName": "p"}}'}
    env = {"POWERJOB_PROD_PASSWORD": "prod-pw", "POWERJOB_PASSWORD": "default-pw"}
    s = connection.resolve("prod", config, env)
    assert s.addresses == ("http://prod:7700",) and s.app_name == "p"
    assert s.password is not None and s.password.get_secret_value() == "prod-pw"
    with pytest.raises(ConfigurationError, match="connection 'stage'"):
        connection.resolve("stage", config, env)
