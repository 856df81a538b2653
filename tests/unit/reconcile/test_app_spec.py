"""An app's name follows the rules of a job's name: the strictest tested database's."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pulumi_powerjob.reconcile.app import AppSpec


@pytest.mark.parametrize("name", ["a" * 255, "\U0001f600" * 127, "orders-eu"])
def test_an_app_name_every_tested_database_stores_is_accepted(name: str) -> None:
    assert AppSpec(app_name=name, password="pw").app_name == name


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("a" * 256, "at most 255 characters, counted in UTF-16 code units"),
        ("\U0001f600" * 128, "an emoji counts 2); got 256"),
        ("a\x00b", "must not contain NUL"),
        ("two words", "must not contain whitespace"),
    ],
)
def test_an_app_name_some_database_refuses_names_the_field_and_rule(name: str, rule: str) -> None:
    with pytest.raises(ValidationError) as refused:
        AppSpec(app_name=name, password="pw")
    assert refused.value.errors()[0]["loc"] == ("app_name",)
    assert rule in str(refused.value)
