"""Instance wire models (reference §3.4, §3.5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import Field

from pulumi_powerjob.models.base import RequestModel, WireModel, by_code
from pulumi_powerjob.models.enums import InstanceStatus, WorkflowInstanceStatus
from pulumi_powerjob.models.job import EpochMillis

T = TypeVar("T")


class InstanceInfoDTO(WireModel):
    """A job instance (``/fetchInstanceInfo``)."""

    instance_id: int
    job_id: int | None = None
    app_id: int | None = None
    wf_instance_id: int | None = None
    job_params: str | None = None
    instance_params: str | None = None
    status: Annotated[InstanceStatus, *by_code(InstanceStatus)]
    type: int | None = None
    result: str | None = None
    expected_trigger_time: int | None = None
    actual_trigger_time: int | None = None
    finished_time: int | None = None
    task_tracker_address: str | None = None
    running_times: int | None = None
    gmt_create: datetime | None = None
    gmt_modified: datetime | None = None


class WorkflowInstanceInfoDTO(WireModel):
    """A workflow instance (``/fetchWfInstanceInfo``); ``dag`` stays a JSON string."""

    wf_instance_id: int
    id: int | None = None
    app_id: int | None = None
    workflow_id: int | None = None
    status: Annotated[WorkflowInstanceStatus, *by_code(WorkflowInstanceStatus)]
    wf_init_params: str | None = None
    wf_context: str | None = None
    dag: str | None = None
    result: str | None = None
    expected_trigger_time: int | None = None
    actual_trigger_time: int | None = None
    finished_time: int | None = None
    gmt_create: datetime | None = None
    gmt_modified: datetime | None = None


class InstancePageQuery(RequestModel):
    """Body of ``/openApi/queryInstance`` (5.1.1+)."""

    index: int = 0
    page_size: int = 10
    sort_by: str | None = None
    asc: bool = False
    app_id_eq: int | None = None
    instance_id_eq: int | None = None
    instance_id_lt: int | None = None
    instance_id_gt: int | None = None
    job_id_eq: int | None = None
    status_in: list[int] | None = None
    gmt_create_lt: EpochMillis = None
    gmt_create_gt: EpochMillis = None
    gmt_modified_lt: EpochMillis = None
    gmt_modified_gt: EpochMillis = None


class PageResult(WireModel, Generic[T]):
    """One page of a paged answer."""

    index: int = 0
    page_size: int = 0
    total_pages: int = 0
    total_items: int = 0
    data: list[T] = Field(default_factory=list)
