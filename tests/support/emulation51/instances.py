"""Job instances of the PowerJob 5.1 *emulation*: runJob and the instance endpoints.

No worker is ever connected, so a dispatched instance ends FAILED with "no worker available",
as on a worker-less real server. A delayed run waits in the "time wheel" (WAITING_DISPATCH)
until the injected clock reaches its expected trigger time.
"""

from __future__ import annotations

from typing import Any

from .binding import Request
from .jobs import check_job
from .store import Ctx, Row, Store
from .wire import illegal_argument, iso_ms, jstr, npe, powerjob

WAITING_DISPATCH, RUNNING, FAILED, SUCCEED, CANCELED, STOPPED = 1, 3, 4, 5, 9, 10
_RUNNING_LIKE = frozenset({1, 2, 3})
_FINISHED = frozenset({FAILED, SUCCEED, CANCELED, STOPPED})
NO_WORKER = "no worker available"
DTO_FIELDS = (
    "jobId", "appId", "instanceId", "wfInstanceId", "jobParams", "instanceParams", "status",
    "type", "result", "expectedTriggerTime", "actualTriggerTime", "finishedTime",
    "taskTrackerAddress", "runningTimes", "gmtCreate", "gmtModified",
)  # fmt: skip


def settle(store: Store, now_ms: int) -> None:
    """Dispatch whatever the time wheel holds that is due: no worker, so it fails."""
    for row in store.instances.values():
        if row["status"] == WAITING_DISPATCH and row["expectedTriggerTime"] <= now_ms:
            row.update(status=FAILED, result=NO_WORKER, finishedTime=now_ms, gmtModified=now_ms)


def _create_instance(ctx: Ctx, job: Row, instance_params: str | None, delay: int) -> int:
    now = ctx.now_ms
    instance_id = ctx.store.snowflake(now)
    row: Row = dict.fromkeys(DTO_FIELDS)
    row.update(
        jobId=job["id"],
        appId=job["appId"],
        instanceId=instance_id,
        wfInstanceId=None,
        jobParams=job["jobParams"],
        instanceParams=instance_params,
        status=WAITING_DISPATCH,
        type=1,  # NORMAL; workflow runs create no job instances in the emulation
        expectedTriggerTime=now + max(delay, 0),
        runningTimes=0,
        gmtCreate=now,
        gmtModified=now,
    )
    ctx.store.instances[instance_id] = row
    settle(ctx.store, now)
    return instance_id


def run_job(ctx: Ctx, req: Request) -> int:
    """No status check: disabled and deleted jobs run too."""
    app_id, job_id = req.long_param("appId"), req.long_param("jobId")
    params, delay = req.param("instanceParams"), req.long_param("delay")
    ctx.begin()
    job = check_job(ctx, job_id, app_id)
    return _create_instance(ctx, job, params, delay or 0)


def _instance(ctx: Ctx, instance_id: int | None) -> Row:
    row = ctx.store.instances.get(instance_id) if instance_id is not None else None
    if row is None:
        raise illegal_argument(f"invalid instanceId: {jstr(instance_id)}")
    return row


def _checked(ctx: Ctx, req: Request) -> Row:
    """Bind `instanceId`/`appId`, start the handler, run `checkInstanceIdValid`."""
    instance_id, app_id = req.long_param("instanceId"), req.long_param("appId")
    ctx.begin()
    row = ctx.store.instances.get(instance_id) if instance_id is not None else None
    if row is None:
        raise illegal_argument(f"can't find instance by instanceId: {jstr(instance_id)}")
    if app_id is None:
        raise npe('Cannot invoke "java.lang.Long.equals(Object)" because "appId" is null')
    if app_id != row["appId"]:
        raise illegal_argument(f"instance is not belong to the app whose appId is {app_id}")
    return row


def instance_dto(row: Row) -> dict[str, Any]:
    dto = {key: row[key] for key in DTO_FIELDS}
    dto["gmtCreate"] = iso_ms(row["gmtCreate"])
    dto["gmtModified"] = iso_ms(row["gmtModified"])
    return dto


def fetch_instance_status(ctx: Ctx, req: Request) -> int:
    instance_id = req.long_param("instanceId")
    ctx.begin()
    return int(_instance(ctx, instance_id)["status"])


def fetch_instance_info(ctx: Ctx, req: Request) -> dict[str, Any]:
    instance_id = req.long_param("instanceId")
    ctx.begin()
    return instance_dto(_instance(ctx, instance_id))


def stop_instance(ctx: Ctx, req: Request) -> None:
    row = _checked(ctx, req)
    if row["status"] not in _RUNNING_LIKE:
        raise illegal_argument("can't stop finished instance!")
    now = ctx.now_ms
    row.update(status=STOPPED, result="stopped by user", finishedTime=now, gmtModified=now)


def cancel_instance(ctx: Ctx, req: Request) -> None:
    row = _checked(ctx, req)
    if row["status"] != WAITING_DISPATCH:
        raise powerjob("instance already up and running")
    row.update(status=CANCELED, result="canceled by user", gmtModified=ctx.now_ms)


def retry_instance(ctx: Ctx, req: Request) -> None:
    row = _checked(ctx, req)
    if row["status"] not in _FINISHED:
        raise powerjob("Only stopped instance can be retry!")
    if row["wfInstanceId"] is not None:
        raise powerjob("Workflow's instance do not support retry!")
    now = ctx.now_ms
    row.update(
        status=WAITING_DISPATCH,
        expectedTriggerTime=now,
        finishedTime=None,
        actualTriggerTime=None,
        taskTrackerAddress=None,
        result=None,
        gmtModified=now,
    )
    settle(ctx.store, now)
