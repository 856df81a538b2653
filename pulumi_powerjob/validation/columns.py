"""How long a value may be, and which characters it may hold, once the server stores it.

Every job column but ``job_params`` is a default ``varchar(255)``. How it counts depends on
the server's database, which the provider cannot see, so the rules here are the strictest of
the databases tested on 4.3.9, and never let through a value one of them refuses:

- H2 counts Java characters (UTF-16 code units): an emoji takes two, so 127 emoji fit and
  128 do not. PostgreSQL counts characters (255 emoji fit). The H2 count is the rule.
- PostgreSQL refuses NUL (U+0000) in any text column, ``job_params`` included; H2 stores it.
  No NUL is the rule. A lone surrogate cannot travel in a UTF-8 request at all.

``log_config`` is stored as JSON text in such a column, so its limit applies to the escaped
JSON. ``notify_user_ids`` is stored as a comma-joined string. A value that breaks a rule fails
on the server with an opaque ``DataIntegrityViolationException``; these functions say which
field and why, offline.
"""

from __future__ import annotations

from collections.abc import Iterable

VARCHAR = 255

# What the server's JSON writer escapes, and how long each escape is.
_SHORT_ESCAPES = frozenset('"\\\b\f\n\r\t')
_UNICODE_ESCAPES = frozenset(
    [chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)] + ["\u2028", "\u2029"]
)


def text_problem(text: str) -> str | None:
    """Why no tested database stores ``text`` as written, or None."""
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        return "must be valid Unicode text (it holds a lone surrogate)"
    if "\x00" in text:
        return "must not contain NUL (U+0000): PostgreSQL refuses it in every text column"
    return None


def java_length(text: str) -> int:
    """Length in UTF-16 code units, as Java's ``String.length()`` counts."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def json_string_length(text: str) -> int:
    """Length of ``text`` as a JSON string literal written by the server (quotes included)."""
    length = 2
    for ch in text:
        if ch in _SHORT_ESCAPES:
            length += 2
        elif ch in _UNICODE_ESCAPES:
            length += 6
        else:
            length += 2 if ord(ch) > 0xFFFF else 1
    return length


def log_config_length(kind: int | None, level: int | None, logger_name: str | None) -> int:
    """Length of the stored ``logConfig`` JSON: ``{"type":1,"level":2,"loggerName":"..."}``."""
    members = []
    if kind is not None:
        members.append(len('"type":') + len(str(kind)))
    if level is not None:
        members.append(len('"level":') + len(str(level)))
    if logger_name is not None:
        members.append(len('"loggerName":') + json_string_length(logger_name))
    return 2 + sum(members) + max(len(members) - 1, 0)


def joined_length(values: Iterable[int]) -> int:
    """Length of the comma-joined string the server stores for a list of ids."""
    return len(",".join(str(v) for v in values))
