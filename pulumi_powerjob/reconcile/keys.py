"""Input keys every resource shares besides its spec's fields (state keys: never renamed)."""

from __future__ import annotations

CONNECTION = "connection"
"""The connection profile the resource's calls go to (``default`` when unset)."""
ADOPT_ID = "adopt_id"
"""The id of an existing object a create takes over instead of making one."""
