"""``pulumi import`` through the provider plugin, as users of any language run it: a Workflow
by its id, and a whole app's jobs and workflows from the file ``python -m pulumi_powerjob
import --pulumi-import-file`` writes (``pulumi import --file``). A Job alone:
``test_plugin_yaml.py``.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_powerjob.__main__ import main
from pulumi_powerjob.local import LocalServer
from pulumi_powerjob.local.engine import PulumiCli
from pulumi_powerjob.reconcile import workflow
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec
from tests.integration.estate_fixtures import client_for_app, fresh_app, save
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import yaml_program
from tests.support.user_path import Steps, configure

pytestmark = [pytest.mark.integration, pytest.mark.engine]

HEAD = "name: plugin-import\nruntime: yaml\n"
WORKFLOW_PROGRAM = (
    HEAD
    + """\
resources:
  etl:
    type: powerjob:index:Workflow
    properties:
      wfName: {name}
      timeExpressionType: CRON
      timeExpression: "0 0 1 * * ?"
      nodes:
        - name: extract
          jobId: {extract}
        - name: load
          jobId: {load}
      edges:
        - fromNode: extract
          toNode: load
"""
)


@dataclass(frozen=True)
class HandMade:
    """Two WORKFLOW jobs and the workflow running them, made before Pulumi."""

    name: str
    extract: int
    load: int
    workflow_id: int


def hand_made(app: PowerJobApp) -> HandMade:
    name = f"wf-{uuid.uuid4().hex[:8]}"
    with client_for_app(app) as client:
        extract = save(
            client, "extract", {"job_name": f"{name}-x", "time_expression_type": "WORKFLOW"}
        )
        load = save(client, "load", {"job_name": f"{name}-l", "time_expression_type": "WORKFLOW"})
        spec = WorkflowSpec.model_validate(
            {
                "wf_name": name,
                "time_expression_type": "CRON",
                "time_expression": "0 0 1 * * ?",
                "nodes": [{"name": "extract", "job_id": extract}, {"name": "load", "job_id": load}],
                "edges": [{"from_node": "extract", "to_node": "load"}],
            }
        )
        workflow_id, _ = workflow.make(client, spec)
    return HandMade(name, extract, load, workflow_id)


def imported(cli: PulumiCli, token: str) -> list[dict[str, object]]:
    state = json.loads(cli.run("stack", "export"))
    return [r for r in state["deployment"]["resources"] if r["type"] == token]


def test_pulumi_import_takes_over_a_workflow_by_its_id(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    made = hand_made(powerjob_app)
    program = WORKFLOW_PROGRAM.format(name=made.name, extract=made.extract, load=made.load)
    cli = yaml_program(program, tmp_path, pulumi_bin)
    configure(cli, powerjob_app, recording_proxy)
    steps = Steps(recording_proxy)
    out: list[str] = []
    wf_id = str(made.workflow_id)
    steps.run(
        "import",
        lambda: out.append(cli.run("import", "powerjob:index:Workflow", "etl", wf_id, "--yes")),
        {},
    )
    print(out[0])
    assert "type: powerjob:Workflow" in out[0], out[0]  # the program, printed
    assert f"wfName: {made.name}" in out[0], out[0]
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    (wf,) = imported(cli, "powerjob:index:Workflow")
    assert wf["id"] == wf_id
    cli.run("state", "unprotect", "--all", "--yes")
    steps.run("destroy", cli.destroy, {"/openApi/deleteWorkflow": 1})
    print(steps.table())
    cli.remove()


def test_an_app_imported_from_the_bulk_import_file_without_a_mutation(
    tmp_path: Path, pulumi_bin: Path, powerjob_server: LocalServer, recording_proxy: RecordingProxy
) -> None:
    app = fresh_app(powerjob_server)  # an import reads every job of the app
    made = hand_made(app)
    with client_for_app(app) as client:
        nightly = save(
            client,
            "nightly",
            {
                "job_name": "nightly",
                "time_expression": "0 0 2 * * ?",
                "time_expression_type": "CRON",
            },
        )
    bulk = tmp_path / "import.json"
    argv = ["import", "--address", app.address, "--app-name", app.app_name]
    argv += ["--password", app.password, "--workflow-id", str(made.workflow_id)]
    assert main([*argv, "--pulumi-import-file", str(bulk)]) == 0
    entries = json.loads(bulk.read_text(encoding="utf-8"))["resources"]
    assert [e["type"] for e in entries] == ["powerjob:index:Job"] * 3 + ["powerjob:index:Workflow"]
    assert {(e["type"], e["id"]) for e in entries} == {
        ("powerjob:index:Job", str(made.extract)),
        ("powerjob:index:Job", str(made.load)),
        ("powerjob:index:Job", str(nightly)),
        ("powerjob:index:Workflow", str(made.workflow_id)),
    }

    cli = yaml_program(HEAD + "resources: {}\n", tmp_path, pulumi_bin)
    configure(cli, app, recording_proxy)
    steps = Steps(recording_proxy)
    generated = tmp_path / "generated.yaml"
    steps.run(
        "import --file",
        lambda: cli.run(
            "import", "--file", str(bulk), "--yes", "--protect=false", "--out", str(generated)
        ),
        {},
    )
    body = generated.read_text(encoding="utf-8")
    print(body)
    names = {e["id"]: e["name"] for e in entries if e["type"] == "powerjob:index:Job"}
    for job_id in (made.extract, made.load):  # the nodes refer to their jobs, as users write
        literal = f"jobId: {job_id}\n"
        assert body.count(literal) == 1, body
        body = body.replace(literal, f"jobId: ${{{names[str(job_id)]}.jobId}}\n")
    (cli.project / "Pulumi.yaml").write_text(HEAD + body, encoding="utf-8")
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    assert len(imported(cli, "powerjob:index:Job")) == 3
    (wf,) = imported(cli, "powerjob:index:Workflow")
    assert wf["id"] == str(made.workflow_id)
    print(steps.table())
    cli.remove()


JOB_SET_PROGRAM = (
    HEAD
    + """\
