"""``JobSpec`` <-> wire: the desired state as a complete save request, and a read back."""

from __future__ import annotations

from pulumi_powerjob.models import (
    AlarmConfig,
    JobAdvancedRuntimeConfig,
    JobInfoDTO,
    LifeCycle,
    LogConfig,
    SaveJobInfoRequest,
    SwitchableStatus,
)
from pulumi_powerjob.reconcile import ownership
from pulumi_powerjob.reconcile.job_spec import JobSpec


def spec_to_request(
    spec: JobSpec, app_id: int, job_id: int | None = None, mark: str | None = None
) -> SaveJobInfoRequest:
    """The complete desired state; explicit empty values reset what the server would keep.

    ``mark`` (``ownership``) goes into ``extra`` when the spec declares none.
    """
    lifecycle = spec.lifecycle
    alarm = spec.alarm_config
    log = spec.log_config
    advanced = spec.advanced_runtime_config
    return SaveJobInfoRequest.model_validate(
        {
            "id": job_id,
            "app_id": app_id,
            "job_name": spec.job_name,
            "job_description": spec.job_description,
            "job_params": spec.job_params,
            "time_expression_type": spec.time_expression_type,
            "time_expression": spec.time_expression,
            "execute_type": spec.execute_type,
            "processor_type": spec.processor_type,
            "processor_info": spec.processor_info,
            "max_instance_num": spec.max_instance_num,
            "concurrency": spec.concurrency,
            "instance_time_limit": spec.instance_time_limit,
            "instance_retry_num": spec.instance_retry_num,
            "task_retry_num": spec.task_retry_num,
            "min_cpu_cores": spec.min_cpu_cores,
            "min_memory_space": spec.min_memory_space,
            "min_disk_space": spec.min_disk_space,
            "enable": spec.enabled,
            "designated_workers": spec.designated_workers,
            "max_worker_count": spec.max_worker_count,
            "notify_user_ids": list(spec.notify_user_ids),  # [] clears; null would keep
            "extra": ownership.on_server(spec.extra, mark),
            "dispatch_strategy": spec.dispatch_strategy,
            "dispatch_strategy_config": spec.dispatch_strategy_config,
            "tag": spec.tag,
            "life_cycle": LifeCycle(
                start=lifecycle.start if lifecycle else None,
                end=lifecycle.end if lifecycle else None,
            ),
            "alarm_config": AlarmConfig.model_validate(
                alarm.model_dump()
                if alarm
                else {"alert_threshold": 0, "statistic_window_len": 0, "silence_window_len": 0}
            ),
            "log_config": LogConfig.model_validate(log.model_dump() if log else {}),
            "advanced_runtime_config": JobAdvancedRuntimeConfig.model_validate(
                advanced.model_dump() if advanced else {}
            ),
        }
    )


def dto_to_spec(job: JobInfoDTO) -> JobSpec:
    """The server's view of a job in the declared shape (canonical, never refused)."""
    return _wire_to_spec(job, job.status is SwitchableStatus.ENABLE, job.lifecycle)


def request_to_spec(request: SaveJobInfoRequest) -> JobSpec:
    """A save request (as ``/exportJob`` returns it) in the declared shape."""
    return _wire_to_spec(request, request.enable, request.life_cycle)


def _wire_to_spec(
    job: JobInfoDTO | SaveJobInfoRequest, enabled: bool, lifecycle: LifeCycle | None
) -> JobSpec:
    log = job.log_config
    advanced = job.advanced_runtime_config
    alarm = job.alarm_config
    return JobSpec.model_validate(
        {
            "job_name": job.job_name or "",
            "job_description": job.job_description,
            "job_params": job.job_params,
            "time_expression_type": job.time_expression_type.name,
            "time_expression": job.time_expression,
            "execute_type": job.execute_type.name,
            "processor_type": job.processor_type.name,
            "processor_info": job.processor_info or "",
            "max_instance_num": job.max_instance_num,
            "concurrency": job.concurrency,
            "instance_time_limit": job.instance_time_limit,
            "instance_retry_num": job.instance_retry_num,
            "task_retry_num": job.task_retry_num,
            "min_cpu_cores": job.min_cpu_cores,
            "min_memory_space": job.min_memory_space,
            "min_disk_space": job.min_disk_space,
            "enabled": enabled,
            "designated_workers": job.designated_workers,
            "max_worker_count": job.max_worker_count,
            "notify_user_ids": job.notify_user_ids or [],
            "extra": ownership.declared(job.extra),
            "dispatch_strategy": job.dispatch_strategy.name if job.dispatch_strategy else None,
            "dispatch_strategy_config": job.dispatch_strategy_config,
            "tag": job.tag,
            "lifecycle": lifecycle.model_dump() if lifecycle else None,
            "alarm_config": {k: v or 0 for k, v in alarm.model_dump().items()} if alarm else None,
            "log_config": {
                "type": log.type.name if log.type else None,
                "level": log.level.name if log.level else None,
                "logger_name": log.logger_name,
            }
            if log
            else None,
            "advanced_runtime_config": {
                "task_tracker_behavior": advanced.task_tracker_behavior.name
                if advanced.task_tracker_behavior
                else None
            }
            if advanced
            else None,
        },
        context={"read": True},
    )
