"""Job endpoints of the PowerJob 5.1 *emulation* (`OpenAPIController` + `JobServiceImpl`)."""

from __future__ import annotations

import json
from typing import Any

from .binding import Body, JavaEnum, Request
from .store import Ctx, Row
from .timing import FREQUENT_TYPES, TIME_EXPRESSION_TYPE, next_trigger_time, validate
from .wire import (
    JavaError,
    fastjson,
    illegal_argument,
    iso_ms,
    jstr,
    npe,
    null_id,
    powerjob,
)

EXECUTE_TYPE = JavaEnum(
    "tech.powerjob.common.enums.ExecuteType",
    (("STANDALONE", 1), ("BROADCAST", 2), ("MAP_REDUCE", 3), ("MAP", 4)),
)
PROCESSOR_TYPE = JavaEnum(
    "tech.powerjob.common.enums.ProcessorType",
    (("BUILT_IN", 1), ("EXTERNAL", 4), ("SHELL", 2), ("PYTHON", 3)),
)
DISPATCH_STRATEGY = JavaEnum(
    "tech.powerjob.common.enums.DispatchStrategy",
    (("HEALTH_FIRST", 1), ("RANDOM", 2), ("SPECIFY", 11)),
)
ENABLE, DISABLE, DELETED = 1, 2, 99
SAVE_JOB_TYPE = "tech.powerjob.common.request.http.SaveJobInfoRequest"
_MODEL = "tech.powerjob.common.model"
LIFECYCLE_TYPE = f"{_MODEL}.LifeCycle"
ALARM_KEYS = ("alertThreshold", "statisticWindowLen", "silenceWindowLen")
LOG_KEYS = ("type", "level", "loggerName")
_ADVANCED_KEYS = ("taskTrackerBehavior",)

# JobInfoDTO in the order a recorded 5.1 server writes it.
DTO_FIELDS = (
    "id", "jobName", "jobDescription", "appId", "jobParams", "timeExpressionType",
    "timeExpression", "executeType", "processorType", "processorInfo", "maxInstanceNum",
    "concurrency", "instanceTimeLimit", "instanceRetryNum", "taskRetryNum", "status",
    "nextTriggerTime", "minCpuCores", "minMemorySpace", "minDiskSpace", "designatedWorkers",
    "maxWorkerCount", "notifyUserIds", "gmtCreate", "gmtModified", "extra", "dispatchStrategy",
    "dispatchStrategyConfig", "lifecycle", "alarmConfig", "tag", "logConfig",
    "advancedRuntimeConfig",
)  # fmt: skip
# Properties `BeanUtils.copyProperties(request, jobInfoDO)` copies (same name and type).
_COPIED = (
    "id", "jobName", "jobDescription", "appId", "jobParams", "timeExpression", "processorInfo",
    "maxInstanceNum", "concurrency", "instanceTimeLimit", "instanceRetryNum", "taskRetryNum",
    "minCpuCores", "minMemorySpace", "minDiskSpace", "designatedWorkers", "maxWorkerCount",
    "extra", "dispatchStrategyConfig", "tag",
)  # fmt: skip
_DEFAULTS = {
    "maxWorkerCount": 0, "maxInstanceNum": 0, "concurrency": 5, "instanceRetryNum": 0,
    "taskRetryNum": 0, "instanceTimeLimit": 0,
}  # fmt: skip
_REQUIRED = (
    "jobName",
    "appId",
    "processorInfo",
    "executeType",
    "processorType",
    "timeExpressionType",
)


