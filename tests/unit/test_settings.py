"""Connection settings: explicit, then Pulumi config, then environment; secrets hidden."""

from __future__ import annotations

import pytest

from pulumi_powerjob.errors import ConfigurationError
from pulumi_powerjob.reconcile import connection
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
    with pytest.raises(ConfigurationError, match=r"powerjob:connections\.stage\.address"):
        connection.resolve("stage", config, env)


def test_regress_24_a_named_profile_names_its_own_settings() -> None:
    config = {"powerjob:connections": {"prod": {"address": "prod:7700"}}}
    with pytest.raises(ConfigurationError) as caught:
        connection.resolve("prod", config, {"POWERJOB_APP_NAME": "the-default-profile-s"})
    assert str(caught.value) == (
        "missing connection settings: " "powerjob:connections.prod.appName / POWERJOB_PROD_APP_NAME"
    )
    bad = {
        "powerjob:connections": {
            "prod": {"address": "prod:7700", "appName": "p", "readTimeout": "0"}
        }
    }
    with pytest.raises(ConfigurationError) as caught:
        connection.resolve("prod", bad, {})
    assert "powerjob:connections.prod.readTimeout / POWERJOB_PROD_READ_TIMEOUT" in str(caught.value)


def test_regress_24_a_misspelt_key_in_a_profile_is_refused_with_the_keys_that_exist() -> None:
    config = {"powerjob:connections": {"prod": {"address": "prod:7700", "app_name": "p"}}}
    with pytest.raises(ConfigurationError) as caught:
        connection.resolve("prod", config, {"POWERJOB_PROD_APP_NAME": "p"})
    assert str(caught.value) == (
        "powerjob:connections.prod: unknown key(s) 'app_name'; the keys are address, "
        "appName, password, connectTimeout, readTimeout, caBundle, reconcileTimeout, trustEnv"
    )
