"""Auth wire models (reference §5.2)."""

from __future__ import annotations

from typing import Literal

from pulumi_powerjob.models.base import RequestModel, WireModel


class AppAuthRequest(RequestModel):
    """Body of ``/openApi/authApp``; the password travels as its md5."""

    app_name: str
    encrypted_password: str
    encrypt_type: Literal["md5", "none"] = "md5"


class AppAuthResult(WireModel):
    """``data`` of a successful ``/authApp``: the app id and a JWT (no expiry field)."""

    app_id: int
    token: str

    def __repr__(self) -> str:  # the token discloses the password's md5
        return f"AppAuthResult(app_id={self.app_id}, token='**********')"

    __str__ = __repr__


class SaveAppInfoRequest(RequestModel):
    """Body of the console's ``/appInfo/save`` (4.3: no login; 5.1: admin login)."""

    id: int | None = None
    app_name: str
    password: str
    old_password: str | None = None
    namespace_id: int | None = None
    namespace_code: str | None = None

    def __repr__(self) -> str:
        return (
            f"SaveAppInfoRequest(id={self.id}, app_name={self.app_name!r}, password='**********')"
        )

    __str__ = __repr__
