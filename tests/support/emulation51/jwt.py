"""HS256 JWTs as the PowerJob 5.1 server issues them (JJWT 0.11), for the *emulation*.

Built on hmac/hashlib/base64 only. Error texts follow JJWT, because the server copies them
into `INVALID_TOKEN:<Class>: <text>` and `TOKEN_EXPIRED:<text>` messages.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import uuid
from typing import Any

_HEADER = {"typ": "JWT", "alg": "HS256"}


class JwtInvalid(Exception):
    """Any parse or signature failure; `str()` is `<JJWT class>: <text>`."""


class JwtExpired(Exception):
    """`ExpiredJwtException`; `str()` is JJWT's text without the class name."""


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not all(c.isalnum() or c in "-_" for c in text):
        bad = next(c for c in text if not (c.isalnum() or c in "-_"))
        raise JwtInvalid(f"DecodingException: Illegal base64url character: '{bad}'")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwtInvalid(f"DecodingException: Unable to decode input: {exc}") from exc


def _compact(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _iso_seconds(epoch_ms: int) -> str:
    moment = dt.datetime.fromtimestamp(epoch_ms // 1000, tz=dt.UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}Z"


class JwtCodec:
    """Builds and checks tokens with one HMAC key (the server's is derived from its JDBC URL)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _sign(self, signing_input: str) -> str:
        return _b64encode(
            hmac.new(self._key, signing_input.encode("ascii"), hashlib.sha256).digest()
        )

    def build(self, body: dict[str, Any], now_ms: int, lifetime_seconds: int) -> str:
        """`Jwts.builder().addClaims(body).setSubject(...).setExpiration(...).setId(uuid)`."""
        claims = {k: v for k, v in body.items() if v is not None}  # JJWT drops null claims
        claims["sub"] = "PowerJob"
        claims["exp"] = (now_ms + 1000 * lifetime_seconds) // 1000
        claims["jti"] = str(uuid.uuid4())
        signing_input = f"{_b64encode(_compact(_HEADER))}.{_b64encode(_compact(claims))}"
        return f"{signing_input}.{self._sign(signing_input)}"

    def parse(self, token: str, now_ms: int) -> dict[str, Any]:
        """`parseClaimsJws` with zero clock skew; returns the claims."""
        dots = token.count(".")
        if dots != 2:
            raise JwtInvalid(
                "MalformedJwtException: JWT strings must contain exactly 2 period characters. "
                f"Found: {dots}"
            )
        header_b64, payload_b64, signature = token.split(".")
        header = self._json(header_b64, "header")
        claims = self._json(payload_b64, "payload")
        if not signature:
            raise JwtInvalid("UnsupportedJwtException: Unsigned Claims JWTs are not supported.")
        if header.get("alg") != "HS256" or not hmac.compare_digest(
            signature, self._sign(f"{header_b64}.{payload_b64}")
        ):
            raise JwtInvalid(
                "SignatureException: JWT signature does not match locally computed signature. "
                "JWT validity cannot be asserted and should not be trusted."
            )
        exp = claims.get("exp")
        if isinstance(exp, int) and now_ms > exp * 1000:
            raise JwtExpired(
                f"JWT expired at {_iso_seconds(exp * 1000)}. Current time: {_iso_seconds(now_ms)}, "
                f"a difference of {now_ms - exp * 1000} milliseconds.  "
                "Allowed clock skew: 0 milliseconds."
            )
        return claims

    @staticmethod
    def _json(segment: str, what: str) -> dict[str, Any]:
        raw = _b64decode(segment)
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise JwtInvalid(f"MalformedJwtException: Unable to read JSON value: {raw!r}") from exc
        if not isinstance(value, dict):
            raise JwtInvalid(f"MalformedJwtException: Unable to read {what} as a JSON object")
        return value
