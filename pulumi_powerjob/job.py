"""``Job`` and ``JobArgs``: a PowerJob job as a Pulumi resource."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypedDict

import pulumi
from pulumi import dynamic

from pulumi_powerjob.providers.job import OUTPUT_KEYS, JobProvider
from pulumi_powerjob.reconcile.ownership import OWNER
from pulumi_powerjob.resource_urn import owner_urn

__all__ = ["AlarmConfigArgs", "Job", "JobArgs", "LifecycleArgs", "LogConfigArgs"]


class LifecycleArgs(TypedDict, total=False):
    """When the job may fire, epoch milliseconds; ``end`` must be in the future."""

    start: int
    end: int


class AlarmConfigArgs(TypedDict):
    """Alert after ``alert_threshold`` failures within ``statistic_window_len`` seconds."""

    alert_threshold: int
    statistic_window_len: int
    silence_window_len: int


class LogConfigArgs(TypedDict, total=False):
    """Log destination (ONLINE, LOCAL, STDOUT, LOCAL_AND_ONLINE, NULL) and level."""

    type: str
    level: str
    logger_name: str


class AdvancedRuntimeConfigArgs(TypedDict, total=False):
    """``task_tracker_behavior``: NORMAL or PADDLING (MAP / MAP_REDUCE jobs)."""

    task_tracker_behavior: str


@dataclass(kw_only=True)
class JobArgs:
    """The declared state of a job. Unset fields take the server's defaults."""

    processor_info: pulumi.Input[str]
    """What runs: a processor class name, a bean name or a script (required)."""
    time_expression_type: pulumi.Input[str]
    """API, CRON, FIXED_RATE, FIXED_DELAY, WORKFLOW or DAILY_TIME_INTERVAL."""
    time_expression: pulumi.Input[str | int] | None = None
    """Quartz cron (6 or 7 fields), a rate/delay in ms (1..120000) or a daily-interval JSON."""
    job_name: pulumi.Input[str] | None = None
    """The job's name on the server; defaults to the resource name. Not unique in PowerJob."""
    job_description: pulumi.Input[str] | None = None
    """Free text shown in the console."""
    job_params: pulumi.Input[str] | None = None
    """Parameters handed to the processor (JSON by convention)."""
    execute_type: pulumi.Input[str] | None = None
    """STANDALONE (default), BROADCAST, MAP or MAP_REDUCE."""
    processor_type: pulumi.Input[str] | None = None
    """BUILT_IN (default), EXTERNAL, SHELL or PYTHON."""
    max_instance_num: pulumi.Input[int] | None = None
    """Most instances running at once; 0 (default) means no limit."""
    concurrency: pulumi.Input[int] | None = None
    """Threads per worker; default 5."""
    instance_time_limit: pulumi.Input[int] | None = None
    """Milliseconds an instance may run; 0 (default) means no limit."""
    instance_retry_num: pulumi.Input[int] | None = None
    """Retries of a failed instance; default 0."""
    task_retry_num: pulumi.Input[int] | None = None
    """Retries of a failed task; default 0."""
    min_cpu_cores: pulumi.Input[float] | None = None
    """Cores a worker must have free; default 0."""
    min_memory_space: pulumi.Input[float] | None = None
    """GB of memory a worker must have free; default 0."""
    min_disk_space: pulumi.Input[float] | None = None
    """GB of disk a worker must have free; default 0."""
    enabled: pulumi.Input[bool] | None = None
    """Whether the job is scheduled; default true. Changing it is one saveJob."""
    designated_workers: pulumi.Input[str] | None = None
    """Comma list of worker addresses or tags allowed to run the job."""
    max_worker_count: pulumi.Input[int] | None = None
    """Most workers taking part; 0 (default) means no limit."""
    notify_user_ids: pulumi.Input[list[int]] | None = None
    """Users alerted on failure."""
    extra: pulumi.Input[str] | None = None
    """Opaque extension data stored with the job."""
    dispatch_strategy: pulumi.Input[str] | None = None
    """HEALTH_FIRST (default), RANDOM or SPECIFY."""
    dispatch_strategy_config: pulumi.Input[str] | None = None
    """For SPECIFY: ``tagIn:<tag>``, ``tagEquals:<tag>`` or a list of addresses or tags."""
    lifecycle: pulumi.Input[LifecycleArgs] | None = None
    """When the job may fire."""
    alarm_config: pulumi.Input[AlarmConfigArgs] | None = None
    """When to alert; all three numbers are required."""
    tag: pulumi.Input[str] | None = None
    """A grouping label."""
    log_config: pulumi.Input[LogConfigArgs] | None = None
    """Where and at which level the job logs."""
    advanced_runtime_config: pulumi.Input[AdvancedRuntimeConfigArgs] | None = None
    """Advanced runtime switches."""
    connection: pulumi.Input[str] | None = None
    """A named connection profile (``powerjob:connections``); default: ``powerjob:*``."""
    adopt_id: pulumi.Input[int] | None = None
    """Take over this existing job instead of creating one (``pulumi import`` cannot work)."""


class Job(dynamic.Resource, module="powerjob", name="Job"):
    """A PowerJob job. Each declared change is exactly one ``saveJob`` on the server."""

    job_id: pulumi.Output[int]
    """The job's id on the server."""
    app_id: pulumi.Output[int]
    app_name: pulumi.Output[str]
    status: pulumi.Output[str]
    """ENABLE or DISABLE, as the server reports it."""
    next_trigger_time: pulumi.Output[int | None]
    """Epoch ms of the next run, as the server computed it (never diffed)."""
    console_url: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: JobArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = {f.name: getattr(args, f.name) for f in fields(args)}
        if props["job_name"] is None:
            props["job_name"] = resource_name
        props.update(dict.fromkeys(OUTPUT_KEYS))
        props[OWNER] = owner_urn(resource_name, "Job", opts)
        super().__init__(JobProvider(), resource_name, props, opts)
