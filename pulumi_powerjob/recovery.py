"""``powerjob recover``: what a CI job runs before ``pulumi cancel`` and ``pulumi up`` when the
engine of an earlier job may have been killed. Safe to run every time.

The file state backend (``file://``, Pulumi's DIY backend on gocloud's fileblob) writes each
stack file to a temporary file and renames it, which a kill cannot cut in half; but it writes the
``<stack>.json.attrs`` sidecar in place: created empty, then filled. An engine SIGKILLed between
the two leaves an empty sidecar, and every later command on that stack fails with ``failed to
load checkpoint: EOF`` (seen in ``tests/integration/test_engine_death.py`` on a loaded machine).
An empty sidecar is never valid, and a missing one is read as "no attributes", so removing it
gives back the last checkpoint the engine completed. Nothing else is touched.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

SIDECAR = ".attrs"


def file_backend(environ: dict[str, str], home: Path) -> Path | None:
    """The directory of the file backend in use (``PULUMI_BACKEND_URL``, else the one the CLI
    is logged in to), or ``None`` for any other backend."""
    url = environ.get("PULUMI_BACKEND_URL")
    if not url:
        credentials = Path(environ.get("PULUMI_HOME") or home / ".pulumi") / "credentials.json"
        try:
            url = json.loads(credentials.read_text(encoding="utf-8")).get("current")
        except (OSError, ValueError):
            url = None
    if not url or not url.startswith("file://"):
        return None
    parsed = urlparse(url)
    path = unquote(parsed.path) if parsed.netloc in ("", "localhost") else unquote(url[7:])
    return Path(path or "/").expanduser()


def empty_sidecars(backend: Path) -> list[Path]:
    """The empty ``.attrs`` sidecars under the backend's ``.pulumi`` directory."""
    root = backend / ".pulumi"
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob(f"*{SIDECAR}") if p.is_file() and p.stat().st_size == 0)


def recover(args: argparse.Namespace) -> int:
    """Remove the empty sidecars of the file backend in use; print what was done."""
    backend = (
        Path(args.backend).expanduser()
        if getattr(args, "backend", None)
        else file_backend(dict(os.environ), Path.home())
    )
    if backend is None:
        print("recover: the state backend is not a file backend; nothing to repair")
        return 0
    removed = empty_sidecars(backend)
    for path in removed:
        path.unlink()
        print(f"recover: removed {path} (empty: written by an engine that was killed)")
    if not removed:
        print(f"recover: the file backend at {backend} needs no repair")
    return 0


def add_parser(commands: Any) -> None:
    """The ``recover`` subcommand."""
    parser = commands.add_parser(
        "recover",
        help="after a killed pulumi: repair the file state backend (run before pulumi cancel)",
        description="Repair what a killed engine can leave in a file state backend (an empty "
        "<stack>.json.attrs, which makes every later command fail with 'failed to load "
        "checkpoint: EOF'). Safe to run every time; other backends need nothing.",
    )
    parser.add_argument(
        "--backend", help="the file backend's directory (default: PULUMI_BACKEND_URL or login)"
    )
    parser.set_defaults(run=recover, offline=True)
