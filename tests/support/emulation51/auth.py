"""App authentication of the PowerJob 5.1 *emulation*: /authApp, /assert, OpenApiInterceptor."""

from __future__ import annotations

import hashlib

from .binding import Body, Request
from .jwt import JwtExpired, JwtInvalid
from .store import App, Ctx
from .wire import Envelope, JavaError, coded, jstr, npe, power_fail, power_ok

APP_ID_HEADER = "X-POWERJOB-APP-ID"
TOKEN_HEADER = "X-POWERJOB-ACCESS-TOKEN"
AUTH_PASSED_HEADER = "X-POWERJOB-AUTH-PASSED"


def password_matches(app: App, password: str | None, encrypt_type: str | None) -> bool:
    """`AppInfoServiceImpl.checkPassword`: plain or md5 (case-insensitive type and hex)."""
    if not encrypt_type or encrypt_type.lower() == "none":
        if password is None:
            raise npe('Cannot invoke "String.equals(Object)" because "password" is null')
        return password == app.password
    if encrypt_type.lower() == "md5":
        if password is None:
            raise npe('Cannot invoke "String.equalsIgnoreCase(String)" because "password" is null')
        return password.lower() == hashlib.md5(app.password.encode("utf-8")).hexdigest()
    raise coded("INVALID_REQUEST", f"unknown_encryptType:{encrypt_type}")


def assert_app(
    app: App | None, name: str | None, password: str | None, encrypt_type: str | None
) -> int:
    if app is None:
        raise coded("INVALID_APP", jstr(name))
    if not password_matches(app, password, encrypt_type):
        raise coded("INCORRECT_PASSWORD")
    return app.id


def auth_app(ctx: Ctx, req: Request) -> Envelope:
    """/openApi/authApp: always a PowerResultDTO; credentials checked even with auth off."""
    body = Body(req.json_body("tech.powerjob.client.module.AppAuthRequest"), "AppAuthRequest")
    name, password = body.string("appName"), body.string("encryptedPassword")
    encrypt_type = body.string("encryptType")
    ctx.begin()
    try:
        app_id = assert_app(ctx.store.app_by_name(name), name, password, encrypt_type)
    except JavaError as exc:
        if exc.java_class == "PowerJobException":
            return Envelope(power_fail(exc.text, exc.code))
        return Envelope(power_fail(exc.message, "-500"))
    claims = {"password": password, "appId": app_id, "encryptType": encrypt_type}
    token = ctx.jwt.build(claims, ctx.now_ms, ctx.jwt_expire_seconds)
    return Envelope(power_ok({"appId": app_id, "token": token, "extra": None}))


def assert_endpoint(ctx: Ctx, req: Request) -> int:
    """/openApi/assert: form `appName`/`password`, plain comparison."""
    name, password = req.param("appName"), req.param("password")
    ctx.begin()
    return assert_app(ctx.store.app_by_name(name), name, password, None)


def check_token(ctx: Ctx, req: Request) -> None:
    """`OpenApiSecurityServiceImpl.authAppByToken`; raises the coded rejection."""
    token, app_id_header = req.header(TOKEN_HEADER), req.header(APP_ID_HEADER)
    if not app_id_header:
        raise coded("INVALID_REQUEST", "lack_of_appId_in_header")
    if not token:
        raise coded("OPEN_API_AUTH_FAILED", "token_is_empty")
    try:
        claims = ctx.jwt.parse(token, ctx.now_ms)
    except JwtExpired as exc:
        raise coded("TOKEN_EXPIRED", str(exc)) from exc
    except JwtInvalid as exc:
        raise coded("INVALID_TOKEN", str(exc)) from exc
    app_id = claims.get("appId")
    app_id = (
        int(app_id) if isinstance(app_id, int | float) and not isinstance(app_id, bool) else None
    )
    if app_id_header != jstr(app_id):
        raise coded("INVALID_REQUEST", "Inconsistent_appId_from_token_and_header")
    app = ctx.store.apps.get(app_id) if app_id is not None else None
    if app is None:
        raise coded("INVALID_APP", "can_not_find_app")
    password, encrypt_type = claims.get("password"), claims.get("encryptType")
    if not password_matches(app, jstr(password) if password is not None else None, encrypt_type):
        raise coded("INCORRECT_PASSWORD")
