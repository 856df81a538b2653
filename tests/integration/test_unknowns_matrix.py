"""Every input of every resource, bound in turn to an output not created yet, previewed by
the real engine on a fresh stack; and numbers and types as they cross the engine.

The matrix is generated from the spec models, so a new field is a new case: one resource
per (resource, input), each taking that input from ``src``, a job the stack has not made
yet, at the top level and nested inside objects and lists. The preview must pass with zero
requests; a known bad value beside an unknown one must still be refused, naming its field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_powerjob.local.engine import EngineError
from pulumi_powerjob.providers.app import AppSpec
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.workflow_spec import WorkflowEdgeSpec, WorkflowNodeSpec, WorkflowSpec
from tests.support import PowerJobApp, RecordingProxy
from tests.support.engine import without_program_interrupt
from tests.support.user_path import Steps, configure, user_project

pytestmark = [pytest.mark.integration, pytest.mark.engine]

# A valid value for every input; the matrix makes each one unknown in turn.
JOB_VALUES: dict[str, Any] = {
    "job_name": "m",
    "job_description": "d",
    "job_params": "p",
    "time_expression_type": "CRON",
    "time_expression": "0 0 1 * * ?",
    "execute_type": "STANDALONE",
    "processor_type": "BUILT_IN",
    "processor_info": "demo.P",
    "max_instance_num": 1,
    "concurrency": 2,
    "instance_time_limit": 1000,
    "instance_retry_num": 1,
    "task_retry_num": 1,
    "min_cpu_cores": 0.5,
    "min_memory_space": 1.0,
    "min_disk_space": 1.0,
    "enabled": True,
    "designated_workers": "w",
    "max_worker_count": 1,
    "notify_user_ids": [1],
    "extra": "x",
    "dispatch_strategy": "HEALTH_FIRST",
    "dispatch_strategy_config": "c",
    "lifecycle": {"end": 4_102_444_799_000},
    "alarm_config": {"alert_threshold": 1, "statistic_window_len": 2, "silence_window_len": 3},
    "tag": "t",
    "log_config": {"type": "ONLINE", "level": "INFO"},
    "advanced_runtime_config": {"task_tracker_behavior": "NORMAL"},
    "connection": "default",
    "adopt_id": 1,
}
JOB_NESTED: dict[str, dict[str, Any]] = {
    "lifecycle": {"start": 1, "end": 4_102_444_799_000},
    "alarm_config": JOB_VALUES["alarm_config"],
    "log_config": {"type": "ONLINE", "level": "INFO", "logger_name": "l"},
    "advanced_runtime_config": JOB_VALUES["advanced_runtime_config"],
}
WORKFLOW_VALUES: dict[str, Any] = {
    "wf_name": "w",
    "wf_description": "d",
    "time_expression_type": "CRON",
    "time_expression": "0 0 2 * * ?",
    "max_wf_instance_num": 1,
    "enabled": True,
    "notify_user_ids": [1],
    "lifecycle": {"end": 4_102_444_799_000},
    "nodes": [{"name": "a", "job_id": 1}],
    "edges": [],
    "connection": "default",
    "adopt_id": 1,
}
NODE_VALUES: dict[str, Any] = {
    "name": "a",
    "type": "JOB",
    "job_id": 1,
    "workflow_id": None,
    "params": "p",
    "enabled": True,
    "skip_when_failed": False,
}
EDGE_VALUES: dict[str, Any] = {"from_node": "a", "to_node": "b", "property": None}
APP_VALUES: dict[str, Any] = {
    "app_name": "matrix-app",
    "password": "pw-matrix",
    "delete_on_destroy": False,
    "connection": "default",
}
IMPORTS = """\
import pulumi
from pulumi_powerjob import (
    App, AppArgs, AppJobs, AppJobsArgs, AppWorkflowArgs, Job, JobArgs, Workflow, WorkflowArgs,
)

src = Job("src", JobArgs(processor_info="demo.Src", time_expression_type="API"))


def later(value):
    \"\"\"``value``, once ``src`` exists: an unknown at the first preview.\"\"\"
    return src.job_id.apply(lambda _: value)
