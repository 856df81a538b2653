"""``PowerJobAuth``: authenticated before the call, resent only on a certified rejection.

One session per (server addresses, app) is shared by every client in the process, so a
provider process asks for one token per token lifetime, whatever its threads do.

- 4.3.x servers have no OpenAPI auth: ``/openApi/authApp`` answers 404, and ``/assert``
  gives the app id once.
- 5.1.x servers: ``/openApi/authApp`` with the password's md5 gives a JWT; it is renewed
  before its ``exp`` (minus a skew), under the session lock, before the request is sent.
- A request is sent again only when the answer certifies that the server did not run it:
  ``X-POWERJOB-AUTH-PASSED: false``. Once, after a fresh token. An absent header (5.1.0 with
  auth off) or ``true`` means the handler ran: never resend.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Literal

import httpx
from pydantic import TypeAdapter

from pulumi_powerjob.client.envelope import envelope_of, refusal, unwrap
from pulumi_powerjob.errors import AuthenticationError, ConfigurationError
from pulumi_powerjob.models.auth import AppAuthRequest, AppAuthResult
from pulumi_powerjob.settings import ConnectionSettings

APP_ID_HEADER = "X-POWERJOB-APP-ID"
TOKEN_HEADER = "X-POWERJOB-ACCESS-TOKEN"
AUTH_PASSED_HEADER = "X-POWERJOB-AUTH-PASSED"
AUTH_APP_PATH = "/openApi/authApp"
ASSERT_PATH = "/openApi/assert"
SENT = "powerjob.sent"  # request extension: set once the request itself went to the transport

ServerLine = Literal["4.3", "5.1"]
REFUSAL_MEMORY_S = 30.0
_AUTH_RESULT: TypeAdapter[AppAuthResult] = TypeAdapter(AppAuthResult)
_APP_ID: TypeAdapter[int] = TypeAdapter(int)


@dataclass
class Session:
    """Auth state of one app on one server (cluster); guarded by ``lock``."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    line: ServerLine | None = None
    app_id: int | None = None
    token: str | None = field(default=None, repr=False)
    expires_at: float | None = None
    fingerprint: str | None = field(default=None, repr=False)
    auth_requests: int = 0
    refused: tuple[str, float, AuthenticationError] | None = field(default=None, repr=False)
    """The credentials' fingerprint, until when, and the error: a refused password is not
    offered again for ``REFUSAL_MEMORY_S`` (parallel calls would each try it once more)."""


_SESSIONS: dict[tuple[str, ...], Session] = {}
_SESSIONS_LOCK = threading.Lock()


def session_for(settings: ConnectionSettings) -> Session:
    """The process-wide session of this app on these servers."""
    with _SESSIONS_LOCK:
        return _SESSIONS.setdefault(settings.key, Session())


def under(base: httpx.URL, path: str) -> httpx.URL:
    """``path`` (absolute, ``/openApi/authApp``) under the base address and its path prefix;
    ``URL.join`` would drop the prefix."""
    return base.copy_with(path=base.path.rstrip("/") + path, query=None)


def _fingerprint(password: str | None) -> str:
    return hashlib.sha256(b"pulumi-powerjob\0" + (password or "").encode()).hexdigest()


def _jwt_expiry(token: str) -> float | None:
    """``exp`` of a JWT, in epoch seconds, read without verifying the signature."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class PowerJobAuth(httpx.Auth):
    """httpx auth for one PowerJob app; see the module docstring for the rules."""

    requires_response_body = True  # the token answer is parsed inside the flow

    def __init__(
        self, settings: ConnectionSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._settings = settings
        self._password = settings.password.get_secret_value() if settings.password else None
        self._fingerprint = _fingerprint(self._password)
        self._clock = clock
        self.session = session_for(settings)

    def __repr__(self) -> str:
        return f"PowerJobAuth(app={self._settings.app_name!r})"

    def _needs_auth(self) -> bool:
        s = self.session
        if s.app_id is None or s.fingerprint != self._fingerprint:
            return True
        if s.line == "5.1":
            if s.token is None:
                return True
            if s.expires_at is not None:
                return self._clock() >= s.expires_at - self._settings.token_refresh_skew
        return False

    def authenticate(self, base: httpx.URL) -> Generator[httpx.Request, httpx.Response, None]:
        """Yield the token requests of one (re)authentication and store their result.

        Call with the session lock held.
        """
        s = self.session
        if s.refused is not None:
            fingerprint, until, error = s.refused
            if fingerprint == self._fingerprint and self._clock() < until:
                raise AuthenticationError(
                    error.endpoint,
                    error.server_message,
                    status=error.status,
                    code=error.code,
                )
            s.refused = None
        s.auth_requests += 1
        try:
            yield from self._token_requests(base)
        except AuthenticationError as exc:
            s.refused = (self._fingerprint, self._clock() + REFUSAL_MEMORY_S, exc)
            raise
        s.fingerprint = self._fingerprint

    def _token_requests(self, base: httpx.URL) -> Generator[httpx.Request, httpx.Response, None]:
        s = self.session
        if s.line != "4.3":
            if self._password is None:
                raise ConfigurationError(
                    f"5.1 servers need the app password ({self._settings.setting('password')})"
                )
            md5 = hashlib.md5(self._password.encode()).hexdigest()
            body = AppAuthRequest(app_name=self._settings.app_name, encrypted_password=md5)
            response = yield httpx.Request(
                "POST",
                under(base, AUTH_APP_PATH),
                json=body.model_dump(mode="json", by_alias=True),
            )
            response.read()  # overriding sync_auth_flow skips httpx's requires_response_body
            if response.status_code == 404:
                s.line = "4.3"  # no /authApp: a 4.x server without OpenAPI auth
            else:
                result = unwrap("authApp", response, _AUTH_RESULT)
                s.line, s.app_id, s.token = "5.1", result.app_id, result.token
                s.expires_at = _jwt_expiry(result.token)
        if s.line == "4.3":
            form = {"appName": self._settings.app_name}
            if self._password is not None:
                form["password"] = self._password
            response = yield httpx.Request("POST", under(base, ASSERT_PATH), data=form)
            response.read()
            s.app_id, s.token, s.expires_at = unwrap("assert", response, _APP_ID), None, None

    def _sign(self, request: httpx.Request) -> None:
        s = self.session
        if s.line == "5.1" and s.token is not None:
            request.headers[APP_ID_HEADER] = str(s.app_id)
            request.headers[TOKEN_HEADER] = s.token

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        base = httpx.URL(self._settings.addresses[0])  # the address requests are built on
        with self.session.lock:
            if self._needs_auth():
                yield from self.authenticate(base)
            self._sign(request)
            used = self.session.token
        request.extensions = {**request.extensions, SENT: True}
        response = yield request
        if response.headers.get(AUTH_PASSED_HEADER, "").strip().lower() != "false":
            return  # absent or true: the handler ran (or failed on its own); never resend
        with self.session.lock:  # certified: the interceptor refused it before the handler
            if self.session.token == used:
                yield from self.authenticate(base)
            self._sign(request)
        response = yield request
        if response.headers.get(AUTH_PASSED_HEADER, "").strip().lower() == "false":
            response.read()
            body = envelope_of(request.url.path, response)
            error = refusal(request.url.path.rsplit("/", 1)[-1], body)
            raise AuthenticationError(
                error.endpoint, error.server_message, status=error.status, code=error.code
            )

    def async_auth_flow(self, request: httpx.Request) -> object:  # type: ignore[override]
        raise RuntimeError("PowerJobAuth is sync-only")
