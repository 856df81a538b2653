"""The reference pages come from the schema and the examples: the checked-in pages must match."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pulumi.provider.experimental.provider import ReadRequest

from pulumi_powerjob.plugin import docs, docs_sources
from pulumi_powerjob.plugin.provider import PowerJobPlugin
from pulumi_powerjob.plugin.resources import RESOURCES


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return docs.pages()


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return docs.load_schema()


def test_the_checked_in_pages_are_the_ones_the_schema_and_examples_generate(
    generated: dict[str, str],
) -> None:
    checked_in = {p.name: p.read_text(encoding="utf-8") for p in docs.DOCS_DIR.glob("*.md")}
    assert sorted(checked_in) == sorted(generated)
    stale = [name for name, text in generated.items() if checked_in[name] != text]
    assert not stale, (
        f"docs/reference/{stale} drifted from the schema or the examples: run "
        "`python -m pulumi_powerjob.plugin.docs --write`"
    )


def test_a_changed_example_changes_the_page(tmp_path: Path) -> None:
    """The examples are read from their files, not copied once: an edit shows on the page."""
    for example in docs_sources.EXAMPLES["Job"]:
        copy = tmp_path / example.path
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(docs_sources.REPO / example.path, copy)
    edited = tmp_path / docs_sources.EXAMPLES["Job"][0].path
    edited.write_text(edited.read_text() + "# an edit\n")
    page = docs.resource_page("Job", docs.load_schema(), tmp_path)
    assert "# an edit\n```" in page


@pytest.mark.parametrize("res", RESOURCES, ids=lambda r: r.name)
def test_each_page_names_every_input_of_its_resource_with_type_and_description(
    res: Any, generated: dict[str, str], schema: dict[str, Any]
) -> None:
    page = generated[f"{res.name.lower()}.md"]
    inputs = schema["resources"][res.token]["inputProperties"]
    assert inputs
    for name, prop in inputs.items():
        row = re.search(rf"^\| `{name}` \| (.+?) \| .*$", page, re.M)
        assert row is not None, f"{res.name}: input {name} is not on its page"
        assert docs._cell(prop["description"]) in row.group(0)
    assert f"## Import\n\n{docs_sources.IMPORTS[res.name]}" in page


def test_the_provider_page_names_every_config_variable(
    generated: dict[str, str], schema: dict[str, Any]
) -> None:
    page = generated["provider.md"]
    for name in schema["config"]["variables"]:
        assert re.search(rf"^\| `{name}` \|", page, re.M), name
    assert "| `password` | `string` (secret) |" in page


def test_enums_list_their_values_and_nested_types_are_expanded(
    generated: dict[str, str],
) -> None:
    page = generated["job.md"]
    assert "[TimeExpressionType](#timeexpressiontype)" in page
    assert "### TimeExpressionType" in page
    assert "`CRON`, `FIXED_RATE`" in page
    workflow = generated["workflow.md"]
    assert "list of [WorkflowNode](#workflownode)" in workflow
    assert "### WorkflowNode" in workflow and "| `jobId` |" in workflow


def test_the_job_page_gives_the_import_syntax(generated: dict[str, str]) -> None:
    assert "pulumi import powerjob:index:Job <name> <jobId>" in generated["job.md"]
    assert "pulumi import powerjob:index:Workflow <name> <workflowId>" in generated["workflow.md"]


def test_an_excerpt_without_its_markers_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f.txt").write_text("no markers here\n")
    example = docs_sources.Example("YAML", "yaml", "f.txt", "t", start="BEGIN", end="END")
    with pytest.raises(ValueError, match="no excerpt"):
        example.text(tmp_path)


# The App and JobSet pages say that neither can be imported on the plugin path: a
# ``pulumi import`` reads with the id alone, no state. These fail when that changes, so the
# pages' import sections are updated with it (``docs_sources.IMPORTS``).


def _read_without_state(token: str, resource_id: str) -> Any:
    urn = f"urn:pulumi:dev::proj::{token}::imported"
    request = ReadRequest(urn, resource_id, {}, {})
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(PowerJobPlugin().read(request))
    finally:
        loop.close()


def test_every_page_gives_the_import_id_the_plugin_takes() -> None:
    for kind, needle in {
        "Job": "<jobId>",
        "Workflow": "<workflowId>",
        "App": "<appId>",
        "JobSet": "<appName>:job-a,job-b",
    }.items():
        assert needle in docs_sources.IMPORTS[kind]
        assert "Not on the plugin path" not in docs_sources.IMPORTS[kind]
