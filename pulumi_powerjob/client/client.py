"""``PowerJobClient``: one method per OpenAPI path; every mutation is sent at most once.

Only this package knows paths and header names. Answers are validated into wire models;
``success: false`` becomes ``ApiError`` (or a subclass) with the server's message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter

from pulumi_powerjob.client import deadline
from pulumi_powerjob.client.auth import SENT, PowerJobAuth
from pulumi_powerjob.client.outcome import UNTRUSTED, answer, describe, failure
from pulumi_powerjob.client.transport import build_transport, timeouts
from pulumi_powerjob.errors import (
    AuthenticationError,
    OutcomeUnknownError,
    PowerJobError,
    TransportError,
)
from pulumi_powerjob.models import (
    InstanceInfoDTO,
    InstancePageQuery,
    JobInfoDTO,
    JobInfoQuery,
    PageResult,
    RequestModel,
    SaveJobInfoRequest,
    SaveWorkflowNodeRequest,
    SaveWorkflowRequest,
    WorkflowInfoVO,
    WorkflowInstanceInfoDTO,
    WorkflowNodeInfo,
)
from pulumi_powerjob.settings import ConnectionSettings

log = logging.getLogger(__name__)
T = TypeVar("T")

OPENAPI = "/openApi/"
NO_ENDPOINT = "no such endpoint; is this a PowerJob server of a version that has it?"
_INT: TypeAdapter[int] = TypeAdapter(int)
_NONE: TypeAdapter[object] = TypeAdapter(object)
_JOB: TypeAdapter[JobInfoDTO] = TypeAdapter(JobInfoDTO)
_JOBS: TypeAdapter[list[JobInfoDTO]] = TypeAdapter(list[JobInfoDTO])
_SAVE_JOB: TypeAdapter[SaveJobInfoRequest] = TypeAdapter(SaveJobInfoRequest)
_WORKFLOW: TypeAdapter[WorkflowInfoVO] = TypeAdapter(WorkflowInfoVO)
_NODES: TypeAdapter[list[WorkflowNodeInfo]] = TypeAdapter(list[WorkflowNodeInfo])
_INSTANCE: TypeAdapter[InstanceInfoDTO] = TypeAdapter(InstanceInfoDTO)
_INSTANCES: TypeAdapter[PageResult[InstanceInfoDTO]] = TypeAdapter(PageResult[InstanceInfoDTO])
_WF_INSTANCE: TypeAdapter[WorkflowInstanceInfoDTO] = TypeAdapter(WorkflowInstanceInfoDTO)


def _json(model: RequestModel) -> Any:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


_APP_NAME_TEXTS = ("INVALID_APP", "can't find appInfo by appName")


def _setting_for(exc: PowerJobError, settings: ConnectionSettings) -> str | None:
    """The setting (of the settings' profile) whose value would fix ``exc``, if one would."""
    if isinstance(exc, AuthenticationError):
        message = exc.server_message or ""
        wrong_app = any(t in message for t in _APP_NAME_TEXTS)
        return settings.setting("appName" if wrong_app else "password")
    if isinstance(exc, TransportError) and not isinstance(exc, OutcomeUnknownError):
        if exc.reason.startswith(UNTRUSTED):
            return settings.setting("caBundle")
        return settings.setting("address") if exc.reason.startswith("could not connect") else None
    return None


@dataclass(frozen=True)
class SavedWorkflow:
    """What ``save_workflow_with_nodes`` made or kept: the workflow and its nodes' ids."""

    workflow_id: int
    node_ids: dict[str, int]
    """Node id by node name."""


class PowerJobClient:
    """A client for one PowerJob app; thread-safe, sync, usable on its own in scripts.

    Use it as a context manager (or call ``close()``). Request models need no ``app_id``: the
    client sends its own. Every mutation is sent at most once: a certified auth rejection is
    the only resend, and a lost answer raises ``OutcomeUnknownError`` (read to settle it).
    """

    def __init__(
        self,
        settings: ConnectionSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._auth = PowerJobAuth(settings, clock=clock)
        self._http = httpx.Client(
            base_url=settings.addresses[0],
            transport=transport or build_transport(settings),
            timeout=timeouts(settings),
            auth=self._auth,
            follow_redirects=False,
            # build_transport applies the environment's proxies and CA file (settings.trust_env);
            # here it would only add ~/.netrc credentials
            trust_env=False,
        )

    def __repr__(self) -> str:
        return (
            f"PowerJobClient(addresses={self.settings.addresses!r}, app={self.settings.app_name!r})"
        )

    def __enter__(self) -> PowerJobClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- session ---------------------------------------------------------------------------

    def login(self) -> int:
        """Authenticate now, unless this process holds a valid session already; the app id.

        Optional: every call logs in first when it needs to. Call it to fail early on a wrong
        address, app name or password. A 4.3 server checks the app by name (and password).
        """
        session = self._auth.session
        with self._context(), session.lock:
            if self._auth._needs_auth():
                flow = self._auth.authenticate(self._http.base_url)
                try:
                    request = next(flow)
                    while True:
                        response = self._send_plain(request)
                        request = flow.send(response)
                except StopIteration:
                    pass
            assert session.app_id is not None
            return session.app_id

    @property
    def app_id(self) -> int:
        """The app's id; the first access calls ``login()`` (network) if nothing did yet."""
        return self.login()

    @property
    def server_line(self) -> str:
        """``"4.3"`` or ``"5.1"``: which OpenAPI auth the server speaks (logs in if needed)."""
        self.login()
        return self._auth.session.line or "unknown"

    def context(self) -> AbstractContextManager[None]:
        """Errors raised inside name the app and, where one fixes it, the setting, as the
        client's own calls do (for helpers that make several calls)."""
        return self._context()

    @contextmanager
    def _context(self) -> Iterator[None]:
        """Errors leave the client naming the app and, where one fixes them, the setting."""
        try:
            yield
        except PowerJobError as exc:
            exc.add_context(self.settings.app_name, _setting_for(exc, self.settings))
            raise

    def _send_plain(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._http.send(request, auth=None)
        except httpx.HTTPError as exc:
            raise TransportError(request.url.path.rsplit("/", 1)[-1], describe(exc)) from None

    # -- the one choke point ---------------------------------------------------------------

    def _call(
        self,
        endpoint: str,
        adapter: TypeAdapter[T],
        *,
        json: Any = None,
        form: Mapping[str, Any] | None = None,
        mutating: bool,
    ) -> T:
        data = None if form is None else {k: str(v) for k, v in form.items() if v is not None}
        request = self._http.build_request("POST", OPENAPI + endpoint, json=json, data=data)
        bounded = self._bounded(endpoint, mutating)
        if bounded is not None:
            request.extensions["timeout"] = bounded.as_dict()
        with self._context():
            try:
                response = self._http.send(request)
            except PowerJobError:
                raise
            except httpx.HTTPError as exc:
                sent = bool(request.extensions.get(SENT))
                raise failure(endpoint, exc, mutating=mutating, sent=sent) from None
            log.debug("%s -> HTTP %s", endpoint, response.status_code)
            return answer(endpoint, response, adapter, mutating=mutating, missing=NO_ENDPOINT)

    def _bounded(self, endpoint: str, mutating: bool) -> httpx.Timeout | None:
        """The request's timeouts within the operation's ``customTimeouts`` (``deadline``)."""
        left = deadline.remaining()
        if left is None:
            return None
        if mutating and left <= 0:
            raise TransportError(
                endpoint,
                f"not sent: the operation's customTimeouts ({deadline.given():g} s) ran out "
                "before it",
            )
        full = self._http.timeout
        return httpx.Timeout(
            connect=full.connect,
            read=deadline.capped(full.read or self.settings.read_timeout),
            write=deadline.capped(full.write or self.settings.read_timeout),
            pool=full.pool,
        )

    def _app_form(self, **ids: Any) -> dict[str, Any]:
        return {**ids, "appId": self.app_id}

    # -- jobs ------------------------------------------------------------------------------

    def save_job(self, request: SaveJobInfoRequest) -> int:
        """``/saveJob``: create (no id) or fully replace (id) a job of this app; the job id."""
        body = _json(request.model_copy(update={"app_id": self.app_id}))
        return self._call("saveJob", _INT, json=body, mutating=True)

    def copy_job(self, job_id: int) -> int:
        """``/copyJob``: a copy named ``<name>_COPY``; the new job id."""
        return self._call("copyJob", _INT, form=self._app_form(jobId=job_id), mutating=True)

    def export_job(self, job_id: int) -> SaveJobInfoRequest:
        """``/exportJob``: the job as a save request (id cleared, name suffixed by the server)."""
        form = self._app_form(jobId=job_id)
        return self._call("exportJob", _SAVE_JOB, form=form, mutating=False)

    def fetch_job(self, job_id: int) -> JobInfoDTO:
        """``/fetchJob``: one job (a deleted job reads with status 99)."""
        return self._call("fetchJob", _JOB, form=self._app_form(jobId=job_id), mutating=False)

    def fetch_all_job(self) -> list[JobInfoDTO]:
        """``/fetchAllJob``: every job of this app, deleted ones included."""
        return self._call("fetchAllJob", _JOBS, form=self._app_form(), mutating=False)

    def query_job(self, query: JobInfoQuery) -> list[JobInfoDTO]:
        """``/queryJob``: jobs of this app matching ``query``."""
        body = _json(query.model_copy(update={"app_id_eq": self.app_id}))
        return self._call("queryJob", _JOBS, json=body, mutating=False)

    def enable_job(self, job_id: int) -> None:
        """``/enableJob``."""
        self._call("enableJob", _NONE, form=self._app_form(jobId=job_id), mutating=True)

    def disable_job(self, job_id: int) -> None:
        """``/disableJob``."""
        self._call("disableJob", _NONE, form=self._app_form(jobId=job_id), mutating=True)

    def delete_job(self, job_id: int) -> None:
        """``/deleteJob``: a soft delete (status 99); deleting twice succeeds."""
        self._call("deleteJob", _NONE, form=self._app_form(jobId=job_id), mutating=True)

    # -- instances -------------------------------------------------------------------------

    def run_job(self, job_id: int, instance_params: str | None = None, delay_ms: int = 0) -> int:
        """``/runJob``: start an instance now or after ``delay_ms``; the instance id."""
        form = self._app_form(jobId=job_id, instanceParams=instance_params, delay=delay_ms)
        return self._call("runJob", _INT, form=form, mutating=True)

    def stop_instance(self, instance_id: int) -> None:
        """``/stopInstance``."""
        form = self._app_form(instanceId=instance_id)
        self._call("stopInstance", _NONE, form=form, mutating=True)

    def cancel_instance(self, instance_id: int) -> None:
        """``/cancelInstance``: only while the instance waits for dispatch."""
        form = self._app_form(instanceId=instance_id)
        self._call("cancelInstance", _NONE, form=form, mutating=True)

    def retry_instance(self, instance_id: int) -> None:
        """``/retryInstance``: only finished instances outside workflows."""
        form = self._app_form(instanceId=instance_id)
        self._call("retryInstance", _NONE, form=form, mutating=True)

    def fetch_instance_status(self, instance_id: int) -> int:
        """``/fetchInstanceStatus``: the status code."""
        form = self._app_form(instanceId=instance_id)
        return self._call("fetchInstanceStatus", _INT, form=form, mutating=False)

    def fetch_instance_info(self, instance_id: int) -> InstanceInfoDTO:
        """``/fetchInstanceInfo``."""
        form = self._app_form(instanceId=instance_id)
        return self._call("fetchInstanceInfo", _INSTANCE, form=form, mutating=False)

    def query_instance(self, query: InstancePageQuery) -> PageResult[InstanceInfoDTO]:
        """``/queryInstance`` (5.1.1+): one page of instances."""
        body = _json(query.model_copy(update={"app_id_eq": self.app_id}))
        return self._call("queryInstance", _INSTANCES, json=body, mutating=False)

    # -- workflows -------------------------------------------------------------------------

    def save_workflow(self, request: SaveWorkflowRequest) -> int:
        """``/saveWorkflow``: create or update with the full DAG; the workflow id."""
        body = _json(request.model_copy(update={"app_id": self.app_id}))
        return self._call("saveWorkflow", _INT, json=body, mutating=True)

    def copy_workflow(self, workflow_id: int) -> int:
        """``/copyWorkflow``: the new workflow id."""
        form = self._app_form(workflowId=workflow_id)
        return self._call("copyWorkflow", _INT, form=form, mutating=True)

    def fetch_workflow(self, workflow_id: int) -> WorkflowInfoVO:
        """``/fetchWorkflow`` (a deleted workflow reads as disabled)."""
        form = self._app_form(workflowId=workflow_id)
        return self._call("fetchWorkflow", _WORKFLOW, form=form, mutating=False)

    def enable_workflow(self, workflow_id: int) -> None:
        """``/enableWorkflow``."""
        form = self._app_form(workflowId=workflow_id)
        self._call("enableWorkflow", _NONE, form=form, mutating=True)

    def disable_workflow(self, workflow_id: int) -> None:
        """``/disableWorkflow``."""
        form = self._app_form(workflowId=workflow_id)
        self._call("disableWorkflow", _NONE, form=form, mutating=True)

    def delete_workflow(self, workflow_id: int) -> None:
        """``/deleteWorkflow``: a soft delete."""
        form = self._app_form(workflowId=workflow_id)
        self._call("deleteWorkflow", _NONE, form=form, mutating=True)

    def run_workflow(
        self, workflow_id: int, init_params: str | None = None, delay_ms: int = 0
    ) -> int:
        """``/runWorkflow``: the workflow-instance id."""
        form = self._app_form(workflowId=workflow_id, initParams=init_params, delay=delay_ms)
        return self._call("runWorkflow", _INT, form=form, mutating=True)

    def add_workflow_node(self, nodes: list[SaveWorkflowNodeRequest]) -> list[WorkflowNodeInfo]:
        """``/addWorkflowNode``: create (no id) or overwrite node rows, in request order."""
        app_id = self.app_id
        body = [_json(n.model_copy(update={"app_id": app_id})) for n in nodes]
        return self._call("addWorkflowNode", _NODES, json=body, mutating=True)

    def stop_wf_instance(self, wf_instance_id: int) -> None:
        """``/stopWfInstance``."""
        form = self._app_form(wfInstanceId=wf_instance_id)
        self._call("stopWfInstance", _NONE, form=form, mutating=True)

    def retry_wf_instance(self, wf_instance_id: int) -> None:
        """``/retryWfInstance``."""
        form = self._app_form(wfInstanceId=wf_instance_id)
        self._call("retryWfInstance", _NONE, form=form, mutating=True)

    def mark_workflow_node_as_success(self, wf_instance_id: int, node_id: int) -> None:
        """``/markWorkflowNodeAsSuccess``."""
        form = self._app_form(wfInstanceId=wf_instance_id, nodeId=node_id)
        self._call("markWorkflowNodeAsSuccess", _NONE, form=form, mutating=True)

    def fetch_wf_instance_info(self, wf_instance_id: int) -> WorkflowInstanceInfoDTO:
        """``/fetchWfInstanceInfo``."""
        form = self._app_form(wfInstanceId=wf_instance_id)
        return self._call("fetchWfInstanceInfo", _WF_INSTANCE, form=form, mutating=False)
