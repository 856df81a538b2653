"""/queryJob of the PowerJob 5.1 *emulation*: JobInfoQuery predicates (`QueryConvertUtils`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .binding import Body, Request
from .jobs import index_order, job_dto
from .store import Ctx, Row
from .wire import not_readable


def _like(pattern: str) -> re.Pattern[str]:
    """`QueryConvertUtils.convertLikeParams` + SQL LIKE."""
    if "%" not in pattern:
        pattern = f"%{pattern}%"
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(regex, re.DOTALL)


_QUERY_FILTERS: dict[str, tuple[str, str]] = {
    "appIdEq": ("appId", "eq"), "idEq": ("id", "eq"), "idLt": ("id", "lt"), "idGt": ("id", "gt"),
    "jobNameEq": ("jobName", "eq:str"), "jobNameLike": ("jobName", "like"),
    "jobDescriptionLike": ("jobDescription", "like"), "jobParamsLike": ("jobParams", "like"),
    "processorInfoEq": ("processorInfo", "eq:str"), "processorInfoLike": ("processorInfo", "like"),
    "notifyUserIdsLike": ("notifyUserIds", "like"), "tagEq": ("tag", "eq:str"),
    "dispatchStrategyEq": ("dispatchStrategy", "eq"),
    "nextTriggerTimeGt": ("nextTriggerTime", "gt"), "nextTriggerTimeLt": ("nextTriggerTime", "lt"),
    "gmtCreateGt": ("gmtCreate", "gt:date"), "gmtCreateLt": ("gmtCreate", "lt:date"),
    "gmtModifiedGt": ("gmtModified", "gt:date"), "gmtModifiedLt": ("gmtModified", "lt:date"),
    "timeExpressionTypeIn": ("timeExpressionType", "in"), "executeTypeIn": ("executeType", "in"),
    "processorTypeIn": ("processorType", "in"), "statusIn": ("status", "in"),
}  # fmt: skip


def _date(body: Body, key: str) -> int | None:
    """A `java.util.Date` filter: epoch milliseconds or an ISO-8601 string."""
    value = body.raw.get(key)
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        try:
            return int(dt.datetime.fromisoformat(value).timestamp() * 1000)
        except ValueError:
            raise not_readable(
                "JSON parse error: Cannot deserialize value of type `java.util.Date` "
                f'from String "{value}"'
            ) from None
    return body.long(key, java_type="java.util.Date")


def _bind_query(req: Request) -> list[tuple[str, str, Any]]:
    """JobInfoQuery: every non-null field is one predicate (unknown keys are ignored)."""
    body = Body(req.json_body("tech.powerjob.common.request.query.JobInfoQuery"), "JobInfoQuery")
    filters: list[tuple[str, str, Any]] = []
    for key, (column, spec) in _QUERY_FILTERS.items():
        op, _, kind = spec.partition(":")
        value: Any
        if op == "in":
            value = body.long_list(key)
        elif op == "like" or kind == "str":
            value = body.string(key)
        elif kind == "date":
            value = _date(body, key)
        else:
            value = body.long(key)
        if value is not None:
            filters.append((column, op, _like(value) if op == "like" else value))
    return filters


def _matches(job: Row, filters: list[tuple[str, str, Any]]) -> bool:
    for column, op, wanted in filters:
        actual = job[column]
        if op == "in":
            ok = actual in wanted
        elif actual is None:
            ok = False  # SQL: comparisons with NULL are never true
        elif op == "eq":
            ok = actual == wanted
        elif op == "like":
            ok = bool(wanted.fullmatch(str(actual)))
        else:
            ok = actual < wanted if op == "lt" else actual > wanted
        if not ok:
            return False
    return True


def query_job(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    filters = _bind_query(req)
    ctx.begin()
    found = [j for j in ctx.store.jobs.values() if _matches(j, filters)]
    by_index = any(column == "appId" for column, _, _ in filters)
    found.sort(key=index_order if by_index else (lambda j: j["id"]))
    return [job_dto(j) for j in found]
