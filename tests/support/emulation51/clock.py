"""A manual clock to inject into the PowerJob 5.1 emulation (no sleeping in tests)."""

from __future__ import annotations

import email.utils


class ManualClock:
    """Epoch seconds that only move when a test moves them."""

    def __init__(self, now: float = 1795530455.0) -> None:  # 2026-11-24T14:27:35Z
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def set_http_date(self, value: str) -> None:
        """Move to an HTTP `Date` header value, e.g. one from a recorded response."""
        self.now = email.utils.parsedate_to_datetime(value).timestamp()
