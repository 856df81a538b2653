"""What ``pulumi import`` gives a read that has no state: the id alone. A Job and a Workflow
read by their server id; a JobSet's import id names its app and, optionally, its jobs:
``<appName>`` (every live job of the app) or ``<appName>:job-a,job-b``. An App is imported by
its app id, and only the provider's own app (``powerjob:appName``): the server never gives a
password back, so the one in the provider's config is the one checked and kept (secret).
"""

from __future__ import annotations

from typing import Any

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.errors import InputValidationError
from pulumi_powerjob.reconcile.job_set_plan import by_name
from pulumi_powerjob.settings import ConnectionSettings

JOB_SET_ID = "<appName> or <appName>:job-a,job-b"


def job_set_ids(import_id: str, client: PowerJobClient) -> dict[str, int]:
    """The ids, by name, of the jobs ``import_id`` names, in the provider's app (``client``):
    one fetchAllJob."""
    app_name, _, listed = import_id.partition(":")
    if app_name != client.settings.app_name:
        raise InputValidationError(
            "id",
            f"a JobSet is imported as {JOB_SET_ID}; {app_name!r} is not the app "
            f"{client.settings.app_name!r} the provider reaches (powerjob:appName)",
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


def app_state(settings: ConnectionSettings) -> dict[str, Any]:
    """The state an App's import reads with: the provider's app and password."""
    if settings.password is None:
        raise InputValidationError(
            "id", "an App is imported with the provider's password (powerjob:password)"
        )
    return {"app_name": settings.app_name, "password": settings.password.get_secret_value()}


def same_app(import_id: str, app_id: str | None, settings: ConnectionSettings) -> None:
    """Refuse an App import whose id is not the provider's app."""
    if app_id is not None and import_id != app_id:
        raise InputValidationError(
            "id",
            f"an App is imported by the id of the provider's app {settings.app_name!r} "
            f"({app_id}); {import_id!r} is another app: point powerjob:appName and "
            "powerjob:password at it",
        )


__all__ = ["JOB_SET_ID", "app_state", "job_set_ids", "same_app"]
