"""Programs in other languages through the real CLI and the provider plugin
``pulumi-resource-powerjob``: ``examples/yaml-quickstart`` (YAML) and ``examples/ts-quickstart``
(TypeScript, on the Node.js SDK generated from the schema), and the same stack as a Python
program on the dynamic providers, each against the real server behind the recording proxy.

Each runs the user's steps (``tests/support/languages.py``), and the three tables of requests
and mutations per step are the same.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_powerjob.local import nodejs
from pulumi_powerjob.local.engine import PulumiCli
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import plugin_project
from tests.support.languages import (
    CRON_DIFF,
    NEW_JOB,
    NEW_NODE,
    OLD_EDGES,
    PYTHON_TWIN,
    edit,
    lifecycle,
)
from tests.support.user_path import Steps, configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]

TS_TRANSFORM = """\
const transform = new powerjob.Job("transform", {
    processorInfo: "com.example.Transform",
    timeExpressionType: "WORKFLOW",
});

const etl = """
TS_NODES = (
    """\
        { name: "load", jobId: load.jobId },
    ],
    edges: [{ fromNode: "extract", toNode: "load" }],""",
    """\
        { name: "load", jobId: load.jobId },
        { name: "transform", jobId: transform.jobId },
    ],
    edges: [
        { fromNode: "extract", toNode: "transform" },
        { fromNode: "transform", toNode: "load" },
    ],""",
)


def _on_plugin(cli: PulumiCli, app: PowerJobApp, steps: Steps) -> None:
    """No password in the state or the output; the engine took the plugin pip installed."""
    assert app.password not in cli.run("stack", "export")
    assert all(app.password not in entry for entry in cli.log)
    installed = Path(sys.prefix) / "bin" / "pulumi-resource-powerjob"
    assert any(f"using pulumi-resource-powerjob from $PATH at {installed}" in e for e in cli.log)
    cli.remove()


def test_yaml_and_typescript_programs_cost_what_the_python_program_costs(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    tables: dict[str, Steps] = {}

    yaml = plugin_project("yaml-quickstart", tmp_path / "yaml", pulumi_bin)
    configure(yaml, powerjob_app, recording_proxy)
    program = yaml.project / "Pulumi.yaml"

    def yaml_node() -> None:
        edit(program, "\n  etl:", "\n" + NEW_JOB)
        edit(program, OLD_EDGES, NEW_NODE)

    tables["YAML program, plugin"] = steps = Steps(recording_proxy)
    lifecycle(
        yaml,
        steps,
        lambda: edit(program, '"0 0 2 * * ?"', '"0 30 2 * * ?"'),
        yaml_node,
        CRON_DIFF.format(name="timeExpression"),
    )
    _on_plugin(yaml, powerjob_app, steps)

    ts = plugin_project("ts-quickstart", tmp_path / "ts", pulumi_bin)
    # the README's command, in the program's directory
    subprocess.run(
        [sys.executable, "-m", "pulumi_powerjob.local.nodejs", "."], cwd=ts.project, check=True
    )
    assert (ts.project / "node_modules").resolve() == nodejs.node_modules(pulumi_bin)
    configure(ts, powerjob_app, recording_proxy)
    source = ts.project / "index.ts"

    def ts_node() -> None:
        edit(source, "const etl = ", TS_TRANSFORM)
        edit(source, *TS_NODES)

    tables["TypeScript program, plugin"] = steps = Steps(recording_proxy)
    lifecycle(
        ts,
        steps,
        lambda: edit(source, '"0 0 2 * * ?"', '"0 30 2 * * ?"'),
        ts_node,
        CRON_DIFF.format(name="timeExpression"),
    )
    _on_plugin(ts, powerjob_app, steps)

    twin = user_project(tmp_path / "python", pulumi_bin, PYTHON_TWIN, name="twin")
    configure(twin, powerjob_app, recording_proxy)
    tables["Python program, dynamic providers"] = python = Steps(recording_proxy)
    lifecycle(
        twin,
        python,
        lambda: twin.run("config", "set", "twin:cron", "0 30 2 * * ?"),
        lambda: twin.run("config", "set", "twin:transform", "yes"),
        CRON_DIFF.format(name="time_expression"),
    )
    twin.remove()

    for title, table in tables.items():
        print(f"{title}:\n{table.table()}")
    assert tables["YAML program, plugin"].rows == python.rows
    assert tables["TypeScript program, plugin"].rows == python.rows
