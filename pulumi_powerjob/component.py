"""``AppJobs``: one app's jobs and workflows from a compact declaration, as one component.

Jobs are a dict by key; workflow nodes name the job they run by that key, so no ids are
written by hand. Every child uses the component's connection profile, so the component can
be used several times in one stack for several apps and servers::

    AppJobs("orders", AppJobsArgs(
        connection="orders",
        jobs={"extract": JobArgs(...), "load": JobArgs(...)},
        workflows={"etl": AppWorkflowArgs(
            nodes=[{"job": "extract"}, {"job": "load"}], edges=[("extract", "load")])},
    ))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Required, TypedDict

import pulumi

from pulumi_powerjob.errors import InputValidationError
from pulumi_powerjob.job import Job, JobArgs
from pulumi_powerjob.workflow import Workflow, WorkflowArgs, WorkflowEdgeArgs, WorkflowNodeArgs

__all__ = ["AppJobs", "AppJobsArgs", "AppWorkflowArgs", "AppWorkflowNodeArgs"]


class AppWorkflowNodeArgs(TypedDict, total=False):
    """A workflow node that runs one of the component's jobs, named by its key."""

    job: Required[str]
    """The key of the job in ``AppJobsArgs.jobs``."""
    name: str
    """The node's name, used by edges; defaults to the job key (set it to run a job twice)."""
    params: pulumi.Input[str]
    enabled: pulumi.Input[bool]
    skip_when_failed: pulumi.Input[bool]


@dataclass(kw_only=True)
class AppWorkflowArgs:
    """A workflow of the component: nodes by job key, edges as ``(from, to)`` node names."""

    nodes: Sequence[AppWorkflowNodeArgs]
    edges: Sequence[tuple[str, str] | WorkflowEdgeArgs] = ()
    wf_name: pulumi.Input[str] | None = None
    """Defaults to the workflow's key."""
    wf_description: pulumi.Input[str] | None = None
    time_expression_type: pulumi.Input[str] | None = None
    time_expression: pulumi.Input[str] | None = None
    max_wf_instance_num: pulumi.Input[int] | None = None
    enabled: pulumi.Input[bool] | None = None


@dataclass(kw_only=True)
class AppJobsArgs:
    """An app's jobs and workflows, and the connection profile they all use."""

    connection: str
    """The named connection profile (``powerjob:connections`` or ``POWERJOB_<PROFILE>_*``);
    ``"default"`` is the ``powerjob:*`` settings."""
    jobs: Mapping[str, JobArgs]
    """Jobs by key; a job's name defaults to its key."""
    workflows: Mapping[str, AppWorkflowArgs] = field(default_factory=dict)
    """Workflows by key; their nodes refer to jobs by key."""


class AppJobs(pulumi.ComponentResource):
    """An app's jobs and workflows; ``job_ids`` and ``workflow_ids`` are by key."""

    job_ids: pulumi.Output[dict[str, int]]
    workflow_ids: pulumi.Output[dict[str, int]]

    def __init__(
        self, name: str, args: AppJobsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("powerjob:index:AppJobs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.jobs: dict[str, Job] = {
            key: Job(f"{name}-{key}", _job_args(key, job, args.connection), child)
            for key, job in args.jobs.items()
        }
        self.workflows: dict[str, Workflow] = {
            key: Workflow(
                f"{name}-{key}", _workflow_args(key, flow, self.jobs, args.connection), child
            )
            for key, flow in args.workflows.items()
        }
        self.job_ids = _by_key({k: j.job_id for k, j in self.jobs.items()})
        self.workflow_ids = _by_key({k: w.workflow_id for k, w in self.workflows.items()})
        self.register_outputs({"job_ids": self.job_ids, "workflow_ids": self.workflow_ids})


def _by_key(values: Mapping[str, pulumi.Output[int]]) -> pulumi.Output[dict[str, int]]:
    if not values:
        return pulumi.Output.from_input({})
    return pulumi.Output.all(**values).apply(lambda ids: {k: int(v) for k, v in ids.items()})


def _job_args(key: str, job: JobArgs, connection: str) -> JobArgs:
    if job.connection not in (None, connection):
        raise InputValidationError(
            f"jobs.{key}.connection", f"must be unset or {connection!r}, the component's"
        )
    name = key if job.job_name is None else job.job_name
    return dataclasses.replace(job, connection=connection, job_name=name)


def _workflow_args(
    key: str, flow: AppWorkflowArgs, jobs: Mapping[str, Job], connection: str
) -> WorkflowArgs:
    nodes: list[WorkflowNodeArgs] = []
    for index, node in enumerate(flow.nodes):
        job = jobs.get(node["job"])
        if job is None:
            raise InputValidationError(
                f"workflows.{key}.nodes[{index}].job",
                f"{node['job']!r} is not a key of jobs ({', '.join(sorted(jobs))})",
            )
        wired: dict[str, Any] = {k: v for k, v in node.items() if k != "job"}
        wired.setdefault("name", node["job"])
        wired["job_id"] = job.job_id
        nodes.append(WorkflowNodeArgs(**wired))  # type: ignore[typeddict-item]
    edges: list[WorkflowEdgeArgs] = [
        {"from_node": e[0], "to_node": e[1]} if isinstance(e, tuple) else e for e in flow.edges
    ]
    return WorkflowArgs(
        nodes=nodes,
        edges=edges,
        wf_name=key if flow.wf_name is None else flow.wf_name,
        wf_description=flow.wf_description,
        time_expression_type=flow.time_expression_type,
        time_expression=flow.time_expression,
        max_wf_instance_num=flow.max_wf_instance_num,
        enabled=flow.enabled,
        connection=connection,
    )
