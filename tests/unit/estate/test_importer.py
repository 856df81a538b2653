"""The generated program declares exactly what the server holds (recorded payloads, no server)."""

from __future__ import annotations

import ast
import json
from dataclasses import fields
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pulumi_powerjob import JobArgs, WorkflowArgs
from pulumi_powerjob.estate import Estate, render_program
from pulumi_powerjob.estate.naming import Namer, slug
from pulumi_powerjob.models import JobInfoDTO, WorkflowInfoVO
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec
from pulumi_powerjob.reconcile.workflow_mapping import vo_to_spec

FIXTURES = Path(__file__).parents[2] / "fixtures" / "powerjob-4.3.9"
TRICKY = ['it\'s "quoted"', "back\\slash\\n", "ünïcödé 日本 🚀", "dup", "dup", "class", "", "2x"]


def _data(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())["response"]["data"]


def _estate() -> Estate:
    recorded = [JobInfoDTO.model_validate(j) for j in _data("fetchAllJob")]
    live = [j for j in recorded if not j.deleted]
    assert len(live) >= 5, "the fixture must hold enough jobs for this test to mean anything"
    jobs = [j.model_copy(update={"job_name": TRICKY[i % len(TRICKY)]}) for i, j in enumerate(live)]
    workflow = WorkflowInfoVO.model_validate(_data("fetchWorkflow"))
    # Point the workflow's nodes at the recorded jobs, so they are referred to by variable.
    assert workflow.dag is not None
    nodes = [
        n.model_copy(update={"job_id": jobs[i % len(jobs)].id})
        for i, n in enumerate(workflow.dag.nodes)
    ]
    workflow = workflow.model_copy(update={"dag": workflow.dag.model_copy(update={"nodes": nodes})})
    return Estate("app", jobs, [workflow])


class _Declared:
    """Stands in for ``Job``/``Workflow``: records the declaration; outputs are the adopt id."""

    made: ClassVar[list[tuple[str, str, Any]]] = []

    def __init__(self, name: str, args: Any) -> None:
        self.job_id = self.workflow_id = args.adopt_id
        _Declared.made.append((type(self).__name__, name, args))


class Job(_Declared):
    pass


class Workflow(_Declared):
    pass


def _run(source: str) -> list[tuple[str, str, Any]]:
    _Declared.made = []
    tree = ast.parse(source)
    body = [s for s in tree.body if not isinstance(s, ast.ImportFrom)]
    namespace = {"Job": Job, "JobArgs": JobArgs, "Workflow": Workflow, "WorkflowArgs": WorkflowArgs}
    exec(compile(ast.Module(body, []), "generated", "exec"), namespace)
    return _Declared.made


def _props(args: Any, name_key: str, name: str) -> dict[str, Any]:
    """The inputs as the engine hands them over: unset (None) ones left out."""
    props = {f.name: getattr(args, f.name) for f in fields(args)}
    props[name_key] = props[name_key] or name
    return {k: v for k, v in props.items() if v is not None}


def test_generated_program_declares_what_the_server_holds() -> None:
    estate = _estate()
    made = _run(render_program(estate))
    jobs = {args.adopt_id: (name, args) for kind, name, args in made if kind == "Job"}
    assert sorted(jobs) == sorted(j.id for j in estate.jobs)
    assert len({name for name, _ in jobs.values()}) == len(jobs), "resource names are unique"
    for job in estate.jobs:
        name, args = jobs[job.id]
        checked = JobProvider().check({}, _props(args, "job_name", name))
        assert [(f.property, f.reason) for f in checked.failures] == []
        wanted = dto_to_spec(job).model_dump(mode="json")
        assert {k: checked.inputs[k] for k in wanted} == wanted
    [(kind, name, args)] = [m for m in made if m[0] == "Workflow"]
    checked = WorkflowProvider().check({}, _props(args, "wf_name", name))
    assert checked.failures == []
    wanted = vo_to_spec(estate.workflows[0])[0].model_dump(mode="json")
    assert {k: checked.inputs[k] for k in wanted} == wanted
    assert checked.inputs["adopt_id"] == estate.workflows[0].id


def test_generated_program_is_formatted_and_refers_to_jobs_by_variable() -> None:
    source = render_program(_estate())
    ast.parse(source)
    assert ".job_id," in source
    assert "job_name='it\\'s \"quoted\"'" in source
    assert 'job_name="back\\\\slash\\\\n"' in source
    assert all(len(line) <= 100 or '"' in line for line in source.splitlines())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nightly ETL", "nightly_etl"),
        ("ünïcödé", "unicode"),
        ("日本", "job"),
        ("2 nightly", "job_2_nightly"),
        ("class", "class_"),
        ("match", "match_"),
        ('it\'s "q"', "it_s_q"),
        (None, "job"),
    ],
)
def test_slug_is_a_python_identifier(text: str | None, expected: str) -> None:
    assert slug(text, "job") == expected
    assert expected.isidentifier()


def test_repeated_names_get_the_object_id() -> None:
    namer = Namer()
    assert [namer.name("dup", i, "job") for i in (4, 5, 6)] == ["dup", "dup_5", "dup_6"]
    assert namer.name("dup 5", 9, "job") == "dup_5_9"
    assert namer.name("Job", 7, "job") == "job"
    assert namer.name("pulumi", 8, "job") == "pulumi_8"
