"""Time zones for fire times: IANA zones by name or by the display name ``/server/hello``
reports, and the wall-clock/instant conversions the server's clock arithmetic implies."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SLACK = timedelta(hours=4)  # more than any clock change (Lord Howe's is 30 minutes, most 1 h)


def zone_of(name: str) -> ZoneInfo:
    """``ZoneInfo`` for an IANA name; ``ValueError`` naming it when unknown."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as UTC)") from None


def wall_of(ms: int, zone: tzinfo) -> datetime:
    """The naive wall-clock time of the instant ``ms`` (epoch ms) in ``zone``."""
    return (EPOCH + timedelta(milliseconds=ms)).astimezone(zone).replace(tzinfo=None)


def instant_of(wall: datetime, zone: tzinfo) -> int:
    """Epoch ms of a wall time; a time in a spring-forward gap moves on by the gap, as Java's
    ``ZonedDateTime`` and lenient ``Calendar`` do."""
    aware = wall.replace(tzinfo=zone)
    return (aware - EPOCH) // timedelta(milliseconds=1)


def instants_of(wall: datetime, zone: tzinfo) -> tuple[int, ...]:
    """The instants a wall time names: none in a spring-forward gap (cron-utils skips those
    fire times), two in a fall-back overlap (it walks real time, so both can fire)."""
    first, second = (instant_of(wall.replace(fold=f), zone) for f in (0, 1))
    if first == second:
        return (first,)
    return tuple(i for i in sorted({first, second}) if wall_of(i, zone) == wall)


def near_change(ms: int, zone: tzinfo) -> bool:
    """Whether the zone's offset changes within four hours of ``ms``."""
    return offset_of(ms - 14_400_000, zone) != offset_of(ms + 14_400_000, zone)


def offset_of(ms: int, zone: tzinfo) -> timedelta:
    """The zone's offset from UTC at ``ms``."""
    return wall_of(ms, zone) - wall_of(ms, UTC)


_DISPLAY_ZONES = {
    "Coordinated Universal Time": "UTC",
    "Greenwich Mean Time": "GMT",
    "China Standard Time": "Asia/Shanghai",
    "Japan Standard Time": "Asia/Tokyo",
    "Korean Standard Time": "Asia/Seoul",
    "India Standard Time": "Asia/Kolkata",
    "Central European Standard Time": "Europe/Paris",
    "Central European Time": "Europe/Paris",
    "Eastern Standard Time": "America/New_York",
    "Pacific Standard Time": "America/Los_Angeles",
}


def zone_from_display_name(name: str) -> str | None:
    """An IANA zone for what ``/server/hello`` reports (Java's ``getDisplayName()``, e.g.
    "Coordinated Universal Time"), when that name is unambiguous enough to map; else None."""
    text = name.strip()
    if text in _DISPLAY_ZONES:
        return _DISPLAY_ZONES[text]
    if re.fullmatch(r"GMT[+-]\d{2}:\d{2}", text):
        sign = "-" if text[3] == "+" else "+"  # the Etc/GMT names have the sign reversed
        hours, minutes = int(text[4:6]), int(text[7:9])
        return f"Etc/GMT{sign}{hours}" if minutes == 0 else None
    return None
