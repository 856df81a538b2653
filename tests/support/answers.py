"""Answers of a PowerJob server, for unit tests that stand one up behind ``httpx.MockTransport``."""

from __future__ import annotations

from collections import Counter

import httpx

APP_ID = 7


def ok(data: object) -> httpx.Response:
    """A successful OpenAPI answer carrying ``data``."""
    return httpx.Response(200, json={"success": True, "data": data, "message": None})


def login_43(path: str) -> httpx.Response | None:
    """A 4.3 server's part of a login: no ``/authApp`` (404), ``/assert`` gives ``APP_ID``;
    None for any other path (the last segment of the URL path)."""
    if path == "authApp":
        return httpx.Response(404, json={"status": 404})
    if path == "assert":
        return ok(APP_ID)
    return None


class AppServer:
    """A 4.3 server's OpenAPI for one app behind ``httpx.MockTransport``: counts every request
    by its last path segment in ``hits``, answers the login, and hands the rest to ``answer``."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.rsplit("/", 1)[-1]
        self.hits[path] += 1
        return login_43(path) or self.answer(path, request)

    def answer(self, path: str, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"unexpected {path}")


def form(request: httpx.Request) -> dict[str, str]:
    """The form fields of a request (``jobId``, ``appId`` ...)."""
    return dict(httpx.QueryParams(request.content.decode()))
