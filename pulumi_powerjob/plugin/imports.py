"""What ``pulumi import`` gives a read that has no state: the id alone. A Job and a Workflow
read by their server id; a JobSet's import id names its app and, optionally, its jobs:
``<appName>`` (every live job of the app) or ``<appName>:job-a,job-b``.
"""

from __future__ import annotations

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import InputValidationError
from pulumi_powerjob.reconcile.job_set_plan import by_name

JOB_SET_ID = "<appName> or <appName>:job-a,job-b"


def job_set_ids(import_id: str, client: PowerJobClient) -> dict[str, int]:
    """The ids, by name, of the jobs ``import_id`` names, in the app ``client`` reaches (the
    provider's app or the ``connection`` profile's): one fetchAllJob."""
    app_name, _, listed = import_id.partition(":")
    if app_name != client.settings.app_name:
        raise InputValidationError(
            "id",
            f"a JobSet is imported as {JOB_SET_ID}; {app_name!r} is not the app "
            f"{client.settings.app_name!r} the provider (or the connection profile) reaches",
        )
    live = by_name(client.fetch_all_job())
    names = [n for n in listed.split(",") if n] if listed else sorted(live)
    missing = [n for n in names if n not in live]
    if missing:
        raise InputValidationError("id", f"no live job named {', '.join(map(repr, missing))}")
    repeated = [n for n in names if len(live[n]) > 1]
    if repeated:
        raise InputValidationError(
            "id",
            f"several jobs are named {', '.join(map(repr, repeated))}: a set keys jobs by name "
            "(python -m pulumi_powerjob doctor finds copies)",
        )
    return {n: live[n][0].id for n in names}


__all__ = ["JOB_SET_ID", "job_set_ids"]
