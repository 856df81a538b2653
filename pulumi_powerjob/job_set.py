"""``JobSet`` and ``JobSetArgs``: many jobs of one app as one resource (the fast path)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import pulumi
from pulumi import dynamic

from pulumi_powerjob.job import JobArgs
from pulumi_powerjob.providers.job_set import OUTPUT_KEYS, JobSetProvider

__all__ = ["JobSet", "JobSetArgs"]


@dataclass(kw_only=True)
class JobSetArgs:
    """The jobs of one app, by name. Each value is a ``JobArgs`` (or a map of its fields)
    without ``job_name``, ``connection`` or ``adopt_id``: the key is the job's name, the
    connection is the set's, and a set adopts by name."""

    jobs: pulumi.Input[Mapping[str, JobArgs | Mapping[str, Any]]]
    connection: pulumi.Input[str] | None = None
    """A named connection profile (``powerjob:connections``); default: ``powerjob:*``."""


class JobSet(dynamic.Resource, module="powerjob", name="JobSet"):
    """Many PowerJob jobs of one app in one engine step: time linear in their number.

    Each declared change is still exactly one ``saveJob`` or ``deleteJob``. A job whose name
    already exists in the app is taken over (adopted) rather than created again.
    """

    job_ids: pulumi.Output[dict[str, int]]
    """The id of each job, by name."""
    app_id: pulumi.Output[int]
    app_name: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: JobSetArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        jobs: Any = args.jobs
        if isinstance(jobs, Mapping):  # the usual case: values that are Outputs stay as they are
            jobs = _entries(jobs)
        else:
            jobs = pulumi.Output.from_input(jobs).apply(_entries)
        props: dict[str, Any] = {"jobs": jobs, "connection": args.connection}
        props.update(dict.fromkeys(OUTPUT_KEYS))
        super().__init__(JobSetProvider(), resource_name, props, opts)


def _entries(jobs: Mapping[str, Any]) -> dict[str, Any]:
    return {str(key): _fields(value) for key, value in jobs.items()}


def _fields(value: Any) -> Any:
    if isinstance(value, JobArgs):
        given = {f.name: getattr(value, f.name) for f in fields(value)}
        return {name: v for name, v in given.items() if v is not None}
    return value
