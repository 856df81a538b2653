"""The plugin's resources: each a token, the dynamic provider that does the work, and the
models its schema and its property names come from.

The spec models are the ones ``check`` validates with (``providers/*_spec.py``); the small
models here add what the Pulumi face adds around a spec: the inputs every resource takes
(``connection``, ``adoptId``) and the outputs the provider computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pulumi_powerjob.plugin.names import Shape, model_shape
from pulumi_powerjob.providers.app import AppProvider, AppSpec
from pulumi_powerjob.providers.base import PowerJobProvider
from pulumi_powerjob.providers.job import JobProvider
from pulumi_powerjob.providers.job_set import JobSetProvider
from pulumi_powerjob.providers.workflow import WorkflowProvider
from pulumi_powerjob.reconcile.job_spec import JobSpec
from pulumi_powerjob.reconcile.values import Id
from pulumi_powerjob.reconcile.workflow_spec import WorkflowSpec

PACKAGE = "powerjob"


class _Face(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class Placed(_Face):
    connection: str | None = None
    """A named connection profile (provider config ``connections``); default: the provider's
    own address and app."""


class JobInputs(Placed):
    adopt_id: Id | None = None
    """Take over this existing job instead of creating one."""


class WorkflowInputs(Placed):
    adopt_id: Id | None = None
    """Take over this existing workflow instead of creating one (nodes matched by name)."""


class JobOutputs(_Face):
    job_id: Id
    """The job's id on the server."""
    app_id: Id
    """The id of the job's app."""
    app_name: str
    """The name of the job's app."""
    status: Literal["ENABLE", "DISABLE"]
    """ENABLE or DISABLE, as the server reports it."""
    next_trigger_time: Id | None = None
    """Epoch milliseconds of the next run, as the server computed it at the last refresh."""
    console_url: str
    """The job's page in the PowerJob console."""


class WorkflowOutputs(_Face):
    workflow_id: Id
    """The workflow's id on the server."""
    app_id: Id
    """The id of the workflow's app."""
    node_ids: dict[str, Id]
    """The server's id of each node, by node name."""
    console_url: str
    """The workflow's page in the PowerJob console."""


class AppOutputs(_Face):
    app_id: Id
    """The app's id on the server."""


class JobSetSpec(_Face):
    """Many jobs of one app in one engine step."""

    jobs: dict[str, JobSpec]
    """The jobs, by name: each key is its job's name, each value a Job's inputs."""


class JobSetOutputs(_Face):
    job_ids: dict[str, Id]
    """The id of each job, by name."""
    app_id: Id
    """The id of the jobs' app."""
    app_name: str
    """The name of the jobs' app."""


@dataclass(frozen=True)
class Resource:
    """One resource type of the plugin."""

    name: str
    description: str
    provider: Callable[[], PowerJobProvider]
    spec: type[BaseModel]
    extras: type[BaseModel]
    outputs: type[BaseModel]
    name_field: str | None
    """The spec field that defaults to the resource's name."""
    secrets: frozenset[str] = field(default_factory=frozenset)
    """State keys (snake_case) always kept secret."""

    @property
    def token(self) -> str:
        return f"{PACKAGE}:index:{self.name}"

    @cached_property
    def shape(self) -> Shape:
        parts = [model_shape(m) for m in (self.spec, self.extras, self.outputs)]
        return Shape({k: v for part in parts for k, v in part.fields.items()})


RESOURCES = (
    Resource(
        "Job",
        "A PowerJob job. Each declared change is exactly one saveJob on the server.",
        JobProvider,
        JobSpec,
        JobInputs,
        JobOutputs,
        "job_name",
    ),
    Resource(
        "Workflow",
        "A PowerJob workflow: a schedule and a DAG of named nodes.",
        WorkflowProvider,
        WorkflowSpec,
        WorkflowInputs,
        WorkflowOutputs,
        "wf_name",
    ),
    Resource(
        "App",
        "A PowerJob app (its name and password). Retained on destroy unless deleteOnDestroy.",
        AppProvider,
        AppSpec,
        Placed,
        AppOutputs,
        "app_name",
        frozenset({"password"}),
    ),
    Resource(
        "JobSet",
        "Many PowerJob jobs of one app in one engine step: time linear in their number.",
        JobSetProvider,
        JobSetSpec,
        Placed,
        JobSetOutputs,
        None,
    ),
)
BY_TOKEN = {r.token: r for r in RESOURCES}
