"""The WSGI application of the PowerJob 5.1 *emulation* (not a real PowerJob server).

Routes a request the way the real server's Spring stack does: method check, then the
OpenApiInterceptor (version- and switch-dependent `X-POWERJOB-AUTH-PASSED`), then argument
binding, then the handler, with failures reported by the global exception handler. Every
request is logged with whether the handler actually started (`Execution.executed`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal
from wsgiref.types import StartResponse, WSGIEnvironment

from . import auth, console, instances, jobs, nodes, queries, workflows
from .binding import Request
from .jwt import JwtCodec
from .store import App, Ctx, Store
from .wire import (
    JSON_TYPE,
    REJECTION_TYPE,
    VARY,
    Envelope,
    JavaError,
    http_date,
    iso_ms,
    java_json,
    power_fail,
    rejection,
    result_dto,
)

Handler = Callable[[Ctx, Request], Any]
Version = Literal["5.1.0", "5.1.1"]

OPENAPI_ROUTES: dict[str, Handler] = {
    "/openApi/assert": auth.assert_endpoint,
    "/openApi/authApp": auth.auth_app,
    "/openApi/saveJob": jobs.save_job,
    "/openApi/copyJob": jobs.copy_job,
    "/openApi/exportJob": jobs.export_job,
    "/openApi/fetchJob": jobs.fetch_job,
    "/openApi/fetchAllJob": jobs.fetch_all_job,
    "/openApi/queryJob": queries.query_job,
    "/openApi/disableJob": jobs.disable_job,
    "/openApi/enableJob": jobs.enable_job,
    "/openApi/deleteJob": jobs.delete_job,
    "/openApi/runJob": instances.run_job,
    "/openApi/stopInstance": instances.stop_instance,
    "/openApi/cancelInstance": instances.cancel_instance,
    "/openApi/retryInstance": instances.retry_instance,
    "/openApi/fetchInstanceStatus": instances.fetch_instance_status,
    "/openApi/fetchInstanceInfo": instances.fetch_instance_info,
    "/openApi/saveWorkflow": workflows.save_workflow,
    "/openApi/copyWorkflow": workflows.copy_workflow,
    "/openApi/fetchWorkflow": workflows.fetch_workflow,
    "/openApi/disableWorkflow": workflows.disable_workflow,
    "/openApi/enableWorkflow": workflows.enable_workflow,
    "/openApi/deleteWorkflow": workflows.delete_workflow,
    "/openApi/runWorkflow": workflows.run_workflow,
    "/openApi/addWorkflowNode": nodes.add_workflow_node,
}
CONSOLE_ROUTES: dict[str, tuple[str, Handler]] = {
    "/server/hello": ("GET", console.hello),
    "/auth/thirdPartyLoginDirect": ("POST", console.login),
    "/namespace/listAll": ("POST", console.list_namespaces),
    "/appInfo/save": ("POST", console.save_app),
}
_STATUS_LINES = {200: "200 OK", 404: "404 Not Found", 500: "500 Internal Server Error"}
_AUTH_FREE_SUFFIXES = ("/assert", "/authApp")


@dataclass(frozen=True)
class Execution:
    """One request as the emulation saw it, and whether its handler ran."""

    path: str
    executed: bool
    auth_passed_header: str | None
    app_id_header: str | None
    access_token_header: str | None
    method: str
    http_status: int
    success: bool | None
    code: str | None
    message: str | None
    at_ms: int


@dataclass
class _Outcome:
    status: int
    body: dict[str, Any]
    content_type: str = JSON_TYPE
    auth_header: str | None = None


def _request(environ: WSGIEnvironment) -> Request:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = str(environ["CONTENT_TYPE"])
    length = str(environ.get("CONTENT_LENGTH") or "0")
    body = environ["wsgi.input"].read(int(length)) if length.isdigit() and int(length) else b""
    return Request(
        method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
        path=str(environ.get("PATH_INFO", "/")),
        query=str(environ.get("QUERY_STRING", "")),
        headers=headers,
        body=body,
    )


class PowerJob51Emulation:
    """Faithful in-memory *emulation* of a PowerJob 5.1.0 or 5.1.1 server, as a WSGI app.

    Not a real server: it reproduces the recorded wire behaviour (envelopes, error texts,
    the `X-POWERJOB-AUTH-PASSED` matrix, JWT app tokens) so that clients can be tested for
    double execution. Thread-safe; time comes from the injectable `clock` (epoch seconds).
    """

    def __init__(
        self,
        version: Version,
        auth_enabled: bool,
        *,
        jwt_expire_seconds: int = 604800,
        clock: Callable[[], float] = time.time,
        jwt_key: bytes | None = None,
    ) -> None:
        if version not in ("5.1.0", "5.1.1"):
            raise ValueError(f"unsupported version {version!r}")
        self.version: Version = version
        self.auth_enabled = auth_enabled
        self.jwt_expire_seconds = jwt_expire_seconds
        self._clock = clock
        self._jwt = JwtCodec(jwt_key or secrets.token_bytes(32))
        self._lock = threading.RLock()
        self._store = Store(born_ms=self._now_ms())
        self._log: list[Execution] = []

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    # ---- set-up helpers (what an operator does through the console) ----

    def add_app(self, name: str, password: str) -> int:
        """Create an app in `default_namespace`; returns its id."""
        with self._lock:
            if self._store.app_by_name(name) is not None:
                raise ValueError(f"app {name!r} already exists")
            now = self._now_ms()
            app = App(self._store.next_id("app"), name, password, 1, now, now)
            self._store.apps[app.id] = app
            return app.id

    def change_password(self, name: str, new_password: str) -> None:
        """Tokens carry the old password, so every token of the app stops working."""
        with self._lock:
            app = self._store.app_by_name(name)
            if app is None:
                raise KeyError(name)
            app.password, app.gmt_modified = new_password, self._now_ms()

    def rotate_signing_key(self) -> None:
        """What a restart on another JDBC URL does: every issued token stops verifying."""
        with self._lock:
            self._jwt = JwtCodec(secrets.token_bytes(32))

    # ---- views for assertions ----

    @property
    def executions(self) -> list[Execution]:
        with self._lock:
            return list(self._log)

    def executed(self, path_suffix: str) -> int:
        """How many times a handler whose path ends with `path_suffix` actually ran."""
        return sum(1 for e in self.executions if e.path.endswith(path_suffix) and e.executed)

    def attempts(self, path_suffix: str) -> int:
        """How many requests for paths ending with `path_suffix` arrived."""
        return sum(1 for e in self.executions if e.path.endswith(path_suffix))

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()

    @property
    def jobs(self) -> list[dict[str, Any]]:
        """Every job (deleted ones too) as /fetchJob would show it, by id."""
        with self._lock:
            return [jobs.job_dto(self._store.jobs[i]) for i in sorted(self._store.jobs)]

    @property
    def workflows(self) -> list[dict[str, Any]]:
        with self._lock:
            store = self._store
            return [
                workflows.workflow_vo(store, store.workflows[i]) for i in sorted(store.workflows)
            ]

    def live_workflow_names(self) -> list[str]:
        """The name of every workflow that is not deleted (the VO shows no status)."""
        with self._lock:
            rows = self._store.workflows.values()
            return [str(r["wfName"]) for r in rows if r["status"] != jobs.DELETED]

    def has_app(self, name: str) -> bool:
        with self._lock:
            return self._store.app_by_name(name) is not None

    @property
    def instances(self) -> list[dict[str, Any]]:
        with self._lock:
            return [instances.instance_dto(row) for row in self._store.instances.values()]

    # ---- WSGI ----

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        req = _request(environ)
        with self._lock:
            ctx = Ctx(self._store, self.version, self._now_ms(), self._jwt, self.jwt_expire_seconds)
            instances.settle(self._store, ctx.now_ms)
            workflows.settle_workflows(self._store, ctx.now_ms)
            outcome = self._dispatch(ctx, req)
            self._log.append(self._record(req, ctx, outcome))
        headers = list(VARY)
        if outcome.auth_header is not None:
            headers.append((auth.AUTH_PASSED_HEADER, outcome.auth_header))
        headers += ctx.response_headers
        headers += [("Content-Type", outcome.content_type), ("Date", http_date(ctx.now_ms))]
        start_response(_STATUS_LINES[outcome.status], headers)
        return [java_json(outcome.body).encode("utf-8")]

    def _record(self, req: Request, ctx: Ctx, outcome: _Outcome) -> Execution:
        body = outcome.body
        return Execution(
            method=req.method,
            path=req.path,
            executed=ctx.executed,
            auth_passed_header=outcome.auth_header,
            app_id_header=req.headers.get(auth.APP_ID_HEADER.lower()),
            access_token_header=req.headers.get(auth.TOKEN_HEADER.lower()),
            http_status=outcome.status,
            success=body.get("success"),
            code=body.get("code"),
            message=body.get("message"),
            at_ms=ctx.now_ms,
        )

    def _dispatch(self, ctx: Ctx, req: Request) -> _Outcome:
        if req.path.startswith("/openApi/"):
            return self._openapi(ctx, req)
        method, handler = CONSOLE_ROUTES.get(req.path, ("", None))
        if handler is None:
            return self._not_found(ctx, req, None)
        if req.method != method:
            return _method_not_supported(req)
        return _run(handler, ctx, req, None)

    def _openapi(self, ctx: Ctx, req: Request) -> _Outcome:
        handler = OPENAPI_ROUTES.get(req.path)
        if handler is not None and req.method != "POST":
            return _method_not_supported(req)  # fails in handler lookup: no interceptor
        passed: str | None = None
        if not self.auth_enabled:
            passed = None if self.version == "5.1.0" else "true"  # the 5.1.0-bugfix line
        elif not req.path.endswith(_AUTH_FREE_SUFFIXES):
            try:
                auth.check_token(ctx, req)
            except JavaError as exc:
                if exc.java_class != "PowerJobException":
                    return _Outcome(500, rejection(exc.message, None))
                return _Outcome(200, rejection(exc.text, exc.code), REJECTION_TYPE, "false")
            passed = "true"
        if handler is None:
            return self._not_found(ctx, req, passed)
        return _run(handler, ctx, req, passed)

    @staticmethod
    def _not_found(ctx: Ctx, req: Request, passed: str | None) -> _Outcome:
        body = {
            "timestamp": iso_ms(ctx.now_ms),
            "status": 404,
            "error": "Not Found",
            "path": req.path,
        }
        return _Outcome(404, body, auth_header=passed)


def _method_not_supported(req: Request) -> _Outcome:
    message = f"HttpRequestMethodNotSupportedException: Request method '{req.method}' not supported"
    return _Outcome(200, power_fail(message, None))


def _run(handler: Handler, ctx: Ctx, req: Request, passed: str | None) -> _Outcome:
    try:
        data = handler(ctx, req)
    except JavaError as exc:
        return _Outcome(200, power_fail(exc.message, exc.code), auth_header=passed)
    body = data.body if isinstance(data, Envelope) else result_dto(data)
    return _Outcome(200, body, auth_header=passed)
