"""One ``fetchAllJob`` per app, shared by the reads of a refresh in this process.

A refresh of N jobs then costs one listing request instead of N fetches. The listing is
dropped after ``TTL`` seconds and whenever this process changes a job of that app.
"""

from __future__ import annotations

import threading
import time

from pulumi_powerjob.client.client import PowerJobClient
from pulumi_powerjob.models import JobInfoDTO

TTL = 60.0

_LISTINGS: dict[tuple[str, ...], tuple[float, dict[int, JobInfoDTO]]] = {}
_LOCK = threading.Lock()
_FETCHING: dict[tuple[str, ...], threading.Lock] = {}


def job_from_listing(client: PowerJobClient, job_id: int) -> JobInfoDTO:
    """The job as the app's listing shows it; a fetch when the listing does not have it."""
    key = client.settings.key
    with _LOCK:
        fetching = _FETCHING.setdefault(key, threading.Lock())
    with fetching:  # one listing request, even when four reads arrive at once
        with _LOCK:
            entry = _LISTINGS.get(key)
        if entry is None or time.monotonic() - entry[0] > TTL:
            jobs = {job.id: job for job in client.fetch_all_job()}
            entry = (time.monotonic(), jobs)
            with _LOCK:
                _LISTINGS[key] = entry
    job = entry[1].get(job_id)
    return job if job is not None else client.fetch_job(job_id)


def forget(client: PowerJobClient) -> None:
    """Drop the listing of this app (after a mutation made by this process)."""
    with _LOCK:
        _LISTINGS.pop(client.settings.key, None)
