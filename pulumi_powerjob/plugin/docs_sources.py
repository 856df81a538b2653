"""What the reference pages say beyond the schema: how each resource is imported, and which
example programs of the repository (each one run by a test of the suite) show it.

The examples are embedded from their files when the pages are generated, so a page cannot
drift from a program the suite runs. The import notes follow the plugin's ``read`` path
(``providers/*.py``): what id it reads a resource by, and what it needs from the state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Example:
    """A program (or the part of a file between two markers) that a test of the suite runs."""

    language: str
    fence: str
    path: str
    test: str
    start: str | None = None
    """A line that opens the excerpt (the excerpt starts after it); ``None``: the whole file."""
    end: str | None = None
    """The line that closes the excerpt."""

    def text(self, repo: Path = REPO) -> str:
        whole = (repo / self.path).read_text(encoding="utf-8")
        if self.start is None:
            return whole
        match = re.search(
            re.escape(self.start) + r"\n(.*?)^" + re.escape(self.end or ""), whole, re.S | re.M
        )
        if match is None:
            raise ValueError(f"{self.path}: no excerpt between {self.start!r} and {self.end!r}")
        return match.group(1)


YAML_QUICKSTART = Example(
    "YAML",
    "yaml",
    "examples/yaml-quickstart/Pulumi.yaml",
    "tests/integration/test_plugin_languages.py",
)
TS_QUICKSTART = Example(
    "TypeScript",
    "typescript",
    "examples/ts-quickstart/index.ts",
    "tests/integration/test_plugin_languages.py",
)
YAML_APPS = Example(
    "YAML",
    "yaml",
    "tests/integration/test_plugin_yaml.py",
    "tests/integration/test_plugin_yaml.py",
    start='APPS_PROGRAM = """\\',
    end='"""',
)
PYTHON_NOTE = (
    "Python programs use the `pulumi_powerjob` package's own resources (the dynamic-provider "
    "path, same properties in snake_case); the example below is one the suite runs."
)

EXAMPLES: dict[str, tuple[Example, ...]] = {
    "Job": (
        YAML_QUICKSTART,
        TS_QUICKSTART,
        Example(
            "Python",
            "python",
            "examples/quickstart/__main__.py",
            "tests/integration/test_docs_run.py",
        ),
    ),
    "Workflow": (
        YAML_QUICKSTART,
        TS_QUICKSTART,
        Example(
            "Python",
            "python",
            "examples/workflow-dag/__main__.py",
            "tests/integration/test_workflow_example.py",
        ),
    ),
    "App": (YAML_APPS,),
    "JobSet": (YAML_APPS,),
    "provider": (
        Example(
            "YAML",
            "yaml",
            YAML_QUICKSTART.path,
            YAML_QUICKSTART.test,
            start="runtime: yaml",
            end="resources:",
        ),
        Example(
            "Python",
            "python",
            "examples/multi-app/__main__.py",
            "tests/integration/test_examples_multi_app.py",
        ),
    ),
}
"""The examples of each page, by resource name (``provider``: the configuration page)."""

MISSING_EXAMPLES = {
    "App": "No TypeScript or Python example of the suite declares an `App`.",
    "JobSet": "No TypeScript or Python example of the suite declares a `JobSet`.",
}

IMPORTS = {
    "Job": (
        "```sh\npulumi import powerjob:index:Job <name> <jobId>\n```\n\n"
        "The plugin reads the live job by its id (`jobId`, as the console shows it) through the "
        "provider's own address and app; nothing is sent that changes the server, and `pulumi` "
        "prints the program that declares the job. A `preview` of that program then shows no "
        "changes (`tests/integration/test_plugin_yaml.py`)."
    ),
    "Workflow": (
        "```sh\npulumi import powerjob:index:Workflow <name> <workflowId>\n```\n\n"
        "The plugin reads the live workflow, its nodes and edges by the workflow's id "
        "(`workflowId`) through the provider's own address and app. Nodes keep their job ids; "
        "`${job.jobId}` works once the jobs are in the stack "
        "(`tests/integration/test_plugin_import.py`)."
    ),
    "App": (
        "```sh\npulumi import --generate-code=false powerjob:index:App <name> <appId>\n```\n\n"
        "Only the provider's own app (`powerjob:appName`), by its app id. The server never "
        "gives a password back: the app is read with `powerjob:password`, and the program must "
        "declare `password` from a secret config value. Import with `--generate-code=false`: "
        "the CLI's generated program would print the password in plain text "
        "(`tests/integration/test_plugin_import.py`)."
    ),
    "JobSet": (
        "```sh\npulumi import powerjob:index:JobSet <name> <appName>\n"
        "pulumi import powerjob:index:JobSet <name> <appName>:job-a,job-b\n```\n\n"
        "Every live job of the provider's app, or the named ones (each name one live job), "
        "read with one `fetchAllJob` (`tests/integration/test_plugin_import.py`)."
    ),
}
"""The import section of each resource's page."""
