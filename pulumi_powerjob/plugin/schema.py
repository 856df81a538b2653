"""The plugin's Pulumi package schema, generated from the pydantic models (never by hand).

The models' JSON schemas give names, types, enums, defaults and descriptions; this module
renames them the Pulumi way (camelCase properties, ``powerjob:index:<Type>`` tokens) and
refuses a property without a description. ``python -m pulumi_powerjob.plugin.schema --write``
writes ``schema.json`` beside this module; a unit test fails when that file drifts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from pulumi_powerjob.models import enums
from pulumi_powerjob.plugin.config import ProviderConfig
from pulumi_powerjob.plugin.names import camel
from pulumi_powerjob.plugin.resources import PACKAGE, RESOURCES, Resource
from pulumi_powerjob.reconcile import job_spec, workflow_spec

SCHEMA_FILE = Path(__file__).with_name("schema.json")
Json = dict[str, Any]


class SchemaError(ValueError):
    """A model cannot be put in the schema as it is (a property without a description)."""


def _literal_names() -> dict[tuple[str, ...], str]:
    """Enum names by their values, from the spec modules' ``<Name>Name`` Literal aliases."""
    found: dict[tuple[str, ...], str] = {}
    for module in (job_spec, workflow_spec):
        for attr, value in vars(module).items():
            if attr.endswith("Name") and str(get_origin(value)) == "typing.Literal":
                found[tuple(str(v) for v in get_args(value))] = attr.removesuffix("Name")
    return found


class _Builder:
    def __init__(self) -> None:
        self.types: Json = {}
        self.enum_names = _literal_names()
        self.resource_names = {r.name for r in RESOURCES}

    def token(self, name: str) -> str:
        return f"{PACKAGE}:index:{name}"

    def object_name(self, definition: str) -> str:
        name = definition.removesuffix("Spec")
        return f"{name}Definition" if name in self.resource_names else name

    def properties(
        self, schema: Json, defs: Json, where: str, *, secrets: frozenset[str] = frozenset()
    ) -> tuple[Json, list[str], list[str]]:
        """Pulumi properties of one object schema; its required and its never-null names."""
        props: Json = {}
        required, present = [], []
        for name, prop in schema.get("properties", {}).items():
            spec = self.property(prop, defs, f"{where}.{name}")
            if name in secrets:
                spec["secret"] = True
            props[camel(name)] = spec
            if name in schema.get("required", ()):
                required.append(camel(name))
            if not _nullable(prop):
                present.append(camel(name))
        return props, required, present

    def property(self, prop: Json, defs: Json, where: str) -> Json:
        description = prop.get("description")
        if not description:
            raise SchemaError(f"{where} has no description: add a docstring under the field")
        spec = {"description": description, **self.type_of(prop, defs, where)}
        default = prop.get("default")
        if isinstance(default, str | bool | int | float):
            spec["default"] = default
        if any(v.get("format") == "password" for v in prop.get("anyOf", [prop])):
            spec["secret"] = True
        return spec

    def type_of(self, prop: Json, defs: Json, where: str) -> Json:
        variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
        if len(variants) != 1:
            raise SchemaError(f"{where}: one type expected, got {variants}")
        one = variants[0]
        if "$ref" in one:
            return {"$ref": "#/types/" + self.object_type(one["$ref"].split("/")[-1], defs)}
        if "enum" in one:
            return {"$ref": "#/types/" + self.enum_type(one["enum"], where)}
        kind = one.get("type")
        if kind == "array":
            return {"type": "array", "items": self.type_of(one["items"], defs, where)}
        if kind == "object":
            return {
                "type": "object",
                "additionalProperties": self.type_of(one["additionalProperties"], defs, where),
            }
        if kind == "integer" and one.get("format") == "int64":
            return {"type": "number"}  # "integer" is 32 bits in some SDKs
        if kind in ("integer", "number", "string", "boolean"):
            return {"type": kind}
        raise SchemaError(f"{where}: no Pulumi type for {one}")

    def object_type(self, definition: str, defs: Json) -> str:
        name = self.object_name(definition)
        token = self.token(name)
        if token not in self.types:
            self.types[token] = {}  # reserved first: a type may refer to itself
            schema = defs[definition]
            props, required, _ = self.properties(schema, defs, name)
            if name.endswith("Definition"):  # a resource's spec inside another: named by key
                required = [r for r in required if not r.endswith("Name")]
            self.types[token] = {
                "type": "object",
                "description": schema.get("description", name),
                "properties": props,
                "required": required,
            }
        return token

    def enum_type(self, values: list[Any], where: str) -> str:
        name = self.enum_names.get(tuple(str(v) for v in values))
        if name is None:
            name = "".join(part.capitalize() for part in where.split(".")[-1].split("_"))
        token = self.token(name)
        documented = getattr(enums, name, None)
        self.types[token] = {
            "type": "string",
            "description": (documented.__doc__ if documented else None)
            or f"One of {', '.join(map(str, values))}.",
            "enum": [{"value": v} for v in values],
        }
        return token

    def resource(self, res: Resource) -> Json:
        spec_schema = _json_schema(res.spec)
        defs = spec_schema.get("$defs", {})
        inputs, required, present = self.properties(
            spec_schema, defs, res.name, secrets=res.secrets
        )
        extras, _, _ = self.properties(_json_schema(res.extras), defs, res.name)
        out_schema = _json_schema(res.outputs)
        outputs, out_required, _ = self.properties(
            out_schema, out_schema.get("$defs", {}), res.name
        )
        if res.name_field is not None:
            required.remove(camel(res.name_field))
        state = {**inputs, **extras, **outputs}
        return {
            "description": res.description,
            "properties": state,
            "required": sorted({*present, *out_required, "connection"}),
            "inputProperties": {**inputs, **extras},
            "requiredInputs": required,
        }


def _json_schema(model: type[BaseModel]) -> Json:
    return model.model_json_schema(mode="validation")


def _nullable(prop: Mapping[str, Any]) -> bool:
    return any(v.get("type") == "null" for v in prop.get("anyOf", ()))


def generate(version: str = "0.1.0") -> Json:
    """The whole package schema."""
    build = _Builder()
    config_schema = _json_schema(ProviderConfig)
    config_props, _, _ = build.properties(config_schema, config_schema.get("$defs", {}), "config")
    resources = {res.token: build.resource(res) for res in RESOURCES}
    return {
        "name": PACKAGE,
        "displayName": "PowerJob",
        "version": version,
        "description": "Jobs, workflows and apps of a PowerJob scheduler as Pulumi resources.",
        "keywords": ["powerjob", "scheduler", "category/utility"],
        "license": "Apache-2.0",
        "config": {"variables": config_props},
        "provider": {
            "description": "The PowerJob provider: which server and app to act on.",
            "inputProperties": config_props,
        },
        "resources": resources,
        "types": dict(sorted(build.types.items())),
        "language": {
            "python": {"packageName": "pulumi_powerjob_sdk"},
            "nodejs": {"packageName": "@pulumi-powerjob/powerjob", "typescriptVersion": "^5"},
        },
    }


def render(schema: Json) -> str:
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {SCHEMA_FILE.name}")
    args = parser.parse_args(argv)
    text = render(generate())
    if args.write:
        SCHEMA_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_FILE}")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
