"""``import``: read an app's jobs (and named workflows) and write the program that adopts them.

Every declaration carries ``adopt_id``, so the first ``up`` of the program takes the objects
over without a mutation; only fields that differ from the defaults are written.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.estate.naming import Namer
from pulumi_powerjob.estate.render import Ref, call, formatted
from pulumi_powerjob.models import JobInfoDTO, TimeExpressionType, WorkflowInfoVO
from pulumi_powerjob.reconcile.job_mapping import dto_to_spec
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.workflow_mapping import vo_to_spec
from pulumi_powerjob.reconcile.workflow_spec import WorkflowNodeSpec, WorkflowSpec

_JOB_FIRST = ("job_name", "processor_info", "time_expression_type", "time_expression")
_WORKFLOW_FIRST = ("wf_name",)
_GRAPH = ("nodes", "edges")


@dataclass(frozen=True)
class Estate:
    """What was read: live jobs (deleted ones dropped) and the workflows asked for."""

    app_name: str
    jobs: Sequence[JobInfoDTO]
    workflows: Sequence[WorkflowInfoVO]


def read_estate(client: PowerJobClient, workflow_ids: Iterable[int]) -> Estate:
    """One fetchAllJob and one fetchWorkflow per id (PowerJob cannot list workflows)."""
    jobs = sorted((j for j in client.fetch_all_job() if not j.deleted), key=lambda j: j.id)
    workflows = [client.fetch_workflow(i) for i in dict.fromkeys(workflow_ids)]
    return Estate(client.settings.app_name, jobs, workflows)


def render_program(estate: Estate) -> str:
    """The Pulumi program declaring ``estate``, formatted."""
    namer = Namer()
    parts = [_header(estate)]
    job_vars: dict[int, str] = {}
    for job in estate.jobs:
        var = namer.name(job.job_name, job.id, "job")
        job_vars[job.id] = var
        parts.append(_job(var, job))
    workflow_vars: dict[int, str] = {}
    for workflow in estate.workflows:
        var = namer.name(workflow.wf_name, workflow.id, "workflow")
        parts.append(_workflow(var, workflow, job_vars, workflow_vars))
        workflow_vars[workflow.id] = var
    return formatted("\n\n".join(parts))


def missing_workflows(estate: Estate) -> str | None:
    """What to do when jobs run inside workflows and no workflow was asked for, else None."""
    inside = [j for j in estate.jobs if j.time_expression_type == TimeExpressionType.WORKFLOW]
    if estate.workflows or not inside:
        return None
    return (
        f"{len(inside)} of these jobs run inside workflows (time_expression_type WORKFLOW), "
        "and PowerJob cannot list workflows: to adopt them too, run import again with "
        "--workflow-id ID for each workflow (the ids are on the console's workflow page)"
    )


def _header(estate: Estate) -> str:
    note = missing_workflows(estate)
    hint = "" if note is None else "NOTE: " + "\n".join(textwrap.wrap(note, 92)) + ".\n\n"
    return (
        f'"""PowerJob app {estate.app_name!r}: {len(estate.jobs)} jobs, '
        f"{len(estate.workflows)} workflows, adopted as they are.\n\n{hint}"
        "Written by ``python -m pulumi_powerjob import``. Set powerjob:address, "
        "powerjob:appName\nand (secret) powerjob:password in the stack config; the first "
        "``up`` changes nothing\non the server. Once adopted, ``adopt_id`` may stay: it is "
        'only read when creating.\n"""\n\n'
        "from pulumi_powerjob import Job, JobArgs, Workflow, WorkflowArgs  # noqa: F401\n"
    )


def _job(var: str, job: JobInfoDTO) -> str:
    spec = dto_to_spec(job)
    args = _changed(spec, JobSpec, _JOB_FIRST)
    args.append(("adopt_id", job.id))
    return _refusal(spec, JobSpec) + call(var, var, "JobArgs", args)


def _workflow(
    var: str, workflow: WorkflowInfoVO, job_vars: dict[int, str], workflow_vars: dict[int, str]
) -> str:
    spec, _ = vo_to_spec(workflow)
    args = _changed(spec, WorkflowSpec, _WORKFLOW_FIRST, skip=_GRAPH)
    nodes = [_node(n, job_vars, workflow_vars) for n in spec.nodes]
    edges = [e.model_dump(exclude_none=True) for e in spec.edges]
    graph: list[tuple[str, Any]] = [("nodes", nodes)] + ([("edges", edges)] if edges else [])
    args[1:1] = graph
    args.append(("adopt_id", workflow.id))
    return _refusal(spec, WorkflowSpec) + call(var, var, "WorkflowArgs", args)


def _node(
    node: WorkflowNodeSpec, job_vars: dict[int, str], workflow_vars: dict[int, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": node.name}
    if node.type != "JOB":
        out["type"] = node.type
    if node.job_id is not None:
        out["job_id"] = (
            Ref(f"{job_vars[node.job_id]}.job_id") if node.job_id in job_vars else (node.job_id)
        )
    if node.workflow_id is not None:
        known = workflow_vars.get(node.workflow_id)
        out["workflow_id"] = Ref(f"{known}.workflow_id") if known else node.workflow_id
    for key in ("params", "enabled", "skip_when_failed"):
        value = getattr(node, key)
        if value != WorkflowNodeSpec.model_fields[key].get_default(call_default_factory=True):
            out[key] = value
    return out


def _changed(
    spec: BaseModel, model: type[BaseModel], first: Sequence[str], skip: Sequence[str] = ()
) -> list[tuple[str, Any]]:
    """``(field, value)`` for the leading fields and every other field off its default."""
    dumped = spec.model_dump(mode="json", exclude_none=False)
    args = [(key, dumped[key]) for key in first if dumped.get(key) is not None]
    for key, field in model.model_fields.items():
        if key in first or key in skip:
            continue
        default = None if field.is_required() else field.get_default(call_default_factory=True)
        if isinstance(default, BaseModel):
            default = default.model_dump(mode="json")
        if dumped[key] != default and dumped[key] is not None:
            value = dumped[key]
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if v is not None}
            args.append((key, value))
    return args


def _refusal(spec: BaseModel, model: type[BaseModel]) -> str:
    """A comment when ``check`` would refuse what the server holds (say, an expired lifecycle)."""
    try:
        model.model_validate(spec.model_dump(mode="json"))
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]) for e in exc.errors()[:3])
        return f"# NOTE: check refuses this declaration as read from the server: {reasons}\n"
    return ""
