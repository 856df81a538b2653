"""``pulumi-resource-powerjob``: the engine starts this and talks gRPC to the port it prints."""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version

from pulumi_powerjob.plugin.provider import PowerJobPlugin
from pulumi_powerjob.plugin.servicer import serve


def plugin_version() -> str:
    try:
        return version("pulumi-powerjob")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0.0.0"


def main() -> None:
    # The SDK's server, extended to answer a create or update cut off half-way with what
    # landed (``plugin/servicer.py``).
    serve(sys.argv[1:], plugin_version(), PowerJobPlugin())


if __name__ == "__main__":
    main()