def _bind_save_request(req: Request) -> Row:
    """Jackson binding of SaveJobInfoRequest, with its Java field initialisers."""
    b = Body(req.json_body(SAVE_JOB_TYPE), SAVE_JOB_TYPE)
    return {
        "id": b.long("id"),
        "jobName": b.string("jobName"),
        "jobDescription": b.string("jobDescription"),
        "appId": b.long("appId"),
        "jobParams": b.string("jobParams"),
        "timeExpressionType": b.enum("timeExpressionType", TIME_EXPRESSION_TYPE),
        "timeExpression": b.string("timeExpression"),
        "executeType": b.enum("executeType", EXECUTE_TYPE),
        "processorType": b.enum("processorType", PROCESSOR_TYPE),
        "processorInfo": b.string("processorInfo"),
        "maxInstanceNum": b.integer("maxInstanceNum", 0),
        "concurrency": b.integer("concurrency", 5),
        "instanceTimeLimit": b.long("instanceTimeLimit", 0),
        "instanceRetryNum": b.integer("instanceRetryNum", 0),
        "taskRetryNum": b.integer("taskRetryNum", 0),
        "minCpuCores": b.double("minCpuCores"),
        "minMemorySpace": b.double("minMemorySpace"),
        "minDiskSpace": b.double("minDiskSpace"),
        "enable": b.boolean("enable", True),
        "designatedWorkers": b.string("designatedWorkers"),
        "maxWorkerCount": b.integer("maxWorkerCount", 0),
        "notifyUserIds": b.long_list("notifyUserIds"),
        "extra": b.string("extra"),
        "dispatchStrategy": b.enum("dispatchStrategy", DISPATCH_STRATEGY),
        "dispatchStrategyConfig": b.string("dispatchStrategyConfig"),
        "lifeCycle": b.bean("lifeCycle", LIFECYCLE_TYPE, start="long", end="long"),
        "alarmConfig": b.bean(
            "alarmConfig", f"{_MODEL}.AlarmConfig", **dict.fromkeys(ALARM_KEYS, "int")
        ),
        "tag": b.string("tag"),
        "logConfig": b.bean(
            "logConfig", f"{_MODEL}.LogConfig", type="int", level="int", loggerName="str"
        ),
        "advancedRuntimeConfig": b.bean(
            "advancedRuntimeConfig", f"{_MODEL}.JobAdvancedRuntimeConfig", taskTrackerBehavior="int"
        ),
    }


def check_job(ctx: Ctx, job_id: int | None, app_id: int | None) -> Row:
    """`OpenAPIController.checkJobIdValid`."""
    job = ctx.store.jobs.get(job_id) if job_id is not None else None
    if job is None:
        raise illegal_argument(f"can't find job by jobId: {jstr(job_id)}")
    if app_id is None:
        raise npe('Cannot invoke "java.lang.Long.equals(Object)" because "appId" is null')
    if app_id != job["appId"]:
        raise illegal_argument(f"this job is not belong to the app whose appId is {app_id}")
    return job


def _lifecycle(job: Row) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(job["lifecycle"] or "{}")
    return parsed


def save_job(ctx: Ctx, req: Request) -> int:
    args = _bind_save_request(req)
    ctx.begin()
    if args["id"] is not None:
        check_job(ctx, args["id"], args["appId"])
    for key in _REQUIRED:
        if args[key] is None or args[key] == "":
            raise powerjob(f"{key} can't be empty")
    now = ctx.now_ms
    job: Row = dict(
        ctx.store.jobs[args["id"]] if args["id"] is not None else dict.fromkeys(DTO_FIELDS)
    )
    job.update({key: args[key] for key in _COPIED})
    job["timeExpressionType"] = args["timeExpressionType"]
    job["executeType"] = args["executeType"]
    job["processorType"] = args["processorType"]
    job["status"] = ENABLE if args["enable"] else DISABLE
    job["dispatchStrategy"] = args["dispatchStrategy"] or 1  # null -> HEALTH_FIRST
    job.update({k: v for k, v in _DEFAULTS.items() if job[k] is None})
    if args["notifyUserIds"] is not None:
        job["notifyUserIds"] = ",".join(jstr(i) for i in args["notifyUserIds"]) or None
    life = args["lifeCycle"] or {}
    job["lifecycle"] = fastjson(life)
    start, end = life.get("start"), life.get("end")
    validate(job["timeExpressionType"], job["timeExpression"], start, end, now)
    job["nextTriggerTime"] = next_trigger_time(
        job["timeExpressionType"], job["timeExpression"], start, end, now
    )
    job["gmtModified"] = now
    if args["id"] is None:
        job["gmtCreate"] = now
    alarm = args["alarmConfig"]
    if alarm is not None:
        if None in alarm.values():
            raise powerjob("illegal alarm config!")
        job["alarmConfig"] = alarm
    for key in ("logConfig", "advancedRuntimeConfig"):
        if args[key] is not None:
            job[key] = args[key]
    job_id: int = ctx.store.next_id("job") if job["id"] is None else job["id"]
    job["id"] = job_id
    ctx.store.jobs[job_id] = job
    return job_id


def job_dto(job: Row) -> dict[str, Any]:
    """JobInfoDTO: codes for enums, comma string for users, JSON string for the lifecycle."""
    dto = {key: job[key] for key in DTO_FIELDS}
    dto["gmtCreate"] = iso_ms(job["gmtCreate"])
    dto["gmtModified"] = iso_ms(job["gmtModified"])
    configs = (
        ("alarmConfig", ALARM_KEYS),
        ("logConfig", LOG_KEYS),
        ("advancedRuntimeConfig", _ADVANCED_KEYS),
    )
    for key, names in configs:
        dto[key] = None if job[key] is None else {name: job[key].get(name) for name in names}
    return dto


