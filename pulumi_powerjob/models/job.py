"""Job wire models: ``SaveJobInfoRequest`` (reference §3.1) and ``JobInfoDTO`` (§3.2)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from pulumi_powerjob.models.base import RequestModel, WireModel, by_code, by_name
from pulumi_powerjob.models.enums import (
    DispatchStrategy,
    ExecuteType,
    LogLevel,
    LogType,
    ProcessorType,
    SwitchableStatus,
    TaskTrackerBehavior,
    TimeExpressionType,
)


def _ids_from_wire(value: Any) -> Any:
    """``notifyUserIds`` is a list in requests and a comma string in answers."""
    if isinstance(value, str):
        return [int(part) for part in value.split(",") if part.strip()]
    return value


def _lifecycle_from_wire(value: Any) -> Any:
    """``lifecycle`` in answers is a JSON-encoded string such as ``"{}"``."""
    if isinstance(value, str):
        return json.loads(value) if value.strip() else {}
    return value


EpochMillis = Annotated[
    datetime | None,
    PlainSerializer(lambda d: None if d is None else int(d.timestamp() * 1000)),
]
"""Date filters go out as epoch milliseconds, as the Java client sends them."""

NotifyUserIds = Annotated[list[int] | None, BeforeValidator(_ids_from_wire)]


class LifeCycle(WireModel):
    """When a job may fire: epoch milliseconds, both optional."""

    start: int | None = None
    end: int | None = None


class AlarmConfig(WireModel):
    """Alert after ``alert_threshold`` failures within ``statistic_window_len`` seconds."""

    alert_threshold: int | None = None
    statistic_window_len: int | None = None
    silence_window_len: int | None = None


class LogConfig(WireModel):
    """Where and at which level a job logs."""

    type: Annotated[LogType | None, *by_code(LogType)] = None
    level: Annotated[LogLevel | None, *by_code(LogLevel)] = None
    logger_name: str | None = None


class JobAdvancedRuntimeConfig(WireModel):
    """Advanced runtime switches (4.3.8+)."""

    task_tracker_behavior: Annotated[TaskTrackerBehavior | None, *by_code(TaskTrackerBehavior)] = (
        None
    )


class SaveJobInfoRequest(RequestModel):
    """Body of ``/openApi/saveJob``; ``id`` set means a full in-place update.

    Unset fields take the server's defaults; ``app_id`` is filled in by the client.
    """

    id: int | None = None
    job_name: str
    job_description: str | None = None
    app_id: int | None = None
    """Left out: ``PowerJobClient`` always sends its own app's id."""
    job_params: str | None = None
    time_expression_type: Annotated[TimeExpressionType, *by_name(TimeExpressionType)]
    time_expression: str | None = None
    execute_type: Annotated[ExecuteType, *by_name(ExecuteType)] = ExecuteType.STANDALONE
    processor_type: Annotated[ProcessorType, *by_name(ProcessorType)] = ProcessorType.BUILT_IN
    processor_info: str
    max_instance_num: int = 0
    concurrency: int = 5
    instance_time_limit: int = 0
    instance_retry_num: int = 0
    task_retry_num: int = 0
    min_cpu_cores: float = 0.0
    min_memory_space: float = 0.0
    min_disk_space: float = 0.0
    enable: bool = True
    designated_workers: str | None = None
    max_worker_count: int = 0
    notify_user_ids: NotifyUserIds = None
    extra: str | None = None
    dispatch_strategy: Annotated[DispatchStrategy, *by_name(DispatchStrategy)] | None = None
    dispatch_strategy_config: str | None = None
    life_cycle: LifeCycle | None = None
    alarm_config: AlarmConfig | None = None
    tag: str | None = None
    log_config: LogConfig | None = None
    advanced_runtime_config: JobAdvancedRuntimeConfig | None = None


class JobInfoDTO(WireModel):
    """A job as the server reports it (``/fetchJob``, ``/fetchAllJob``, ``/queryJob``)."""

    id: int
    job_name: str | None = None
    job_description: str | None = None
    app_id: int
    job_params: str | None = None
    time_expression_type: Annotated[TimeExpressionType, *by_code(TimeExpressionType)]
    time_expression: str | None = None
    execute_type: Annotated[ExecuteType, *by_code(ExecuteType)]
    processor_type: Annotated[ProcessorType, *by_code(ProcessorType)]
    processor_info: str | None = None
    max_instance_num: int = 0
    concurrency: int = 5
    instance_time_limit: int = 0
    instance_retry_num: int = 0
    task_retry_num: int = 0
    status: Annotated[SwitchableStatus, *by_code(SwitchableStatus)]
    next_trigger_time: int | None = None
    min_cpu_cores: float = 0.0
    min_memory_space: float = 0.0
    min_disk_space: float = 0.0
    designated_workers: str | None = None
    max_worker_count: int = 0
    notify_user_ids: NotifyUserIds = None
    gmt_create: datetime | None = None
    gmt_modified: datetime | None = None
    extra: str | None = None
    dispatch_strategy: Annotated[DispatchStrategy | None, *by_code(DispatchStrategy)] = None
    dispatch_strategy_config: str | None = None
    lifecycle: Annotated[LifeCycle | None, BeforeValidator(_lifecycle_from_wire)] = None
    alarm_config: AlarmConfig | None = None
    tag: str | None = None
    log_config: LogConfig | None = None
    advanced_runtime_config: JobAdvancedRuntimeConfig | None = None

    @property
    def deleted(self) -> bool:
        """Deleted jobs stay readable with status 99."""
        return self.status is SwitchableStatus.DELETED


class JobInfoQuery(RequestModel):
    """Body of ``/openApi/queryJob`` (no paging; deleted jobs included unless filtered)."""

    app_id_eq: int | None = None
    id_eq: int | None = None
    id_lt: int | None = None
    id_gt: int | None = None
    job_name_eq: str | None = None
    job_name_like: str | None = None
    job_description_like: str | None = None
    job_params_like: str | None = None
    time_expression_type_in: list[int] | None = None
    execute_type_in: list[int] | None = None
    processor_type_in: list[int] | None = None
    status_in: list[int] | None = None
    processor_info_eq: str | None = None
    processor_info_like: str | None = None
    next_trigger_time_gt: int | None = None
    next_trigger_time_lt: int | None = None
    notify_user_ids_like: str | None = None
    gmt_create_lt: EpochMillis = None
    gmt_create_gt: EpochMillis = None
    gmt_modified_lt: EpochMillis = None
    gmt_modified_gt: EpochMillis = None
    dispatch_strategy_eq: int | None = None
    tag_eq: str | None = None


__all__ = [
    "AlarmConfig",
    "JobAdvancedRuntimeConfig",
    "JobInfoDTO",
    "JobInfoQuery",
    "LifeCycle",
    "LogConfig",
    "SaveJobInfoRequest",
]
