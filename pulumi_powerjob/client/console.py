"""``ConsoleClient``: the web-console calls that manage apps (there is no OpenAPI for apps).

4.3: ``/appInfo/save`` needs no login and answers ``null``; the id comes from
``/openApi/assert``. 5.1: log in once (``/auth/thirdPartyLoginDirect``), then send the
``PowerJwt`` header and a namespace id (``/namespace/listAll``) with every save; the answer
carries the app's id. Every mutation is sent at most once: a lost answer raises
``OutcomeUnknownError``. Messages never carry a password, the admin's or the app's.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr, TypeAdapter

from pulumi_powerjob.client.outcome import answer, failure
from pulumi_powerjob.client.transport import build_transport, timeouts
from pulumi_powerjob.errors import (
    ApiError,
    AuthenticationError,
)
from pulumi_powerjob.models import PageResult, WorkflowInfoVO
from pulumi_powerjob.settings import ConnectionSettings

log = logging.getLogger(__name__)

LOGIN = "/auth/thirdPartyLoginDirect"
NAMESPACES = "/namespace/listAll"
SAVE_APP = "/appInfo/save"
DELETE_APP = "/appInfo/delete"
ASSERT_APP = "/openApi/assert"
LIST_WORKFLOWS = "/workflow/list"
TOKEN_HEADER = "PowerJwt"
DEFAULT_NAMESPACE = "default_namespace"
ADMIN_SETTINGS = (
    "powerjob:adminUsername / powerjob:adminPassword "
    "(or POWERJOB_ADMIN_USERNAME / POWERJOB_ADMIN_PASSWORD)"
)
NOT_LOGGED_IN = "-100"  # 5.1's USER_NOT_LOGIN: a console call without a session

_ANY: TypeAdapter[Any] = TypeAdapter(Any)
_INT: TypeAdapter[int] = TypeAdapter(int)
_WORKFLOW_PAGE: TypeAdapter[PageResult[WorkflowInfoVO]] = TypeAdapter(PageResult[WorkflowInfoVO])
_PAGE_SIZE = 100


class AdminCredentials(BaseModel):
    """A PowerJob console account (5.1); the password never shows in repr or dumps."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    username: str
    password: SecretStr