def fetch_job(ctx: Ctx, req: Request) -> dict[str, Any]:
    job_id, app_id = req.long_param("jobId"), req.long_param("appId")
    ctx.begin()
    return job_dto(check_job(ctx, job_id, app_id))


def index_order(job: Row) -> tuple[int, int, bool, int, int]:
    """H2 reads by `idx01_job_info(appId, status, timeExpressionType, nextTriggerTime)`."""
    next_time = job["nextTriggerTime"]
    return (
        job["status"],
        job["timeExpressionType"],
        next_time is not None,
        next_time or 0,
        job["id"],
    )


def fetch_all_job(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    app_id = req.long_param("appId")
    ctx.begin()
    jobs = [j for j in ctx.store.jobs.values() if j["appId"] == app_id]
    return [job_dto(j) for j in sorted(jobs, key=index_order)]


def _set_status(ctx: Ctx, req: Request, status: int) -> None:
    job_id, app_id = req.long_param("jobId"), req.long_param("appId")
    ctx.begin()
    job = check_job(ctx, job_id, app_id)
    job["status"] = status
    job["gmtModified"] = ctx.now_ms


def disable_job(ctx: Ctx, req: Request) -> None:
    _set_status(ctx, req, DISABLE)


def delete_job(ctx: Ctx, req: Request) -> None:
    """Soft delete: status 99; the row stays readable."""
    _set_status(ctx, req, DELETED)


def enable_job(ctx: Ctx, req: Request) -> None:
    job_id, app_id = req.long_param("jobId"), req.long_param("appId")
    ctx.begin()
    job = check_job(ctx, job_id, app_id)
    life = _lifecycle(job)
    next_time = None
    if job["timeExpressionType"] not in FREQUENT_TYPES:
        next_time = next_trigger_time(
            job["timeExpressionType"],
            job["timeExpression"],
            life.get("start"),
            life.get("end"),
            ctx.now_ms,
        )
    job.update(status=ENABLE, nextTriggerTime=next_time, gmtModified=ctx.now_ms)


def copy_job(ctx: Ctx, req: Request) -> int:
    """No app check at all; the copy keeps every column, including the status."""
    job_id = req.long_param("jobId")
    ctx.begin()
    if job_id is None:
        raise null_id()
    origin = ctx.store.jobs.get(job_id)
    if origin is None:
        raise illegal_argument(f"can't find job by jobId: {job_id}")
    if origin["status"] == DELETED:
        raise JavaError("IllegalStateException", "can't copy the job which has been deleted!")
    copy = dict(origin, id=ctx.store.next_id("job"), jobName=f"{origin['jobName']}_COPY")
    copy.update(gmtCreate=ctx.now_ms, gmtModified=ctx.now_ms)
    ctx.store.jobs[copy["id"]] = copy
    return int(copy["id"])


# SaveJobInfoRequest fields in declaration order (the `data` of /exportJob).
_EXPORT_FIELDS = (
    "id", "jobName", "jobDescription", "appId", "jobParams", "timeExpressionType",
    "timeExpression", "executeType", "processorType", "processorInfo", "maxInstanceNum",
    "concurrency", "instanceTimeLimit", "instanceRetryNum", "taskRetryNum", "minCpuCores",
    "minMemorySpace", "minDiskSpace", "enable", "designatedWorkers", "maxWorkerCount",
    "notifyUserIds", "extra", "dispatchStrategy", "dispatchStrategyConfig", "lifeCycle",
    "alarmConfig", "tag", "logConfig", "advancedRuntimeConfig",
)  # fmt: skip


def export_job(ctx: Ctx, req: Request) -> dict[str, Any]:
    """The job as a SaveJobInfoRequest: enum names, `enable` always true, `id` null."""
    job_id, app_id = req.long_param("jobId"), req.long_param("appId")
    ctx.begin()
    job = check_job(ctx, job_id, app_id)
    dto = job_dto(job)
    exported = {key: dto.get(key) for key in _EXPORT_FIELDS}
    life = _lifecycle(job)
    users = job["notifyUserIds"]
    exported.update(
        id=None,
        jobName=f"{job['jobName']}_EXPORT_{ctx.now_ms}",
        timeExpressionType=TIME_EXPRESSION_TYPE.name_of(job["timeExpressionType"]),
        executeType=EXECUTE_TYPE.name_of(job["executeType"]),
        processorType=PROCESSOR_TYPE.name_of(job["processorType"]),
        enable=True,
        notifyUserIds=[int(u) for u in users.split(",")] if users else None,
        dispatchStrategy=DISPATCH_STRATEGY.name_of(job["dispatchStrategy"]),
        lifeCycle={"start": life.get("start"), "end": life.get("end")},
        advancedRuntimeConfig=None,  # JobConverter does not map it back
    )
    return exported