resources:
  pair:
    type: powerjob:index:JobSet
    properties:
      jobs:
        set-a:
          processorInfo: demo.A
          timeExpressionType: CRON
          timeExpression: "0 0 3 * * ?"
        set-b:
          processorInfo: demo.B
          timeExpressionType: API
"""
)


def test_pulumi_import_takes_over_named_jobs_of_an_app_as_a_job_set(
    tmp_path: Path, pulumi_bin: Path, powerjob_server: LocalServer, recording_proxy: RecordingProxy
) -> None:
    app = fresh_app(powerjob_server)
    with client_for_app(app) as client:
        ids = {
            "set-a": save(
                client,
                "a",
                {
                    "job_name": "set-a",
                    "time_expression_type": "CRON",
                    "time_expression": "0 0 3 * * ?",
                },
            ),
            "set-b": save(client, "b", {"job_name": "set-b", "time_expression_type": "API"}),
        }
        save(client, "other", {"job_name": "other", "time_expression_type": "API"})  # not named
    cli = yaml_program(JOB_SET_PROGRAM, tmp_path, pulumi_bin)
    configure(cli, app, recording_proxy)
    steps = Steps(recording_proxy)
    set_id = f"{app.app_name}:set-a,set-b"
    out: list[str] = []
    steps.run(
        "import",
        lambda: out.append(
            cli.run("import", "powerjob:index:JobSet", "pair", set_id, "--yes", "--protect=false")
        ),
        {},
    )
    print(out[0])
    assert "type: powerjob:JobSet" in out[0], out[0]
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    (job_set,) = imported(cli, "powerjob:index:JobSet")
    assert job_set["id"] == set_id
    assert job_set["outputs"]["jobIds"] == ids  # type: ignore[index]
    steps.run("destroy", cli.destroy, {"/openApi/deleteJob": 2})
    print(steps.table())
    cli.remove()


APP_PROGRAM = (
    HEAD
    + """\
config:
  teamPassword:
    type: string
    secret: true
resources:
  team:
    type: powerjob:index:App
    properties:
      appName: {name}
      password: ${{teamPassword}}
"""
)


def test_pulumi_import_takes_over_the_providers_app_by_its_id(
    tmp_path: Path, pulumi_bin: Path, powerjob_server: LocalServer, recording_proxy: RecordingProxy
) -> None:
    app = fresh_app(powerjob_server)
    cli = yaml_program(APP_PROGRAM.format(name=app.app_name), tmp_path, pulumi_bin)
    configure(cli, app, recording_proxy)
    cli.run("config", "set", "--secret", "teamPassword", app.password, secret=True)
    steps = Steps(recording_proxy)
    other = str(app.app_id + 1000)
    assert not cli.attempt("import", "powerjob:index:App", "team", other, "--yes")
    assert "is another app" in cli.log[-1], cli.log[-1]
    # The generated program would hold the password in plain text: no code for an App.
    generate = ("--yes", "--generate-code=false")
    steps.run(
        "import",
        lambda: cli.run("import", "powerjob:index:App", "team", str(app.app_id), *generate),
        {},
    )
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    (team,) = imported(cli, "powerjob:index:App")
    assert team["id"] == str(app.app_id)
    state = cli.run("stack", "export")
    assert all(app.password not in text for text in (state, *cli.log))
    cli.run("state", "unprotect", "--all", "--yes")
    steps.run("destroy (the app is retained)", cli.destroy, {})
    print(steps.table())
    cli.remove()
