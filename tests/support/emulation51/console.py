"""Web-console endpoints of the PowerJob 5.1 *emulation* needed to bootstrap an app.

`/server/hello`, `/auth/thirdPartyLoginDirect` (ADMIN / powerjob_admin), `/namespace/listAll`
and `/appInfo/save` (header `PowerJwt`). Only the shapes a bootstrap script relies on are
modelled; user, role and permission management are not.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from .binding import Body, Request
from .store import App, Ctx
from .wire import JavaError, coded, iso_ms, powerjob

ADMIN_USER, ADMIN_PASSWORD = "ADMIN", "powerjob_admin"
NAMESPACE_ID, NAMESPACE_CODE = 1, "default_namespace"
_WEB_SUBJECT = "PowerJob-Web"


def _local(epoch_ms: int) -> str:
    """`CommonUtils.formatTime`: yyyy-MM-dd HH:mm:ss.SSS."""
    return iso_ms(epoch_ms)[:23].replace("T", " ")


def hello(ctx: Ctx, req: Request) -> dict[str, Any]:
    ctx.begin()
    return {
        "localHost": "127.0.0.1",
        "serverInfo": {
            "id": 1,
            "ip": "127.0.0.1",
            "bornTime": ctx.store.born_ms,
            "version": ctx.version,
        },
        "serverTime": _local(ctx.now_ms),
        "serverTimeTs": ctx.now_ms,
        "serverTimeZone": "Coordinated Universal Time",
        "appIds": [],
    }


def login(ctx: Ctx, req: Request) -> dict[str, Any]:
    """PWJB login; the token goes in `data.jwtToken` (and a `PowerJwt` cookie)."""
    body = Body(req.json_body("tech.powerjob.server.auth.login.LoginRequest"), "LoginRequest")
    login_type, origin = body.string("loginType"), body.string("originParams")
    ctx.begin()
    if login_type != "PWJB":
        raise powerjob(f"can't find LoginService by type: {login_type}")
    try:
        params = json.loads(origin or "")
    except ValueError as exc:
        raise coded("USER_AUTH_FAILED", "illegal originParams") from exc
    if params.get("username") != ADMIN_USER:
        raise coded("USER_NOT_EXIST")
    if params.get("password") != ADMIN_PASSWORD:
        raise coded("USER_AUTH_FAILED", "password is incorrect")
    token = ctx.jwt.build({"userId": 1, "type": _WEB_SUBJECT}, ctx.now_ms, ctx.jwt_expire_seconds)
    ctx.response_headers.append(("Set-Cookie", f"PowerJwt={token}; Path=/"))
    return {
        "id": 1, "username": f"PWJB_{ADMIN_USER}", "nick": ADMIN_USER, "phone": None,
        "email": None, "webHook": None, "extra": None, "originUsername": ADMIN_USER,
        "jwtToken": token,
    }  # fmt: skip


def require_login(ctx: Ctx, req: Request) -> None:
    token = req.header("PowerJwt") or req.header("Power_jwt")
    try:
        claims = ctx.jwt.parse(token or "", ctx.now_ms)
    except Exception as exc:
        raise coded("USER_NOT_LOGIN") from exc
    if claims.get("type") != _WEB_SUBJECT:
        raise coded("USER_NOT_LOGIN")


def list_namespaces(ctx: Ctx, req: Request) -> list[dict[str, Any]]:
    ctx.begin()
    require_login(ctx, req)
    namespace = {"id": NAMESPACE_ID, "code": NAMESPACE_CODE, "name": NAMESPACE_CODE}
    return [dict(namespace, dept=None, tags=None, status=1, extra=None)]


def _app_vo(app: App) -> dict[str, Any]:
    stored = base64.b64encode(hashlib.sha256(app.password.encode("utf-8")).digest()).decode()
    return {
        "id": app.id, "appName": app.name, "title": app.title, "namespaceId": app.namespace_id,
        "password": f"sys_encrypt_aes:{stored}",  # real servers show the AES cipher text
        "currentServer": None, "tags": app.tags, "extra": app.extra,
        "gmtCreate": iso_ms(app.gmt_create), "gmtModified": iso_ms(app.gmt_modified),
        "gmtCreateStr": _local(app.gmt_create), "gmtModifiedStr": _local(app.gmt_modified),
    }  # fmt: skip


def save_app(ctx: Ctx, req: Request) -> dict[str, Any]:
    """5.1.0 needs `namespaceId`; 5.1.1 also resolves `namespaceCode` and pre-checks names."""
    body = Body(
        req.json_body("tech.powerjob.server.web.request.ModifyAppInfoRequest"),
        "ModifyAppInfoRequest",
    )
    app_id, name, password = body.long("id"), body.string("appName"), body.string("password")
    namespace_id, code = body.long("namespaceId"), body.string("namespaceCode")
    title, tags, extra = body.string("title"), body.string("tags"), body.string("extra")
    ctx.begin()
    require_login(ctx, req)
    if ctx.version != "5.1.0" and code == NAMESPACE_CODE:
        namespace_id = NAMESPACE_ID
    if not name or any(c.isspace() for c in name):
        raise powerjob("appName can't be empty or contain any blank character")
    if not password:
        raise powerjob("password can't be empty")
    if namespace_id is None:
        raise powerjob("namespace can't be empty")
    existing = ctx.store.app_by_name(name)
    now = ctx.now_ms
    if app_id is None and existing is not None:
        if ctx.version == "5.1.0":  # no pre-check: the unique index refuses the insert
            raise JavaError(
                "DataIntegrityViolationException",
                'could not execute statement; SQL [n/a]; constraint ["PUBLIC.UIDX01_APP_INFO"]; '
                "nested exception is org.hibernate.exception.ConstraintViolationException: "
                "could not execute statement",
            )
        raise coded("ILLEGAL_ARGS_ERROR", f"App[{name}] already exists")
    if app_id is None:
        app = App(ctx.store.next_id("app"), name, password, namespace_id, now, now)
    else:
        found = ctx.store.apps.get(app_id)
        if found is None:
            raise JavaError("IllegalArgumentException", f"can't find appInfo by id:{app_id}")
        if found.name.lower() != name.lower():
            raise JavaError("IllegalArgumentException", "NOT_ALLOW_CHANGE_THE_APP_NAME")
        app = found
    app.name, app.password, app.namespace_id, app.gmt_modified = name, password, namespace_id, now
    app.title, app.tags, app.extra = title, tags, extra
    ctx.store.apps[app.id] = app
    return _app_vo(app)