"""


def U(value: Any) -> str:
    return f"later({value!r})"


def _args(values: dict[str, Any], unknown: dict[str, str]) -> str:
    return ", ".join(f"{k}={unknown.get(k, repr(v))}" for k, v in values.items())


def _dict(values: dict[str, Any], unknown_key: str) -> str:
    items = ", ".join(f"{k!r}: {U(v) if k == unknown_key else repr(v)}" for k, v in values.items())
    return "{" + items + "}"


def matrix() -> list[tuple[str, str]]:
    """(case name, one resource declaration) for each input of each resource."""
    job_base = {k: v for k, v in JOB_VALUES.items() if k != "adopt_id"}
    cases: list[tuple[str, str]] = []
    for key in [*JobSpec.model_fields, "connection", "adopt_id"]:
        values = job_base if key != "adopt_id" else JOB_VALUES
        unknown = {key: "src.job_id" if key == "adopt_id" else U(JOB_VALUES[key])}
        cases.append((f"job-{key}", f"Job('job-{key}', JobArgs({_args(values, unknown)}))"))
    for key, value in JOB_NESTED.items():
        for leaf in value:
            decl = _args(job_base, {key: _dict(value, leaf)})
            cases.append((f"job-{key}.{leaf}", f"Job('job-{key}-{leaf}', JobArgs({decl}))"))
    decl = _args(job_base, {"notify_user_ids": f"[1, {U(2)}]"})
    cases.append(("job-notify_user_ids.1", f"Job('job-notify-item', JobArgs({decl}))"))

    flow_base = {k: v for k, v in WORKFLOW_VALUES.items() if k != "adopt_id"}
    for key in [*WorkflowSpec.model_fields, "connection", "adopt_id"]:
        values = flow_base if key != "adopt_id" else WORKFLOW_VALUES
        unknown = {key: "src.job_id" if key == "adopt_id" else U(WORKFLOW_VALUES[key])}
        cases.append(
            (f"workflow-{key}", f"Workflow('wf-{key}', WorkflowArgs({_args(values, unknown)}))")
        )
    for field in WorkflowNodeSpec.model_fields:
        node = {k: v for k, v in NODE_VALUES.items() if v is not None or k == field}
        nodes = f"[{_dict(node, field)}]"
        decl = _args(flow_base, {"nodes": nodes})
        cases.append(
            (f"workflow-nodes.0.{field}", f"Workflow('wf-node-{field}', WorkflowArgs({decl}))")
        )
    nodes = f"[{{'name': 'a', 'job_id': 1}}, {U({'name': 'b', 'job_id': 2})}]"
    decl = _args(flow_base, {"nodes": nodes})
    cases.append(("workflow-nodes.1", f"Workflow('wf-node-whole', WorkflowArgs({decl}))"))
    two = "[{'name': 'a', 'job_id': 1}, {'name': 'b', 'job_id': 2}]"
    for field in WorkflowEdgeSpec.model_fields:
        edge = {k: v for k, v in EDGE_VALUES.items() if v is not None or k == field}
        decl = _args(flow_base, {"nodes": two, "edges": f"[{_dict(edge, field)}]"})
        cases.append(
            (f"workflow-edges.0.{field}", f"Workflow('wf-edge-{field}', WorkflowArgs({decl}))")
        )

    for key in [*AppSpec.model_fields, "connection"]:
        decl = _args(APP_VALUES, {key: U(APP_VALUES[key])})
        cases.append((f"app-{key}", f"App('app-{key}', AppArgs({decl}))"))

    component = (
        "AppJobs('team', AppJobsArgs(connection='default', "
        f"jobs={{'a': JobArgs(processor_info={U('demo.A')}, time_expression_type='API'), "
        "'b': JobArgs(processor_info='demo.B', time_expression_type='API')}, "
        f"workflows={{'ab': AppWorkflowArgs(wf_name={U('ab')}, time_expression_type='CRON', "
        f"time_expression={U('0 0 3 * * ?')}, max_wf_instance_num={U(1)}, enabled={U(True)}, "
        f"nodes=[{{'job': 'a', 'params': {U('p')}}}, {{'job': 'b', 'enabled': {U(True)}}}], "
        "edges=[('a', 'b')])}))"
    )
    cases.append(("appjobs-jobs+workflows", component))
    return cases


CASES = matrix()
# The stack, src, one resource per case, and the component's 3 children.
CREATES = 2 + len(CASES) + 3


def program(declarations: list[str]) -> str:
    return IMPORTS + "\n" + "\n".join(declarations) + "\n"


def test_the_matrix_covers_every_input_of_every_resource() -> None:
    names = {name for name, _ in CASES}
    for prefix, model in (("job", JobSpec), ("workflow", WorkflowSpec), ("app", AppSpec)):
        assert {f"{prefix}-{key}" for key in model.model_fields} <= names
    assert {f"workflow-nodes.0.{k}" for k in WorkflowNodeSpec.model_fields} <= names
    assert {f"workflow-edges.0.{k}" for k in WorkflowEdgeSpec.model_fields} <= names
    assert set(JOB_VALUES) >= set(JobSpec.model_fields)


def test_each_input_bound_to_an_output_not_created_yet_previews(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    cli = user_project(tmp_path, pulumi_bin, program([decl for _, decl in CASES]))
    configure(cli, powerjob_app, recording_proxy)
    out = Steps(recording_proxy).preview(cli, "preview (new stack)")
    assert f"+ {CREATES} to create" in out, out[-3000:]
    cli.remove()


BAD_BESIDE_UNKNOWN = [
    (
        "Job('j', JobArgs(processor_info=later('p'), time_expression_type='API', concurrency=0))",
        "concurrency",
        "between 1 and 2147483647",
    ),
    (
        "Job('j', JobArgs(processor_info='p', time_expression_type='API', "
        "lifecycle={'start': later(1), 'end': -5}))",
        "lifecycle.end",
        "between 0 and",
    ),
    (
        "Workflow('w', WorkflowArgs(nodes=[{'name': 'a', 'job_id': src.job_id}, "
        "{'name': 'b', 'job_id': 1}], edges=[{'from_node': 'a', 'to_node': 'ghost'}]))",
        "edges",
        "ghost",
    ),
    ("App('a', AppArgs(password=later('x'), app_name='has space'))", "app_name", "whitespace"),
]
# What users write, carried by the engine (every number a float), judged as written.
THROUGH_THE_ENGINE = [
    (
        "Job('j', JobArgs(processor_info='p', time_expression_type='API', "
        "instance_time_limit=2**63 - 1))",
        "instance_time_limit",
        "(a Java long)",
    ),
    (
        "Job('j', JobArgs(processor_info='p', time_expression_type='API', max_instance_num=True))",
        "max_instance_num",
        "not a boolean",
    ),
    (
        "Job('j', JobArgs(processor_info='p', time_expression_type='API', enabled='yes'))",
        "enabled",
        "true or false, not a string",
    ),
    (
        "Job('j', JobArgs(processor_info='p', time_expression_type='API', concurrency=2.5))",
        "concurrency",
        "whole number; got 2.5",
    ),
]


@pytest.mark.parametrize(
    ("declaration", "field", "rule"),
    BAD_BESIDE_UNKNOWN + THROUGH_THE_ENGINE,
    ids=[f"{f}-{i}" for i, (_, f, _) in enumerate(BAD_BESIDE_UNKNOWN + THROUGH_THE_ENGINE)],
)
def test_a_bad_value_is_refused_at_preview_naming_the_field(
    tmp_path: Path,
    pulumi_bin: Path,
    powerjob_app: PowerJobApp,
    recording_proxy: RecordingProxy,
    declaration: str,
    field: str,
    rule: str,
) -> None:
    cli = user_project(tmp_path, pulumi_bin, program([declaration]))
    configure(cli, powerjob_app, recording_proxy)
    recording_proxy.reset()
    with pytest.raises(EngineError) as failed:
        cli.preview()
    assert recording_proxy.records == []
    text = str(failed.value)
    assert f"property {field} value" in text and rule in text, text[-2000:]
    # The user sees the field's error and the engine's summary, not a Python traceback. (A
    # program that the failed preview's shutdown interrupts prints one of Pulumi's: not ours.)
    shown = without_program_interrupt(text)
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown, text
    cli.remove()


def test_whole_numbers_the_engine_carries_as_floats_are_stored_as_written(
    tmp_path: Path, pulumi_bin: Path, powerjob_app: PowerJobApp, recording_proxy: RecordingProxy
) -> None:
    declaration = (
        "j = Job('j', JobArgs(processor_info='p', time_expression_type='FIXED_RATE', "
        "time_expression=5000, concurrency=7, lifecycle={'end': 4_102_444_799_000}))\n"
        "pulumi.export('id', j.job_id)"
    )
    cli = user_project(tmp_path, pulumi_bin, program([declaration]))
    configure(cli, powerjob_app, recording_proxy)
    steps = Steps(recording_proxy)
    steps.preview(cli, "preview")
    steps.run("up", cli.up, {"/openApi/saveJob": 2})  # src and j
    steps.preview(cli, "preview --expect-no-changes", "--expect-no-changes")
    state = cli.run("stack", "export")
    assert '"time_expression": "5000"' in state
    assert '"concurrency": 7' in state
    steps.run("destroy", cli.destroy, {"/openApi/deleteJob": 2})
    cli.remove()
