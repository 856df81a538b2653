"""The Node.js SDK of the provider plugin, for TypeScript programs, built from the schema.

No SDK is published to npm yet, so it is generated from the checked-in schema
(``pulumi_powerjob/plugin/schema.json``) by ``pulumi-powerjob-sdkgen`` (``scripts/engine``
builds it), compiled with ``tsc``, and installed as ``@pulumi-powerjob/powerjob`` beside
``@pulumi/pulumi``, ``typescript`` and ``ts-node`` from npm. The result is a ``node_modules``
directory in a cache outside the clone, keyed by the schema and the versions, built once and
linked into each program directory::

    python -m pulumi_powerjob.local.nodejs examples/ts-quickstart
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from pulumi_powerjob.local.jar import LocalServerError

SCHEMA = Path(__file__).parents[1] / "plugin" / "schema.json"
PACKAGE = "@pulumi-powerjob/powerjob"
NPM_PACKAGES = {
    "@pulumi/pulumi": "3.270.0",
    "typescript": "5.8.3",
    "ts-node": "10.9.2",
    "@types/node": "20.19.43",
}
"""What a TypeScript program needs from npm: the SDK's runtime, and the compiler the Node.js
language host runs the program with (``ts-node`` is a peer dependency of ``@pulumi/pulumi``)."""


def cache_root() -> Path:
    base = os.environ.get("PULUMI_POWERJOB_CACHE") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pulumi-powerjob"
    )
    key = hashlib.sha256(SCHEMA.read_bytes() + json.dumps(NPM_PACKAGES).encode()).hexdigest()
    return Path(base) / "nodejs" / key[:16]


def node_modules(bin_dir: Path) -> Path:
    """The cached ``node_modules`` with the SDK in it; built on first use (npm, about a minute)."""
    root = cache_root()
    ready = root / ".ready"
    if ready.exists():
        return root / "node_modules"
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / ".lock"):
        if not ready.exists():
            _build(root, bin_dir)
            ready.touch()
    return root / "node_modules"


def link_into(project: Path, bin_dir: Path) -> None:
    """Make ``project``'s ``node_modules`` the cached one (a symlink; replaced if present)."""
    target = project / "node_modules"
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)
    target.symlink_to(node_modules(bin_dir), target_is_directory=True)


def _build(root: Path, bin_dir: Path) -> None:
    for stale in ("node_modules", "sdk", "package.json", "package-lock.json"):
        path = root / stale
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    version = json.loads(SCHEMA.read_text())["version"]
    _log(f"generating the Node.js SDK {PACKAGE} {version} from {SCHEMA.name}")
    sdk = root / "sdk"
    _run([str(bin_dir / "pulumi-powerjob-sdkgen"), str(SCHEMA), str(sdk)], root)
    manifest = sdk / "package.json"
    manifest.write_text(manifest.read_text().replace("${VERSION}", version))
    (root / "package.json").write_text(
        json.dumps({"name": "powerjob-programs", "private": True, "dependencies": NPM_PACKAGES})
    )
    _log("installing " + ", ".join(f"{k}@{v}" for k, v in NPM_PACKAGES.items()) + " from npm")
    _npm(["install"], root)
    _log(f"compiling {PACKAGE} with tsc")
    _run([str(root / "node_modules" / ".bin" / "tsc"), "-p", str(sdk)], root)
    shutil.copy(manifest, sdk / "bin" / "package.json")
    dependencies = {**NPM_PACKAGES, PACKAGE: "file:sdk/bin"}
    (root / "package.json").write_text(
        json.dumps({"name": "powerjob-programs", "private": True, "dependencies": dependencies})
    )
    _npm(["install"], root)


def _npm(args: list[str], cwd: Path) -> None:
    _run(["npm", *args, "--no-audit", "--no-fund", "--loglevel=error"], cwd)


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        raise LocalServerError(f"{' '.join(command[:2])} failed in {cwd}:\n{tail}")


def _log(message: str) -> None:
    print(f"[nodejs] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m pulumi_powerjob.local.nodejs <program directory>", file=sys.stderr)
        return 2
    engine = subprocess.run(
        [str(Path(__file__).parents[2] / "scripts" / "engine")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    link_into(Path(args[0]), Path(engine.stdout.strip()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
