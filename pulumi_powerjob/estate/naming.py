"""Python-safe, unique resource names for jobs and workflows whose names are free text."""

from __future__ import annotations

import keyword
import re
import unicodedata

# Names the generated program itself uses.
RESERVED = frozenset({"Job", "JobArgs", "Workflow", "WorkflowArgs", "pulumi", "pulumi_powerjob"})


def slug(text: str | None, fallback: str) -> str:
    """``text`` as a lower-case Python identifier (accents folded, the rest ``_``)."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    name = re.sub(r"[^0-9a-zA-Z]+", "_", folded).strip("_").lower()
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


class Namer:
    """Hands out names unique within one program; a repeated name gets the object's id."""

    def __init__(self) -> None:
        self._taken: set[str] = set(RESERVED)

    def name(self, text: str | None, object_id: int, fallback: str) -> str:
        base = slug(text, fallback)
        candidates = [base, f"{base}_{object_id}"]
        candidates += [f"{base}_{object_id}_{n}" for n in range(2, 1000)]
        for candidate in candidates:
            if candidate not in self._taken:
                self._taken.add(candidate)
                return candidate
        raise RuntimeError(f"no free name for {text!r}")  # pragma: no cover
