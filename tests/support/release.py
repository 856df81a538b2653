"""The release before the core moved out of the providers (a375646), for upgrade tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pulumi_powerjob.local.engine import REPO

RELEASE = "a375646"
PROVIDER_BLOBS = {
    "JobProvider": (
        "gASVNAAAAAAAAACMHXB1bHVtaV9wb3dlcmpvYi5wcm92aWRlcnMuam9ilIwLSm9iUHJvdmlkZXKUk5QpgZQu"
    ),
    "WorkflowProvider": (
        "gASVPgAAAAAAAACMInB1bHVtaV9wb3dlcmpvYi5wcm92aWRlcnMud29ya2Zsb3eUjBBXb3JrZmxvd1Byb3ZpZGVy"
        "lJOUKYGULg=="
    ),
    "AppProvider": (
        "gASVNAAAAAAAAACMHXB1bHVtaV9wb3dlcmpvYi5wcm92aWRlcnMuYXBwlIwLQXBwUHJvdmlkZXKUk5QpgZQu"
    ),
    "JobSetProvider": (
        "gASVOwAAAAAAAACMIXB1bHVtaV9wb3dlcmpvYi5wcm92aWRlcnMuam9iX3NldJSMDkpvYlNldFByb3ZpZGVy"
        "lJOUKYGULg=="
    ),
}
"""Each provider as ``RELEASE``'s ``serialize_provider`` pickled it into ``__provider``."""
BLOB_OF_TYPE = {
    "pulumi-python:dynamic/powerjob:Job": PROVIDER_BLOBS["JobProvider"],
    "pulumi-python:dynamic/powerjob:Workflow": PROVIDER_BLOBS["WorkflowProvider"],
    "pulumi-python:dynamic/powerjob:App": PROVIDER_BLOBS["AppProvider"],
    "pulumi-python:dynamic/powerjob:JobSet": PROVIDER_BLOBS["JobSetProvider"],
}


def release_tree(dest: Path) -> Path:
    """The package as ``RELEASE`` shipped it, extracted under ``dest`` (for ``PYTHONPATH``)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", RELEASE, "pulumi_powerjob"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest
