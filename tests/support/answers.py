"""Answers of a PowerJob server, for unit tests that stand one up behind ``httpx.MockTransport``."""

from __future__ import annotations

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