class ConsoleClient:
    """Console calls for one server; ``admin`` set means a 5.1 server (login first)."""

    def __init__(
        self,
        settings: ConnectionSettings,
        admin: AdminCredentials | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        namespace: str = DEFAULT_NAMESPACE,
    ) -> None:
        self.settings = settings
        self.admin = admin
        self.namespace = namespace
        self._token: str | None = None
        self._namespace_id: int | None = None
        self._lock = threading.Lock()
        self._http = httpx.Client(
            base_url=settings.addresses[0],
            transport=transport or build_transport(settings),
            timeout=timeouts(settings),
            follow_redirects=False,
            trust_env=False,  # proxies and CA file: build_transport (settings.trust_env)
        )

    def __enter__(self) -> ConsoleClient:
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

    # -- 5.1 session -----------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        if self.admin is None:
            return {}
        with self._lock:
            if self._token is None:
                origin = {
                    "username": self.admin.username,
                    "password": self.admin.password.get_secret_value(),
                }
                body = {"loginType": "PWJB", "originParams": json.dumps(origin)}
                try:
                    user = self._send("POST", LOGIN, _ANY, json=body, mutating=False)
                except ApiError as exc:  # -101 / -102 / -103: the console account is refused
                    refused = AuthenticationError(
                        LOGIN, exc.server_message, status=exc.status, code=exc.code
                    )
                    refused.add_context(self.settings.app_name, ADMIN_SETTINGS)
                    raise refused from None
                token = user.get("jwtToken") if isinstance(user, dict) else None
                if not isinstance(token, str) or not token:
                    raise ApiError(LOGIN, "the login answer carries no jwtToken")
                self._token = token
            return {TOKEN_HEADER: self._token}

    def namespace_id(self) -> int:
        """The id of ``self.namespace`` (5.1.0 only accepts ids), read once."""
        if self._namespace_id is None:
            rows = self._send("POST", NAMESPACES, _ANY, headers=self._headers(), mutating=False)
            ids = [r.get("id") for r in rows or [] if r.get("code") == self.namespace]
            if len(ids) != 1 or not isinstance(ids[0], int):
                raise ApiError(NAMESPACES, f"no namespace with code {self.namespace!r}")
            self._namespace_id = ids[0]
        return self._namespace_id

    # -- apps ------------------------------------------------------------------------------

    def save_app(
        self,
        app_name: str,
        password: SecretStr,
        *,
        app_id: int | None = None,
        old_password: SecretStr | None = None,
    ) -> int | None:
        """One ``/appInfo/save``: create (no id) or change the password; 5.1 answers the id."""
        body: dict[str, Any] = {"appName": app_name, "password": password.get_secret_value()}
        if app_id is not None:
            body["id"] = app_id
        if old_password is not None:
            body["oldPassword"] = old_password.get_secret_value()
        headers = self._headers()
        if self.admin is not None:
            body["namespaceId"] = self.namespace_id()
        data = self._send("POST", SAVE_APP, _ANY, json=body, headers=headers, mutating=True)
        found = data.get("id") if isinstance(data, dict) else None
        return found if isinstance(found, int) else None

    def assert_app(self, app_name: str, password: SecretStr) -> int:
        """The app's id, checking its password (``/openApi/assert``; no login needed)."""
        form = {"appName": app_name, "password": password.get_secret_value()}
        return int(self._send("POST", ASSERT_APP, _INT, data=form, mutating=False))

    def delete_app(self, app_id: int) -> None:
        """Hard-delete the app row (4.3: GET; 5.1: POST, super-admin, no live workers)."""
        method = "GET" if self.admin is None else "POST"
        self._send(
            method,
            DELETE_APP,
            _ANY,
            params={"appId": str(app_id)},
            headers=self._headers(),
            mutating=True,
        )

    # -- workflows (the OpenAPI cannot list them) ------------------------------------------

    def list_workflows(
        self, app_id: int, *, name: str | None = None, workflow_id: int | None = None
    ) -> list[WorkflowInfoVO]:
        """The app's workflows that are not deleted (4.3: no login), by name or by id.

        ``/workflow/list`` matches its keyword with SQL ``LIKE``; the rows are filtered to
        the exact name here.
        """
        rows: list[WorkflowInfoVO] = []
        index = 0
        while True:
            body = {
                "appId": app_id,
                "index": index,
                "pageSize": _PAGE_SIZE,
                "keyword": name,
                "workflowId": workflow_id,
            }
            page = self._send(
                "POST",
                LIST_WORKFLOWS,
                _WORKFLOW_PAGE,
                json=body,
                headers=self._headers(),
                mutating=False,
            )
            rows += [w for w in page.data if name is None or w.wf_name == name]
            index += 1
            if index >= page.total_pages:
                return rows

    # -- the one choke point ---------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        adapter: TypeAdapter[Any],
        *,
        mutating: bool,
        json: Any = None,
        data: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        try:
            response = self._http.request(
                method, path, json=json, data=data, params=params, headers=headers
            )
        except httpx.HTTPError as exc:
            raise failure(path, exc, mutating=mutating, sent=True) from None
        log.debug("%s -> HTTP %s", path, response.status_code)
        try:
            return answer(
                path,
                response,
                adapter,
                mutating=mutating,
                missing="this server has no such console endpoint",
            )
        except ApiError as exc:
            if exc.code == NOT_LOGGED_IN and self.admin is None:
                exc.args = (f"{exc.args[0]}; this server (5.1) wants a console login for apps",)
                exc.add_context(self.settings.app_name, ADMIN_SETTINGS)
            raise
