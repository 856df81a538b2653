"""The plugin's schema comes from the spec models: the checked-in file must match them."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from pulumi_powerjob.plugin import schema
from pulumi_powerjob.plugin.config import ProviderConfig
from pulumi_powerjob.plugin.names import camel
from pulumi_powerjob.reconcile import connection
from pulumi_powerjob.reconcile.job_spec import (
    DispatchStrategyName,
    ExecuteTypeName,
    JobSpec,
    ProcessorTypeName,
    TimeExpressionTypeName,
)


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return schema.generate()


def test_the_checked_in_schema_is_the_one_the_specs_generate(generated: dict[str, Any]) -> None:
    checked_in = schema.SCHEMA_FILE.read_text(encoding="utf-8")
    assert checked_in == schema.render(generated), (
        "pulumi_powerjob/plugin/schema.json drifted from the specs: run "
        "`python -m pulumi_powerjob.plugin.schema --write`"
    )


def test_a_spec_field_without_a_description_is_refused() -> None:
    class Undocumented(BaseModel):
        """A model."""

        field_without_docs: int

    with pytest.raises(schema.SchemaError, match="field_without_docs has no description"):
        schema._Builder().properties(Undocumented.model_json_schema(), {}, "Undocumented")


def _all_properties(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        for key in ("properties", "inputProperties", "variables"):
            for prop in (node.get(key) or {}).values():
                found.append(prop)
        for value in node.values():
            found += _all_properties(value)
    return found


def test_every_property_has_a_description(generated: dict[str, Any]) -> None:
    props = _all_properties(generated)
    assert len(props) > 80
    assert all(p.get("description") for p in props)


def test_every_job_spec_field_is_a_job_input_in_camel_case(generated: dict[str, Any]) -> None:
    job = generated["resources"]["powerjob:index:Job"]
    expected = {camel(name) for name in JobSpec.model_fields}
    assert expected <= set(job["inputProperties"])
    assert set(job["requiredInputs"]) == {"processorInfo", "timeExpressionType"}
    assert {"jobId", "status", "consoleUrl", "nextTriggerTime"} <= set(job["properties"])


@pytest.mark.parametrize(
    ("name", "literal"),
    [
        ("TimeExpressionType", TimeExpressionTypeName),
        ("ExecuteType", ExecuteTypeName),
        ("ProcessorType", ProcessorTypeName),
        ("DispatchStrategy", DispatchStrategyName),
    ],
)
def test_enums_are_the_spec_literals(generated: dict[str, Any], name: str, literal: Any) -> None:
    enum = generated["types"][f"powerjob:index:{name}"]
    assert [v["value"] for v in enum["enum"]] == list(get_args(literal))
    assert enum["description"]


def test_defaults_come_from_the_spec(generated: dict[str, Any]) -> None:
    props = generated["resources"]["powerjob:index:Job"]["inputProperties"]
    assert props["executeType"]["default"] == JobSpec.model_fields["execute_type"].default
    assert props["concurrency"]["default"] == 5
    assert props["enabled"]["default"] is True
    assert props["instanceTimeLimit"]["type"] == "number"  # 64-bit: no "integer"


def test_passwords_are_secret_in_config_and_app(generated: dict[str, Any]) -> None:
    assert generated["config"]["variables"]["password"]["secret"] is True
    assert generated["provider"]["inputProperties"]["adminPassword"]["secret"] is True
    profile = generated["types"]["powerjob:index:ConnectionProfile"]
    assert profile["properties"]["password"]["secret"] is True
    app = generated["resources"]["powerjob:index:App"]
    assert app["properties"]["password"]["secret"] is True


def test_config_keys_are_the_dynamic_providers_keys(generated: dict[str, Any]) -> None:
    keys = set(generated["config"]["variables"])
    assert set(connection.KEYS) | {"connections", "adminUsername", "adminPassword"} == keys
    assert keys == {camel(k) for k in ProviderConfig.model_fields}


def test_the_schema_is_valid_json_with_every_type_defined(generated: dict[str, Any]) -> None:
    text = schema.render(generated)
    refs = {r.split("#/types/")[1] for r in _refs(json.loads(text))}
    assert refs and refs <= set(generated["types"])


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []
